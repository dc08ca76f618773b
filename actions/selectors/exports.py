"""The actions of an export: every row of the filter for a spreadsheet, and the open actions by
owner for the PDF. A fixed number of queries, however many actions or owners.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, ActionUpdate
from actions.selectors.register import sorted_actions, with_owners
from meetings.models import AgendaItem
from meetings.numbering import numbered_agenda


def export_rows(actions, *, sort=None, today=None):
    """Every action of the filter, sorted, ready for a spreadsheet: owners, item number, latest update.

    Each action carries ``item_number``, ``latest_update`` (or None) and ``is_overdue``.
    A fixed number of queries: the actions, their owners (3), their updates, and the
    agenda items of their meetings.
    """
    today = today or timezone.localdate()
    updates = ActionUpdate.objects.order_by("-at", "-id")
    rows = list(
        with_owners(sorted_actions(actions, sort))
        .select_related("agenda_item")
        .prefetch_related(Prefetch("updates", queryset=updates))
    )
    _number_items(rows)
    for action in rows:
        every = list(action.updates.all())
        action.latest_update = every[0] if every else None
        action.is_overdue = action.is_open and action.due_date < today
    return rows


def _number_items(actions):
    meeting_ids = {action.meeting_id for action in actions}
    by_meeting = {}
    for item in AgendaItem.objects.filter(meeting_id__in=meeting_ids).only("id", "parent_id", "position", "meeting_id"):
        by_meeting.setdefault(item.meeting_id, []).append(item)
    numbers = {}
    for items in by_meeting.values():
        numbers.update({entry.item.id: entry.number for entry in numbered_agenda(items)})
    for action in actions:
        action.item_number = numbers.get(action.agenda_item_id, "")


@dataclass
class OwnerGroup:
    """The open actions of one owner, for the PDF: an action with three owners is under each."""

    kind: str
    label: str
    actions: list


_KIND_ORDER = {"group": 0, "organisation": 1, "person": 2}


def open_actions_by_owner(actions, today=None):
    """The open actions among ``actions``, grouped by owner (groups, organisations, people; A to Z).

    Within an owner, actions are in due-date order. Queries do not grow with the
    number of actions or owners.
    """
    today = today or timezone.localdate()
    rows = list(
        with_owners(actions.filter(status__in=Action.OPEN_STATUSES)).order_by(
            "due_date", "meeting__date", "number", "pk"
        )
    )
    groups = {}
    for action in rows:
        action.is_overdue = action.due_date < today
        owners = [("group", f"All {b.short_name or b.name} members", b.pk) for b in action.owner_bodies.all()]
        owners += [("organisation", o.label, o.pk) for o in action.owner_organisations.all()]
        owners += [("person", p.name, p.pk) for p in action.owner_people.all()]
        for kind, label, pk in owners or [("none", "No owner recorded", 0)]:
            group = groups.setdefault((kind, pk), OwnerGroup(kind=kind, label=label, actions=[]))
            group.actions.append(action)
    return sorted(groups.values(), key=lambda g: (_KIND_ORDER.get(g.kind, 3), g.label.lower()))
