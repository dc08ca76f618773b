"""The secretariat records the government's dated updates on the action plan."""

from django.db import transaction

from mappa.refusals import require_secretariat
from recommendations.models import StatusUpdate


@transaction.atomic
def record_status_update(
    recommendation,
    *,
    by,
    as_of,
    narrative,
    status,
    progress,
    review_date=None,
    completion_date=None,
    source=StatusUpdate.Source.OTHER,
    source_item=None,
    source_note="",
):
    """Add a dated government update to a recommendation's action plan track."""
    require_secretariat(by, "record action plan updates")
    return StatusUpdate.objects.create(
        recommendation=recommendation,
        as_of=as_of,
        narrative=narrative.strip(),
        status=status,
        progress=progress,
        review_date=review_date,
        completion_date=completion_date,
        source=source,
        source_item=source_item if source == StatusUpdate.Source.MEETING_ITEM else None,
        source_note=source_note.strip(),
        recorded_by=by,
    )
