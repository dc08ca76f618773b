"""`python manage.py seed_demo` loads MAPPA in Scotland as the 2017 NSG papers show it, and is safe to re-run."""

import io
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


def test_every_demo_person_is_named_by_their_role():
    seed()
    for person in Person.objects.all():
        assert any(word in person.name for word in ROLE_WORDS), f"{person.name!r} is not a role-like name"
        assert person.email.endswith("@mappa-demo.example")
