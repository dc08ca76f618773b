"""Case review records: the list the user may see, recording one, its page, and changing it.

Every look-up of a record goes through reviews.selectors.case_reviews, which applies the area rule.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, allow
from mappa.refusals import refusal_onto
from mappa.selectors import areas_for
from mappa.submissions import submitted_once
from reviews.filters import CaseReviewFilter
from reviews.forms import CaseReviewForm
from reviews.selectors.case_reviews import case_review_for, case_reviews_for
from reviews.selectors.visibility import EDITORS, acts_for_areas
from reviews.services.case_reviews import create_case_review, update_case_review
from reviews.services.returns import ReturnRefused
from reviews.views.returns import not_allowed


@allow(read=EVERYONE)
def case_review_list(request):
    """The case review records the user may see, filtered by area and type (reviews.filters)."""
    filterset = CaseReviewFilter(request.GET, queryset=case_reviews_for(request.user), user=request.user)
    if not filterset.is_valid():
        # No link or form of the service sends a value its field refuses: 400 (templates/400.html).
        raise BadRequest("Invalid value for " + ", ".join(sorted(filterset.errors)))
    return render(
        request,
        "reviews/case_review_list.html",
        {
            "reviews": list(filterset.qs.order_by("-commissioned_on", "reference")),
            "filter": filterset,
            "can_create": acts_for_areas(request.user),
        },
    )


@allow(read=EDITORS, write=EDITORS)
@submitted_once
def case_review_create(request):
    areas = areas_for(request.user).order_by("name")
    form = CaseReviewForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        area = values.pop("area")
        try:
            review = create_case_review(by=request.user, area=area, **values)
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Case review {review.reference} recorded.")
            return redirect(review)
    return render(request, "reviews/case_review_form.html", {"form": form, "review": None})


def _case_review_or_404(request, pk):
    try:
        return case_review_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404("No such case review") from None


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.VIEW)
def case_review_detail(request, pk):
    review = _case_review_or_404(request, pk)
    audit_subject(request, review, page="case review")
    return render(
        request,
        "reviews/case_review_detail.html",
        {
            "review": review,
            "can_edit": acts_for_areas(request.user),
            "followed_by": list(review.progressed_to.order_by("reference")),
        },
    )


@allow(read=EDITORS, write=EDITORS)
def case_review_edit(request, pk):
    review = _case_review_or_404(request, pk)
    if request.method not in ("GET", "POST"):
        return not_allowed()
    areas = areas_for(request.user)
    if request.method == "POST":
        form = CaseReviewForm(request.POST, areas=areas, review=review)
    else:
        form = CaseReviewForm(initial=CaseReviewForm.initial_from(review), areas=areas, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            update_case_review(review, by=request.user, **form.values())
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Case review {review.reference} updated.")
            return redirect(reverse("case_reviews:detail", kwargs={"pk": review.pk}))
    return render(request, "reviews/case_review_form.html", {"form": form, "review": review})
