"""The secretariat records the inspectorates' grades of the recommendations."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mappa.refusals import require_secretariat
from recommendations.models import Assessment


def record_assessment(recommendation, *, by, review, as_of, grade, summary=""):
    """Record the inspectorates' grade of a recommendation in a review (one grade per review)."""
    require_secretariat(by, "record action plan updates")
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                recommendation=recommendation,
                review=review,
                as_of=as_of,
                grade=grade,
                summary=summary.strip(),
                recorded_by=by,
            )
    except IntegrityError:
        raise ValidationError({"review": "This recommendation already has a grade from that review"}) from None
