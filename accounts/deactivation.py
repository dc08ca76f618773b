"""Switching off the accounts of people who have left: the daily job (accounts.tasks.deactivate_leavers).

Someone is switched off when their account is active, they are not an administrator, their role in
the service comes only from their seats on groups (an NSG member, a SOG chair or coordinator, or no
role: never the secretariat or an inspector, whose role is theirs whatever they sit on), they have
sat on at least one group, and none of their memberships is current. They are e-mailed (through the
outbox), and the secretariat sees the list at /accounts/deactivated/.
"""

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from accounts import emails
from accounts.models import Deactivation
from mappa.models import Membership, Person

# The roles a person holds only through a current membership.
MEMBERSHIP_ROLES = ("", Person.AccessRole.NSG_MEMBER, Person.AccessRole.SOG_CHAIR)


def leavers(today=None):
    today = today or timezone.localdate()
    current = Membership.objects.current(today).filter(person=OuterRef("pk"))
    return (
        Person.objects.filter(
            user__is_active=True,
            user__is_superuser=False,
            user__is_staff=False,
            access_role__in=MEMBERSHIP_ROLES,
            memberships__isnull=False,
        )
        .exclude(Exists(current))
        .annotate(last_ended_on=Max("memberships__ended_on"))
        .filter(last_ended_on__lt=today)
        .select_related("user")
        .distinct()
    )


def deactivate_leavers(today=None):
    """Switch off each leaver's account, record it and queue their e-mail; returns the Deactivations."""
    done = []
    for person in leavers(today):
        with transaction.atomic():
            user = type(person.user).objects.select_for_update().get(pk=person.user_id)
            if not user.is_active:
                continue
            user.is_active = False
            user.save(update_fields=["is_active"])
            from accounts import sessions

            sessions.end_sessions(user)
            deactivation = Deactivation.objects.create(
                user=user, person=person, last_membership_ended_on=person.last_ended_on
            )
            emails.queue_deactivation_notice(deactivation)
        done.append(deactivation)
    return done
