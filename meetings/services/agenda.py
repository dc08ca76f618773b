"""The agenda: the secretariat adds, edits, removes and reorders items while the meeting is planned or its
agenda issued."""

from django.db import transaction
from django.db.models import F, Max, Min

from mappa.refusals import require_secretariat
from meetings.models import (
    AgendaItem,
    Meeting,
)
from meetings.rules import (
    AGENDA_EDITABLE,
)
from meetings.selectors.agenda import removal_blockers
from meetings.services.meetings import MeetingStepRefused

Kind = AgendaItem.Kind


# New top-level items go before these, so AOB and the date of the next meeting stay last.
CLOSING_KINDS = (Kind.AOB, Kind.NEXT_MEETING)


class AgendaChangeRefused(MeetingStepRefused):
    """An agenda change the meeting's status, or the item's minute, actions or papers, do not allow."""


def lock_editable_agenda(meeting_id):
    """Lock the meeting (so agenda changes to it happen one at a time) and check its agenda may change."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.status not in AGENDA_EDITABLE:
        raise AgendaChangeRefused(
            f"The agenda can only be changed while the meeting is planned or its agenda issued; this meeting "
            f"is “{meeting.get_status_display()}”."
        )
    return meeting


def _check_item_details(title, lead_person, lead_organisation, minutes_allotted):
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the title of the item"
    if lead_person is not None and lead_organisation is not None:
        errors["lead_organisation"] = "Choose a lead person or a lead organisation, not both"
    if minutes_allotted is not None and minutes_allotted < 1:
        errors["minutes_allotted"] = "Minutes allotted must be 1 or more"
    if errors:
        raise AgendaChangeRefused(errors)


def _shift_later(items):
    """Move items one place later, the last first, so that no two siblings ever share a position."""
    for pk in items.order_by("-position").values_list("pk", flat=True):
        AgendaItem.objects.filter(pk=pk).update(position=F("position") + 1)


def _free_position(meeting, parent):
    """Where a new item goes: last among its siblings, but a top-level item goes before AOB and the next meeting."""
    siblings = AgendaItem.objects.filter(meeting=meeting, parent=parent)
    if parent is None:
        closing = siblings.filter(kind__in=CLOSING_KINDS).aggregate(first=Min("position"))["first"]
        if closing is not None:
            _shift_later(siblings.filter(position__gte=closing))
            return closing
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def insert_item(
    meeting, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None, parent=None
):
    _check_item_details(title, lead_person, lead_organisation, minutes_allotted)
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id is not None):
        raise AgendaChangeRefused({"parent": "A sub-item goes under a numbered item of this meeting's agenda"})
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        position=_free_position(meeting, parent),
        kind=Kind.TOPIC,
        title=title.strip(),
        description=(description or "").strip(),
        lead_person=lead_person,
        lead_organisation=lead_organisation,
        minutes_allotted=minutes_allotted,
    )
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def add_agenda_item(
    meeting, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None, parent=None
):
    """Add an item to the agenda, or a sub-item under a top-level item (4.1 under 4).

    A new top-level item goes last, before "AOB" and "Date of next meeting" if the
    agenda has them; a sub-item goes last under its parent. The lead is a person or
    an organisation, not both.
    """
    require_secretariat(by)
    meeting = lock_editable_agenda(meeting.pk)
    return insert_item(
        meeting,
        by=by,
        title=title,
        description=description,
        lead_person=lead_person,
        lead_organisation=lead_organisation,
        minutes_allotted=minutes_allotted,
        parent=parent,
    )


@transaction.atomic
def edit_agenda_item(
    item, *, by, title, description="", lead_person=None, lead_organisation=None, minutes_allotted=None
):
    """Change an item's title, description, lead and time; its place and number stay as they are."""
    require_secretariat(by)
    lock_editable_agenda(item.meeting_id)
    _check_item_details(title, lead_person, lead_organisation, minutes_allotted)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.title = title.strip()
    item.description = (description or "").strip()
    item.lead_person = lead_person
    item.lead_organisation = lead_organisation
    item.minutes_allotted = minutes_allotted
    item._history_user = by
    item.save(update_fields=["title", "description", "lead_person", "lead_organisation", "minutes_allotted"])
    return item


@transaction.atomic
def remove_agenda_item(item, *, by):
    """Remove an item from the agenda, unless it has minute text, actions, papers or sub-items (it says which)."""
    require_secretariat(by)
    lock_editable_agenda(item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    blockers = removal_blockers(item)
    if blockers:
        raise AgendaChangeRefused(f"“{item.title}” cannot be removed: it has {_and_join(blockers)}.")
    item._history_user = by
    item.delete()


def _and_join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@transaction.atomic
def move_agenda_item(item, *, by, direction):
    """Swap an item with the sibling above ("up") or below ("down"); the numbers shown follow the new order."""
    require_secretariat(by)
    meeting = lock_editable_agenda(item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    siblings = AgendaItem.objects.filter(meeting=meeting, parent_id=item.parent_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    elif direction == "down":
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    else:
        raise AgendaChangeRefused("Choose whether to move the item up or down.")
    if neighbour is None:
        raise AgendaChangeRefused(f"“{item.title}” is already {'first' if direction == 'up' else 'last'}.")
    # Positions are unique among siblings: park the item beyond the last one, then swap.
    parking = siblings.aggregate(last=Max("position"))["last"] + 1
    mine, theirs = item.position, neighbour.position
    AgendaItem.objects.filter(pk=item.pk).update(position=parking)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    return item
