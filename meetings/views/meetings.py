"""The meetings list, planning a meeting, and a meeting's page with its next lifecycle step."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from mappa import generation
from mappa.access import EVERYONE, SECRETARIAT, allow, has_role
from mappa.pagination import govuk_pagination, page_of
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings.filters import MeetingFilter
from meetings.forms import (
    AdvanceMeetingForm,
    MeetingForm,
)
from meetings.models import Meeting
from meetings.selectors import meetings as selectors
from meetings.services import meetings as services


@allow(read=EVERYONE)
def meeting_list(request):
    """Meetings, newest first, 50 to a page, filtered by group and upcoming or past (meetings.filters)."""
    filterset = MeetingFilter(request.GET, queryset=selectors.meeting_list())
    valid = filterset.is_valid()
    # A filter no link sends (a group not in the list) lists no meetings, with the error on the filter bar.
    meetings = filterset.qs if valid else Meeting.objects.none()
    page = page_of(meetings, request.GET.get("page"), selectors.MEETINGS_PER_PAGE)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "pagination": govuk_pagination(page, request.GET),
            "filter": filterset,
            "form": None if valid else filterset.form,  # base.html's error summary
            "can_plan": has_role(request.user, *SECRETARIAT),
            # The page's rows are the same for every reader: drawn once, kept until the data changes.
            "rows_key": f"{generation.current()}:{filterset.today}:{request.GET.urlencode()}",
        },
        status=200 if valid else 400,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(by=request.user, **form.cleaned_data)
        messages.success(request, f"Meeting planned: {meeting}. Its agenda starts from the group's standing agenda.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


def _meeting_page_or_404(pk, user):
    try:
        return selectors.meeting_page(pk, user)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


@allow(read=EVERYONE)
def meeting_detail(request, pk):
    page = _meeting_page_or_404(pk, request.user)
    form = agreement = None
    if page.can_manage and page.meeting.next_status:
        form, agreement = _advance_form(page.meeting)
    return render(request, "meetings/meeting_detail.html", {"page": page, "advance_form": form, "agreement": agreement})


def _advance_form(meeting, data=None):
    """The form of the meeting's next step and, when that step is agreeing its minutes, where they can be agreed."""
    if meeting.next_status != Meeting.Status.MINUTES_AGREED:
        return AdvanceMeetingForm(data, meeting=meeting), None
    agreement = selectors.agreement_for(meeting)
    form = AdvanceMeetingForm(
        data,
        meeting=meeting,
        agreeable_meetings=selectors.later_meetings_of_same_body(meeting),
        undecided_comments=agreement.undecided_comments,
    )
    return form, agreement


@allow(read=SECRETARIAT, write=SECRETARIAT)
def meeting_advance(request, pk):
    """Take the meeting's next lifecycle step (POST); GET shows the meeting page."""
    page = _meeting_page_or_404(pk, request.user)
    meeting = page.meeting
    if request.method != "POST":
        return redirect(meeting)
    form, agreement = _advance_form(meeting, request.POST)
    expected = request.POST.get("to_status")
    if form.is_valid():
        try:
            services.advance_meeting(meeting, expected, by=request.user, **form.cleaned_data)
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            message = f"{meeting}: {Meeting.Status(expected).label}."
            if expected == Meeting.Status.DRAFT_CIRCULATED:
                # True whether or not the task queue is up: the e-mails are in the outbox either way.
                message += " The draft is on its way to the group's members by e-mail."
            messages.success(request, message)
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {"page": page, "advance_form": form, "agreement": agreement, "form": form},
        status=400,
    )
