"""Erasing a piece of typed text from every record and every version of it (issue 14).

The service must hold no offender or victim details, yet someone may type one in, and
django-simple-history keeps every version it was ever saved in. The secretariat erases such a
text here: every exact (case-sensitive) occurrence, in every table of ``erasure.locations.PLACES``,
becomes "[removed on 4 December 2026: personal data]" (today, in the UK long form).

Why a domain-level app of its own, and why this way:

* It reaches into meetings, actions, papers, reviews and recommendations, and none of them
  imports it: erasure is a rare, secretariat-only correction across the apps, not a part of any
  one of them, and the list of where text lives (erasure/locations.py) reads best in one place.
* Text fields are rewritten with ``QuerySet.update(field=Replace(...))``: one UPDATE in the
  database (the same SQL function on SQLite and PostgreSQL), so a minute saved by someone else at
  the same moment keeps its own changes, and no model ``save()`` runs, so neither
  django-simple-history's signals nor ``auto_now`` add a version (which would hold the text again or
  make the erasure look like an edit). Character fields with a length limit and JSON fields
  (the minute snapshots) are rewritten in Python on rows locked for update, also with ``update()``.
* One transaction: every table or none. Before it commits, the search runs again and must find
  nothing, or the whole erasure is undone.
* One audit line: who, the reason, the counts by kind of record; never the text (the audit
  log keeps everything for good, so it must not hold what was erased). A reason that contains
  the text is refused for the same reason.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone
from django.utils.dateformat import format as format_date

from audit.models import AuditEvent
from audit.services import record as audit_record
from erasure.locations import PLACES, PLACES_BY_KEY
from mappa import generation
from mappa.refusals import Refused, require_secretariat
from mappa.registry import forget_drawn_documents

logger = logging.getLogger(__name__)

MIN_LENGTH = 6
PREVIEW_LIMIT = 200


class ErasureRefused(Refused):
    """An erasure that cannot be done as asked (the text too short, the reason missing)."""


def replacement_for(day=None):
    """ "[removed on 4 December 2026: personal data]" """
    return f"[removed on {format_date(day or timezone.localdate(), 'j F Y')}: personal data]"


def check_text(text):
    if not text or len(text.strip()) < MIN_LENGTH:
        raise ErasureRefused(
            {"text": f"Enter at least {MIN_LENGTH} characters, so that common words are not erased everywhere"}
        )
    if text in replacement_for():
        raise ErasureRefused({"text": "Enter the personal data itself, not the words that replace it"})


@dataclass
class Occurrence:
    place: object
    pk: object
    count: int
    label: str = ""
    url: str = ""


@dataclass
class Findings:
    occurrences: list = field(default_factory=list)

    @property
    def counts(self):
        """{place key: occurrences}, in the list's order, for the places with any."""
        counts = Counter()
        for found in self.occurrences:
            counts[found.place.key] += found.count
        return {place.key: counts[place.key] for place in PLACES if counts[place.key]}

    @property
    def total(self):
        return sum(found.count for found in self.occurrences)

    @property
    def records(self):
        return len(self.occurrences)


# --- Finding -----------------------------------------------------------------------------------


def _json_needles(text):
    """How ``text`` may read inside JSON as stored: as is, escaped as Python writes it, as PostgreSQL does."""
    return {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}


def _count_in(value, text):
    """Occurrences of ``text`` in a field's value: a string, or any string inside JSON (keys too)."""
    if isinstance(value, str):
        return value.count(text)
    if isinstance(value, dict):
        return sum(_count_in(k, text) + _count_in(v, text) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(_count_in(v, text) for v in value)
    return 0


def _replace_in(value, text, replacement):
    if isinstance(value, str):
        return value.replace(text, replacement)
    if isinstance(value, dict):
        return {_replace_in(k, text, replacement): _replace_in(v, text, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_in(v, text, replacement) for v in value]
    return value


def _candidates(place, text):
    """The rows of ``place`` that may hold ``text`` (SQLite's LIKE ignores case: counted exactly after)."""
    condition = Q()
    for name in place.text_fields:
        condition |= Q(**{f"{name}__contains": text})
    annotations = {}
    for name in place.json_fields:
        alias = f"_erasure_{name}"
        annotations[alias] = Cast(name, TextField())
        for needle in _json_needles(text):
            condition |= Q(**{f"{alias}__contains": needle})
    return place.model._base_manager.annotate(**annotations).filter(condition).order_by("pk")


def _places(scope):
    if scope is None:
        return PLACES
    unknown = set(scope) - set(PLACES_BY_KEY)
    if unknown:
        raise ValueError(f"Unknown places: {sorted(unknown)}")
    return [place for place in PLACES if place.key in scope]


def _find(text, scope, *, describe):
    findings = Findings()
    for place in _places(scope):
        names = ["pk", *place.fields, *(f for f in place.link_fields if f not in place.fields)]
        for row in _candidates(place, text).values(*names):
            count = sum(_count_in(row[name], text) for name in place.fields)
            if not count:
                continue
            found = Occurrence(place=place, pk=row["pk"], count=count)
            if describe and len(findings.occurrences) < PREVIEW_LIMIT:
                found.label, found.url = place.describe(row)
            findings.occurrences.append(found)
    return findings


def find_text(*, text, by, scope=None):
    """Where ``text`` occurs (exactly, case-sensitive): each record with its kind, label, link and count.

    Changes nothing. ``scope``: the keys of the places to search (erasure.locations), all if None.
    """
    require_secretariat(by, "search for personal data to erase")
    check_text(text)
    return _find(text, scope, describe=True)


# --- Erasing -----------------------------------------------------------------------------------


def _is_limited_char(model, name):
    model_field = model._meta.get_field(name)
    return isinstance(model_field, models.CharField) and not isinstance(model_field, models.TextField)


def _fit(value, text, replacement, limit):
    """A CharField's value with the text replaced, kept within its length limit."""
    for words in (replacement, "[removed: personal data]", "[removed]"):
        new = value.replace(text, words)
        if len(new) <= limit:
            return new
    return value.replace(text, "")[:limit]


def _erase_in(place, pks, text, replacement):
    manager = place.model._base_manager
    in_sql = [name for name in place.text_fields if not _is_limited_char(place.model, name)]
    in_python = [name for name in place.text_fields if name not in in_sql] + list(place.json_fields)
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        if in_sql:
            manager.filter(pk__in=chunk).update(
                **{name: Replace(F(name), Value(text), Value(replacement)) for name in in_sql}
            )
        if in_python:
            for row in manager.filter(pk__in=chunk).select_for_update().values("pk", *in_python):
                changes = {}
                for name in in_python:
                    value = row[name]
                    if not _count_in(value, text):
                        continue
                    if name in place.json_fields:
                        changes[name] = _replace_in(value, text, replacement)
                    else:
                        limit = place.model._meta.get_field(name).max_length
                        changes[name] = _fit(value, text, replacement, limit)
                if changes:
                    manager.filter(pk=row["pk"]).update(**changes)


@transaction.atomic
def erase_text(*, text, reason, by, scope=None):
    """Replace every occurrence of ``text`` with "[removed on <today>: personal data]", everywhere.

    Returns the Findings erased (counts by place key). Records one audit line, without the text.
    """
    require_secretariat(by, "erase personal data")
    check_text(text)
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused({"reason": "Enter why this text is being erased"})
    if text in reason:
        raise ErasureRefused({"reason": "The reason must not contain the text being erased: it is kept for good"})
    replacement = replacement_for()
    findings = _find(text, scope, describe=False)
    if not findings.total:
        raise ErasureRefused({"text": "The text is in no record: there is nothing to erase"})
    by_place = {}
    for found in findings.occurrences:
        by_place.setdefault(found.place.key, []).append(found.pk)
    for key, pks in by_place.items():
        _erase_in(PLACES_BY_KEY[key], pks, text, replacement)
    left = _find(text, scope, describe=False)
    if left.total:
        raise RuntimeError(f"Erasure incomplete: {left.counts}; nothing was changed")
    # An agreed minute, agenda, pack or dashboard report kept as a file was drawn from the records before: it
    # goes, and is drawn again from the records as they now are when next asked for.
    forget_drawn_documents()
    # Whatever was counted or searched from the records and kept in the cache goes too: the rewrite sent no
    # signal (QuerySet.update), and a search kept from before would still find the erased words.
    generation.bump()
    transaction.on_commit(generation.bump)
    _record_erasure(by=by, reason=reason, findings=findings, scope=scope)
    return findings


def _record_erasure(*, by, reason, findings, scope):
    """The audit line: who, why, how many occurrences of which kind. Never the text itself."""
    details = {
        "reason": reason,
        "counts": {PLACES_BY_KEY[key].label: count for key, count in findings.counts.items()},
        "occurrences": findings.total,
        "records": findings.records,
    }
    if scope is not None:
        details["scope"] = sorted(scope)
    audit_record(AuditEvent.Kind.ERASURE, user=by, label="Personal data erased", details=details)
