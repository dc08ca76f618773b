"""Who may read actions and who may update them.

``visible_actions`` is the one rule for which actions a user may read (``hidden_actions`` its complement); ``may_update`` the one
rule for who may add a progress update to an action (``owned_by``: whom an action counts as
owned by); ``may_edit`` who may change an action itself.
"""

from django.db.models import Q

from actions.models import Action
from mappa import access
from mappa.models import Membership, Person
from meetings.models import Meeting

# Roles that may ever add an update to an action: the secretariat to any, owners to their own.
UPDATER_ROLES = frozenset(
    {access.Role.SECRETARIAT, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER, access.ADMINISTRATOR}
)
# Inspectors read actions once the minute that records them is agreed, as they read minutes.
AGREED_STATUSES = (Meeting.Status.MINUTES_AGREED, Meeting.Status.PUBLISHED)


def person_of(user):
    """The Person a login belongs to, or None (cached on the user, as ``user.person`` is)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def owned_by(person, on=None):
    """A filter for the actions ``person`` owns, on a date (today by default).

    A person owns an action when they are named as an owner, when they are a named
    contact of an owning organisation (Organisation.contacts), or when they hold a
    current seat on an owning body ("All NSG members"). Written as subqueries, so
    filtering by it never repeats an action.
    """
    seats = Membership.objects.current(on).filter(person=person).values("body_id")
    return (
        Q(pk__in=Action.owner_people.through.objects.filter(person=person).values("action_id"))
        | Q(pk__in=Action.owner_organisations.through.objects.filter(organisation__contacts=person).values("action_id"))
        | Q(pk__in=Action.owner_bodies.through.objects.filter(body_id__in=seats).values("action_id"))
    )


def may_update(user, action):
    """Whether ``user`` may add a progress update to ``action``.

    The secretariat (and administrators) may update any action. An SOG chair or
    NSG member may update the actions they own (see ``owned_by``): as a named
    owner, as a named contact of an owning organisation, or as a current member
    of an owning body. Inspectors never may, whatever they own; nor may anyone else.
    """
    roles = access.roles_of(user)
    if roles & access.SECRETARIAT:
        return True
    if not roles & UPDATER_ROLES:
        return False
    person = person_of(user)
    if person is None:
        return False
    return Action.objects.filter(pk=action.pk).filter(owned_by(person)).exists()


def may_edit(user):
    """Whether ``user`` may edit actions themselves (text, owners, due date, status): the secretariat."""
    return access.has_role(user, *access.SECRETARIAT)


def visible_actions(user):
    """The actions ``user`` may read: all of them, except that inspectors see only those of agreed minutes.

    An action is part of its meeting's minute; like the minute (see
    meetings.rules.may_read_minutes), it is not the inspectors' to
    see until the minute is agreed.
    """
    actions = Action.objects.all()
    if _reads_only_agreed(user):
        actions = actions.filter(meeting__status__in=AGREED_STATUSES)
    return actions


def hidden_actions(user):
    """The actions ``user`` may not read (visible_actions' complement): for inspectors those of the few minutes
    not yet agreed, for everyone else none. Few, so a list over every readable action (the register's owners)
    can leave these out rather than join every action."""
    if _reads_only_agreed(user):
        return Action.objects.exclude(meeting__status__in=AGREED_STATUSES)
    return Action.objects.none()


def _reads_only_agreed(user):
    """Whether ``user`` reads only the actions of agreed minutes: an inspector with no other role."""
    return not (access.roles_of(user) - {access.Role.INSPECTOR})
