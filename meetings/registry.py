"""What other apps record against a meeting's agenda items, registered from their ``AppConfig.ready()``.

The meetings app imports no app that builds on it. Actions are raised under an agenda
item (actions.Action has a foreign key to the meeting and to the item), so the actions
app imports meetings, never the other way. Where a meeting's own code must take such
records into account, it asks this registry instead, and actions.apps registers what it
has to say (actions/minutes.py). The same pattern as mappa.registry, outbox.registry and
reminders.registry.

Pages that show or record actions at a meeting are the actions app's own: its views
(actions/minute_views.py, routed under /meetings/ by actions/minute_urls.py) and the
template tags the minute editor loads (actions/templatetags/minute_actions.py), as the
reviews app does for the SOG chairs' updates item.

A ``MinutePart`` says, for one kind of record (its ``name``, "actions"):

* ``snapshot(meeting)`` -> {agenda item id: [JSON-able dicts]}: what the minutes snapshot
  (meetings.services.snapshots.minute_content) keeps under ``name`` for each item;
* ``lines(entries)`` -> [str]: how one item's entries read in "what changed" between the
  circulated draft and the agreed minute (meetings.selectors.minutes.minutes_changes);
* ``documents(docs)``: loads the records into a MeetingDocuments (the minute as PDF and Word,
  meetings.selectors.documents), setting ``entry.<name>`` on each agenda entry and whatever
  the whole minute lists;
* ``removal_blocker(item)`` -> str: why an agenda item cannot be removed ("2 actions"), or "".
"""

from collections.abc import Callable
from dataclasses import dataclass

from mappa.registry import KindRegistry


@dataclass(frozen=True)
class MinutePart:
    name: str
    snapshot: Callable
    lines: Callable
    documents: Callable
    removal_blocker: Callable


_PARTS = KindRegistry("Minute part")
register_minute_part = _PARTS.register


def minute_parts():
    """The registered parts, in the order registered (INSTALLED_APPS)."""
    return list(_PARTS.kinds().values())
