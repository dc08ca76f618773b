"""The search engines: one query syntax, two implementations over the stored index (search.models.SearchEntry).

``parse_query`` reads a query as people type it: several words (all must match), "a quoted
phrase", ``-word`` (or ``-"a phrase"``) to exclude, and ``or`` between two terms (either may
match): "a b or c" is a and (b or c), on both engines. Each engine narrows a queryset of entries
to those that match (``match``) and gives their relevance (``rank``, higher is more relevant),
with words stemmed alike ("assessment" finds "assessments" and the other way round):

* ``PostgresEngine``: the stored, weighted tsvector (written by a trigger: search migration 0003) under
  its GIN index; the query becomes a
  tsquery (``websearch_to_tsquery`` per word or phrase, combined with &, | and !), ranked by ``ts_rank``
  (title A, decisions B, narrative C).
* ``Fts5Engine``: the embedded SQLite default; an FTS5 table with the Porter stemmer, the query in
  FTS5's own syntax (each term quoted, so no typed character is an operator), ranked by ``bm25``
  with the same column weights.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

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


class Engine:
    name = ""

    def match(self, entries, query):
        """The entries (a SearchEntry queryset) whose words match ``query``."""
        raise NotImplementedError

    def rank(self, query):
        """An expression for an entry's relevance to ``query`` (higher is better), for ``annotate``."""
        raise NotImplementedError


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


def engine():
    """The engine for the database in use."""
    return PostgresEngine() if connection.vendor == "postgresql" else Fts5Engine()
