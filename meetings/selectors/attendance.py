"""Reading attendance: one meeting's sheet, and each person's attendance at a group's recent meetings."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from mappa.models import Body, Membership, Person
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    ATTENDANCE_EDITABLE,
)
from meetings.selectors.meetings import bodies_with_meetings


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


def attendance_summary(*, body=None, bodies=None, today=None, limit=SUMMARY_MEETINGS):
    """Who came to a body's recent meetings: person by meeting, with totals and an attendance rate.

    The meetings are the body's latest ``limit`` up to today. A person is "expected" at
    a meeting when they held a seat on the body that day or were recorded there; the rate
    is meetings attended (present or in attendance) out of those. Totals are counted in
    the database; the number of queries does not grow with people or meetings. Without a
    ``body`` (one of those with meetings), the summary is of the NSG, or else the first group.
    ``bodies``: the groups with meetings, if the caller has read them already.
    """
    today = today or timezone.localdate()
    bodies = list(bodies_with_meetings()) if bodies is None else bodies
    if body is not None:
        body = next((b for b in bodies if b.pk == body.pk), None)
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
