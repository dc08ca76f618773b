"""Changes to meetings: planning one from its group's standing agenda, and moving it through its lifecycle."""

from django.db import transaction
from django.utils import timezone

from mappa.models import Body
from mappa.refusals import Refused, require_secretariat
from meetings import emails
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingTransition,
    MinutesSnapshot,
    StandingAgendaItem,
    StoredDocument,
)
from meetings.selectors.circulation import undecided_comments
from meetings.services.documents import forget_documents, keep_agreed_minutes
from meetings.services.snapshots import take_snapshot

Kind = AgendaItem.Kind

# What a new meeting starts with when its body has no standing agenda of its own,
# in the shape of the NSG's agendas of 2017.
DEFAULT_STANDING_AGENDA = {
    Body.Kind.NATIONAL_STRATEGIC_GROUP: [
        (Kind.WELCOME, "Welcome, introductions and apologies"),
        (Kind.PREVIOUS_MINUTES, "Minutes of the previous meeting and matters arising"),
        (Kind.TOPIC, "MAPPA: Thematic Inspection Action Plan"),
        (Kind.TOPIC, "Update from the MAPPA Development Group"),
        (Kind.TOPIC, "Update from the Scottish Prison Service"),
        (Kind.TOPIC, "Update from Police Scotland"),
        (Kind.SOG_UPDATES, "Update from Strategic Oversight Group Chairs, including SCRs/ICRs"),
        (Kind.AOB, "AOCB"),
        (Kind.NEXT_MEETING, "Date of next meeting"),
    ],
}
FALLBACK_STANDING_AGENDA = [
    (Kind.WELCOME, "Welcome, introductions and apologies"),
    (Kind.PREVIOUS_MINUTES, "Minutes of the previous meeting and matters arising"),
    (Kind.AOB, "Any other business"),
    (Kind.NEXT_MEETING, "Date of next meeting"),
]
_KIND_BY_TITLE_START = {
    "welcome": Kind.WELCOME,
    "minutes": Kind.PREVIOUS_MINUTES,
    "previous minutes": Kind.PREVIOUS_MINUTES,
    "aob": Kind.AOB,
    "aocb": Kind.AOB,
    "any other": Kind.AOB,
    "date of next": Kind.NEXT_MEETING,
    "update from strategic oversight": Kind.SOG_UPDATES,
}


class MeetingStepRefused(Refused):
    """A lifecycle step that is out of order or whose conditions are not met."""


def standing_agenda_for(body):
    """The (kind, title) pairs a new meeting of this body starts with."""
    own = list(StandingAgendaItem.objects.filter(body=body).order_by("position").values_list("title", flat=True))
    if own:
        return [(_kind_of(title), title) for title in own]
    return DEFAULT_STANDING_AGENDA.get(body.kind, FALLBACK_STANDING_AGENDA)


def _kind_of(title):
    lowered = title.lower()
    for start, kind in _KIND_BY_TITLE_START.items():
        if lowered.startswith(start):
            return kind
    return Kind.TOPIC


@transaction.atomic
def create_meeting(*, by, body, date, start_time, end_time, venue, chair=None, agenda_items_deadline=None):
    """Plan a meeting of a body; its agenda starts as a copy of the body's standing agenda."""
    require_secretariat(by)
    meeting = Meeting.objects.create(
        body=body,
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        chair=chair,
        agenda_items_deadline=agenda_items_deadline,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=position, kind=kind, title=title)
        for position, (kind, title) in enumerate(standing_agenda_for(body), start=1)
    )
    return meeting


def _check_step(meeting, to_status, *, comment_deadline, agreed_at, confirm_undecided, today):
    S = Meeting.Status
    if to_status not in S.values:
        raise MeetingStepRefused("Choose the meeting's next step.")
    if to_status != meeting.next_status:
        expected = meeting.get_status_display() if meeting.next_status is None else S(meeting.next_status).label
        raise MeetingStepRefused(
            f"This meeting is “{meeting.get_status_display()}”: its next step is “{expected}”, not “{S(to_status).label}”."
        )
    if to_status == S.HELD and meeting.date > today:
        raise MeetingStepRefused("A meeting cannot be marked as held before its date.")
    if to_status == S.DRAFT_CIRCULATED:
        if comment_deadline is None:
            raise MeetingStepRefused({"comment_deadline": "Enter the date by which members should comment"})
        if comment_deadline < today:
            raise MeetingStepRefused({"comment_deadline": "The comment deadline must be today or in the future"})
    if to_status == S.MINUTES_AGREED:
        if agreed_at is None:
            raise MeetingStepRefused({"agreed_at": "Select the meeting at which these minutes were agreed"})
        if agreed_at.body_id != meeting.body_id or agreed_at.date <= meeting.date:
            raise MeetingStepRefused({"agreed_at": "Minutes are agreed at a later meeting of the same group"})
        if Meeting.LIFECYCLE.index(agreed_at.status) < Meeting.LIFECYCLE.index(S.HELD):
            raise MeetingStepRefused({"agreed_at": "The meeting that agreed the minutes must have been held"})
        if not confirm_undecided:
            undecided = undecided_comments(meeting)
            if undecided:
                raise MeetingStepRefused({"confirm_undecided": undecided_comments_problem(undecided)})


def undecided_comments_problem(count):
    """Why the minutes are not agreed yet, while ``count`` comments on them are undecided."""
    comments = f"{count} comment{'s' if count != 1 else ''} on these draft minutes {'have' if count != 1 else 'has'}"
    return (
        f"{comments} not been decided: decide {'them' if count != 1 else 'it'} first, "
        "or confirm that the minutes are agreed without deciding them"
    )


@transaction.atomic
def advance_meeting(
    meeting,
    to_status,
    *,
    by,
    comment_deadline=None,
    agreed_at=None,
    subject_to="",
    confirm_undecided=False,
    note="",
):
    """Move a meeting to its next lifecycle status, checking order and conditions; records who and when.

    Minutes with members' comments still undecided are agreed only with ``confirm_undecided``
    (the secretariat said so); those comments can no longer be decided once the minute is frozen.
    """
    require_secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_step(
        meeting,
        to_status,
        comment_deadline=comment_deadline,
        agreed_at=agreed_at,
        confirm_undecided=confirm_undecided,
        today=timezone.localdate(),
    )
    from_status = meeting.status
    meeting.status = to_status
    fields = ["status"]
    if to_status == Meeting.Status.DRAFT_CIRCULATED:
        meeting.comment_deadline = comment_deadline
        fields.append("comment_deadline")
        note = note or f"Comments invited by {comment_deadline:%-d %B %Y}."
    if to_status == Meeting.Status.MINUTES_AGREED:
        meeting.agreed_at = agreed_at
        meeting.agreed_subject_to = subject_to.strip()
        fields += ["agreed_at", "agreed_subject_to"]
        note = note or f"Agreed as a true record at the meeting of {agreed_at.date:%-d %B %Y}{meeting.agreement_ending}"
    meeting.save(update_fields=fields)
    transition = MeetingTransition.objects.create(
        meeting=meeting, from_status=from_status, to_status=to_status, by=by, note=note
    )
    if to_status == Meeting.Status.DRAFT_CIRCULATED:
        take_snapshot(meeting, MinutesSnapshot.Kind.CIRCULATED, by=by)
        # Recorded in this transaction, sent once it commits (or by the outbox sweep): never lost.
        emails.queue_draft_minutes(meeting, transition)
    if to_status == Meeting.Status.MINUTES_AGREED:
        take_snapshot(meeting, MinutesSnapshot.Kind.AGREED, by=by)
        # The agreed minute can no longer change: rendered once, here, and served from storage.
        keep_agreed_minutes(meeting)
    return meeting


@transaction.atomic
def reopen_minutes(meeting, *, by, reason):
    """The secretariat reopens agreed minutes to correct them: back to "Draft minutes circulated", no longer
    agreed, the agreed snapshot and the stored PDF let go (both are made again when they are agreed again)."""
    require_secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes_are_agreed:
        raise MeetingStepRefused("Only agreed minutes can be reopened.")
    reason = reason.strip()
    if not reason:
        raise MeetingStepRefused({"reason": "Enter why the minutes are reopened"})
    from_status = meeting.status
    meeting.status = Meeting.Status.DRAFT_CIRCULATED
    meeting.agreed_at = None
    meeting.agreed_subject_to = ""
    meeting.save(update_fields=["status", "agreed_at", "agreed_subject_to"])
    MeetingTransition.objects.create(
        meeting=meeting, from_status=from_status, to_status=meeting.status, by=by, note=f"Reopened: {reason}"
    )
    MinutesSnapshot.objects.filter(meeting=meeting, kind=MinutesSnapshot.Kind.AGREED).delete()
    forget_documents(meeting, StoredDocument.Kind.MINUTES)
    return meeting
