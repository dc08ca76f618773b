"""Running a search: the index entries that match, narrowed to the records the user may open; the
filters' counts; one page of results, most relevant or newest first.

The index (search.models.SearchEntry) finds candidates; each kind's own rule (search.sources,
``visible``) keeps those the user may open, inside the same query, so no count or page ever
includes a hidden record. Queries are bounded: one for the filters' counts, one for the page's
entries, one per kind on the page for its records, and the filters' choices: about fifteen,
whatever the data.
"""

from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Count, F, Q

from search.engines import engine, parse_query
from search.filters import FACETS, SearchFilter
from search.models import SearchEntry
from search.snippets import page_of, snippet
from search.sources import SOURCES, SOURCES_BY_KIND

RESULTS_PER_PAGE = 50


def may_open(user):
    """A filter on entries: those whose record ``user`` may open (each kind by its owning app's rule)."""
    conditions = []
    for source in SOURCES:
        visible = source.visible(user)
        if visible.query.where:
            conditions.append(Q(kind=source.kind, object_id__in=visible.order_by().values("pk")))
        else:  # every record of the kind: no subquery
            conditions.append(Q(kind=source.kind))
    return reduce(or_, conditions)


def matches(user, query, search_engine=None):
    """The entries matching ``query`` (parsed) whose records ``user`` may open."""
    search_engine = search_engine or engine()
    return search_engine.match(SearchEntry.objects.all(), query).filter(may_open(user))


class _Counted:
    """A queryset whose count is already known, as Paginator reads it."""

    def __init__(self, queryset, count):
        self.queryset, self._count = queryset, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        return list(self.queryset[index])


@dataclass
class Option:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass
class Search:
    query: object
    counts: list  # [(kind, label, count)] for every kind, whatever the kind filter
    total: int  # results with every filter in force
    page: object
    results: list
    facets: dict  # {"kind"|"group"|"area": [Option]}: each option's count with the other filters as they are


def _order(sort):
    newest = F("date").desc(nulls_last=True)
    if sort == "date":
        return (newest, "kind", "-object_id")
    return (F("rank").desc(), newest, "kind", "-object_id")


COLUMNS = {"kind": "kind", "group": "group_id", "area": "area_id"}


def _facet_counts(filters, found):
    """The filters' counts in one query: the matches in the dates chosen, counted by kind, group and
    area together; each option's count then adds up the combinations the other filters allow.
    Also the total, for the combinations every filter allows."""
    dated = filters.filtered(found, leaving_out=FACETS)
    rows = dated.order_by().values(*COLUMNS.values()).annotate(n=Count("pk"))
    chosen = filters.chosen_keys()

    def allowed(row, name):
        return not chosen[name] or row[COLUMNS[name]] in chosen[name]

    counts, total = {name: Counter() for name in FACETS}, 0
    for row in rows:
        passes = {name: allowed(row, name) for name in FACETS}
        for name in FACETS:
            if all(passes[other] for other in FACETS if other != name):
                counts[name][row[COLUMNS[name]]] += row["n"]
        total += row["n"] if all(passes.values()) else 0
    return counts, total


def _facets(filters, counts):
    chosen = {name: set(filters.chosen(name)) for name in FACETS}
    facets = {
        "kind": [Option(s.kind, s.label, counts["kind"].get(s.kind, 0), s.kind in chosen["kind"]) for s in SOURCES]
    }
    for name, records in (("group", filters.bodies), ("area", filters.areas)):
        facets[name] = [
            Option(slug, record.name, counts[name].get(record.pk, 0), slug in chosen[name])
            for slug, record in records.items()
            if counts[name].get(record.pk) or slug in chosen[name]
        ]
    return facets


def search(user, text, *, filters=None, kind="", sort="relevance", page_number=None):
    """``filters``: a SearchFilter whose form is valid (the page's); or ``kind``, one kind of record."""
    query = parse_query(text)
    if filters is None:
        filters = SearchFilter({"kind": [kind]} if kind else {})
        filters.form.is_valid()
    search_engine = engine()
    found = matches(user, query, search_engine)
    counts, total = _facet_counts(filters, found)
    keys = filters.filtered(found)
    if sort != "date":
        keys = keys.annotate(rank=search_engine.rank(query))
    keys = keys.order_by(*_order(sort)).values("kind", "object_id")
    page = Paginator(_Counted(keys, total), RESULTS_PER_PAGE).get_page(page_number)
    entries = list(page.object_list)
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry["kind"], []).append(entry["object_id"])
    loaded = {k: SOURCES_BY_KIND[k].results(pks) for k, pks in by_kind.items()}
    results = []
    for entry in entries:
        result = loaded[entry["kind"]].get(entry["object_id"])
        if result is None:  # deleted since the page's entries were read
            continue
        result.pk = entry["object_id"]
        # A match in a paper's text: the snippet comes from the page where the words are.
        result.page, matched_text = page_of(result.pages, query.terms)
        result.snippet = snippet((*result.texts, matched_text), query.terms)
        results.append(result)
    facets = _facets(filters, counts)
    return Search(
        query=query,
        counts=[(o.value, o.label, o.count) for o in facets["kind"]],
        total=total,
        page=page,
        results=results,
        facets=facets,
    )
