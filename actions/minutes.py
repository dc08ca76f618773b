"""Actions in a meeting's minute: what the minute editor shows of them, and the minute part the meetings
app asks for (meetings/registry.py; registered in actions.apps).

An action is raised under an agenda item, so this app builds on meetings and meetings
knows nothing of actions. Where a meeting's own code needs them (the minutes snapshot
and its "what changed" page, the minute as PDF and Word, the check before an agenda
item is removed) it asks its registry, and ``MINUTE_PART`` below answers. The pages that
record actions at a meeting are this app's: actions/minute_views.py, with the template
tags of the minute editor in actions/templatetags/minute_actions.py.
"""

from datetime import date

from django.db.models import Prefetch

from actions.models import Action, ActionUpdate
from mappa.models import Organisation
from meetings.registry import MinutePart

OWNERS = ("owner_people", "owner_organisations__parent", "owner_bodies")


# The minute editor's actions panels (actions/templatetags/minute_actions.py).


def item_actions(item):
    """The actions raised under an agenda item, by number, owners prefetched."""
    return list(Action.objects.filter(agenda_item=item).prefetch_related(*OWNERS).order_by("number"))


def matters_arising(meeting):
    """Every open action from the group's earlier meetings, oldest first, for item 2 of ``meeting``.

    Each carries ``latest_update`` (or None), for "Action 1 from 16 February 2017 meeting".
    """
    updates = ActionUpdate.objects.select_related("author__person", "noted_at").order_by("-at", "-id")
    actions = list(
        Action.objects.filter(
            meeting__body_id=meeting.body_id, meeting__date__lt=meeting.date, status__in=Action.OPEN_STATUSES
        )
        .select_related("meeting")
        .prefetch_related(*OWNERS, Prefetch("updates", queryset=updates))
        .order_by("meeting__date", "number")
    )
    for action in actions:
        every = list(action.updates.all())
        action.latest_update = every[0] if every else None
    return actions


# The minute part: what meetings/registry.py asks of actions.


def snapshot(meeting):
    """Each agenda item's actions as the minutes snapshot keeps them: number, text, owner, due date."""
    by_item = {}
    for action in Action.objects.filter(meeting=meeting).prefetch_related(*OWNERS).order_by("number"):
        by_item.setdefault(action.agenda_item_id, []).append(
            {
                "number": action.number,
                "text": action.text,
                "owner": action.owner_label,
                "due_date": action.due_date.isoformat(),
            }
        )
    return by_item


def lines(entries):
    """One item's snapshot actions as lines of "what changed", dated as the minute dates them (27 November 2017)."""
    return [
        f"Action {a['number']}: {a['owner']} — {a['text']} (due {date.fromisoformat(a['due_date']):%-d %B %Y})"
        for a in entries
    ]


def documents(docs):
    """Load the actions into a meeting's documents: each agenda entry's ``actions``, all of them in agenda
    order in ``docs.actions``, and the updates on earlier actions noted at the meeting in
    ``docs.matters_arising``. Five queries, however many items and actions."""
    meeting = docs.meeting
    owners = Prefetch("owner_organisations", queryset=Organisation.objects.select_related("parent"))
    by_item = {}
    for action in (
        Action.objects.filter(meeting=meeting)
        .order_by("number")
        .prefetch_related("owner_people", owners, "owner_bodies")
    ):
        action.meeting = meeting  # its citation needs the meeting: no query per action
        by_item.setdefault(action.agenda_item_id, []).append(action)
    docs.actions = []
    for entry in docs.agenda:
        entry.actions = by_item.get(entry.item.id, [])
        docs.actions.extend(entry.actions)
    docs.matters_arising = list(
        ActionUpdate.objects.filter(noted_at=meeting)
        .select_related("action__meeting")
        .order_by("action__meeting__date", "action__number", "at")
    )


def removal_blocker(item):
    """ "2 actions" when actions were raised under the agenda item (it cannot then be removed), else ""."""
    count = Action.objects.filter(agenda_item=item).count()
    return f"{count} action{'s' if count != 1 else ''}" if count else ""


MINUTE_PART = MinutePart(
    name="actions", snapshot=snapshot, lines=lines, documents=documents, removal_blocker=removal_blocker
)
