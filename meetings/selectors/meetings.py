"""Reading meetings for their pages: the list by group, one meeting with its agenda and attendance,
and what the signed-in user may do from it."""

from dataclasses import dataclass

from django.db.models import Prefetch

from mappa import access, generation
from mappa.models import Body
from meetings.models import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    Meeting,
    MeetingTransition,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    AGENDA_EDITABLE,
    ATTENDANCE_EDITABLE,
    PROPOSERS,
    comments_open,
    may_read_minutes,
    may_reopen_minutes,
    proposals_closed_reason,
)
from meetings.selectors.circulation import undecided_comments

# The meetings list shows this many to a page: a national service holds thousands of meetings.
MEETINGS_PER_PAGE = 50


def meeting_list():
    """Every meeting, newest first (meetings.filters.MeetingFilter narrows them).

    Ties on date and time fall back to the primary key, so pages never overlap.
    """
    return Meeting.objects.select_related("body", "chair").order_by("-date", "-start_time", "-pk")


def bodies_with_meetings():
    return Body.objects.filter(meetings__isnull=False).distinct().order_by("kind", "name")


def groups_with_meetings():
    """(slug, name) of the groups that have meetings, for the meetings list's filter: kept until the data
    changes, as finding them reads every meeting (5,000 at national scale) on each look at the list."""
    return generation.kept(
        "meetings:groups-with-meetings", lambda: list(bodies_with_meetings().values_list("slug", "name"))
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list
    present: list
    apologies: list
    in_attendance: list
    transitions: list
    can_manage: bool
    can_draft: bool
    next_status_label: str | None
    can_read_minutes: bool = False
    comments_open: bool = False
    has_minutes: bool = False
    can_reopen_minutes: bool = False


def meeting_page(pk, user):
    """One meeting with its numbered agenda, attendance by status and lifecycle history."""
    items = AgendaItem.objects.select_related("lead_person__organisation__parent", "lead_organisation__parent")
    items = items.prefetch_related("papers__versions")  # each item's papers (papers app), 2 queries in all
    attendance = Attendance.objects.select_related("person__organisation__parent", "representing", "for_item").order_by(
        "person__name"
    )
    meeting = (
        Meeting.objects.select_related("body", "chair__organisation", "agreed_at")
        .prefetch_related(
            Prefetch("agenda_items", queryset=items),
            Prefetch("attendance", queryset=attendance),
            Prefetch("transitions", queryset=MeetingTransition.objects.select_related("by__person")),
        )
        .get(pk=pk)
    )
    agenda = numbered_agenda(list(meeting.agenda_items.all()))
    numbers = {entry.item.id: entry.number for entry in agenda}
    by_status = {status: [] for status in Attendance.Status.values}
    for record in meeting.attendance.all():
        record.item_number = numbers.get(record.for_item_id)
        by_status[record.status].append(record)
    next_status = meeting.next_status
    return MeetingPage(
        meeting=meeting,
        agenda=agenda,
        present=by_status[Attendance.Status.PRESENT],
        apologies=by_status[Attendance.Status.APOLOGIES],
        in_attendance=by_status[Attendance.Status.IN_ATTENDANCE],
        transitions=list(meeting.transitions.all()),
        can_manage=access.has_role(user, *access.SECRETARIAT),
        can_draft=access.has_role(user, *access.SECRETARIAT)
        and meeting.status in (Meeting.Status.HELD, Meeting.Status.DRAFT_CIRCULATED),
        next_status_label=Meeting.Status(next_status).label if next_status else None,
        can_read_minutes=may_read_minutes(user, meeting),
        comments_open=comments_open(meeting),
        has_minutes=Meeting.LIFECYCLE.index(meeting.status) >= Meeting.LIFECYCLE.index(Meeting.Status.HELD),
        can_reopen_minutes=may_reopen_minutes(user, meeting),
    )


def later_meetings_of_same_body(meeting):
    """Meetings at which this meeting's minutes could be agreed: later, same body, held."""
    held_or_later = Meeting.statuses_from(Meeting.Status.HELD)
    return Meeting.objects.filter(body=meeting.body, date__gt=meeting.date, status__in=held_or_later).order_by("date")


def next_meeting_of_body(meeting):
    """The next meeting of the same body after this one, if planned."""
    return Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date).order_by("date").first()


@dataclass
class Agreement:
    """How a circulated draft gets agreed: at a later held meeting of the group, at that meeting's item 2.

    ``agreeable``: the later held meetings the step may name; ``next_meeting``: the group's next
    meeting, held or not (None if none is planned); ``next_meeting_item``: its item 2 (previous
    minutes), where the minutes are naturally agreed, once it is held; ``undecided_comments``: the
    members' comments the secretariat has not decided.
    """

    agreeable: list
    next_meeting: Meeting | None
    next_meeting_item: AgendaItem | None
    undecided_comments: int


def agreement_for(meeting):
    """Where ``meeting``'s circulated draft can be agreed, for its page's "Minutes agreed" step."""
    agreeable = list(later_meetings_of_same_body(meeting).select_related("body"))
    following = next_meeting_of_body(meeting)
    item = None
    if following is not None and following in agreeable:
        item = following.agenda_items.filter(kind=AgendaItem.Kind.PREVIOUS_MINUTES).order_by("position").first()
    return Agreement(
        agreeable=agreeable,
        next_meeting=following,
        next_meeting_item=item,
        undecided_comments=undecided_comments(meeting),
    )


@dataclass
class MeetingTools:
    """What the signed-in user may do from a meeting's page, beyond reading it."""

    can_edit_agenda: bool
    can_record_attendance: bool
    can_propose: bool
    proposals_closed_reason: str | None
    my_proposals: list


def meeting_tools(meeting, user):
    """Links the meeting page offers this user, and the agenda items they have proposed (with their status)."""
    secretariat = access.has_role(user, *access.SECRETARIAT)
    proposer = access.has_role(user, *PROPOSERS)
    reason = proposals_closed_reason(meeting)
    mine = []
    if proposer:
        mine = list(
            AgendaProposal.objects.filter(meeting=meeting, proposed_by=user)
            .select_related("accepted_item")
            .order_by("created_at", "id")
        )
    return MeetingTools(
        can_edit_agenda=secretariat and meeting.status in AGENDA_EDITABLE,
        can_record_attendance=secretariat and meeting.status in ATTENDANCE_EDITABLE,
        can_propose=proposer and reason is None,
        proposals_closed_reason=reason,
        my_proposals=mine,
    )
