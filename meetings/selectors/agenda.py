"""Reading the agenda for the secretariat's editor: the numbered items, the proposals sent in,
and what stops an item being removed."""

from dataclasses import dataclass

from django.apps import apps

from meetings import registry
from meetings.models import (
    AgendaItem,
    AgendaProposal,
    Meeting,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    AGENDA_EDITABLE,
)


def removal_blockers(item):
    """What stops an agenda item being removed ("minute text", "2 actions", ...); empty if nothing does."""
    blockers = []
    if item.narrative.strip() or item.decisions.strip():
        blockers.append("minute text")
    for part in registry.minute_parts():  # actions raised under the item (meetings/registry.py)
        blocker = part.removal_blocker(item)
        if blocker:
            blockers.append(blocker)
    if apps.is_installed("papers"):
        papers = apps.get_model("papers", "Paper").objects.filter(agenda_item=item).count()
        if papers:
            blockers.append(f"{papers} paper{'s' if papers != 1 else ''}")
    sub_items = AgendaItem.objects.filter(parent=item).count()
    if sub_items:
        blockers.append(f"{sub_items} sub-item{'s' if sub_items != 1 else ''} (remove or move them first)")
    return blockers


@dataclass
class AgendaEditor:
    meeting: Meeting
    agenda: list  # NumberedItem, each with is_first / is_last among its siblings
    editable: bool
    pending: list
    decided: list

    @property
    def numbers(self):
        return {entry.item.pk: entry.number for entry in self.agenda}


def agenda_editor(pk):
    """A meeting's numbered agenda for the secretariat to change, with the proposals sent in for it."""
    meeting = Meeting.objects.select_related("body").get(pk=pk)
    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related(
            "lead_person__organisation__parent", "lead_organisation__parent"
        )
    )
    agenda = numbered_agenda(items)
    siblings = {}
    for entry in agenda:
        siblings.setdefault(entry.item.parent_id, []).append(entry)
    for group in siblings.values():
        for index, entry in enumerate(group):
            entry.is_first = index == 0
            entry.is_last = index == len(group) - 1
    proposals = list(
        AgendaProposal.objects.filter(meeting=meeting)
        .select_related("proposed_by__person__organisation__parent", "accepted_item", "decided_by__person")
        .order_by("created_at", "id")
    )
    pending = [p for p in proposals if p.status == AgendaProposal.Status.PENDING]
    decided = [p for p in proposals if p.status != AgendaProposal.Status.PENDING]
    return AgendaEditor(
        meeting=meeting, agenda=agenda, editable=meeting.status in AGENDA_EDITABLE, pending=pending, decided=decided
    )


def top_level_items(meeting):
    """The items a sub-item may go under, in agenda order."""
    return AgendaItem.objects.filter(meeting=meeting, parent__isnull=True).order_by("position")
