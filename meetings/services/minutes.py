"""Drafting the minute: saving an item's text, refusing a save that would overwrite someone else's."""

from django.db import transaction

from mappa.refusals import require_secretariat
from meetings.models import (
    AgendaItem,
)
from meetings.rules import (
    DRAFTABLE,
)
from meetings.services.meetings import MeetingStepRefused


class EditConflict(Exception):
    """Someone else saved this item's minute since the editor was opened."""

    def __init__(self, current):
        super().__init__("This item was changed by someone else since you opened it.")
        self.current = current


@transaction.atomic
def save_minute(item, *, by, narrative, decisions, base_version):
    """Save an item's minute if nobody else has saved since ``base_version``; else raise EditConflict.

    Each save raises the version and is kept in the item's history with its author.
    """
    require_secretariat(by)
    current = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if current.meeting.status not in DRAFTABLE:
        raise MeetingStepRefused("Minutes can be drafted once the meeting is held, and until they are agreed.")
    if current.version != base_version:
        raise EditConflict(current)
    if current.narrative == narrative and current.decisions == decisions:
        return current
    current.narrative = narrative
    current.decisions = decisions
    current.version += 1
    current._history_user = by
    current.save(update_fields=["narrative", "decisions", "version"])
    return current
