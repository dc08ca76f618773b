"""Recording a meeting's attendance, and the attendance summary of a group's recent meetings."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.refusals import refusal_onto
from meetings import forms as meeting_forms
from meetings.filters import AttendanceFilter
from meetings.models import Attendance, Meeting
from meetings.selectors import attendance as selectors
from meetings.selectors.meetings import bodies_with_meetings
from meetings.services import attendance as services
from meetings.services.meetings import MeetingStepRefused


def _attendance_sheet_or_404(pk):
    try:
        return selectors.attendance_sheet(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def _render_attendance(request, sheet, *, members_form=None, attendee_form=None, status=200):
    members_form = members_form or meeting_forms.MemberAttendanceForm(rows=sheet.members)
    attendee_form = attendee_form or meeting_forms.AttendeeForm(
        meeting=sheet.meeting, agenda=sheet.agenda, members=sheet.members
    )
    errors = members_form if members_form.errors else attendee_form if attendee_form.errors else None
    return render(
        request,
        "meetings/attendance_record.html",
        {"sheet": sheet, "members_form": members_form, "attendee_form": attendee_form, "form": errors},
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_record(request, pk):
    """The members of the group, each marked present, apologies or not recorded (one POST for all)."""
    sheet = _attendance_sheet_or_404(pk)
    if request.method != "POST":
        return _render_attendance(request, sheet)
    form = meeting_forms.MemberAttendanceForm(request.POST, rows=sheet.members)
    if form.is_valid():
        try:
            changed = services.record_member_attendance(sheet.meeting, by=request.user, statuses=form.statuses())
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Attendance saved ({changed} change{'s' if changed != 1 else ''}).")
            return redirect("meetings:attendance", pk=pk)
    return _render_attendance(request, sheet, members_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_all_present(request, pk):
    """Mark every member not yet recorded present, in one step (POST); the exceptions are changed after."""
    sheet = _attendance_sheet_or_404(pk)
    if request.method == "POST":
        try:
            marked = services.mark_members_present(sheet.meeting, by=request.user)
        except MeetingStepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            if marked:
                messages.success(
                    request,
                    f"{marked} member{'s' if marked != 1 else ''} marked present. "
                    "Change anyone who sent apologies or was not there.",
                )
            else:
                messages.success(request, "Every member is already recorded.")
    return redirect("meetings:attendance", pk=pk)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_add(request, pk):
    """Record someone else: present, in attendance for one item, or representing a member (POST)."""
    sheet = _attendance_sheet_or_404(pk)
    if request.method != "POST":
        return redirect("meetings:attendance", pk=pk)
    form = meeting_forms.AttendeeForm(request.POST, meeting=sheet.meeting, agenda=sheet.agenda, members=sheet.members)
    if form.is_valid():
        try:
            record = services.record_attendee(sheet.meeting, by=request.user, **form.cleaned_data)
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"{record.person.name} recorded: {record.get_status_display().lower()}.")
            return redirect("meetings:attendance", pk=pk)
    return _render_attendance(request, sheet, attendee_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_remove(request, pk, attendance_pk):
    """Remove one person's attendance record (POST)."""
    record = get_object_or_404(Attendance.objects.select_related("person"), pk=attendance_pk, meeting_id=pk)
    if request.method == "POST":
        try:
            services.remove_attendance(record, by=request.user)
        except MeetingStepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"{record.person.name} is no longer recorded at this meeting.")
    return redirect("meetings:attendance", pk=pk)


@allow(read=EVERYONE)
def attendance_summary(request):
    """Each person's attendance at a group's recent meetings, with totals and a rate (``?body=`` chooses the group)."""
    bodies = list(bodies_with_meetings())
    filterset = AttendanceFilter(request.GET or None, bodies=bodies)
    summary = selectors.attendance_summary(body=filterset.chosen_body, bodies=bodies)
    # The group shown when none (or a wrong one) is chosen: the summary's own default.
    filterset.form.initial["body"] = summary.body.slug if summary.body else None
    valid = not filterset.is_bound or filterset.is_valid()
    return render(
        request,
        "meetings/attendance_summary.html",
        {"summary": summary, "filter": filterset, "form": None if valid else filterset.form},
        status=200 if valid else 400,
    )
