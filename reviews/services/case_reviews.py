"""Case review records: recording one (with its reference) and changing it."""

from django.db import transaction

from mappa.models import Area
from reviews import rules
from reviews.models import CASE_REVIEW_FIELDS, CaseReview
from reviews.services.returns import ReturnRefused, require_area


def _check_text(values):
    """No offender or victim details (a date of birth, a ViSOR, CHS, PNC or CRO number) in the free text."""
    errors = rules.case_review_text_errors(values)
    if errors:
        raise ReturnRefused(errors)


def _check_progressed_from(area, earlier, review=None):
    if earlier is None:
        return
    if earlier.area_id != area.pk:
        raise ReturnRefused({"progressed_from": "The earlier review must be one of the same area's"})
    if review is not None and earlier.pk == review.pk:
        raise ReturnRefused({"progressed_from": "A review cannot follow itself"})


@transaction.atomic
def create_case_review(*, by, area, **values):
    """Record a notified case review; its reference is the area's code, the year and the next number."""
    require_area(by, area)
    _check_text(values)
    _check_progressed_from(area, values.get("progressed_from"))
    Area.objects.select_for_update().get(pk=area.pk)  # one new reference per area at a time
    year = values["commissioned_on"].year
    last = (
        CaseReview.objects.filter(area=area, year=year).order_by("-sequence").values_list("sequence", flat=True).first()
    )
    sequence = (last or 0) + 1
    review = CaseReview(
        area=area,
        year=year,
        sequence=sequence,
        reference=CaseReview.make_reference(area, year, sequence),
        created_by=by,
        **{name: values.get(name) for name in CASE_REVIEW_FIELDS if name in values},
    )
    review._history_user = by
    review.full_clean(exclude=["reference", "created_by"])
    review.save()
    return review


@transaction.atomic
def update_case_review(review, *, by, **values):
    """Change a case review record (its area and reference stay as they are)."""
    require_area(by, review.area)
    review = CaseReview.objects.select_for_update().get(pk=review.pk)
    _check_text(values)
    _check_progressed_from(review.area, values.get("progressed_from"), review)
    for name in CASE_REVIEW_FIELDS:
        if name in values:
            setattr(review, name, values[name])
    review._history_user = by
    review.full_clean(exclude=["reference", "created_by"])
    review.save()
    return review
