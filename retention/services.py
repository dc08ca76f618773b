"""Applying the retention schedule (retention.schedule): find what is past its date and, unless this is a
dry run, delete it.

Each kind goes in a transaction of its own, so a kind that fails leaves the others done. With a record
go the rows that cascade from it (a paper's versions, a return's steps and comments), every
django-simple-history version of each of them (simple-history keeps a record's versions after the
record is deleted, and adds one saying it was: both go), and a paper version's file on storage once the
transaction has committed (papers.models.remove_file_of_deleted_version). A record another one still
refers to through a PROTECT or RESTRICT foreign key cannot go: it is kept, and the outcome says how many
and why, rather than the run failing. A registered hold (retention.holds) keeps what it names.

Audit log lines: the audit log refuses every delete from the application (audit.models), and on
PostgreSQL a trigger refuses DELETE on its table too. Retention is the one caller of the one way out,
``AuditEvent.objects.forget_before(moment)``: in its own transaction it sets ``mappa.audit_retention``,
the one setting the trigger lets a DELETE through with, and then only of lines more than a year old
(RETENTION_AUDIT_YEARS is at least 1).

A real run ends by writing one line to the audit log with the counts (kind "retention").
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from audit.models import AuditEvent
from audit.services import record
from retention import holds, schedule

logger = logging.getLogger(__name__)

# Primary keys per DELETE statement.
BATCH = 500


@dataclass
class Outcome:
    """What the schedule did (or, on a dry run, would do) to one kind of record."""

    kind: schedule.Kind
    cutoff: date | datetime  # a record dated on or before it goes (a time stamp: before it)
    due: int = 0  # past their date
    held: int = 0  # of those, kept by a hold
    deleted: int = 0  # of the kind's own rows (0 on a dry run)
    removed: Counter = field(default_factory=Counter)  # every row deleted, by model label, history included
    kept: Counter = field(default_factory=Counter)  # rows past their date that could not go: reason -> count

    @property
    def going(self):
        """Past their date and not held: what a real run deletes (unless something still refers to it)."""
        return self.due - self.held


@dataclass
class Result:
    today: date
    dry_run: bool
    outcomes: list = field(default_factory=list)

    def counts(self):
        """{kind key: rows deleted}, or on a dry run the rows that would be."""
        return {o.kind.key: o.going if self.dry_run else o.deleted for o in self.outcomes}


def apply_retention(*, today=None, dry_run):
    """Apply the schedule as on ``today`` (default: today, now); returns a Result. A dry run changes nothing."""
    now = timezone.now()
    if today is not None:
        now = timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
    today = timezone.localdate(now)
    result = Result(today=today, dry_run=dry_run)
    going = {}
    for kind in schedule.kinds():
        outcome = Outcome(kind=kind, cutoff=kind.cutoff(now))
        due = kind.due(now, going)
        rows = holds.without_held(kind.key, due)
        going[kind.key] = rows
        outcome.due = due.count()
        outcome.held = outcome.due - rows.count()
        if not dry_run and outcome.going:
            if kind.key == "audit":
                _forget_audit_lines(kind, rows, outcome)
            else:
                _delete(kind, rows, outcome)
            logger.info("Retention: %s deleted %s, kept %s", kind.key, outcome.deleted, sum(outcome.kept.values()))
        result.outcomes.append(outcome)
    if not dry_run:
        _record(result)
    return result


def _delete(kind, rows, outcome):
    """Delete ``rows`` in one transaction; if something refers to some of them, each row on its own."""
    model = kind.model_class
    pks = list(rows.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            removed = Counter()
            for start in range(0, len(pks), BATCH):
                removed += _delete_rows(model, pks[start : start + BATCH])
    except (ProtectedError, RestrictedError):
        removed = Counter()
        with transaction.atomic():
            for pk in pks:
                try:
                    with transaction.atomic():
                        removed += _delete_rows(model, [pk])
                except (ProtectedError, RestrictedError) as error:
                    outcome.kept[_why_kept(error)] += 1
    outcome.removed = removed
    outcome.deleted = removed[model._meta.label]


def _delete_rows(model, pks):
    """Delete the rows ``pks`` of ``model``, what cascades from them and all their history; the counts."""
    using = router.db_for_write(model)
    collector = Collector(using=using)
    collector.collect(model._base_manager.using(using).filter(pk__in=pks))
    # Models with history have signal receivers, so the collector holds their instances (not a fast delete).
    ids = {related: [obj.pk for obj in objects] for related, objects in collector.data.items()}
    _, counts = collector.delete()
    removed = Counter(counts)
    for related, related_ids in ids.items():
        try:
            history = get_history_model_for_model(related)
        except NotHistoricalModelError:
            continue
        deleted, _ = history.objects.filter(**{f"{related._meta.pk.attname}__in": related_ids}).delete()
        removed[history._meta.label] += deleted
    return removed


def _forget_audit_lines(kind, rows, outcome):
    """Delete the audit log's old lines, the one way the log allows (see the module docstring).

    The log forgets by date only, so with lines held it forgets only those older than the oldest held
    one; the rest wait for a later run.
    """
    model = kind.model_class
    before = outcome.cutoff
    if outcome.held:
        oldest_held = kind.rows(outcome.cutoff, {}).exclude(pk__in=rows.values("pk")).order_by("at").first()
        before = min(before, oldest_held.at)
    deleted = model.objects.forget_before(before)
    outcome.deleted = deleted
    outcome.removed = Counter({model._meta.label: deleted})


def _why_kept(error):
    """ "still referred to by a meeting's agenda item" from a ProtectedError or RestrictedError."""
    objects = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    names = sorted({str(obj._meta.verbose_name) for obj in objects})
    return "still referred to by: " + ", ".join(names)


def _record(result):
    """One line in the audit log with the counts (kind "retention")."""
    details = {
        "on": result.today.isoformat(),
        "deleted": result.counts(),
        "cutoffs": {o.kind.key: o.cutoff.isoformat() for o in result.outcomes if o.kind.years},
    }
    held = {o.kind.key: o.held for o in result.outcomes if o.held}
    kept = {o.kind.key: dict(o.kept) for o in result.outcomes if o.kept}
    if held:
        details["held"] = held
    if kept:
        details["kept"] = kept
    record_in_audit_log(details)


def record_in_audit_log(details):
    """Write the run's line to the audit log (no request, no user: the job or the command)."""
    logger.info("Retention applied: %s", details)
    record(AuditEvent.Kind.RETENTION, label="Retention schedule applied", details=details)
