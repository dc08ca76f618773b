"""Read-only queries behind the reminder log page (/actions/reminders/): every chasing job's e-mails."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.utils import timezone

from reminders import registry
from reminders.models import Reminder

PAGE_SIZE = 25
# A digest still unsent this long after it was claimed is shown as late.
LATE_AFTER = timedelta(hours=1)


@dataclass
class DigestEntry:
    """One e-mail of the log: to whom, which lines, and what became of it."""

    digest_id: object
    kind: str
    kind_label: str
    recipient: object
    state: str
    state_label: str
    claimed_at: object
    sent_at: object
    last_attempt_at: object
    attempts: int
    error: str
    late: bool
    lines: list


def describe(row):
    """Set ``subject_label`` and ``subject_url`` on a log row: what it chases, as its kind's app describes it."""
    kind = registry.kinds().get(row.kind)
    if kind is None:  # a kind no installed app registers any more
        row.subject_label, row.subject_url = row.subject_key, ""
    else:
        row.subject_label, row.subject_url = kind.describe(row)
    return row


def _entry(rows, now):
    first = rows[0]
    states = {row.state for row in rows}
    order = (Reminder.State.FAILED, Reminder.State.CLAIMED, Reminder.State.SENT, Reminder.State.SUPERSEDED)
    state = next(s for s in order if s in states)
    return DigestEntry(
        digest_id=first.digest_id,
        kind=first.kind,
        kind_label=first.get_kind_display(),
        recipient=first.recipient,
        state=state,
        state_label=Reminder.State(state).label,
        claimed_at=min(row.claimed_at for row in rows),
        sent_at=max((row.sent_at for row in rows if row.sent_at), default=None),
        last_attempt_at=max((row.last_attempt_at for row in rows if row.last_attempt_at), default=None),
        attempts=max(row.attempts for row in rows),
        error=next((row.error for row in rows if row.state == Reminder.State.FAILED and row.error), ""),
        late=state in Reminder.UNSENT and first.claimed_at < now - LATE_AFTER,
        lines=rows,
    )


def reminder_log(filterset, page_number=None):
    """The reminder e-mails of ``filterset`` (reminders.filters.ReminderFilter), newest first, a page at a time,
    with counts by state of all of them.

    Four queries whatever the size of the log: the page count, the page's digest
    ids, their lines, and the counts.
    """
    digests = (
        filterset.qs.order_by().values("digest_id").annotate(latest=Max("claimed_at")).order_by("-latest", "digest_id")
    )
    page = Paginator(digests, PAGE_SIZE).get_page(page_number)
    ids = [d["digest_id"] for d in page.object_list]
    by_digest = {digest_id: [] for digest_id in ids}
    for row in (
        Reminder.objects.filter(digest_id__in=ids)
        .select_related("recipient__organisation", "action__meeting", "recommendation", "area", "reporting_period")
        .order_by("pk")
    ):
        by_digest[row.digest_id].append(describe(row))
    now = timezone.now()
    entries = [_entry(lines, now) for lines in by_digest.values() if lines]
    counts = dict.fromkeys(Reminder.State.values, 0)
    counts.update(Reminder.objects.order_by().values_list("state").annotate(n=Count("digest_id", distinct=True)))
    return {"entries": entries, "page": page, "counts": counts}
