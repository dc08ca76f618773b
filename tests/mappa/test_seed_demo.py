"""`python manage.py seed_demo` loads MAPPA in Scotland as the 2017 NSG papers show it, and is safe to re-run."""

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo import world as demo_world
from mappa import selectors
from mappa.models import Area, Body, Person
from meetings.models import AgendaItem

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]

AREAS_2017 = {
    "Edinburgh, Lothian & Borders",
    "Fife",
    "Forth Valley",
    "Glasgow",
    "Grampian",
    "Highland and Islands",
    "Lanarkshire",
    "North Strathclyde",
    "South West Scotland",
    "Tayside",
}
LOGINS = ["secretariat", "chair-fife", "chair-glasgow", "member-rma", "inspector", "admin"]
ROLE_WORDS = ("Chair", "Coordinator", "Representative", "Secretariat", "Officer", "Lead", "Inspector", "Administrator")


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Every field of every row of the service's own models (m2m tables included) and of the logins."""
    own_apps = [config for config in apps.get_app_configs() if Path(config.path).parent == PROJECT]
    assert "mappa" in {config.label for config in own_apps}
    models = [model for config in own_apps for model in config.get_models(include_auto_created=True)]
    models.append(get_user_model())
    return {model._meta.label: sorted(map(repr, model.objects.order_by("pk").values())) for model in models}


def test_the_ten_2017_areas_and_the_northern_area_they_replaced():
    seed()
    assert set(Area.objects.filter(active=True).values_list("name", flat=True)) == AREAS_2017
    northern = Area.objects.get(name="Northern")
    assert northern.active is False
    assert northern.ended_on.isoformat() == "2017-03-31"
    assert set(northern.successors.values_list("name", flat=True)) == {"Grampian", "Highland and Islands"}
    assert set(Area.objects.get(name="Grampian").predecessors.all()) == {northern}


def test_the_national_groups_and_one_sog_per_area():
    seed()
    assert Body.objects.get(kind=Body.Kind.NATIONAL_STRATEGIC_GROUP).name == "MAPPA National Strategic Group"
    assert Body.objects.get(kind=Body.Kind.DEVELOPMENT_GROUP).reports_to.short_name == "NSG"
    for area in Area.objects.all():
        sog = area.oversight_group
        assert sog.kind == Body.Kind.STRATEGIC_OVERSIGHT_GROUP
        assert sog.name == f"{area.name} Strategic Oversight Group"
        assert sog.active == area.active
    assert Body.objects.filter(kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP).count() == 11


def test_the_six_demo_logins_sign_in_with_the_demo_password():
    seed()
    assert [username for username, _ in demo_world.LOGINS] == LOGINS
    for username in LOGINS:
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": demo_world.DEMO_PASSWORD})
        assert response.status_code == 302, f"{username} could not sign in"
        assert client.get(reverse("home")).status_code == 200


def test_each_demo_login_has_the_role_its_name_says():
    seed()
    User = get_user_model()
    roles = {p.user.username: p.access_role for p in Person.objects.filter(user__isnull=False).select_related("user")}
    assert roles == {
        "secretariat": "secretariat",
        "chair-fife": "sog_chair",
        "chair-glasgow": "sog_chair",
        "member-rma": "nsg_member",
        "inspector": "inspector",
        "admin": "",
    }
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


def test_the_fife_chair_acts_for_fife_only():
    seed()
    User = get_user_model()
    assert [a.name for a in selectors.areas_for(User.objects.get(username="chair-fife"))] == ["Fife"]
    assert [a.name for a in selectors.areas_for(User.objects.get(username="chair-glasgow"))] == ["Glasgow"]
    assert list(selectors.areas_for(User.objects.get(username="inspector"))) == []


def test_the_command_prints_the_logins_and_the_password():
    output = seed()
    assert "Demo world ready: 11 areas" in output
    for username in LOGINS:
        assert f"  {username} " in output
    assert f"Password: {demo_world.DEMO_PASSWORD}" in output


def test_a_second_run_changes_nothing():
    seed()
    before = snapshot()
    assert before["mappa.Person"] and before["auth.User"] and before["mappa.Area_successors"]
    seed()
    assert snapshot() == before


def test_a_second_run_puts_back_what_someone_changed():
    seed()
    fife = Area.objects.get(slug="fife")
    fife.name = "Kingdom of Fife"
    fife.save()
    seed()
    fife.refresh_from_db()
    assert fife.name == "Fife"


def test_every_demo_person_has_an_invented_name_and_their_role_as_job_title():
    seed()
    people = {person.email: person for person in Person.objects.all()}
    # One person for each name in the one list of them, and no one else; no surname used twice, so
    # "Ms Crawford" in a minute is one person.
    assert sorted(people) == sorted(name.email for name in demo_world.NAMES)
    assert len({name.surname for name in demo_world.NAMES}) == len(demo_world.NAMES)
    for name in demo_world.NAMES:
        person = people[name.email]
        assert person.name == name.full == f"{name.forename} {name.surname}"
        assert name.honorific in ("Ms", "Mr", "Dr")
        # The role the person was named by before is still there to see, in the job title.
        assert any(word in person.job_title for word in ROLE_WORDS), f"{person.job_title!r} names no role"
        assert person.email.endswith("@mappa-demo.example")
    assert "Chair of the NSG" in Person.objects.get(email=demo_world.NAME_OF["nsg-chair"].email).job_title
    assert Person.objects.get(user__username="chair-fife").job_title.startswith("Fife SOG Chair")


def test_each_demo_login_carries_its_persons_name():
    seed()
    for username in LOGINS:
        user = get_user_model().objects.get(username=username)
        person = user.person
        assert f"{user.first_name} {user.last_name}" == person.name
        assert user.email == person.email


def test_a_demo_database_seeded_with_role_names_is_corrected_not_duplicated():
    """Before the people had names they were named by role, at their key's address: a rerun renames them."""
    seed()
    chair = Person.objects.get(user__username="chair-fife")
    secretary = demo_world.NAME_OF["secretariat"]
    Person.objects.filter(pk=chair.pk).update(
        name="Fife SOG Chair", job_title="Chief Social Work Officer", email="chair-fife@mappa-demo.example"
    )
    Person.objects.filter(email=secretary.email).update(
        name="NSG Secretariat Officer", email="secretariat@mappa-demo.example"
    )
    get_user_model().objects.filter(username="chair-fife").update(
        first_name="Fife SOG Chair", last_name="", email="chair-fife@mappa-demo.example"
    )
    count = Person.objects.count()
    seed()
    assert Person.objects.count() == count
    chair.refresh_from_db()
    assert chair.name == demo_world.NAME_OF["chair-fife"].full
    assert chair.email == demo_world.NAME_OF["chair-fife"].email
    assert chair.user.first_name == demo_world.NAME_OF["chair-fife"].forename
    assert Person.objects.get(email=secretary.email).name == secretary.full
    assert not Person.objects.filter(email__in=["chair-fife@mappa-demo.example", "secretariat@mappa-demo.example"])


def test_the_minutes_name_the_demos_people_and_give_contact_details_to_redact():
    seed()
    minutes = " ".join(AgendaItem.objects.values_list("narrative", flat=True))
    rma, police = demo_world.NAME_OF["member-rma"], demo_world.NAME_OF["police"]
    assert f"{rma.titled} (RMA) presented paper 5.2" in minutes
    assert f"{rma.formal} agreed" in minutes
    assert f"{police.formal}'s absence" in minutes
    assert f"{demo_world.NAME_OF['vss'].forename} would report back" in minutes
    assert demo_world.NAME_OF["secretariat"].email in minutes and "0131 496 0233" in minutes
    # Nobody outside the list is named: every "Ms/Mr/Dr (Forename) Surname" is a demo person's.
    named = set(re.findall(r"\b(?:Ms|Mr|Dr) (?:[A-Z][a-z]+ )?([A-Z][A-Za-z]+)", minutes))
    assert named and named <= {name.surname for name in demo_world.NAMES}
