"""Running a search: per kind, the records the user may open that match; one page of them, newest or most relevant first.

Queries are bounded: one count per kind (the filter's counts, under the same permission
rule as the results), one for the page's ids across the kinds (a UNION), and one per kind
on the page for its records: about twenty, whatever the data.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, DateField, F, FloatField, Value
from django.db.models.functions import Cast

from search.engines import engine, parse_query
from search.snippets import snippet
from search.sources import SOURCES, SOURCES_BY_KIND

RESULTS_PER_PAGE = 50


def matches(source, user, query, search_engine=None):
    """The records of ``source`` that ``user`` may open and that match ``query``, annotated with search_rank."""
    search_engine = search_engine or engine()
    return search_engine.search(source.visible(user), source.fields, query)


def _keys(source, user, query, search_engine):
    """The rows of the UNION: kind, id, date, rank."""
    return (
        matches(source, user, query, search_engine)
        .order_by()
        .annotate(
            s_kind=Value(source.kind, output_field=CharField()),
            s_pk=F("pk"),
            s_date=Cast(source.date(), DateField()),
            s_rank=Cast(F("search_rank"), FloatField()),
        )
        .values("s_kind", "s_pk", "s_date", "s_rank")
    )


class _Union:
    """The matching keys of every kind, as Paginator reads them: a known count, a slice per page."""

    def __init__(self, querysets, count, order):
        self.querysets, self._count, self.order = querysets, count, order

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not self.querysets:
            return []
        first, *others = self.querysets
        combined = first.union(*others, all=True) if others else first
        return list(combined.order_by(*self.order)[index])


@dataclass
class Search:
    query: object
    counts: list  # [(kind, label, count)] for every kind, whatever the kind filter
    total: int  # results for the kind filter in force
    page: object
    results: list
    stems: bool


ORDERS = {
    "relevance": ("-s_rank", "-s_date", "s_kind", "-s_pk"),
    "date": ("-s_date", "-s_rank", "s_kind", "-s_pk"),
}


def search(user, text, *, kind="", sort="relevance", page_number=None):
    query = parse_query(text)
    search_engine = engine()
    counts = [(source.kind, source.label, matches(source, user, query, search_engine).count()) for source in SOURCES]
    chosen = [source for source in SOURCES if not kind or source.kind == kind]
    wanted = {k for k, _, n in counts if n and (not kind or k == kind)}
    total = sum(n for k, _, n in counts if k in wanted)
    union = _Union([_keys(s, user, query, search_engine) for s in chosen if s.kind in wanted], total, ORDERS[sort])
    page = Paginator(union, RESULTS_PER_PAGE).get_page(page_number)
    keys = list(page.object_list)
    by_kind = {}
    for key in keys:
        by_kind.setdefault(key["s_kind"], []).append(key["s_pk"])
    loaded = {k: SOURCES_BY_KIND[k].results(pks) for k, pks in by_kind.items()}
    results = []
    for key in keys:
        result = loaded[key["s_kind"]].get(key["s_pk"])
        if result is not None:
            result.pk = key["s_pk"]
            result.snippet = snippet(result.texts, query.terms)
            results.append(result)
    return Search(query=query, counts=counts, total=total, page=page, results=results, stems=search_engine.stems)
