"""Changing someone's role, rights or memberships is a line of the audit log, naming who did it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from mappa.models import Membership, Person
from tests.audit.helpers import ADDRESS, Kind, lines, only_line
from tests.factories import MembershipFactory, SogFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_an_administrator_giving_someone_a_role_in_the_admin_is_recorded(client, administrator_user, member_user):
    client.force_login(administrator_user)
    person = member_user.person
    response = client.post(
        reverse("admin:mappa_person_change", args=[person.pk]),
        {
            "name": person.name,
            "job_title": person.job_title,
            "organisation": person.organisation_id,
            "email": person.email,
            "access_role": Person.AccessRole.SECRETARIAT,
            "user": member_user.pk,
            "active": "on",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    # (The fixture's own line, for the person created with a role, names no one: no request.)
    line = only_line(Kind.ROLE_CHANGED, object_id=str(person.pk), user=administrator_user)
    assert (line.user, line.ip_address, line.label) == (administrator_user, ADDRESS, person.name)
    assert line.details == {"access_role": {"from": "nsg_member", "to": "secretariat"}}
    assert line.request_id


def test_making_someone_a_superuser_or_deactivating_them_is_recorded(member_user):
    member_user.is_superuser = True
    member_user.save()
    member_user.is_active = False
    member_user.save()

    made, deactivated = lines(Kind.ROLE_CHANGED, object_id=str(member_user.pk), label="t-member")
    assert made.details == {"is_superuser": {"from": False, "to": True}}
    assert deactivated.details == {"is_active": {"from": True, "to": False}}
    # Nobody signed in made these (a shell, a command): the line says so by naming no one.
    assert made.username == ""


def test_signing_in_is_not_a_change_of_role(client, member_user):
    before = len(lines(Kind.ROLE_CHANGED))
    client.force_login(member_user)  # saves last_login
    assert len(lines(Kind.ROLE_CHANGED)) == before


def test_giving_the_right_to_read_the_audit_log_is_recorded(member_user):
    right = Permission.objects.get(codename="view_auditevent")
    first = max(line.pk for line in lines(Kind.ROLE_CHANGED))
    member_user.user_permissions.add(right)
    leads = Group.objects.create(name="Secretariat leads")
    leads.permissions.add(right)
    leads.user_set.add(member_user)

    given, group_given, joined = lines(Kind.ROLE_CHANGED, pk__gt=first)
    assert given.details == {"permissions": {"added": ["Audit log | audit event | Can view audit event"]}}
    assert (group_given.label, group_given.details) == (
        "Secretariat leads",
        {"permissions": {"added": ["Audit log | audit event | Can view audit event"]}},
    )
    assert (joined.label, joined.details) == ("t-member", {"groups": {"added": ["Secretariat leads"]}})


def test_a_membership_added_changed_and_removed_is_recorded(client, administrator_user, fife):
    chair = user_with_role(Person.AccessRole.SOG_CHAIR, username="t-new-chair").person
    sog = SogFactory(area=fife)
    client.force_login(administrator_user)

    response = client.post(
        reverse("admin:mappa_membership_add"),
        {"person": chair.pk, "body": sog.pk, "role": "chair", "started_on": "2017-04-01", "ended_on": ""},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(person=chair, body=sog)
    added = only_line(Kind.MEMBERSHIP_CHANGED, object_id=str(membership.pk))
    assert (added.user, added.ip_address) == (administrator_user, ADDRESS)
    assert added.details["change"] == "added"
    assert (added.details["role"], added.details["started_on"]) == ("chair", "2017-04-01")

    membership.ended_on = membership.started_on.replace(year=2018)
    membership.save()
    pk = membership.pk
    membership.delete()

    _, changed, removed = lines(Kind.MEMBERSHIP_CHANGED, object_id=str(pk))
    assert changed.details["changed"] == {"ended_on": {"from": None, "to": "2018-04-01"}}
    assert removed.details["change"] == "removed"
    assert removed.label == added.label


def test_a_membership_saved_unchanged_is_not_a_change(fife):
    membership = MembershipFactory(body=SogFactory(area=fife))
    membership.save()
    assert len(lines(Kind.MEMBERSHIP_CHANGED, object_id=str(membership.pk))) == 1
