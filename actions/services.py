"""Changes to actions: recording one in a minute."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from actions.models import Action
from mappa import access
from mappa.refusals import Refused, require_secretariat
from meetings.models import Meeting


@transaction.atomic
def record_action(item, *, by, text, due_date, people=(), organisations=(), bodies=()):
    """Record an action under an agenda item, numbered after the meeting's other actions."""
    require_secretariat(by, "record actions")
    if not (people or organisations or bodies):
        raise ValueError("An action needs at least one owner.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
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


# ----------------------------------------------------------------------------------------------
# The register: progress updates by owners, and the secretariat's changes to an action.
# Every change that moves the status or the due date leaves an ActionUpdate in the timeline.
# ----------------------------------------------------------------------------------------------

from actions.models import ActionUpdate  # noqa: E402

CLOSED_STATUSES = (Action.Status.COMPLETE, Action.Status.DROPPED)
# What an owner may set when they add an update; the secretariat may set any status.
OWNER_STATUSES = (Action.Status.IN_PROGRESS, Action.Status.COMPLETE)


class ActionChangeRefused(Refused):
    """A change to an action that its state or the rules do not allow (field errors where they belong)."""


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

    Who: anyone ``actions.selectors.may_update`` allows (the secretariat, or an
    owner: a named person, a contact of an owning organisation, a current member
    of an owning body); anyone else gets PermissionDenied. Owners may mark their
    action in progress or complete, while it is open; the secretariat may set any
    status and say at which meeting the update was noted. Marking it complete (or
    dropped) needs a reason. Raises ActionChangeRefused with field errors.
    """
    from actions.selectors import may_update

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
        errors["organisations"] = "Select at least one owner: an organisation, a group or a person"
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


# ----------------------------------------------------------------------------------------------
# Chasing: the daily digest of overdue and soon-due actions to their owners, and of long-overdue
# ones to the secretariat. The reminder log (reminders/) makes each line go out exactly once.
# ----------------------------------------------------------------------------------------------

import logging  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from mappa.models import Membership, Organisation, Person  # noqa: E402
from reminders import services as reminders  # noqa: E402
from reminders.models import Reminder  # noqa: E402

# An owner's digest lists their overdue actions and those due within this many days.
DUE_SOON_DAYS = 7
# Actions overdue by more than this many days are also listed in the secretariat's digest.
SECRETARIAT_OVERDUE_DAYS = 28
CHASE_KINDS = (Reminder.Kind.ACTION_DIGEST, Reminder.Kind.SECRETARIAT_OVERDUE_DIGEST)
logger = logging.getLogger(__name__)


@_dataclass
class ChaseResult(reminders.Chase):
    """What a chase claimed (or, on a dry run, would claim), with names to print it by (reminders.services.Chase).

    ``digests``' lines are in due-date order; ``actions``: action id → its row
    (citation parts, text, due date); ``unreachable``: ids of chased actions with
    nobody to tell (an owning organisation with no named contacts, an owning body
    with no current members, and no other owner).
    """

    actions: dict
    unreachable: list


def chase_overdue_actions(today, *, dry_run=False):
    """Work out, and unless ``dry_run`` claim, the digests of the chase of ``today``.

    Each owner of an open action that is overdue or due within DUE_SOON_DAYS gets one
    digest of them: a person owner directly, an owning organisation's named contacts,
    an owning body's current members. Actions overdue by more than
    SECRETARIAT_OVERDUE_DAYS also go in one digest to each member of the secretariat.
    A line chased to the same person within ACTION_REMINDER_INTERVAL_DAYS is left
    out (reminders.models explains how this holds under concurrency).

    The number of queries does not depend on the number of actions: the candidates,
    their owners, the owners' contacts and members, the secretariat and the recent
    reminders are read in one query each, and the recipients are worked out in memory.
    Sending is the caller's job (actions.tasks, or the management command).
    """
    plan, actions, people, unreachable = _chase_plan(today)
    if unreachable:
        logger.warning(
            "Chase of %s: %d overdue or soon-due actions have nobody to remind (action ids %s)",
            today,
            len(unreachable),
            ", ".join(map(str, unreachable[:20])),
        )
    if dry_run:
        recent = reminders.recently_reminded(CHASE_KINDS, today, reminders.interval_days())
        return ChaseResult(today, True, reminders.drop_recent(plan, recent), people, [], actions, unreachable)
    claimed = reminders.claim(plan, today)
    to_send = reminders.unsent_digests(CHASE_KINDS, today)
    return ChaseResult(today, False, claimed, people, to_send, actions, unreachable)


def _organisation_label(short_name, name, parent_short_name, parent_name):
    own = short_name or name
    return f"{parent_short_name or parent_name}, {own}" if parent_name else own


def _chase_plan(today):
    """The digests for ``today`` before the interval rule, with the actions and people they name."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    chased = {"status__in": Action.OPEN_STATUSES, "due_date__lte": horizon}
    through = {f"action__{key}": value for key, value in chased.items()}
    actions = {
        row["pk"]: row
        for row in Action.objects.filter(**chased)
        .order_by()
        .values("pk", "number", "text", "due_date", "meeting__date")
    }
    people = {}
    # recipient id -> action id -> reasons ("owner", "named contact for SG", "member of NSG")
    owed = {}

    def owe(person_id, name, email, action_id, via):
        people[person_id] = (name, email)
        owed.setdefault(person_id, {}).setdefault(action_id, []).append(via)

    for action_id, person_id, name, email in Action.owner_people.through.objects.filter(**through).values_list(
        "action_id", "person_id", "person__name", "person__email"
    ):
        owe(person_id, name, email, action_id, "owner")

    owning_organisations = {}
    for action_id, organisation_id, *label in Action.owner_organisations.through.objects.filter(**through).values_list(
        "action_id",
        "organisation_id",
        "organisation__short_name",
        "organisation__name",
        "organisation__parent__short_name",
        "organisation__parent__name",
    ):
        owning_organisations.setdefault(organisation_id, (_organisation_label(*label), []))[1].append(action_id)
    for organisation_id, person_id, name, email in Organisation.contacts.through.objects.filter(
        organisation_id__in=owning_organisations
    ).values_list("organisation_id", "person_id", "person__name", "person__email"):
        label, action_ids = owning_organisations[organisation_id]
        for action_id in action_ids:
            owe(person_id, name, email, action_id, f"named contact for {label}")

    owning_bodies = {}
    for action_id, body_id, short_name, body_name in Action.owner_bodies.through.objects.filter(**through).values_list(
        "action_id", "body_id", "body__short_name", "body__name"
    ):
        owning_bodies.setdefault(body_id, (short_name or body_name, []))[1].append(action_id)
    for body_id, person_id, name, email in (
        Membership.objects.current(today)
        .filter(body_id__in=owning_bodies)
        .order_by()
        .values_list("body_id", "person_id", "person__name", "person__email")
    ):
        label, action_ids = owning_bodies[body_id]
        for action_id in action_ids:
            owe(person_id, name, email, action_id, f"member of {label}")

    def in_due_order(action_ids):
        return sorted(
            action_ids,
            key=lambda pk: (actions[pk]["due_date"], actions[pk]["meeting__date"], actions[pk]["number"], pk),
        )

    digests = []
    for person_id, reasons in owed.items():
        lines = [
            reminders.Line(person_id, f"action:{pk}", pk, "; ".join(dict.fromkeys(reasons[pk])))
            for pk in in_due_order(reasons)
        ]
        digests.append(reminders.Digest(Reminder.Kind.ACTION_DIGEST, person_id, lines))

    long_overdue = in_due_order(
        pk for pk, row in actions.items() if (today - row["due_date"]).days > SECRETARIAT_OVERDUE_DAYS
    )
    if long_overdue:
        for person_id, name, email in Person.objects.filter(
            access_role=Person.AccessRole.SECRETARIAT, user__is_active=True
        ).values_list("pk", "name", "email"):
            people[person_id] = (name, email)
            lines = [reminders.Line(person_id, f"action:{pk}", pk) for pk in long_overdue]
            digests.append(reminders.Digest(Reminder.Kind.SECRETARIAT_OVERDUE_DIGEST, person_id, lines))
    digests.sort(key=lambda d: (people[d.recipient_id][0].casefold(), d.recipient_id, d.kind))
    reached = {pk for reasons in owed.values() for pk in reasons}
    unreachable = in_due_order(pk for pk in actions if pk not in reached)
    return digests, actions, people, unreachable


def action_citation(meeting_date, number):
    """ "Action 1 from 16 February 2017 meeting", from a meeting date and a number."""
    return f"Action {number} from {meeting_date:%-d %B %Y} meeting"


def action_link(action):
    """The full address of an action's page (its meeting's page, if the register has no page for it)."""
    try:
        path = reverse("actions:detail", args=[action.pk])
    except NoReverseMatch:
        path = action.meeting.get_absolute_url()
    return settings.SITE_URL + path


def action_digest_context(recipient, rows):
    """Template context for an action digest (owners' or secretariat's): its lines, overdue first.

    ``rows`` are the Reminder rows of one digest; the actions are read as they are
    now (a handful of queries for the whole digest).
    """
    period = rows[0].period
    found = (
        Action.objects.filter(pk__in=[row.action_id for row in rows])
        .select_related("meeting__body")
        .prefetch_related("owner_people", "owner_organisations__parent", "owner_bodies")
    )
    by_pk = {action.pk: action for action in found}
    lines = []
    for row in rows:
        action = by_pk.get(row.action_id)
        if action is None:
            continue
        lines.append(
            {
                "action": action,
                "citation": action.citation,
                "via": row.via,
                "overdue": action.due_date < period,
                "days_overdue": (period - action.due_date).days,
                "days_left": (action.due_date - period).days,
                "due_date_moved": action.due_date != action.original_due_date,
                "link": action_link(action),
            }
        )
    lines.sort(key=lambda line: (line["action"].due_date, line["action"].meeting.date, line["action"].number))
    return {
        "lines": lines,
        "overdue": [line for line in lines if line["overdue"]],
        "due_soon": [line for line in lines if not line["overdue"]],
        "due_soon_days": DUE_SOON_DAYS,
        "secretariat_overdue_days": SECRETARIAT_OVERDUE_DAYS,
        "interval_days": reminders.interval_days(),
        "register_link": _register_link(),
    }


def _register_link():
    try:
        return settings.SITE_URL + reverse("actions:list")
    except NoReverseMatch:
        return settings.SITE_URL + "/"
