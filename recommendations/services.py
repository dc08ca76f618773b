"""Changes to the action plan: the secretariat records updates and the inspectorates' grades."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mappa import access
from recommendations.models import Assessment, StatusUpdate


def _require_secretariat(user):
    if not access.has_role(user, *access.SECRETARIAT):
        raise PermissionDenied("Only the NSG secretariat records action plan updates.")


@transaction.atomic
def record_status_update(recommendation, *, by, as_of, narrative, status, progress, review_date=None,
                         completion_date=None, source=StatusUpdate.Source.OTHER, source_item=None, source_note=""):
    """Add a dated government update to a recommendation's action plan track."""
    _require_secretariat(by)
    return StatusUpdate.objects.create(
        recommendation=recommendation, as_of=as_of, narrative=narrative.strip(), status=status, progress=progress,
        review_date=review_date, completion_date=completion_date, source=source,
        source_item=source_item if source == StatusUpdate.Source.MEETING_ITEM else None,
        source_note=source_note.strip(), recorded_by=by)


def record_assessment(recommendation, *, by, review, as_of, grade, summary=""):
    """Record the inspectorates' grade of a recommendation in a review (one grade per review)."""
    _require_secretariat(by)
    try:
        with transaction.atomic():
            return Assessment.objects.create(recommendation=recommendation, review=review, as_of=as_of,
                                             grade=grade, summary=summary.strip(), recorded_by=by)
    except IntegrityError:
        raise ValidationError({"review": "This recommendation already has a grade from that review"}) from None


def current_review_date(recommendation):
    """The review date set by the latest update, if any."""
    latest = recommendation.status_updates.order_by("-as_of", "-id").first()
    return latest.review_date if latest else None
