"""Odd values in the register's filters and forms are a 400 or a form error, never a 500 (issue 11).

A probe found these; tests/mappa/test_hostile_input.py sends such values everywhere, these
pin the cases it found. ``"²".isdigit()`` is True, but "²" is no id; PostgreSQL cannot hold
a NUL; SQLite cannot hold an id beyond 64 bits.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions.models import Action
from tests.actions.factories import register_world

pytestmark = pytest.mark.django_db

MONDAY_20_NOVEMBER_2017 = datetime(2017, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
HUGE = "99999999999999999999"


@pytest.fixture
def world(db):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        yield register_world()


@pytest.mark.parametrize("value", ["²", "\x00"])
def test_a_meeting_that_is_no_id_is_an_error_on_the_register(client, member_user, world, value):
    client.force_login(member_user)
    response = client.get("/actions/", {"meeting": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Select a meeting from the list" in page


def test_a_group_with_a_nul_in_it_is_an_error_on_the_register(client, member_user, world):
    client.force_login(member_user)
    response = client.get("/actions/", {"body": "nsg\x00"})
    assert response.status_code == 400
    assert "Select a group from the list" in response.content.decode()


@pytest.mark.parametrize("export", ["/actions.csv", "/actions.xlsx", "/actions.pdf"])
@pytest.mark.parametrize("query", [{"meeting": "²"}, {"body": "\x00"}, {"meeting": HUGE}])
def test_an_export_of_a_filter_that_is_wrong_is_a_bad_request(client, inspector_user, world, export, query):
    client.force_login(inspector_user)
    assert client.get(export, {"meeting": world.nsg_may.pk}).status_code == 200  # a filter from the list
    response = client.get(export, query)
    assert response.status_code == 400
    assert "There is a problem with the web address" in response.content.decode()


@pytest.mark.parametrize("owner", ["person", "organisation", "body"])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "²", "\x00"])
def test_an_owner_that_is_no_id_is_a_form_error_when_editing_an_action(client, secretariat_user, world, owner, value):
    action = world.nsg_overdue
    client.force_login(secretariat_user)
    response = client.post(
        f"/actions/{action.pk}/edit/",
        {
            "text": action.text,
            "owners": [f"organisation-{world.sg.pk}", f"{owner}-{value}"],
            "due_date_0": "15",
            "due_date_1": "11",
            "due_date_2": "2017",
            "status": Action.Status.OPEN,
            "reason": "",
            "noted_at": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Select owners from the list" in page
    action.refresh_from_db()
    assert list(action.owner_organisations.all()) == [world.sg]


def test_a_due_date_in_a_year_beyond_any_calendar_is_a_form_error(client, secretariat_user, world):
    action = world.nsg_overdue
    client.force_login(secretariat_user)
    response = client.post(
        f"/actions/{action.pk}/edit/",
        {
            "text": action.text,
            "owners": [f"organisation-{world.sg.pk}"],
            "due_date_0": "1",
            "due_date_1": "1",
            "due_date_2": HUGE,
            "status": Action.Status.OPEN,
            "reason": "",
            "noted_at": "",
        },
    )
    assert response.status_code == 400
    assert "Enter a real due date" in response.content.decode()
