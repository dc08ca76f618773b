"""The minute kept as it stood when circulated and when agreed (MinutesSnapshot), for the changes page."""

from meetings import registry
from meetings.models import (
    MinutesSnapshot,
)
from meetings.numbering import numbered_agenda


def minute_content(meeting):
    """The minute as data: every item in agenda order with its text and, under each registered minute
    part's name, its records ("actions": number, text, owner, due date), for snapshots and diffs."""
    parts = {part.name: part.snapshot(meeting) for part in registry.minute_parts()}
    return [
        {
            "number": entry.number,
            "title": entry.item.title,
            "narrative": entry.item.narrative,
            "decisions": entry.item.decisions,
            **{name: by_item.get(entry.item.id, []) for name, by_item in parts.items()},
        }
        for entry in numbered_agenda(list(meeting.agenda_items.all()))
    ]


def take_snapshot(meeting, kind, *, by):
    """Keep the minute as it stands now (as circulated, or as agreed); taken once per kind."""
    snapshot, _ = MinutesSnapshot.objects.get_or_create(
        meeting=meeting, kind=kind, defaults={"taken_by": by, "content": minute_content(meeting)}
    )
    return snapshot
