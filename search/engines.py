"""The search engines: one query syntax, two implementations over the stored index (search.models.SearchEntry).

``parse_query`` reads a query as people type it: several words (all must match), "a quoted
phrase", ``-word`` (or ``-"a phrase"``) to exclude, and ``or`` between two terms (either may
match): "a b or c" is a and (b or c), on both engines. Each engine narrows a queryset of entries
to those that match (``match``) and gives their relevance (``rank``, higher is more relevant),
with words stemmed alike ("assessment" finds "assessments" and the other way round):

* ``PostgresEngine``: the stored, weighted tsvector (written by a trigger: search migration 0003) under
  its GIN index; the query becomes a
  tsquery (``websearch_to_tsquery`` per word or phrase, combined with &, | and !), ranked by ``ts_rank``
  (title A, decisions B, narrative C). Its snippets are ``ts_headline``'s, for the page's results only
  (one query).
* ``Fts5Engine``: the embedded SQLite default; an FTS5 table with the Porter stemmer, the query in
  FTS5's own syntax (each term quoted, so no typed character is an operator), ranked by ``bm25``
  with the same column weights. Its snippets are search.snippets.snippet's.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

from search import snippets as snippets_

# A term: an optional "-", then "a quoted phrase" (closed or not) or a word.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    """``clauses``: each a tuple of alternatives (words or phrases), every clause must match;
    ``excluded``: terms none of the fields may hold; ``raw``: the query as typed."""

    raw: str
    clauses: tuple = ()
    excluded: tuple = ()
    terms: tuple = field(default=())  # every positive term, to highlight

    @property
    def is_empty(self):
        return not self.clauses


def _clean(word):
    return word.strip("\"'“”‘’")


def parse_query(text):
    clauses, excluded = [], []
    pending_or = False
    for match in _TOKEN.finditer(text or ""):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            term = " ".join(phrase.split())
        else:
            negative = word.startswith("-") and len(word) > 1
            term = _clean(word[1:] if negative else word)
        if not term:
            continue
        if not negative and phrase is None and term.lower() == "or":
            pending_or = bool(clauses)
            continue
        if negative:
            excluded.append(term)
        elif pending_or:
            clauses[-1] = (*clauses[-1], term)
        else:
            clauses.append((term,))
        pending_or = False
    terms = tuple(dict.fromkeys(term for clause in clauses for term in clause))
    return ParsedQuery(raw=text or "", clauses=tuple(clauses), excluded=tuple(excluded), terms=terms)


# What a search's candidates are read as: (kind, object_id, group_id, area_id).
CANDIDATE_COLUMNS = ("kind", "object_id", "group_id", "area_id")


def _order(sort):
    newest = F("date").desc(nulls_last=True)
    if sort == "date":
        return (newest, "kind", "-object_id")
    return (F("rank").desc(), newest, "kind", "-object_id")


class Engine:
    name = ""

    def match(self, entries, query):
        """The entries (a SearchEntry queryset) whose words match ``query``."""
        raise NotImplementedError

    def rank(self, query):
        """An expression for an entry's relevance to ``query`` (higher is better), for ``annotate``."""
        raise NotImplementedError

    def candidates(self, entries, query, sort, limit, *, with_rank=False):
        """(sql, params) of the query reading the first ``limit`` of ``entries`` that match ``query``, the most
        relevant (or the newest, ``sort="date"``) first, as CANDIDATE_COLUMNS (and each one's rank, with
        ``with_rank``). EmptyResultSet if none can."""
        matched = self.match(entries, query)
        if sort != "date" or with_rank:
            matched = matched.annotate(rank=self.rank(query))
        columns = (*CANDIDATE_COLUMNS, "rank") if with_rank else CANDIDATE_COLUMNS
        return matched.order_by(*_order(sort)).values_list(*columns)[:limit].query.sql_with_params()

    def snippets(self, query, texts):
        """The snippet (safe HTML, the matched words marked) of each record whose fields are ``texts``
        (a list of tuples of text, a page's results): at most one query, whatever their number."""
        return [snippets_.snippet(fields, query.terms) for fields in texts]


# Weights of the title, decisions and narrative columns: ts_rank's defaults for A, B and C.
WEIGHTS = (1.0, 0.4, 0.2)


# PostgreSQL's English stop words (tsearch_data/english.stop): its full-text search ignores them ("the"
# finds nothing, "not risk" finds risk), so Fts5Engine leaves them out too and both engines answer alike.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she "
    "her hers herself it its itself they them their theirs themselves what which who whom this that "
    "these those am is are was were be been being have has had having do does did doing a an the and "
    "but if or because as until while of at by for with about against between into through during "
    "before after above below to from up down in out on off over under again further then once here "
    "there when where why how all any both each few more most other some such no nor not only own "
    "same so than too very s t can will just don should now".split()
)

_WORD = re.compile(r"\w+")


class Fts5Engine(Engine):
    name = "sqlite-fts5"
    table = "search_searchentry_fts"

    @staticmethod
    def _term(term):
        # A quoted string: FTS5 reads it as a word or phrase, whatever characters it holds.
        return '"' + term.replace('"', '""') + '"'

    @staticmethod
    def _searchable(term):
        """Whether ``term`` holds a word PostgreSQL would search for: not only stop words or punctuation."""
        return any(word not in STOP_WORDS for word in _WORD.findall(term.lower()))

    def expression(self, query):
        """The parsed query in FTS5 syntax: ("a") AND ("b" OR "c") NOT "d"; None if nothing is left to find."""
        clauses = [[t for t in clause if self._searchable(t)] for clause in query.clauses]
        expression = " AND ".join("(" + " OR ".join(map(self._term, clause)) + ")" for clause in clauses if clause)
        if not expression:
            return None
        for term in filter(self._searchable, query.excluded):
            expression = f"({expression}) NOT {self._term(term)}"
        return expression

    def match(self, entries, query):
        expression = self.expression(query)
        if expression is None:
            return entries.none()
        sql = f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s"
        return entries.filter(id__in=RawSQL(sql, [expression]))

    def rank(self, query):
        return _Bm25(self.table, self.expression(query))

    def snippets(self, query, texts):
        # The words searched for, as ``expression`` reads them: not stop words ("the" does not mark "there").
        terms = [term for term in query.terms if self._searchable(term)]
        return [snippets_.snippet(fields, terms) for fields in texts]


class _Bm25(Func):
    """An entry's -bm25 for an FTS5 expression: a subquery on the FTS5 table for the entry's row, its id
    column compiled by Django (so it names the right table when the entries are themselves a subquery)."""

    output_field = FloatField()

    def __init__(self, table, expression):
        self.table = table
        super().__init__(Value(expression), F("id"))

    def as_sql(self, compiler, connection, **extra):
        (match_sql, match_params), (id_sql, id_params) = (compiler.compile(e) for e in self.source_expressions)
        weights = ", ".join(str(w) for w in WEIGHTS)
        t = self.table
        sql = f"(SELECT -bm25({t}, {weights}) FROM {t} WHERE {t} MATCH {match_sql} AND {t}.rowid = {id_sql})"
        return sql, (*match_params, *id_params)


# Ranking by relevance on PostgreSQL: among at most this many of the newest matches (PostgresEngine.candidates).
RANK_WINDOW = 20_000


class PostgresEngine(Engine):
    name = "postgresql"
    config = "english"

    def _term(self, term):
        from django.contrib.postgres.search import SearchQuery

        # websearch_to_tsquery of one word or one phrase: it never fails on what people type.
        return SearchQuery(f'"{term}"' if " " in term else term, search_type="websearch", config=self.config)

    def tsquery(self, query):
        """The parsed query as a tsquery, grouped as Fts5Engine groups it ("a b or c" is a & (b | c)),
        where websearch_to_tsquery of the whole text would read (a & b) | c."""
        combined = None
        for clause in query.clauses:
            alternatives = reduce(or_, (self._term(term) for term in clause))
            combined = alternatives if combined is None else combined & alternatives
        for term in query.excluded:
            combined = combined & ~self._term(term)
        return combined

    def match(self, entries, query):
        if query.is_empty:
            return entries.none()
        return entries.filter(vector=self.tsquery(query))

    def rank(self, query):
        from django.contrib.postgres.search import SearchRank

        return SearchRank(F("vector"), self.tsquery(query))

    def candidates(self, entries, query, sort, limit, *, with_rank=False):
        """As Engine's, except that a word in a large part of the index is ranked among its RANK_WINDOW newest
        matches only: ts_rank reads each match's whole vector, and ranking every one of 200,000 took about
        160 ms of SQL on three processes (most of a common word's search), where the newest 20,000 are found
        walking the date index and ranked in about 30 ms. A search with fewer matches is ranked exactly as
        before."""
        if sort == "date":
            return super().candidates(entries, query, sort, limit, with_rank=with_rank)
        window = (
            self.match(entries, query)
            .annotate(rank=self.rank(query))
            .order_by(F("date").desc(nulls_last=True))
            .values_list(*CANDIDATE_COLUMNS, "date", "rank")[:RANK_WINDOW]
        )
        sql, params = window.query.sql_with_params()
        read = (*CANDIDATE_COLUMNS, "rank") if with_rank else CANDIDATE_COLUMNS
        columns = ", ".join(connection.ops.quote_name(c) for c in read)
        ranked = (
            f"SELECT {columns} FROM ({sql}) AS newest "
            'ORDER BY "rank" DESC, "date" DESC NULLS LAST, "kind" ASC, "object_id" DESC LIMIT %s'
        )
        return ranked, (*params, limit)

    # ts_headline's options: up to two fragments of up to 20 words (about SNIPPET_CHARS between them),
    # no word too short to start or end one (a fragment of a short text would lose its "Mr" or "out").
    HEADLINE = (
        f"StartSel={snippets_.START}, StopSel={snippets_.STOP}, FragmentDelimiter={snippets_.BETWEEN}, "
        "MaxFragments=2, MaxWords=20, MinWords=10, ShortWord=0"
    )

    def _positive_tsquery(self, query):
        """The query's terms to find, as SQL: what the snippet marks. Not the excluded words (ts_headline
        would mark every word of the tsquery, a word after ! too)."""
        clauses, params = [], []
        for clause in query.clauses:
            clauses.append("(" + " || ".join(["websearch_to_tsquery(%s::regconfig, %s)"] * len(clause)) + ")")
            for term in clause:
                params += [self.config, f'"{term}"' if " " in term else term]
        return " && ".join(clauses), params

    def snippets(self, query, texts):
        """ts_headline of each record's text (its fields as one line), all in one query. ts_headline marks
        every word of a phrase wherever it is; the query also gives each marked word's lexemes and each
        term's, so a word only of phrases stays marked only within the whole phrase (``_phrase_marks``)."""
        lines = [snippets_.plain(fields) for fields in texts]
        given = [snippets_.for_headline(line) for line in lines if line]
        if not given or query.is_empty:
            return ["" for _ in lines]
        tsquery, tsquery_params = self._positive_tsquery(query)
        # A text's lexemes in order, each with its position ("risk:1 assess:2"): a word's, or a term's.
        lexemes = (
            "coalesce((SELECT string_agg(v.lexeme || ':' || p, ' ' ORDER BY p)"
            " FROM unnest(to_tsvector(%s::regconfig, {})) AS v, unnest(v.positions) AS p), '')"
        )
        sql = (
            f"SELECT h.headline, ARRAY(SELECT {lexemes.format('m.word[1]')}"
            " FROM regexp_matches(h.headline, %s, 'g') WITH ORDINALITY AS m(word, i) ORDER BY m.i),"
            f" ARRAY(SELECT {lexemes.format('s.term')} FROM unnest(%s::text[]) WITH ORDINALITY AS s(term, i)"
            " ORDER BY s.i)"
            f" FROM (SELECT {tsquery} AS query) AS q"
            " CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS t(text, n)"
            " CROSS JOIN LATERAL (SELECT ts_headline(%s::regconfig, t.text, q.query, %s) AS headline) AS h"
            " ORDER BY t.n"
        )
        params = [
            self.config,
            snippets_.MARKED.pattern,
            self.config,
            list(query.terms),
            *tsquery_params,
            given,
            self.config,
            self.HEADLINE,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = iter(cursor.fetchall())
        found = []
        for line in lines:
            if not line:
                found.append("")
                continue
            headline, marked, terms = next(rows)
            words = [" ".join(_lexemes(word)) for word in marked]
            keep = _phrase_marks(headline, words, [_lexemes(term, positions=True) for term in terms if term])
            found.append(snippets_.from_headline(headline, line, keep))
        return found


def _lexemes(text, positions=False):
    """The lexemes "risk-assess:1 risk:2 assess:3" (a word's or a term's, from the query) as [lexeme] or, with
    ``positions``, [(lexeme, position)], less a hyphenated word's whole ("risk-assess"): ts_headline marks
    its parts."""
    pairs = [item.rpartition(":") for item in text.split()]
    found = [(lexeme, int(position)) for lexeme, _, position in pairs]
    parts = [(lexeme, position) for lexeme, position in found if "-" not in lexeme] or found
    return parts if positions else [lexeme for lexeme, _ in parts]


def _phrase_marks(headline, marked, terms):
    """Which of ``headline``'s marked words to keep, given each one's lexeme (``marked``) and each term's
    lexemes with their positions (``terms``): a word that is a term of its own, or one of a run of marked
    words that spells a phrase term (as many words between them as the phrase has: its stop words), or one
    no phrase explains (kept as ts_headline marked it). None: keep them all."""
    marks = list(snippets_.MARKED.finditer(headline))
    if len(marks) != len(marked):
        return None
    singles = {term[0][0] for term in terms if len(term) == 1}
    phrases = [term for term in terms if len(term) > 1]
    in_phrases = {lexeme for term in phrases for lexeme, _ in term}
    keep = [lexeme in singles or lexeme not in in_phrases for lexeme in marked]

    def between(left, right):
        """The number of words between two marks; None across fragments."""
        gap = headline[marks[left].end() : marks[right].start()]
        return None if snippets_.BETWEEN in gap else len(_WORD.findall(gap))

    for phrase in phrases:
        lexemes = tuple(lexeme for lexeme, _ in phrase)
        gaps = [phrase[k + 1][1] - phrase[k][1] - 1 for k in range(len(phrase) - 1)]
        n = len(phrase)
        for i in range(len(marked) - n + 1):
            if tuple(marked[i : i + n]) == lexemes and all(
                between(i + k, i + k + 1) == gap for k, gap in enumerate(gaps)
            ):
                keep[i : i + n] = [True] * n
    return keep


def engine():
    """The engine for the database in use."""
    return PostgresEngine() if connection.vendor == "postgresql" else Fts5Engine()
