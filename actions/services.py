"""Changes to actions: recording one in a minute, noting a matter arising at a later meeting, and the
register's progress updates and the secretariat's changes. Every change that moves the status or the due
date leaves an ActionUpdate in the timeline."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from actions.models import Action, ActionUpdate
from actions.selectors.visibility import may_update
from mappa import access
from mappa.refusals import Refused, require_secretariat
from meetings.models import Meeting

CLOSED_STATUSES = (Action.Status.COMPLETE, Action.Status.DROPPED)
# What an owner may set when they add an update; the secretariat may set any status.
OWNER_STATUSES = (Action.Status.IN_PROGRESS, Action.Status.COMPLETE)


class ActionChangeRefused(Refused):
    """A change to an action that its state or the rules do not allow (field errors where they belong)."""


@transaction.atomic
def record_action(item, *, by, text, due_date, people=(), organisations=(), bodies=()):
    """Record an action under an agenda item, numbered after the meeting's other actions.

    The due date is on or after the meeting's date (else ActionChangeRefused on ``due_date``).
    """
    require_secretariat(by, "record actions")
    if not (people or organisations or bodies):
        raise ValueError("An action needs at least one owner.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if due_date < meeting.date:
        # Overdue the day it was raised; a later correction (edit_action) may set any date, with a reason.
        raise ActionChangeRefused(
            {
                "due_date": f"The due date must be on or after the meeting ({meeting.date:%-d %B %Y}): "
                "an action cannot be overdue when it is raised"
            }
        )
    number = (meeting.actions.aggregate(last=Max("number"))["last"] or 0) + 1
    action = Action.objects.create(
        meeting=meeting,
        agenda_item=item,
        number=number,
        text=text.strip(),
        due_date=due_date,
        original_due_date=due_date,
        created_by=by,
    )
    action.owner_people.set(people)
    action.owner_organisations.set(organisations)
    action.owner_bodies.set(bodies)
    return action


@transaction.atomic
def record_matter_arising(action, *, by, at_meeting, text, new_status=""):
    """At a later meeting's item 2, note an update on an earlier action, or close it.

    Closing (complete, or dropped/superseded) needs the text as its reason; the
    update records the meeting at which it was noted.
    """
    require_secretariat(by)
    action = Action.objects.select_for_update().get(pk=action.pk)
    text = text.strip()
    if not text:
        raise ActionChangeRefused({"text": "Enter the update, or the reason for closing the action"})
    if at_meeting.body_id != action.meeting.body_id or at_meeting.date <= action.meeting.date:
        raise ActionChangeRefused("Matters arising are noted at a later meeting of the same group.")
    update = ActionUpdate.objects.create(
        action=action,
        author=by,
        text=text,
        new_status=new_status,
        reason=text if new_status in (Action.Status.COMPLETE, Action.Status.DROPPED) else "",
        noted_at=at_meeting,
    )
    if new_status and new_status != action.status:
        action.status = new_status
        action.save(update_fields=["status"])
    return update


def _locked(action):
    return Action.objects.select_for_update().select_related("meeting").get(pk=action.pk)


def _needs_reason(action, new_status):
    """Closing an action (complete, dropped) or reopening a closed one needs a reason."""
    return new_status in CLOSED_STATUSES or (action.status in CLOSED_STATUSES and new_status in Action.OPEN_STATUSES)


def _check_noted_at(action, noted_at, errors):
    if noted_at is not None and (noted_at.body_id != action.meeting.body_id or noted_at.date <= action.meeting.date):
        errors["noted_at"] = "Choose a later meeting of the group that raised the action"


@transaction.atomic
def add_progress_update(action, *, by, text, new_status="", reason="", noted_at=None):
    """Add a dated progress update to an action's timeline, optionally moving its status.

    Who: anyone ``actions.selectors.visibility.may_update`` allows (the secretariat, or an
    owner: a named person, a contact of an owning organisation, a current member
    of an owning body); anyone else gets PermissionDenied. Owners may mark their
    action in progress or complete, while it is open; the secretariat may set any
    status and say at which meeting the update was noted. Marking it complete (or
    dropped) needs a reason. Raises ActionChangeRefused with field errors.
    """
    action = _locked(action)
    if not may_update(by, action):
        raise PermissionDenied("Only the action's owners and the NSG secretariat may update it.")
    secretariat = access.has_role(by, *access.SECRETARIAT)
    text, reason = text.strip(), reason.strip()
    if new_status == action.status:
        new_status = ""
    errors = {}
    if not secretariat:
        if not action.is_open:
            raise ActionChangeRefused(
                f"{action.citation} is {action.get_status_display().lower()}: ask the NSG secretariat to reopen it."
            )
        if noted_at is not None:
            errors["noted_at"] = "Only the NSG secretariat records the meeting at which an update was noted"
    if not text:
        errors["text"] = "Enter the update"
    if new_status and new_status not in (Action.Status.values if secretariat else OWNER_STATUSES):
        errors["new_status"] = "Select in progress or complete"
    elif new_status and _needs_reason(action, new_status) and not reason:
        errors["reason"] = (
            f"Enter why the action is {Action.Status(new_status).label.lower()}"
            if new_status in CLOSED_STATUSES
            else "Enter why the action is reopened"
        )
    _check_noted_at(action, noted_at, errors)
    if errors:
        raise ActionChangeRefused(errors)
    update = ActionUpdate.objects.create(
        action=action, author=by, text=text, new_status=new_status, reason=reason, noted_at=noted_at
    )
    if new_status:
        action.status = new_status
        action.save(update_fields=["status"])
    return update


def _change_errors(action, *, due_date=None, status=None, reason="", noted_at=None):
    """What is wrong with a new due date and/or status for ``action``, by field (empty if nothing)."""
    new_due_date = due_date is not None and due_date != action.due_date
    new_status = bool(status) and status != action.status
    reason = reason.strip()
    errors = {}
    if status and status not in Action.Status.values:
        errors["status"] = "Select a status from the list"
    elif new_due_date and not reason:
        errors["reason"] = "Enter why the due date has moved"
    elif new_status and _needs_reason(action, status) and not reason:
        errors["reason"] = (
            "Enter why the action is reopened"
            if status in Action.OPEN_STATUSES
            else f"Enter why the action is {Action.Status(status).label.lower()}"
        )
    _check_noted_at(action, noted_at, errors)
    return errors


def _record_change(action, *, by, due_date=None, status=None, reason="", noted_at=None):
    """Record a new due date and/or status (checked by _change_errors) as one update in the timeline.

    Returns the ActionUpdate, or None when neither changes. The caller holds the lock.
    """
    new_due_date = due_date if due_date is not None and due_date != action.due_date else None
    new_status = status if status and status != action.status else ""
    if not (new_due_date or new_status):
        return None
    update = ActionUpdate.objects.create(
        action=action,
        author=by,
        new_status=new_status,
        new_due_date=new_due_date,
        reason=reason.strip(),
        noted_at=noted_at,
    )
    fields = []
    if new_due_date:
        action.due_date = new_due_date  # original_due_date keeps the date first set
        fields.append("due_date")
    if new_status:
        action.status = new_status
        fields.append("status")
    action.save(update_fields=fields)
    return update


def _change(action, *, by, **change):
    errors = _change_errors(action, **change)
    if errors:
        raise ActionChangeRefused(errors)
    return _record_change(action, by=by, **change)


@transaction.atomic
def change_due_date(action, *, by, due_date, reason, noted_at=None):
    """Move an action's due date (secretariat only); the reason is required and the original date is kept.

    Raises ActionChangeRefused if the date is unchanged or no reason is given.
    """
    require_secretariat(by, "change an action itself; owners add progress updates")
    action = _locked(action)
    if due_date == action.due_date:
        raise ActionChangeRefused({"due_date": "Enter a date different from the current due date"})
    return _change(action, by=by, due_date=due_date, reason=reason, noted_at=noted_at)


@transaction.atomic
def change_status(action, *, by, status, reason="", noted_at=None):
    """Set an action's status (secretariat only). Closing it, or reopening it, needs a reason.

    ``noted_at`` is the later meeting of the same group at which the change was noted.
    """
    require_secretariat(by, "change an action itself; owners add progress updates")
    action = _locked(action)
    if status == action.status:
        raise ActionChangeRefused({"status": f"The action is already {action.get_status_display().lower()}"})
    return _change(action, by=by, status=status, reason=reason, noted_at=noted_at)


def close_action(action, *, by, reason, status=Action.Status.COMPLETE, noted_at=None):
    """Close an action as complete, or as dropped or superseded (secretariat only), with a reason."""
    if status not in CLOSED_STATUSES:
        raise ValueError("An action closes as complete or as dropped or superseded.")
    return change_status(action, by=by, status=status, reason=reason, noted_at=noted_at)


@transaction.atomic
def edit_action(
    action, *, by, text, due_date, status, reason="", noted_at=None, people=(), organisations=(), bodies=()
):
    """The secretariat edits anything about an action: its text, owners, due date and status.

    A new due date or status is recorded in the timeline as one update, with the
    reason (required for a new due date, for closing and for reopening) and the
    meeting at which it was noted. The text and owners change in place.
    Returns the action, as saved.
    """
    require_secretariat(by, "change an action itself; owners add progress updates")
    action = _locked(action)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = "Enter what is to be done"
    if not (people or organisations or bodies):
        errors["owners"] = "Select at least one owner: a person, an organisation or a group"
    if due_date is None:
        errors["due_date"] = "Enter the due date"
    errors.update(_change_errors(action, due_date=due_date, status=status, reason=reason, noted_at=noted_at))
    if errors:
        raise ActionChangeRefused(errors)
    _record_change(action, by=by, due_date=due_date, status=status, reason=reason, noted_at=noted_at)
    if text != action.text:
        action.text = text
        action.save(update_fields=["text"])
    action.owner_people.set(people)
    action.owner_organisations.set(organisations)
    action.owner_bodies.set(bodies)
    return action
