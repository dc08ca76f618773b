"""Claiming and sending reminder digests, for any chasing job (see reminders.models for the design).

A chasing job (actions.chasing.chase_overdue_actions,
recommendations.services.review_dates.remind_review_dates, reviews.chasing.chase_late_returns)
works out who should be told what, as ``Line`` objects, and hands them to
``claim``. ``send_digest`` then sends one claimed digest, written as the app that
registered its kind says (reminders.registry): this module imports no domain app.
Everything here takes and returns primary keys and plain values, so Celery
tasks can call it with nothing but ids.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from mappa.emails import RETRY_FAILED_AFTER, SWEEP_BATCH, SWEEP_GRACE, SWEEP_MAX_ATTEMPTS, templated_email
from mappa.models import Person
from reminders import registry
from reminders.models import Reminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Line:
    """One thing to chase, for one person: a line of their digest."""

    recipient_id: int
    subject_key: str
    action_id: int | None = None
    via: str = ""
    recommendation_id: int | None = None
    area_id: int | None = None  # with reporting_period_id: a return
    reporting_period_id: int | None = None


@dataclass
class Digest:
    """The lines one person gets in one e-mail of one kind."""

    kind: str
    recipient_id: int
    lines: list = field(default_factory=list)
    digest_id: uuid.UUID | None = None  # set once claimed


def interval_days():
    return settings.ACTION_REMINDER_INTERVAL_DAYS


def recently_reminded(kinds, today, interval):
    """(kind, recipient id, subject key) of every line claimed within ``interval`` days of ``today``.

    Whatever its state: a claimed or failed line is still on its way (its digest is
    retried), so chasing it again would send it twice. One query.
    """
    rows = (
        Reminder.objects.filter(
            kind__in=kinds,
            period__gt=today - timedelta(days=interval),
            period__lt=today + timedelta(days=interval),
        )
        .order_by()
        .values_list("kind", "recipient_id", "subject_key")
    )
    return set(rows)


def drop_recent(digests, already):
    """The digests with every line in ``already`` removed, and empty digests dropped."""
    kept = []
    for digest in digests:
        lines = [line for line in digest.lines if (digest.kind, digest.recipient_id, line.subject_key) not in already]
        if lines:
            kept.append(Digest(digest.kind, digest.recipient_id, lines))
    return kept


def ever_reminded(digests):
    """(kind, recipient id, subject key) of the digests' lines of "once" kinds already claimed, at any date.

    One query, for just the subject keys in hand (none when no digest is of such a kind).
    """
    once = {d.kind for d in digests if registry.kind(d.kind).once}
    keys = {line.subject_key for d in digests if d.kind in once for line in d.lines}
    if not keys:
        return set()
    return set(
        Reminder.objects.filter(kind__in=once, subject_key__in=keys)
        .order_by()
        .values_list("kind", "recipient_id", "subject_key")
    )


def week_of(day):
    """(Monday, Sunday) of the ISO week of ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def reminded_this_week(digests, today):
    """(kind, recipient id) of the digests of "weekly" kinds whose recipient already had one this ISO week."""
    weekly = {d.kind for d in digests if registry.kind(d.kind).weekly}
    if not weekly:
        return set()
    return set(
        Reminder.objects.filter(
            kind__in=weekly, period__range=week_of(today), recipient_id__in={d.recipient_id for d in digests}
        )
        .order_by()
        .values_list("kind", "recipient_id")
        .distinct()
    )


def unclaimed(digests, today, *, interval=None):
    """The digests without any line the rules forbid sending now; what a dry run shows, and what a claim keeps.

    Left out: a line claimed for the same person within the interval; for a "once"
    kind, a line claimed for the same person at any date; for a "weekly" kind, the
    whole digest when its person already had one this ISO week.
    """
    if not digests:
        return []
    interval = interval or interval_days()
    digests = drop_recent(digests, recently_reminded({d.kind for d in digests}, today, interval))
    digests = drop_recent(digests, ever_reminded(digests))
    this_week = reminded_this_week(digests, today)
    return [d for d in digests if (d.kind, d.recipient_id) not in this_week]


def _lock_recipients(recipient_ids):
    """Lock the recipients' Person rows, in primary-key order, until the transaction ends.

    Two claims that overlap in time queue here, so the second sees what the first
    claimed. On SQLite (no row locks) the database's single writer does the same job.
    """
    if recipient_ids and connection.features.has_select_for_update:
        list(Person.objects.select_for_update().filter(pk__in=sorted(recipient_ids)).order_by("pk").values_list("pk"))


def claim(digests, today, *, interval=None):
    """Record the digests' lines as claimed for the run of ``today``; return the digests actually claimed.

    In one transaction: lock the recipients, drop lines claimed within the interval
    (by this run or any other), or ever for a "once" kind, and digests of a "weekly"
    kind its person already had this week (``unclaimed``), insert the rest. A line someone else inserted in the
    meantime is skipped by the unique constraint (ignore_conflicts), and what this
    run inserted is read back, so the result is exactly what this run owns.
    """
    if not digests:
        return []
    interval = interval or interval_days()
    kinds = {d.kind for d in digests}
    with transaction.atomic():
        _lock_recipients({d.recipient_id for d in digests})
        digests = unclaimed(digests, today, interval=interval)
        now = timezone.now()
        rows = []
        for digest in digests:
            digest.digest_id = uuid.uuid4()
            rows += [
                Reminder(
                    kind=digest.kind,
                    recipient_id=digest.recipient_id,
                    subject_key=line.subject_key,
                    action_id=line.action_id,
                    recommendation_id=line.recommendation_id,
                    area_id=line.area_id,
                    reporting_period_id=line.reporting_period_id,
                    via=line.via[:300],
                    period=today,
                    digest_id=digest.digest_id,
                    state=Reminder.State.CLAIMED,
                    claimed_at=now,
                )
                for line in digest.lines
            ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        mine = defaultdict(set)
        for digest_id, subject_key in (
            Reminder.objects.filter(kind__in=kinds, period=today, digest_id__in=[d.digest_id for d in digests])
            .order_by()
            .values_list("digest_id", "subject_key")
        ):
            mine[digest_id].add(subject_key)
    claimed = []
    for digest in digests:
        lines = [line for line in digest.lines if line.subject_key in mine[digest.digest_id]]
        if lines:
            claimed.append(Digest(digest.kind, digest.recipient_id, lines, digest.digest_id))
    return claimed


def unsent_digests(kinds, today, *, interval=None):
    """Digest ids of the last ``interval`` days with lines still unsent (claimed or failed), oldest first.

    Each daily run sends these again, so a digest whose send was lost (a worker
    died before the send task was queued, or every retry failed) goes out the
    next day instead of never.
    """
    interval = interval or interval_days()
    rows = (
        Reminder.objects.filter(
            kind__in=kinds, state__in=Reminder.UNSENT, period__gt=today - timedelta(days=interval), period__lte=today
        )
        .values_list("digest_id", "period")
        .distinct()
        .order_by("period", "digest_id")
    )
    return list(dict.fromkeys(digest_id for digest_id, _ in rows))


def due_for_sweep(now=None):
    """Digest ids the sweep should send now: lines waiting past the grace period, or failed a while ago.

    Only lines of the last interval: an older one is chased afresh by the next daily
    run (and superseded). Oldest first.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Q(state=Reminder.State.CLAIMED, claimed_at__lt=now - SWEEP_GRACE) | Q(
        state=Reminder.State.FAILED, attempts__lt=SWEEP_MAX_ATTEMPTS, last_attempt_at__lt=now - RETRY_FAILED_AFTER
    )
    rows = (
        Reminder.objects.filter(due, period__gt=today - timedelta(days=interval_days()), period__lte=today)
        .values_list("digest_id", "claimed_at")
        .order_by("claimed_at", "digest_id")
    )
    return list(dict.fromkeys(digest_id for digest_id, _ in rows[: SWEEP_BATCH * 10]))[:SWEEP_BATCH]


def message_id(digest_id):
    """The same Message-ID for every attempt at one digest, so mail systems can spot a copy."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder-{digest_id}@{domain}>"


def build_message(reminders):
    """The e-mail (plain text and HTML) for the rows of one digest."""
    first = reminders[0]
    spec = registry.kind(first.kind)
    recipient = first.recipient
    context = {"recipient": recipient, "period": first.period, **spec.context(recipient, reminders)}
    return templated_email(
        spec.templates, context, to=[recipient.email], headers={"Message-ID": message_id(first.digest_id)}
    )


def deliver(message):
    """Hand one message to the configured e-mail backend (tests replace this to fail on purpose)."""
    message.send()


def send_digest(digest_id):
    """Send the digest's unsent lines as one e-mail and mark them sent; return how many lines went.

    Idempotent, and safe to run twice at once: the transaction starts by updating
    the digest's unsent rows (the attempt count), which takes their row locks on
    PostgreSQL (the write lock on SQLite) until it commits. A second attempt at the
    same digest waits there, then finds the rows sent and sends nothing. If the
    process dies before the commit, the rows stay unsent and the redelivered task
    sends them. The one gap no database can close: the mail server accepts the
    message and the process dies before the commit; the retry then sends it again,
    with the same Message-ID, so mail systems that deduplicate can drop it.

    On an error the rows are marked failed with it, and the error is raised again
    for the task to retry (SMTP errors) or to fail.
    """
    digest_id = uuid.UUID(str(digest_id))
    try:
        with transaction.atomic():
            unsent = Reminder.objects.filter(digest_id=digest_id, state__in=Reminder.UNSENT)
            if not unsent.update(last_attempt_at=timezone.now(), attempts=F("attempts") + 1):
                return 0  # sent already (or never claimed): nothing to do
            rows = _drop_superseded(list(unsent.select_related("recipient").order_by("pk")))
            if not rows:
                return 0
            deliver(build_message(rows))
            unsent.update(state=Reminder.State.SENT, sent_at=timezone.now())
    except Exception as exc:
        record_failure(digest_id, exc)
        raise
    logger.info("Reminder digest %s sent to %s (%d lines)", digest_id, rows[0].recipient.email, len(rows))
    return len(rows)


def _drop_superseded(rows):
    """The rows no later run has claimed again; those it has are marked superseded and left out.

    A digest still unsent when its lines come round again (every retry failed, and
    the interval passed) must not go out beside the newer one: that would chase the
    same line twice in a few days.
    """
    first = rows[0]
    again = set(
        Reminder.objects.filter(
            kind=first.kind,
            recipient_id=first.recipient_id,
            period__gt=first.period,
            subject_key__in=[row.subject_key for row in rows],
        ).values_list("subject_key", flat=True)
    )
    if again:
        stale = [row.pk for row in rows if row.subject_key in again]
        Reminder.objects.filter(pk__in=stale).update(state=Reminder.State.SUPERSEDED)
        logger.warning("Reminder digest %s: %d lines superseded by a later run", first.digest_id, len(stale))
    return [row for row in rows if row.subject_key not in again]


def record_failure(digest_id, exc):
    """Mark the digest's unsent rows failed with the error (outside the rolled-back send)."""
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    Reminder.objects.filter(digest_id=digest_id, state__in=Reminder.UNSENT).update(
        state=Reminder.State.FAILED, error=error, last_attempt_at=timezone.now(), attempts=F("attempts") + 1
    )
    logger.warning("Reminder digest %s failed: %s", digest_id, error)


# ----------------------------------------------------------------------------------------------
# What every chasing job shares: its result, the secretariat as recipients, claim or preview.
# ----------------------------------------------------------------------------------------------


@dataclass
class Chase:
    """What a chase claimed (or, on a dry run, would claim), with names to print it by.

    ``digests``: Digest, one per person and kind; ``people``: person id → (name,
    e-mail); ``to_send``: digest ids to send now (this run's and any earlier unsent
    one of the interval; empty on a dry run). Jobs add what their lines name.
    """

    today: object
    dry_run: bool
    digests: list
    people: dict
    to_send: list

    def lines(self, kind=None):
        return sum(len(d.lines) for d in self.digests if kind is None or d.kind == kind)


def secretariat():
    """The members of the secretariat who can sign in, as (person id, name, e-mail), by name."""
    return list(
        Person.objects.filter(access_role=Person.AccessRole.SECRETARIAT, user__is_active=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "email")
    )


def claim_or_preview(plan, today, kinds, *, dry_run):
    """(digests, digest ids to send) for a chase's ``plan``.

    A dry run claims nothing: it returns the lines the rules let through now
    (``unclaimed``) and nothing to send. Otherwise the lines are claimed and every
    unsent digest of these kinds within the interval is to be sent.
    """
    if dry_run:
        return unclaimed(plan, today), []
    claimed = claim(plan, today)
    return claimed, unsent_digests(kinds, today)
