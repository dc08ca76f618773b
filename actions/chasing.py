"""Chasing: the daily digest of overdue and soon-due actions to their owners, and of long-overdue ones to the secretariat.

The reminder log (reminders/) makes each line go out exactly once; the daily task
is actions.tasks.chase_overdue_actions, the command chase_overdue_actions.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from actions.models import Action
from mappa.models import Membership, Organisation, Person
from reminders import services as reminders
from reminders.models import Reminder

# An owner's digest lists their overdue actions and those due within this many days.
DUE_SOON_DAYS = 7
# Actions overdue by more than this many days are also listed in the secretariat's digest.
SECRETARIAT_OVERDUE_DAYS = 28
CHASE_KINDS = (Reminder.Kind.ACTION_DIGEST, Reminder.Kind.SECRETARIAT_OVERDUE_DIGEST)
logger = logging.getLogger(__name__)


@dataclass
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
