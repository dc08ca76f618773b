"""Reading meetings for pages: the list by body, and one meeting with its agenda and attendance."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from mappa import access
from mappa.diffs import line_diff
from mappa.models import Body, Membership, Person
from mappa.selectors import AttentionItem
from meetings.models import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    Meeting,
    MeetingTransition,
    MinuteComment,
    MinutesSnapshot,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    AGENDA_EDITABLE,
    ATTENDANCE_EDITABLE,
    COMMENTERS,
    PROPOSERS,
    comments_open,
    may_read_minutes,
    proposals_closed_reason,
)

# The meetings list shows this many to a page: a national service holds thousands of meetings.
MEETINGS_PER_PAGE = 50


def meeting_list(*, body_slug=None, when=None, today=None):
    """Meetings, newest first, optionally of one body and only upcoming or past ones.

    Ties on date and time fall back to the primary key, so pages never overlap.
    """
    today = today or timezone.localdate()
    meetings = Meeting.objects.select_related("body", "chair").order_by("-date", "-start_time", "-pk")
    if body_slug:
        meetings = meetings.filter(body__slug=body_slug)
    if when == "upcoming":
        meetings = meetings.filter(date__gte=today).order_by("date", "start_time", "pk")
    elif when == "past":
        meetings = meetings.filter(date__lt=today)
    return meetings


def bodies_with_meetings():
    return Body.objects.filter(meetings__isnull=False).distinct().order_by("kind", "name")


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
    )


def later_meetings_of_same_body(meeting):
    """Meetings at which this meeting's minutes could be agreed: later, same body, held."""
    held_or_later = Meeting.statuses_from(Meeting.Status.HELD)
    return Meeting.objects.filter(body=meeting.body, date__gt=meeting.date, status__in=held_or_later).order_by("date")


def next_meeting_of_body(meeting):
    """The next meeting of the same body after this one, if planned."""
    return Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date).order_by("date").first()


@dataclass
class MinuteEditor:
    meeting: Meeting
    item: AgendaItem
    number: str
    actions: list
    next_meeting: Meeting | None
    agenda: list
    previous_panel: "PreviousMinutesPanel | None" = None


def minute_editor(meeting_pk, item_pk):
    """An item with its number, its actions (owners prefetched) and the meeting's agenda for navigation."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_pk)
    items = list(meeting.agenda_items.all())
    agenda = numbered_agenda(items)
    entry = next((e for e in agenda if e.item.pk == item_pk), None)
    if entry is None:
        raise AgendaItem.DoesNotExist
    actions = list(
        Action.objects.filter(agenda_item=entry.item)
        .prefetch_related("owner_people", "owner_organisations__parent", "owner_bodies")
        .order_by("number")
    )
    panel = previous_minutes_panel(meeting) if entry.item.kind == AgendaItem.Kind.PREVIOUS_MINUTES else None
    return MinuteEditor(
        meeting=meeting,
        item=entry.item,
        number=entry.number,
        actions=actions,
        next_meeting=next_meeting_of_body(meeting),
        agenda=agenda,
        previous_panel=panel,
    )


def minute_history(item):
    """Every saved version of an item's minute, newest first, with its author."""
    return item.history.select_related("history_user__person").order_by("-history_date", "-history_id")


def circulation_list(meeting):
    """Who receives the draft minute: the body's current members with an e-mail address, once each."""
    seats = Membership.objects.current().filter(body_id=meeting.body_id).values("person_id")
    return list(Person.objects.filter(pk__in=seats).exclude(email="").order_by("name"))


@dataclass
class CommentPage:
    meeting: Meeting
    items: list
    is_open: bool
    can_decide: bool
    can_comment: bool


def comment_page(pk, user):
    """The draft minute item by item, with the comments the user may see (the secretariat sees all)."""
    meeting = Meeting.objects.select_related("body").get(pk=pk)
    can_decide = access.has_role(user, *access.SECRETARIAT)
    comments = MinuteComment.objects.filter(meeting=meeting).select_related("author__person", "decided_by__person")
    if not can_decide:
        comments = comments.filter(author=user)
    by_item = {}
    for comment in comments.order_by("created_at"):
        by_item.setdefault(comment.agenda_item_id, []).append(comment)
    agenda = numbered_agenda(list(meeting.agenda_items.all()))
    for entry in agenda:
        entry.comments = by_item.get(entry.item.id, [])
    is_open = comments_open(meeting)
    return CommentPage(
        meeting=meeting,
        items=agenda,
        is_open=is_open,
        can_decide=can_decide,
        can_comment=is_open and access.has_role(user, *COMMENTERS),
    )


@dataclass
class PreviousMinutesPanel:
    """What item 2 of a meeting deals with: the previous minutes to agree, and matters arising."""

    previous: Meeting | None
    matters_arising: list


def previous_minutes_panel(meeting):
    """The earlier meeting of the body whose draft awaits agreement, and every open earlier action.

    Each open action carries ``latest_update`` (or None), for "Action 1 from 16 February 2017 meeting".
    """
    previous = (
        Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date, status=Meeting.Status.DRAFT_CIRCULATED)
        .order_by("-date")
        .first()
    )
    updates = ActionUpdate.objects.select_related("author__person", "noted_at").order_by("-at", "-id")
    actions = list(
        Action.objects.filter(
            meeting__body_id=meeting.body_id, meeting__date__lt=meeting.date, status__in=Action.OPEN_STATUSES
        )
        .select_related("meeting")
        .prefetch_related(
            "owner_people", "owner_organisations__parent", "owner_bodies", Prefetch("updates", queryset=updates)
        )
        .order_by("meeting__date", "number")
    )
    for action in actions:
        every = list(action.updates.all())
        action.latest_update = every[0] if every else None
    return PreviousMinutesPanel(previous=previous, matters_arising=actions)


@dataclass
class MinuteChange:
    number: str
    title: str
    changed: bool
    lines: list  # (kind, text): kind is "same", "removed" or "added"


def minutes_changes(meeting):
    """Item by item, what changed between the draft as circulated and the agreed minute."""
    snapshots = {s.kind: s for s in MinutesSnapshot.objects.filter(meeting=meeting)}
    circulated = snapshots.get(MinutesSnapshot.Kind.CIRCULATED)
    agreed = snapshots.get(MinutesSnapshot.Kind.AGREED)
    if circulated is None or agreed is None:
        return None

    def as_lines(entry):
        lines = (entry.get("narrative") or "").splitlines() + (entry.get("decisions") or "").splitlines()
        lines += [
            f"Action {a['number']}: {a['owner']} — {a['text']} (due {a['due_date']})" for a in entry.get("actions", [])
        ]
        return [line for line in lines if line.strip()]

    before = {e["number"]: e for e in circulated.content}
    changes = []
    for entry in agreed.content:
        old = as_lines(before.get(entry["number"], {}))
        new = as_lines(entry)
        changes.append(
            MinuteChange(number=entry["number"], title=entry["title"], changed=old != new, lines=line_diff(old, new))
        )
    return changes


# ----------------------------------------------------------------------------------------------
# The agenda editor, the call for agenda items, attendance recording and the attendance summary.
# ----------------------------------------------------------------------------------------------


def removal_blockers(item):
    """What stops an agenda item being removed ("minute text", "2 actions", ...); empty if nothing does."""
    blockers = []
    if item.narrative.strip() or item.decisions.strip():
        blockers.append("minute text")
    actions = Action.objects.filter(agenda_item=item).count()
    if actions:
        blockers.append(f"{actions} action{'s' if actions != 1 else ''}")
    if apps.is_installed("papers"):
        papers = apps.get_model("papers", "Paper").objects.filter(agenda_item=item).count()
        if papers:
            blockers.append(f"{papers} paper{'s' if papers != 1 else ''}")
    sub_items = AgendaItem.objects.filter(parent=item).count()
    if sub_items:
        blockers.append(f"{sub_items} sub-item{'s' if sub_items != 1 else ''} (remove or move them first)")
    return blockers


@dataclass
class AgendaEditor:
    meeting: Meeting
    agenda: list  # NumberedItem, each with is_first / is_last among its siblings
    editable: bool
    pending: list
    decided: list

    @property
    def numbers(self):
        return {entry.item.pk: entry.number for entry in self.agenda}


def agenda_editor(pk):
    """A meeting's numbered agenda for the secretariat to change, with the proposals sent in for it."""
    meeting = Meeting.objects.select_related("body").get(pk=pk)
    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related(
            "lead_person__organisation__parent", "lead_organisation__parent"
        )
    )
    agenda = numbered_agenda(items)
    siblings = {}
    for entry in agenda:
        siblings.setdefault(entry.item.parent_id, []).append(entry)
    for group in siblings.values():
        for index, entry in enumerate(group):
            entry.is_first = index == 0
            entry.is_last = index == len(group) - 1
    proposals = list(
        AgendaProposal.objects.filter(meeting=meeting)
        .select_related("proposed_by__person__organisation__parent", "accepted_item", "decided_by__person")
        .order_by("created_at", "id")
    )
    pending = [p for p in proposals if p.status == AgendaProposal.Status.PENDING]
    decided = [p for p in proposals if p.status != AgendaProposal.Status.PENDING]
    return AgendaEditor(
        meeting=meeting, agenda=agenda, editable=meeting.status in AGENDA_EDITABLE, pending=pending, decided=decided
    )


def top_level_items(meeting):
    """The items a sub-item may go under, in agenda order."""
    return AgendaItem.objects.filter(meeting=meeting, parent__isnull=True).order_by("position")


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


@dataclass
class MemberRow:
    person: object
    roles: list
    record: Attendance | None

    @property
    def status(self):
        return self.record.status if self.record else ""


@dataclass
class AttendanceSheet:
    meeting: Meeting
    members: list  # MemberRow, by name
    others: list  # Attendance records of people who are not members, each with item_number
    agenda: list
    editable: bool


def attendance_sheet(pk):
    """A meeting's members (seated on its date) with their attendance, and everyone else recorded."""
    meeting = Meeting.objects.select_related("body").get(pk=pk)
    seats = (
        Membership.objects.current(on=meeting.date)
        .filter(body_id=meeting.body_id)
        .select_related("person__organisation__parent")
        .order_by("person__name", "role")
    )
    records = {
        a.person_id: a
        for a in Attendance.objects.filter(meeting=meeting)
        .select_related("person__organisation__parent", "representing", "for_item")
        .order_by("person__name")
    }
    members = {}
    for seat in seats:
        row = members.get(seat.person_id)
        if row is None:
            row = members[seat.person_id] = MemberRow(person=seat.person, roles=[], record=records.get(seat.person_id))
        row.roles.append(seat.get_role_display())
    agenda = numbered_agenda(list(AgendaItem.objects.filter(meeting=meeting)))
    numbers = {entry.item.id: entry.number for entry in agenda}
    others = []
    for person_id, record in records.items():
        record.item_number = numbers.get(record.for_item_id)
        if person_id not in members:
            others.append(record)
    return AttendanceSheet(
        meeting=meeting,
        members=list(members.values()),
        others=others,
        agenda=agenda,
        editable=meeting.status in ATTENDANCE_EDITABLE,
    )


SUMMARY_MEETINGS = 10


@dataclass
class AttendanceCell:
    mark: str  # "✓", "A", "I", or "" when nothing is recorded
    label: str  # in words, for screen readers and the key
    member: bool  # whether they held a seat on the body that day


@dataclass
class AttendanceRow:
    person: object
    cells: list
    present: int
    apologies: int
    in_attendance: int
    representing: int
    expected: int

    @property
    def attended(self):
        return self.present + self.in_attendance

    @property
    def rate(self):
        """Meetings attended as a whole percentage of the meetings they were expected at (None if none)."""
        if not self.expected:
            return None
        return round(100 * self.attended / self.expected)


@dataclass
class AttendanceSummary:
    body: Body | None
    bodies: list
    meetings: list
    rows: list


def attendance_summary(*, body_slug=None, today=None, limit=SUMMARY_MEETINGS):
    """Who came to a body's recent meetings: person by meeting, with totals and an attendance rate.

    The meetings are the body's latest ``limit`` up to today. A person is "expected" at
    a meeting when they held a seat on the body that day or were recorded there; the rate
    is meetings attended (present or in attendance) out of those. Totals are counted in
    the database; the number of queries does not grow with people or meetings.
    """
    today = today or timezone.localdate()
    bodies = list(bodies_with_meetings())
    body = None
    if body_slug:
        body = next((b for b in bodies if b.slug == body_slug), None)
    if body is None:
        body = next((b for b in bodies if b.kind == Body.Kind.NATIONAL_STRATEGIC_GROUP), None) or (
            bodies[0] if bodies else None
        )
    if body is None:
        return AttendanceSummary(body=None, bodies=bodies, meetings=[], rows=[])
    meetings = list(Meeting.objects.filter(body=body, date__lte=today).order_by("-date", "-start_time")[:limit])
    meetings.reverse()
    meeting_ids = [m.pk for m in meetings]
    if not meetings:
        return AttendanceSummary(body=body, bodies=bodies, meetings=[], rows=[])

    S = Attendance.Status
    in_window = Q(attendance__meeting_id__in=meeting_ids)
    seat_that_day = (
        Membership.objects.filter(
            person_id=OuterRef(OuterRef("pk")),
            body_id=body.pk,
        )
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=OuterRef("date")))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("date")))
    )
    recorded_that_day = Attendance.objects.filter(person_id=OuterRef(OuterRef("pk")), meeting_id=OuterRef("pk"))
    expected = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .filter(Exists(seat_that_day) | Exists(recorded_that_day))
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")
    )
    people = (
        Person.objects.select_related("organisation__parent")
        .annotate(
            expected=Subquery(expected, output_field=IntegerField()),
            n_present=Count("attendance", filter=in_window & Q(attendance__status=S.PRESENT)),
            n_apologies=Count("attendance", filter=in_window & Q(attendance__status=S.APOLOGIES)),
            n_in_attendance=Count("attendance", filter=in_window & Q(attendance__status=S.IN_ATTENDANCE)),
            n_representing=Count("attendance", filter=in_window & Q(attendance__representing__isnull=False)),
        )
        .filter(expected__gt=0)
        .order_by("name")
    )
    marks = {}
    for person_id, meeting_id, status, represented, for_item_id in Attendance.objects.filter(
        meeting_id__in=meeting_ids
    ).values_list("person_id", "meeting_id", "status", "representing__name", "for_item_id"):
        marks[person_id, meeting_id] = (status, represented, for_item_id)
    numbers = {}
    if any(mark[2] for mark in marks.values()):
        items = list(
            AgendaItem.objects.filter(meeting_id__in=meeting_ids).only("id", "meeting_id", "parent_id", "position")
        )
        by_meeting = {}
        for item in items:
            by_meeting.setdefault(item.meeting_id, []).append(item)
        for meeting_items in by_meeting.values():
            numbers.update({entry.item.id: entry.number for entry in numbered_agenda(meeting_items)})
    seats = {}
    for person_id, started, ended in Membership.objects.filter(body=body).values_list(
        "person_id", "started_on", "ended_on"
    ):
        seats.setdefault(person_id, []).append((started, ended))

    def seated(person_id, day):
        return any((s is None or s <= day) and (e is None or e >= day) for s, e in seats.get(person_id, ()))

    rows = []
    for person in people:
        cells = []
        for meeting in meetings:
            member = seated(person.pk, meeting.date)
            status, represented, for_item_id = marks.get((person.pk, meeting.pk), ("", None, None))
            cells.append(_cell(status, represented, numbers.get(for_item_id), member))
        rows.append(
            AttendanceRow(
                person=person,
                cells=cells,
                present=person.n_present,
                apologies=person.n_apologies,
                in_attendance=person.n_in_attendance,
                representing=person.n_representing,
                expected=person.expected,
            )
        )
    return AttendanceSummary(body=body, bodies=bodies, meetings=meetings, rows=rows)


def _cell(status, represented, item_number, member):
    S = Attendance.Status
    if status == S.PRESENT:
        mark, label = "✓", "Present"
    elif status == S.APOLOGIES:
        mark, label = "A", "Apologies"
    elif status == S.IN_ATTENDANCE:
        mark, label = "I", f"In attendance for item {item_number}" if item_number else "In attendance"
    elif member:
        mark, label = "–", "Not recorded"
    else:
        mark, label = "", "Not a member"
    if represented:
        mark += " R"
        label += f", representing {represented}"
    return AttendanceCell(mark=mark, label=label, member=member)


def attention_for(user, today=None):
    """Home-page items about meetings: what the secretariat must decide, what members may comment on."""
    today = today or timezone.localdate()
    items = []
    if access.has_role(user, *access.SECRETARIAT):
        for meeting in Meeting.objects.filter(status=Meeting.Status.HELD).select_related("body").order_by("date"):
            items.append(
                AttentionItem(
                    f"Draft the minutes of {meeting}",
                    "The meeting has been held; its draft minutes have not been circulated.",
                    meeting.get_absolute_url(),
                )
            )
        pending = (
            MinuteComment.objects.filter(decision=MinuteComment.Decision.PENDING)
            .values("meeting")
            .annotate(count=Count("id"))
            .order_by()
        )
        meetings = Meeting.objects.select_related("body").in_bulk([row["meeting"] for row in pending])
        for row in pending:
            meeting = meetings[row["meeting"]]
            items.append(
                AttentionItem(
                    f"{row['count']} comment{'s' if row['count'] != 1 else ''} on the draft minutes of {meeting}",
                    "Accept each comment or not, saying what changed.",
                    reverse("meetings:comments", kwargs={"pk": meeting.pk}),
                )
            )
        proposals = (
            AgendaProposal.objects.filter(status=AgendaProposal.Status.PENDING)
            .values("meeting")
            .annotate(count=Count("id"))
            .order_by()
        )
        meetings = Meeting.objects.select_related("body").in_bulk([row["meeting"] for row in proposals])
        for row in proposals:
            meeting = meetings[row["meeting"]]
            items.append(
                AttentionItem(
                    f"{row['count']} proposed agenda item{'s' if row['count'] != 1 else ''} for {meeting}",
                    "Accept them into the agenda or decline them with a reason.",
                    reverse("meetings:agenda", kwargs={"pk": meeting.pk}),
                )
            )
    elif access.has_role(user, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER):
        bodies = Membership.objects.current().filter(person__user=user).values("body_id")
        for meeting in (
            Meeting.objects.filter(
                body_id__in=bodies, status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline__gte=today
            )
            .select_related("body")
            .order_by("comment_deadline")
        ):
            items.append(
                AttentionItem(
                    f"Comment on the draft minutes of {meeting}",
                    f"Comments are open until {meeting.comment_deadline:%-d %B %Y}.",
                    reverse("meetings:comments", kwargs={"pk": meeting.pk}),
                )
            )
    return items
