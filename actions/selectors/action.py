"""One action: the action a user may read, its page (owners, item number, timeline), and the
meetings at which an update on it may be noted. A fixed number of queries, however many updates.
"""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from actions.models import Action, ActionUpdate
from actions.selectors.register import with_owners
from actions.selectors.visibility import may_edit, may_update, visible_actions
from meetings.models import AgendaItem, Meeting
from meetings.numbering import numbered_agenda


@dataclass
class TimelineEntry:
    """One dated entry on an action's page: an update, or the action being raised."""

    title: str
    at: object
    author: str
    text: str = ""
    reason: str = ""
    new_status: str = ""
    new_due_date: date | None = None
    noted_at: Meeting | None = None
    raised: bool = False


@dataclass
class ActionPage:
    action: Action
    item_number: str
    owners: list  # (kind, label): kind is "group", "organisation" or "person"
    timeline: list
    closure: ActionUpdate | None
    is_overdue: bool
    can_update: bool
    can_edit: bool


def _author(user):
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def _timeline_title(update):
    parts = []
    if update.new_status:
        parts.append(
            {
                Action.Status.OPEN: "Reopened",
                Action.Status.IN_PROGRESS: "Marked in progress",
                Action.Status.COMPLETE: "Marked complete",
                Action.Status.DROPPED: "Dropped or superseded",
            }[update.new_status]
        )
    if update.new_due_date:
        parts.append(f"Due date moved to {update.new_due_date:%-d %B %Y}")
    return "; ".join(parts) or "Progress update"


def get_action(pk, user):
    """The action ``pk`` with its meeting, item and owners, if ``user`` may read it; else Http404."""
    action = (
        with_owners(visible_actions(user).select_related("agenda_item", "created_by__person")).filter(pk=pk).first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def action_page(pk, user, today=None):
    """An action with its owners, its item's number and its timeline (newest first); Http404 if not readable."""
    today = today or timezone.localdate()
    action = get_action(pk, user)
    updates = list(
        ActionUpdate.objects.filter(action=action)
        .select_related("author__person", "noted_at__body")
        .order_by("-at", "-id")
    )
    items = AgendaItem.objects.filter(meeting_id=action.meeting_id).only("id", "parent_id", "position", "meeting_id")
    numbers = {entry.item.id: entry.number for entry in numbered_agenda(list(items))}
    owners = [("group", f"All {b.short_name or b.name} members") for b in action.owner_bodies.all()]
    owners += [("organisation", o.label) for o in action.owner_organisations.all()]
    owners += [("person", p.name) for p in action.owner_people.all()]
    timeline = [
        TimelineEntry(
            title=_timeline_title(u),
            at=u.at,
            author=_author(u.author),
            text=u.text,
            reason=u.reason,
            new_status=u.new_status,
            new_due_date=u.new_due_date,
            noted_at=u.noted_at,
        )
        for u in updates
    ]
    timeline.append(
        TimelineEntry(
            title="Action raised",
            at=action.created_at,
            author=_author(action.created_by),
            raised=True,
            text=f"Raised at the meeting of {action.meeting.date:%-d %B %Y}, due {action.original_due_date:%-d %B %Y}.",
        )
    )
    closure = None
    if not action.is_open:
        closure = next((u for u in updates if u.new_status == action.status), None)
    return ActionPage(
        action=action,
        item_number=numbers.get(action.agenda_item_id, ""),
        owners=owners,
        timeline=timeline,
        closure=closure,
        is_overdue=action.is_open and action.due_date < today,
        can_update=may_update(user, action),
        can_edit=may_edit(user),
    )


def meetings_for_noting(action):
    """Meetings at which an update on ``action`` may be noted: later meetings of the same group."""
    return (
        Meeting.objects.filter(body_id=action.meeting.body_id, date__gt=action.meeting.date)
        .select_related("body")
        .order_by("date", "start_time")
    )
