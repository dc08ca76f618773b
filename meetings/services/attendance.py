"""Attendance: the secretariat records who was present, who sent apologies, who attended for one item and
who represented a member, until the minutes are agreed."""

from django.db import transaction

from mappa.models import Membership
from mappa.refusals import require_secretariat
from meetings.models import (
    Attendance,
    Meeting,
)
from meetings.rules import (
    ATTENDANCE_EDITABLE,
)
from meetings.services.meetings import MeetingStepRefused


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
def mark_members_present(meeting, *, by):
    """Mark every member of the body on the meeting's date present, in one step, who is not yet recorded.

    The exceptions are then changed one by one (record_member_attendance). A record already
    made (a member's apologies, anyone else's attendance) is left as it is. Returns how many
    members were marked present.
    """
    require_secretariat(by)
    meeting = _attendance_meeting(meeting.pk)
    members = set(
        Membership.objects.current(on=meeting.date).filter(body_id=meeting.body_id).values_list("person_id", flat=True)
    )
    recorded = set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    new = [
        Attendance(meeting=meeting, person_id=person_id, status=Attendance.Status.PRESENT)
        for person_id in sorted(members - recorded)
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


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
