"""Reading a meeting's minute: the editor of one item, its saved versions, the previous minutes to agree
at item 2, and what changed between the circulated draft and the agreed minute."""

from dataclasses import dataclass, field

from mappa.diffs import line_diff
from mappa.text import markdown_blocks
from meetings import registry
from meetings.models import (
    AgendaItem,
    Meeting,
    MinutesSnapshot,
)
from meetings.numbering import numbered_agenda
from meetings.selectors.circulation import undecided_comments


@dataclass
class MinuteEditor:
    meeting: Meeting
    item: AgendaItem
    number: str
    agenda: list
    previous_panel: "PreviousMinutesPanel | None" = None


def minute_editor(meeting_pk, item_pk):
    """An item with its number, and the meeting's agenda for navigation.

    The actions raised under the item, and the matters arising at item 2, are shown
    by the actions app's template tags (actions/templatetags/minute_actions.py).
    """
    meeting = Meeting.objects.select_related("body").get(pk=meeting_pk)
    items = list(meeting.agenda_items.all())
    agenda = numbered_agenda(items)
    entry = next((e for e in agenda if e.item.pk == item_pk), None)
    if entry is None:
        raise AgendaItem.DoesNotExist
    panel = previous_minutes_panel(meeting) if entry.item.kind == AgendaItem.Kind.PREVIOUS_MINUTES else None
    return MinuteEditor(meeting=meeting, item=entry.item, number=entry.number, agenda=agenda, previous_panel=panel)


def minute_history(item):
    """Every saved version of an item's minute, newest first, with its author."""
    return item.history.select_related("history_user__person").order_by("-history_date", "-history_id")


@dataclass
class PreviousMinutesPanel:
    """What item 2 of a meeting deals with: the previous minutes to agree (matters arising are the actions app's).

    ``previous``: the earlier draft awaiting agreement, with ``undecided_comments`` on it;
    ``agreed_here``: the earlier minutes agreed at this meeting, whose sentence ("The minute of the
    meeting held on ... was agreed as a true record.") the minute prints at the start of item 2.
    """

    previous: Meeting | None
    undecided_comments: int = 0
    agreed_here: list = field(default_factory=list)


def previous_minutes_panel(meeting):
    """The earlier meeting of the body whose draft awaits agreement, if any, and the minutes agreed here."""
    previous = (
        Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date, status=Meeting.Status.DRAFT_CIRCULATED)
        .order_by("-date")
        .first()
    )
    return PreviousMinutesPanel(
        previous=previous,
        undecided_comments=undecided_comments(previous) if previous else 0,
        agreed_here=list(Meeting.objects.filter(agreed_at=meeting).order_by("date")),
    )


@dataclass
class MinuteChange:
    number: str
    title: str
    changed: bool
    lines: list  # (kind, text) as the minute reads: kind is "same", "removed" or "added"
    source_lines: list  # the same, of the Markdown as typed (shown only on request)


def _as_read(text):
    """Markdown as the minute reads it, a line per paragraph, bullet or heading: rendered and sanitised as the
    minute is (mappa.text), so no Markdown marks and no HTML; bullets "•", numbered items "1."."""
    lines, number = [], 0
    for kind, block in markdown_blocks(text):
        number = number + 1 if kind == "number" else 0
        lines.append({"bullet": "• ", "number": f"{number}. "}.get(kind, "") + block)
    return lines


def minutes_changes(meeting):
    """Item by item, what changed between the draft as circulated and the agreed minute.

    Each item's ``lines`` compare the text as the minute prints it (Markdown rendered, HTML removed,
    actions with UK dates); ``source_lines`` compare the Markdown as typed.
    """
    snapshots = {s.kind: s for s in MinutesSnapshot.objects.filter(meeting=meeting)}
    circulated = snapshots.get(MinutesSnapshot.Kind.CIRCULATED)
    agreed = snapshots.get(MinutesSnapshot.Kind.AGREED)
    if circulated is None or agreed is None:
        return None

    def parts(entry):
        lines = []
        for part in registry.minute_parts():
            lines += part.lines(entry.get(part.name, []))
        return lines

    def as_source(entry):
        lines = (entry.get("narrative") or "").splitlines() + (entry.get("decisions") or "").splitlines()
        return [line for line in lines + parts(entry) if line.strip()]

    def as_read(entry):
        return _as_read(entry.get("narrative")) + _as_read(entry.get("decisions")) + parts(entry)

    before = {e["number"]: e for e in circulated.content}
    changes = []
    for entry in agreed.content:
        old = before.get(entry["number"], {})
        old_source, new_source = as_source(old), as_source(entry)
        changes.append(
            MinuteChange(
                number=entry["number"],
                title=entry["title"],
                changed=old_source != new_source,
                lines=line_diff(as_read(old), as_read(entry)),
                source_lines=line_diff(old_source, new_source),
            )
        )
    return changes
