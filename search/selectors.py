"""Running a search: the index entries that match, narrowed to the records the user may open; the
filters' counts; one page of results, most relevant or newest first.

Bounded, as large search services are: the index (search.models.SearchEntry) gives its best-ranked
(or newest) matches, at most CANDIDATES_PER_RESULT times settings.SEARCH_RESULT_CAP (the cap); each
kind's own rule (search.sources) then keeps, of those candidates only, the ones the user may open
(one query for every kind: a rule asked about its candidates by id, ``visible``, or the few records
it hides read and left out, ``hidden``). Counts are of those: exact up to the cap, then "more than"
it; the pages go through them up to the cap. So no count or page ever includes a hidden record,
and neither the rules nor the counts read every match of a common word. Queries are bounded too:
one for the results, one more for each filter with options chosen (its counts; the results are
taken from it when it holds every match), one for who may open them, one per kind on the page for
its records, one for the page's snippets on PostgreSQL (ts_headline), and the filters' choices
(kept until the data changes): about a dozen, whatever the data.
"""

import hashlib
import json
import pickle
import zlib
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, CharField, F, Func, Value
from django.db.models.expressions import RawSQL

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


def _candidates(query, entries, sort, search_engine, *, with_rank=False):
    """The best-ranked (or newest) ``entries`` matching ``query``, at most CANDIDATES_PER_RESULT × the cap,
    from the index alone (one query, search.engines' ``candidates``): [(kind, object_id, group_id, area_id)],
    in order (each with its rank last, ``with_rank``).

    Kept until the data changes (mappa.generation; every write to the index makes a new one), under the
    query's own SQL: the next page of results, or the same search again, reads no match again. They say
    nothing of who may open them (``openable`` asks that of each reader)."""
    try:
        sql, params = search_engine.candidates(
            entries, query, sort, CANDIDATES_PER_RESULT * result_cap(), with_rank=with_rank
        )
    except EmptyResultSet:
        return []
    key = hashlib.sha256(f"{search_engine.name}\n{sql}\n{params!r}".encode()).hexdigest()

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [tuple(row) for row in cursor.fetchall()]
        # Compressed: 5,000 candidates are about 106 KiB pickled, 12 KiB compressed, for each search
        # kept (on Redis in production) for up to mappa.generation.TIMEOUT. The fastest level: 0.3 ms where
        # the default took 1.1 ms, for the same size.
        return zlib.compress(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL), 1)

    return pickle.loads(zlib.decompress(generation.kept(f"search:candidates:{key}", read)))


class _AmongIds(Func):
    """``pk = ANY(%s)``: the record is one of ``pks``, given as one array parameter (PostgreSQL). Thousands of ids
    as thousands of parameters took Django and the database several milliseconds more; as a subquery of the
    array, the planner read a whole table's index."""

    output_field = BooleanField()

    def __init__(self, pks):
        super().__init__(F("pk"), Value(list(pks), output_field=ArrayField(BigIntegerField())))

    def as_sql(self, compiler, connection, **extra):
        (pk_sql, pk_params), (ids_sql, ids_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"{pk_sql} = ANY({ids_sql})", (*pk_params, *ids_params)


def _among(records, pks):
    """``records`` narrowed to ``pks``, the ids as one parameter (SQLite: JSON, read by json_each)."""
    if connection.vendor == "postgresql":
        return records.filter(_AmongIds(pks))
    return records.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(pks))]))


def openable(user, rows):
    """A test of a candidate row: whether ``user`` may open its record. Every kind's rule in one query (a
    union): a kind's own rule (search.sources) asked about these records only (``visible``), or the few
    records of the kind the user may not open read, to leave out (``hidden``)."""
    everything, checks = set(), []
    for kind in {row[0] for row in rows}:
        source = SOURCES_BY_KIND.get(kind)
        if source is None:  # a kind no longer searched: rebuild_search_index removes its entries
            continue
        hidden = source.hidden(user)
        if hidden is None:
            visible = source.visible(user)
            if visible.query.where:
                pks = {row[1] for row in rows if row[0] == kind}
                checks.append(_tagged(_among(visible, pks), kind, shown=True))
                continue
        elif not hidden.query.is_empty():
            checks.append(_tagged(hidden, kind, shown=False))
        everything.add(kind)
    shown, left_out = set(), set()
    if checks:
        for kind, pk, is_shown in checks[0].union(*checks[1:], all=True) if len(checks) > 1 else checks[0]:
            (shown if is_shown else left_out).add((kind, pk))

    def may_open(row):
        key = row[:2]
        return key in shown or (row[0] in everything and key not in left_out)

    return may_open


def _tagged(records, kind, *, shown):
    """(kind, pk, shown) of ``records``: for openable's union, the ones shown or the ones left out."""
    tags = {"search_kind": Value(kind, output_field=CharField()), "shown": Value(shown, output_field=BooleanField())}
    return records.order_by().annotate(**tags).values_list("search_kind", "pk", "shown")


def _visible_candidates(user, query, filters, sort, search_engine):
    """The visible candidates with every filter in force, in order; and each filter's counts. A filter with
    nothing chosen counts those rows. A filter with options chosen counts its own read: the newest matches
    with the other filters in force (one query; counts need no ranking). Where such a read holds every match
    (fewer than the limit), the results are its rows that the filter keeps, in the order asked (their ranks
    read with them), and the index is not asked for them again. Who may open them: one query for all."""
    ticked = [name for name in FACETS if filters.chosen(name)]
    reads = {
        name: _candidates(
            query,
            filters.filtered(SearchEntry.objects.all(), leaving_out={name}),
            "date",
            search_engine,
            with_rank=True,
        )
        for name in ticked
    }
    limit = CANDIDATES_PER_RESULT * result_cap()
    whole = next((name for name in ticked if len(reads[name]) < limit), None)
    if whole is None:
        rows = _candidates(query, filters.filtered(SearchEntry.objects.all()), sort, search_engine)
    else:
        kept = filters.chosen_keys()[whole]
        rows = [row for row in reads[whole] if row[POSITIONS[whole]] in kept]
        if sort != "date":
            # A stable sort: rows newest first (then by kind and id, as the index orders them) become the most
            # relevant first, ties in that order, which is the index's order by relevance.
            rows = sorted(rows, key=lambda row: -row[4])
        rows = [row[:4] for row in rows]
    may_open = openable(user, [*rows, *(row for read in reads.values() for row in read)])
    rows = list(filter(may_open, rows))
    counts = {}
    for name in FACETS:
        counted = filter(may_open, reads[name]) if name in reads else rows
        counts[name] = Counter(map(itemgetter(POSITIONS[name]), counted))
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
