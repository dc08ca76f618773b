"""The action plan pages. Views parse the request, call a selector or service, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from mappa.access import EVERYONE, SECRETARIAT, allow, has_role
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from recommendations import selectors
from recommendations.filters import LAST_MEETING, ActionPlanFilter
from recommendations.forms import AssessmentForm, StatusUpdateForm
from recommendations.models import Recommendation
from recommendations.services.assessments import record_assessment
from recommendations.services.review_dates import current_review_date
from recommendations.services.status_updates import record_status_update


@allow(read=EVERYONE)
def action_plan(request):
    plan_filter = ActionPlanFilter(request.GET)
    as_at = plan_filter.plan_date
    rows = selectors.action_plan(as_at=as_at, recommendations=plan_filter.qs)
    since = plan_filter.cleaned("since")
    if since == LAST_MEETING:
        since = selectors.last_nsg_meeting_date()
    return render(
        request,
        "recommendations/action_plan.html",
        {
            "filter": plan_filter,
            "rows": rows,
            "summary": selectors.plan_summary(rows),
            "as_at": as_at,
            "as_at_raw": plan_filter.raw("as_at"),
            "since": since,
            "since_raw": plan_filter.raw("since"),
            "changes": selectors.changes_since(since, until=as_at) if since else None,
            "status": plan_filter.cleaned("status"),
            "progress": plan_filter.cleaned("progress"),
            "query": request.GET.urlencode(),
            "filter_errors": plan_filter.date_errors(),
            "can_edit": has_role(request.user, *SECRETARIAT),
        },
    )


@allow(read=EVERYONE)
def divergence(request):
    as_at = ActionPlanFilter(request.GET).plan_date
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
