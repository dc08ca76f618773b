"""The search engines: one interface, two implementations, chosen by the database in use.

``parse_query`` reads a query as people type it: several words (all must match), "a quoted
phrase", ``-word`` (or ``-"a phrase"``) to exclude, and ``or`` between two terms (either may
match). Each engine narrows a queryset to the rows whose given fields match, and annotates
each with ``search_rank`` (higher is more relevant):

* ``PostgresEngine``: PostgreSQL full-text search with the English configuration, so
  "assessment" finds "assessments" and the other way round; ranked by ``ts_rank``. The parsed
  query becomes a tsquery (``plainto_tsquery`` per word, ``phraseto_tsquery`` per phrase,
  combined with &, | and !), so both engines group "or" alike. The vector is
  computed as the query runs; a stored, weighted ``tsvector`` with a GIN index is a later step.
* ``SubstringEngine``: the embedded SQLite default. Each term matches, case-insensitively,
  anywhere in any of the fields (``icontains``): no stemming beyond what a substring gives
  ("assessment" finds "assessments", not the other way round), and every row ranks the same.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import FloatField, Q, Value

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
    """Narrow ``queryset`` to the rows whose ``fields`` (names, related lookups allowed) match ``query``."""

    name = ""
    stems = False

    def search(self, queryset, fields, query):
        raise NotImplementedError


class SubstringEngine(Engine):
    name = "substring"

    @staticmethod
    def _any_field(fields, term):
        return reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields))

    def search(self, queryset, fields, query):
        for clause in query.clauses:
            queryset = queryset.filter(reduce(or_, (self._any_field(fields, term) for term in clause)))
        for term in query.excluded:
            queryset = queryset.exclude(self._any_field(fields, term))
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


class PostgresEngine(Engine):
    name = "postgresql"
    stems = True
    config = "english"

    def search(self, queryset, fields, query):
        from django.contrib.postgres.search import SearchRank, SearchVector

        vector = SearchVector(*fields, config=self.config)
        tsquery = self.tsquery(query)
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=tsquery)
            .annotate(search_rank=SearchRank(vector, tsquery))
        )

    def _term(self, term):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(term, search_type="phrase" if " " in term else "plain", config=self.config)

    def tsquery(self, query):
        """The parsed query as a tsquery: the same grouping as SubstringEngine ("a b or c" is a & (b | c)),
        where websearch_to_tsquery would read (a & b) | c."""
        combined = None
        for clause in query.clauses:
            alternatives = reduce(or_, (self._term(term) for term in clause))
            combined = alternatives if combined is None else combined & alternatives
        for term in query.excluded:
            combined = combined & ~self._term(term)
        return combined


def engine():
    """The engine for the database in use."""
    return PostgresEngine() if connection.vendor == "postgresql" else SubstringEngine()
