"""Changes to meetings: creating one from the standing agenda and moving it through its lifecycle."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from actions.models import Action, ActionUpdate
from mappa import access
from mappa.models import Body, Membership, Person
from mappa.refusals import Refused, require_secretariat
from meetings import emails
from meetings.models import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    Meeting,
    MeetingTransition,
    MinuteComment,
    MinutesSnapshot,
    StandingAgendaItem,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    AGENDA_EDITABLE,
    ATTENDANCE_EDITABLE,
    COMMENTERS,
    DRAFTABLE,
    PROPOSERS,
    comments_open,
    proposals_closed_reason,
)
from meetings.selectors import removal_blockers

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


def _check_step(meeting, to_status, *, comment_deadline, agreed_at, today):
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


@transaction.atomic
def advance_meeting(meeting, to_status, *, by, comment_deadline=None, agreed_at=None, subject_to="", note=""):
    """Move a meeting to its next lifecycle status, checking order and conditions; records who and when."""
    require_secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_step(meeting, to_status, comment_deadline=comment_deadline, agreed_at=agreed_at, today=timezone.localdate())
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
        note = note or (
            f"Agreed as a true record at the meeting of {agreed_at.date:%-d %B %Y}"
            + (f", subject to: {meeting.agreed_subject_to}" if meeting.agreed_subject_to else ".")
        )
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
    return meeting


class EditConflict(Exception):
    """Someone else saved this item's minute since the editor was opened."""

    def __init__(self, current):
        super().__init__("This item was changed by someone else since you opened it.")
        self.current = current


@transaction.atomic
def save_minute(item, *, by, narrative, decisions, base_version):
    """Save an item's minute if nobody else has saved since ``base_version``; else raise EditConflict.

    Each save raises the version and is kept in the item's history with its author.
    """
    require_secretariat(by)
    current = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if current.meeting.status not in DRAFTABLE:
        raise MeetingStepRefused("Minutes can be drafted once the meeting is held, and until they are agreed.")
    if current.version != base_version:
        raise EditConflict(current)
    if current.narrative == narrative and current.decisions == decisions:
        return current
    current.narrative = narrative
    current.decisions = decisions
    current.version += 1
    current._history_user = by
    current.save(update_fields=["narrative", "decisions", "version"])
    return current


def minute_content(meeting):
    """The minute as data: every item in agenda order with its text and actions (for snapshots and diffs)."""
    actions = {}
    for action in (
        Action.objects.filter(meeting=meeting)
        .prefetch_related("owner_people", "owner_organisations__parent", "owner_bodies")
        .order_by("number")
    ):
        actions.setdefault(action.agenda_item_id, []).append(
            {
                "number": action.number,
                "text": action.text,
                "owner": action.owner_label,
                "due_date": action.due_date.isoformat(),
            }
        )
    return [
        {
            "number": entry.number,
            "title": entry.item.title,
            "narrative": entry.item.narrative,
            "decisions": entry.item.decisions,
            "actions": actions.get(entry.item.id, []),
        }
        for entry in numbered_agenda(list(meeting.agenda_items.all()))
    ]


def take_snapshot(meeting, kind, *, by):
    """Keep the minute as it stands now (as circulated, or as agreed); taken once per kind."""
    snapshot, _ = MinutesSnapshot.objects.get_or_create(
        meeting=meeting, kind=kind, defaults={"taken_by": by, "content": minute_content(meeting)}
    )
    return snapshot


@transaction.atomic
def add_comment(item, *, by, text):
    """A member comments on one item of the circulated draft, until the comment deadline."""
    if not access.has_role(by, *COMMENTERS):
        raise PermissionDenied("Only members of the group can comment on draft minutes.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if not comments_open(meeting):
        raise MeetingStepRefused(
            "Comments on this draft are closed: the comment deadline has passed or the draft is not out for comment."
        )
    text = text.strip()
    if not text:
        raise MeetingStepRefused({"text": "Enter your comment"})
    return MinuteComment.objects.create(meeting=meeting, agenda_item=item, author=by, text=text)


@transaction.atomic
def decide_comment(comment, *, by, accepted, change_made=""):
    """The secretariat accepts a comment (saying what changed) or does not (saying why)."""
    require_secretariat(by)
    comment = MinuteComment.objects.select_for_update().select_related("meeting").get(pk=comment.pk)
    if comment.meeting.minutes_are_agreed:
        raise MeetingStepRefused("These minutes are agreed: their comments can no longer be decided.")
    if not change_made.strip():
        raise MeetingStepRefused(
            {"change_made": "Say what was changed in the minute, or why the comment was not accepted"}
        )
    comment.decision = MinuteComment.Decision.ACCEPTED if accepted else MinuteComment.Decision.NOT_ACCEPTED
    comment.change_made = change_made.strip()
    comment.decided_by = by
    comment.decided_at = timezone.now()
    comment.save(update_fields=["decision", "change_made", "decided_by", "decided_at"])
    return comment


@transaction.atomic
def record_matter_arising(action, *, by, at_meeting, text, new_status=""):
    """At a later meeting's item 2, note an update on an earlier action, or close it.

    Closing (complete, or dropped/superseded) needs the text as its reason; the
    update records the meeting at which it was noted.
    """
    require_secretariat(by)
    action = Action.objects.select_for_update().get(pk=action.pk)
    text = text.strip()
    if not text:
        raise MeetingStepRefused({"text": "Enter the update, or the reason for closing the action"})
    if at_meeting.body_id != action.meeting.body_id or at_meeting.date <= action.meeting.date:
        raise MeetingStepRefused("Matters arising are noted at a later meeting of the same group.")
    update = ActionUpdate.objects.create(
        action=action,
        author=by,
        text=text,
        new_status=new_status,
        reason=text if new_status in (Action.Status.COMPLETE, Action.Status.DROPPED) else "",
        noted_at=at_meeting,
    )
    if new_status and new_status != action.status:
        action.status = new_status
        action.save(update_fields=["status"])
    return update


# ----------------------------------------------------------------------------------------------
# The agenda: the secretariat adds, edits, removes and reorders items while the meeting is
# planned or its agenda issued; members propose items until the deadline (call for items).
# ----------------------------------------------------------------------------------------------

# New top-level items go before these, so AOB and the date of the next meeting stay last.
CLOSING_KINDS = (Kind.AOB, Kind.NEXT_MEETING)


class AgendaChangeRefused(MeetingStepRefused):
    """An agenda change the meeting's status, or the item's minute, actions or papers, do not allow."""


def _agenda_meeting(meeting_id):
    """Lock the meeting (so agenda changes to it happen one at a time) and check its agenda may change."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.status not in AGENDA_EDITABLE:
        raise AgendaChangeRefused(
            f"The agenda can only be changed while the meeting is planned or its agenda issued; this meeting "
            f"is “{meeting.get_status_display()}”."
        )
    return meeting


def _check_item_details(title, lead_person, lead_organisation, minutes_allotted):
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the title of the item"
    if lead_person is not None and lead_organisation is not None:
        errors["lead_organisation"] = "Choose a lead person or a lead organisation, not both"
    if minutes_allotted is not None and minutes_allotted < 1:
        errors["minutes_allotted"] = "Minutes allotted must be 1 or more"
    if errors:
        raise AgendaChangeRefused(errors)


def _shift_later(items):
    """Move items one place later, the last first, so that no two siblings ever share a position."""
    for pk in items.order_by("-position").values_list("pk", flat=True):
        AgendaItem.objects.filter(pk=pk).update(position=F("position") + 1)


def _free_position(meeting, parent):
    """Where a new item goes: last among its siblings, but a top-level item goes before AOB and the next meeting."""
    siblings = AgendaItem.objects.filter(meeting=meeting, parent=parent)
    if parent is None:
        closing = siblings.filter(kind__in=CLOSING_KINDS).aggregate(first=Min("position"))["first"]
        if closing is not None:
            _shift_later(siblings.filter(position__gte=closing))
            return closing
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def _insert_item(
    meeting, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None, parent=None
):
    _check_item_details(title, lead_person, lead_organisation, minutes_allotted)
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id is not None):
        raise AgendaChangeRefused({"parent": "A sub-item goes under a numbered item of this meeting's agenda"})
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        position=_free_position(meeting, parent),
        kind=Kind.TOPIC,
        title=title.strip(),
        description=(description or "").strip(),
        lead_person=lead_person,
        lead_organisation=lead_organisation,
        minutes_allotted=minutes_allotted,
    )
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def add_agenda_item(
    meeting, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None, parent=None
):
    """Add an item to the agenda, or a sub-item under a top-level item (4.1 under 4).

    A new top-level item goes last, before "AOB" and "Date of next meeting" if the
    agenda has them; a sub-item goes last under its parent. The lead is a person or
    an organisation, not both.
    """
    require_secretariat(by)
    meeting = _agenda_meeting(meeting.pk)
    return _insert_item(
        meeting,
        by=by,
        title=title,
        description=description,
        lead_person=lead_person,
        lead_organisation=lead_organisation,
        minutes_allotted=minutes_allotted,
        parent=parent,
    )


@transaction.atomic
def edit_agenda_item(
    item, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None
):
    """Change an item's title, description, lead and time; its place and number stay as they are."""
    require_secretariat(by)
    _agenda_meeting(item.meeting_id)
    _check_item_details(title, lead_person, lead_organisation, minutes_allotted)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.title = title.strip()
    item.description = (description or "").strip()
    item.lead_person = lead_person
    item.lead_organisation = lead_organisation
    item.minutes_allotted = minutes_allotted
    item._history_user = by
    item.save(update_fields=["title", "description", "lead_person", "lead_organisation", "minutes_allotted"])
    return item


@transaction.atomic
def remove_agenda_item(item, *, by):
    """Remove an item from the agenda, unless it has minute text, actions, papers or sub-items (it says which)."""
    require_secretariat(by)
    _agenda_meeting(item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    blockers = removal_blockers(item)
    if blockers:
        raise AgendaChangeRefused(f"“{item.title}” cannot be removed: it has {_and_join(blockers)}.")
    item._history_user = by
    item.delete()


def _and_join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@transaction.atomic
def move_agenda_item(item, *, by, direction):
    """Swap an item with the sibling above ("up") or below ("down"); the numbers shown follow the new order."""
    require_secretariat(by)
    meeting = _agenda_meeting(item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    siblings = AgendaItem.objects.filter(meeting=meeting, parent_id=item.parent_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    elif direction == "down":
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    else:
        raise AgendaChangeRefused("Choose whether to move the item up or down.")
    if neighbour is None:
        raise AgendaChangeRefused(f"“{item.title}” is already {'first' if direction == 'up' else 'last'}.")
    # Positions are unique among siblings: park the item beyond the last one, then swap.
    parking = siblings.aggregate(last=Max("position"))["last"] + 1
    mine, theirs = item.position, neighbour.position
    AgendaItem.objects.filter(pk=item.pk).update(position=parking)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    return item


@transaction.atomic
def propose_agenda_item(meeting, *, by, title, description):
    """A member proposes an agenda item (a title and a short description) until the deadline."""
    if not access.has_role(by, *PROPOSERS):
        raise PermissionDenied("Only members of the group can propose agenda items.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = proposals_closed_reason(meeting)
    if reason:
        raise AgendaChangeRefused(reason)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the title of the item you propose"
    if not (description or "").strip():
        errors["description"] = "Describe the item in a sentence or two"
    if errors:
        raise AgendaChangeRefused(errors)
    return AgendaProposal.objects.create(
        meeting=meeting, proposed_by=by, title=title.strip(), description=description.strip()
    )


def _pending_proposal(proposal):
    proposal = AgendaProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != AgendaProposal.Status.PENDING:
        raise AgendaChangeRefused(f"This proposal has already been {proposal.get_status_display().lower()}.")
    return proposal


@transaction.atomic
def accept_proposal(proposal, *, by):
    """Put a proposed item on the agenda, led by the proposer, before AOB and the date of the next meeting."""
    require_secretariat(by)
    meeting = _agenda_meeting(proposal.meeting_id)
    proposal = _pending_proposal(proposal)
    lead = Person.objects.filter(user_id=proposal.proposed_by_id).first()
    item = _insert_item(meeting, by=by, title=proposal.title, description=proposal.description, lead_person=lead)
    proposal.status = AgendaProposal.Status.ACCEPTED
    proposal.accepted_item = item
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "accepted_item", "decided_by", "decided_at"])
    return proposal


@transaction.atomic
def decline_proposal(proposal, *, by, reason):
    """Decline a proposed item, saying why; the proposer sees the reason on the meeting page."""
    require_secretariat(by)
    proposal = _pending_proposal(proposal)
    reason = (reason or "").strip()
    if not reason:
        raise AgendaChangeRefused({"decline_reason": "Say why the proposal is declined"})
    proposal.status = AgendaProposal.Status.DECLINED
    proposal.decline_reason = reason
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    return proposal


# ----------------------------------------------------------------------------------------------
# Attendance: the secretariat records who was present, who sent apologies, who attended for one
# item and who represented a member, until the minutes are agreed.
# ----------------------------------------------------------------------------------------------


class AttendanceRefused(MeetingStepRefused):
    """An attendance record the meeting's status or the record's own rules do not allow."""


def _attendance_meeting(meeting_id):
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.status not in ATTENDANCE_EDITABLE:
        raise AttendanceRefused("These minutes are agreed: their attendance can no longer be changed.")
    return meeting


@transaction.atomic
def record_member_attendance(meeting, *, by, statuses):
    """Record the body's members as present or sending apologies, or clear their record.

    ``statuses`` maps a member's person id to "present", "apologies", "in_attendance"
    (only to keep such a record as it is) or "" (not recorded: any record is removed).
    Only people with a current seat on the body on the meeting's date may be given.
    Returns how many records changed.
    """
    S = Attendance.Status
    require_secretariat(by)
    meeting = _attendance_meeting(meeting.pk)
    members = set(
        Membership.objects.current(on=meeting.date).filter(body_id=meeting.body_id).values_list("person_id", flat=True)
    )
    strangers = set(statuses) - members
    if strangers:
        raise AttendanceRefused("Only the group's members on the date of the meeting are listed here.")
    existing = {
        a.person_id: a
        for a in Attendance.objects.select_for_update().filter(meeting=meeting, person_id__in=list(statuses))
    }
    changed = 0
    for person_id, status in statuses.items():
        record = existing.get(person_id)
        if not status:
            if record is not None:
                record.delete()
                changed += 1
            continue
        if status not in S.values:
            raise AttendanceRefused(f"Unknown attendance: {status}")
        if record is None:
            if status == S.IN_ATTENDANCE:
                raise AttendanceRefused("Record someone in attendance for one item with “Add someone else”.")
            Attendance.objects.create(meeting=meeting, person_id=person_id, status=status)
            changed += 1
        elif record.status != status:
            if status == S.IN_ATTENDANCE:
                raise AttendanceRefused("Record someone in attendance for one item with “Add someone else”.")
            record.status = status
            record.for_item = None
            if status == S.APOLOGIES:
                record.representing = None
            record.save(update_fields=["status", "for_item", "representing"])
            changed += 1
    return changed


@transaction.atomic
def record_attendee(meeting, *, by, person, status, for_item=None, representing=None):
    """Record one person (anyone) as present, in attendance for one item, or sending apologies.

    Someone in attendance names the item they came for; someone present or in
    attendance may be representing a member (the person they stood in for). A
    person already recorded at the meeting has their record replaced.
    """
    S = Attendance.Status
    require_secretariat(by)
    meeting = _attendance_meeting(meeting.pk)
    errors = {}
    if status not in S.values:
        errors["status"] = "Select whether they were present, in attendance for one item, or sent apologies"
    if status == S.IN_ATTENDANCE and for_item is None:
        errors["for_item"] = "Select the agenda item they attended for"
    if for_item is not None and status != S.IN_ATTENDANCE:
        errors["for_item"] = "Only choose an agenda item for someone in attendance for one item"
    if for_item is not None and for_item.meeting_id != meeting.pk:
        errors["for_item"] = "Select an item on this meeting's agenda"
    if representing is not None and status == S.APOLOGIES:
        errors["representing"] = "Only someone present or in attendance can be representing a member"
    if representing is not None and person is not None and representing.pk == person.pk:
        errors["representing"] = "Someone cannot represent themselves: choose the member they stood in for"
    if errors:
        raise AttendanceRefused(errors)
    record, _ = Attendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"status": status, "for_item": for_item, "representing": representing}
    )
    return record


@transaction.atomic
def remove_attendance(record, *, by):
    """Remove one attendance record (someone recorded by mistake)."""
    require_secretariat(by)
    _attendance_meeting(record.meeting_id)
    record.delete()
