"""Running a search: the index entries that match, narrowed to the records the user may open; the
filters' counts; one page of results, most relevant or newest first.

Bounded, as large search services are: the index (search.models.SearchEntry) gives its best-ranked
(or newest) matches, at most CANDIDATES_PER_RESULT times settings.SEARCH_RESULT_CAP (the cap); each
kind's own rule (search.sources, ``visible``) then keeps, of those candidates only, the ones the
user may open (one query, every kind's rule asked about its candidates by id). Counts are of those: exact up to the cap, then "more than"
it; the pages go through them up to the cap. So no count or page ever includes a hidden record,
and neither the rules nor the counts read every match of a common word. Queries are bounded too:
two for the results and counts, two more for each filter with options chosen, one per kind on the
page for its records, one for the page's snippets on PostgreSQL (ts_headline), and the filters'
choices: about fifteen, whatever the data.
"""

import hashlib
import pickle
import zlib
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Value

from mappa import generation
from search.engines import engine, parse_query
from search.filters import FACETS, SearchFilter
from search.models import SearchEntry
from search.snippets import page_of
from search.sources import SOURCES, SOURCES_BY_KIND

RESULTS_PER_PAGE = 50


def result_cap():
    """Counts are exact up to this many results, then "more than" it (settings.SEARCH_RESULT_CAP)."""
    return settings.SEARCH_RESULT_CAP


# The best-ranked (or newest) matches taken from the index, as a multiple of the cap: only these are
# checked against who may open them, counted and listed.
CANDIDATES_PER_RESULT = 5


@dataclass
class Option:
    value: str
    label: str
    count: int  # at most the cap
    chosen: bool
    capped: bool = False  # more than ``count``

    @property
    def shown(self):
        return f"more than {self.count:,}" if self.capped else f"{self.count:,}"


@dataclass
class Search:
    query: object
    counts: list  # [(kind, label, count)] for every kind, whatever the kind filter (each at most the cap)
    total: int  # results with every filter in force, at most the cap
    page: object
    results: list
    facets: dict  # {"kind"|"group"|"area": [Option]}: each option's count with the other filters as they are
    capped: bool = False  # more than ``total`` results: only the most relevant (or newest) are listed
    sort: str = "relevance"

    @property
    def total_shown(self):
        return f"More than {self.total:,}" if self.capped else f"{self.total:,}"


POSITIONS = {"kind": 0, "group": 2, "area": 3}  # in a candidate's row: (kind, object_id, group_id, area_id)


def _candidates(query, entries, sort, search_engine):
    """The best-ranked (or newest) ``entries`` matching ``query``, at most CANDIDATES_PER_RESULT × the cap,
    from the index alone (one query, search.engines' ``candidates``): [(kind, object_id, group_id, area_id)],
    in order.

    Kept until the data changes (mappa.generation; every write to the index makes a new one), under the
    query's own SQL: the next page of results, or the same search again, reads no match again. They say
    nothing of who may open them (may_open asks that of each reader)."""
    try:
        sql, params = search_engine.candidates(entries, query, sort, CANDIDATES_PER_RESULT * result_cap())
    except EmptyResultSet:
        return []
    key = hashlib.sha256(f"{search_engine.name}\n{sql}\n{params!r}".encode()).hexdigest()

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [tuple(row) for row in cursor.fetchall()]
        # Compressed: 5,000 candidates are about 65 KiB pickled, 9 KiB compressed, for each search
        # kept (on Redis in production) for up to mappa.generation.TIMEOUT.
        return zlib.compress(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL))

    return pickle.loads(zlib.decompress(generation.kept(f"search:candidates:{key}", read)))


def may_open(user, rows):
    """Those of ``rows`` whose records ``user`` may open, in order: each kind's own rule (search.sources,
    ``visible``) asked about these records only, every kind in one query (a union)."""
    ids, everything = {}, set()
    for kind, object_id, *_keys in rows:
        ids.setdefault(kind, []).append(object_id)
    checks = []
    for kind, pks in ids.items():
        source = SOURCES_BY_KIND.get(kind)
        if source is None:  # a kind no longer searched: rebuild_search_index removes its entries
            continue
        visible = source.visible(user)
        if not visible.query.where:  # every record of the kind
            everything.add(kind)
            continue
        keys = visible.order_by().filter(pk__in=pks).annotate(search_kind=Value(kind, output_field=CharField()))
        checks.append(keys.values_list("search_kind", "pk"))
    allowed = set()
    if checks:
        allowed = set(checks[0].union(*checks[1:], all=True) if len(checks) > 1 else checks[0])
    return [row for row in rows if row[0] in everything or (row[0], row[1]) in allowed]


def _visible_candidates(user, query, filters, sort, search_engine):
    """The visible candidates with every filter in force, in order (two queries); and each filter's counts.
    A filter with nothing chosen counts those rows; a filter with options chosen counts its own
    candidates, with the other filters in force (two queries more each)."""
    rows = may_open(user, _candidates(query, filters.filtered(SearchEntry.objects.all()), sort, search_engine))
    counts = {}
    for name in FACETS:
        position = POSITIONS[name]
        if filters.chosen(name):
            others = filters.filtered(SearchEntry.objects.all(), leaving_out={name})
            counted = may_open(user, _candidates(query, others, sort, search_engine))
        else:
            counted = rows
        counts[name] = Counter(row[position] for row in counted)
    return rows, counts


def _facets(filters, counts):
    cap = result_cap()
    chosen = {name: set(filters.chosen(name)) for name in FACETS}

    def option(value, label, key, name):
        n = counts[name].get(key, 0)
        return Option(value, label, min(n, cap), value in chosen[name], capped=n > cap)

    facets = {"kind": [option(s.kind, s.label, s.kind, "kind") for s in SOURCES]}
    for name, records in (("group", filters.bodies), ("area", filters.areas)):
        facets[name] = [
            option(slug, record.name, record.pk, name)
            for slug, record in records.items()
            if counts[name].get(record.pk) or slug in chosen[name]
        ]
    return facets


def search(user, text, *, filters=None, kind="", sort="relevance", page_number=None):
    """``filters``: a SearchFilter whose form is valid (the page's); or ``kind``, one kind of record.

    Bounded whatever the data: the index gives its best-ranked (or newest) matches, five times the cap
    (settings.SEARCH_RESULT_CAP); of those, the ones the user may open are counted (exactly up to the
    cap, then "more than" it) and paged through (up to the cap)."""
    query = parse_query(text)
    if filters is None:
        filters = SearchFilter({"kind": [kind]} if kind else {})
        filters.form.is_valid()
    search_engine = engine()
    cap = result_cap()
    if query.is_empty:
        rows, counts = [], {name: Counter() for name in FACETS}
    else:
        rows, counts = _visible_candidates(user, query, filters, sort, search_engine)
    capped = len(rows) > cap
    page = Paginator(rows[:cap], RESULTS_PER_PAGE).get_page(page_number)
    entries = list(page.object_list)
    by_kind = {}
    for kind_, object_id, *_keys in entries:
        by_kind.setdefault(kind_, []).append(object_id)
    loaded = {k: SOURCES_BY_KIND[k].results(pks) for k, pks in by_kind.items()}
    results, texts = [], []
    for kind_, object_id, *_keys in entries:
        result = loaded[kind_].get(object_id)
        if result is None:  # deleted since the page's entries were read
            continue
        result.pk = object_id
        # A match in a paper's text: the snippet comes from the page where the words are.
        result.page, matched_text = page_of(result.pages, query.terms)
        results.append(result)
        texts.append((*result.texts, matched_text))
    # The page's results only (at most 50), in one query on PostgreSQL (ts_headline).
    for result, html in zip(results, search_engine.snippets(query, texts) if results else (), strict=True):
        result.snippet = html
    facets = _facets(filters, counts)
    return Search(
        query=query,
        counts=[(o.value, o.label, o.count) for o in facets["kind"]],
        total=min(len(rows), cap),
        page=page,
        results=results,
        facets=facets,
        capped=capped,
        sort=sort,
    )
