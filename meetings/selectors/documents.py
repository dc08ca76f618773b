"""Reading a meeting for its documents: the agenda, the minute, the invitation.

``meeting_documents`` loads everything a document shows in a fixed number of
queries, however many items and actions the meeting has: the meeting with its
body and chair; the agenda items with their leads; the attendance; the next
meeting of the same body; and, for the minute, what the registered minute parts
load (meetings/registry.py): the actions app puts every action raised under
each item, with its owners, on the item's entry (``entry.actions``), and the
updates on earlier actions noted at the meeting in ``matters_arising``.

Who may read a meeting's minute is meetings.rules.may_read_minutes.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404

from meetings import registry
from meetings.models import AgendaItem, Attendance, Meeting
from meetings.numbering import NumberedItem, numbered_agenda


@dataclass
class MeetingDocuments:
    meeting: Meeting
    agenda: list[NumberedItem]
    present: list[Attendance]
    apologies: list[Attendance]
    in_attendance: list[Attendance]
    next_meeting: Meeting | None
    # The item of kind "Date of next meeting", if the agenda has one.
    next_meeting_item: AgendaItem | None = None
    # Every action raised at the meeting, in agenda order (set by the actions app's minute part).
    actions: list = field(default_factory=list)
    # Item 2: minutes of earlier meetings agreed at this one, and (set by the actions app's minute part)
    # updates on earlier actions noted here.
    previous_agreed: list[Meeting] = field(default_factory=list)
    matters_arising: list = field(default_factory=list)

    @property
    def is_draft(self):
        return not self.meeting.minutes_are_agreed


def next_meeting_of(meeting):
    """The first meeting of the same body after this one, if one is planned."""
    later = Q(date__gt=meeting.date) | Q(date=meeting.date, start_time__gt=meeting.start_time)
    return Meeting.objects.filter(body_id=meeting.body_id).filter(later).order_by("date", "start_time").first()


def meeting_documents(pk, *, with_minute=True):
    """One meeting, ready for its documents; raises Http404 if there is no such meeting.

    With ``with_minute`` (the minute) the attendance and the registered minute parts
    (the actions) are loaded too; the agenda and the invitation need neither.
    """
    items = AgendaItem.objects.select_related("lead_person__organisation__parent", "lead_organisation__parent")
    prefetches = []
    if with_minute:
        attendance = Attendance.objects.select_related("person__organisation__parent", "representing").order_by(
            "person__name"
        )
        prefetches.append(Prefetch("attendance", queryset=attendance))
    try:
        meeting = (
            Meeting.objects.select_related("body", "chair__organisation__parent", "agreed_at")
            .prefetch_related(Prefetch("agenda_items", queryset=items), *prefetches)
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None

    agenda = numbered_agenda(list(meeting.agenda_items.all()))
    numbers = {entry.item.id: entry.number for entry in agenda}
    next_meeting_item = None
    for entry in agenda:
        if entry.item.kind == AgendaItem.Kind.NEXT_MEETING and next_meeting_item is None:
            next_meeting_item = entry.item

    by_status = {status: [] for status in Attendance.Status.values}
    for record in meeting.attendance.all() if with_minute else ():
        record.item_number = numbers.get(record.for_item_id)
        record.label = attendee_label(record, meeting)
        by_status[record.status].append(record)
    by_status[Attendance.Status.IN_ATTENDANCE].sort(key=lambda r: (_sort_key(r.item_number), r.person.name))

    previous_agreed = list(Meeting.objects.filter(agreed_at=meeting).order_by("date")) if with_minute else []

    docs = MeetingDocuments(
        meeting=meeting,
        previous_agreed=previous_agreed,
        agenda=agenda,
        present=by_status[Attendance.Status.PRESENT],
        apologies=by_status[Attendance.Status.APOLOGIES],
        in_attendance=by_status[Attendance.Status.IN_ATTENDANCE],
        next_meeting=next_meeting_of(meeting) if with_minute else None,
        next_meeting_item=next_meeting_item,
    )
    if with_minute:
        for part in registry.minute_parts():
            part.documents(docs)
    return docs


def attendee_label(record, meeting):
    """A line of the Present or Apologies list: "Name (chair) — SG, CSU, representing Name"."""
    person = record.person
    label = person.name
    if meeting.chair_id and person.id == meeting.chair_id:
        label += " (chair)"
    label += f" — {person.organisation.label}"
    if record.representing_id:
        label += f", representing {record.representing.name}"
    return label


def _sort_key(number):
    """Item numbers in agenda order: "2" < "4.1" < "10"; people for no item last."""
    if not number:
        return (float("inf"),)
    return tuple(int(part) for part in number.split("."))
