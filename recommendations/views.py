"""The action plan pages. Views parse the request, call a selector or service, and render."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from mappa.access import EVERYONE, SECRETARIAT, allow, has_role
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from recommendations import selectors
from recommendations.forms import AssessmentForm, StatusUpdateForm
from recommendations.models import Recommendation, StatusUpdate
from recommendations.services.assessments import record_assessment
from recommendations.services.review_dates import current_review_date
from recommendations.services.status_updates import record_status_update


def _date_param(request, name):
    """A yyyy-mm-dd date from the query string, or None (with the raw text, to show it back)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, ""
    try:
        return date.fromisoformat(raw), raw
    except ValueError:
        return None, raw


@allow(read=EVERYONE)
def action_plan(request):
    as_at, as_at_raw = _date_param(request, "as_at")
    since, since_raw = _date_param(request, "since")
    if request.GET.get("since") == "last-meeting":
        since, since_raw = selectors.last_nsg_meeting_date(), "last-meeting"
    status = request.GET.get("status") if request.GET.get("status") in StatusUpdate.Status.values else ""
    progress = request.GET.get("progress") if request.GET.get("progress") in StatusUpdate.Progress.values else ""
    rows = selectors.action_plan(as_at=as_at, status=status or None, progress=progress or None)
    errors = []
    if as_at_raw and as_at is None:
        errors.append(("as_at", "Enter the “as at” date as a real date, like 2017-06-29"))
    if since_raw and since is None and since_raw != "last-meeting":
        errors.append(("since", "Enter the “changes since” date as a real date, like 2017-05-31"))
    return render(
        request,
        "recommendations/action_plan.html",
        {
            "rows": rows,
            "summary": selectors.plan_summary(rows),
            "as_at": as_at,
            "as_at_raw": as_at_raw,
            "since": since,
            "since_raw": since_raw,
            "changes": selectors.changes_since(since, until=as_at) if since else None,
            "status": status,
            "progress": progress,
            "query": request.GET.urlencode(),
            "statuses": StatusUpdate.Status.choices,
            "progress_bands": StatusUpdate.Progress.choices,
            "filter_errors": errors,
            "can_edit": has_role(request.user, *SECRETARIAT),
        },
    )


@allow(read=EVERYONE)
def divergence(request):
    as_at, _ = _date_param(request, "as_at")
    return render(request, "recommendations/divergence.html", {"rows": selectors.divergences(as_at), "as_at": as_at})


@allow(read=EVERYONE)
def recommendation_detail(request, pk):
    try:
        recommendation, timeline = selectors.recommendation_page(pk)
    except Recommendation.DoesNotExist:
        raise Http404("No such recommendation") from None
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {"recommendation": recommendation, "timeline": timeline, "can_edit": has_role(request.user, *SECRETARIAT)},
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def update_create(request, pk):
    recommendation = get_object_or_404(Recommendation, pk=pk)
    review_date = current_review_date(recommendation)
    form = StatusUpdateForm(request.POST or None, current_review_date=review_date)
    if request.method == "POST" and form.is_valid():
        record_status_update(recommendation, by=request.user, **form.cleaned_data)
        messages.success(request, f"Update recorded for recommendation {recommendation.number}.")
        return redirect(recommendation)
    return render(
        request,
        "recommendations/update_form.html",
        {"recommendation": recommendation, "form": form, "current_review_date": review_date},
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def assessment_create(request, pk):
    recommendation = get_object_or_404(Recommendation, pk=pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_assessment(recommendation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            messages.success(request, f"Grade recorded for recommendation {recommendation.number}.")
            return redirect(recommendation)
    return render(request, "recommendations/assessment_form.html", {"recommendation": recommendation, "form": form})
