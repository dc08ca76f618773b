"""Odd values sent to the meeting pages are a 400 or a form error, never a 500 (issue 11).

A probe found these; tests/mappa/test_hostile_input.py sends such values everywhere, these
pin the cases it found. ``"²".isdigit()`` is True, but "²" is no id; PostgreSQL cannot hold
a NUL; SQLite cannot hold an id beyond 64 bits. (A member's comment on item "²" is in
test_circulation.py.)
"""

from datetime import date, time

import pytest

from actions.models import Action
from meetings.models import AgendaItem, Meeting
from meetings.services import meetings as services
from tests.factories import NsgFactory, OrganisationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_ADDRESS = "There is a problem with the web address"


@pytest.fixture
def november(secretariat_user):
    return services.create_meeting(
        by=secretariat_user,
        body=NsgFactory(),
        date=date(2017, 11, 8),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="Committee Room 5, South Lanarkshire Council HQ, Hamilton",
    )


def test_adding_an_item_under_a_parent_that_is_no_id_is_a_bad_request(client, secretariat_user, november):
    url = f"/meetings/{november.pk}/agenda/items/new/"
    parent = november.agenda_items.filter(parent=None).order_by("position")[3]
    client.force_login(secretariat_user)
    response = client.get(url, {"parent": parent.pk})
    assert response.status_code == 200
    assert f'<option value="{parent.pk}" selected>' in response.content.decode()
    assert client.get(url, {"parent": "999999"}).status_code == 200  # no item of this meeting: none chosen
    for bogus in ("²", "-1", HUGE, "4\x00", "abc"):
        response = client.get(url, {"parent": bogus})
        assert response.status_code == 400, bogus
        assert BAD_ADDRESS in response.content.decode()


def test_the_meeting_list_refuses_a_filter_no_link_sends(client, member_user, november):
    client.force_login(member_user)
    assert client.get("/meetings/", {"body": november.body.slug, "when": "past"}).status_code == 200
    # A group not in the list (one that does not exist, or has no meetings) lists no meetings, and says so.
    response = client.get("/meetings/", {"body": "no-such-group"})
    page = response.content.decode()
    assert response.status_code == 400 and "0 meetings" in page and "Select a group from the list" in page
    for query, error in (
        ({"body": "\x00"}, "Select a group from the list"),
        ({"body": "nsg\x00"}, "Select a group from the list"),
        ({"body": "²"}, "Select a group from the list"),
        ({"when": "sometime"}, "Select upcoming or past meetings from the list"),
        ({"when": "\x00"}, "Select upcoming or past meetings from the list"),
    ):
        response = client.get("/meetings/", query)
        page = response.content.decode()
        assert response.status_code == 400, query
        assert "There is a problem" in page and error in page and "0 meetings" in page, query


def test_the_attendance_summary_refuses_a_group_no_link_sends(client, member_user, november):
    client.force_login(member_user)
    assert client.get("/meetings/attendance/", {"body": november.body.slug}).status_code == 200
    for bogus in ("no-such-group", "\x00", "nsg\x00", "²"):
        response = client.get("/meetings/attendance/", {"body": bogus})
        page = response.content.decode()
        assert response.status_code == 400, bogus
        assert "There is a problem" in page and "Select a group from the list" in page, bogus


@pytest.mark.parametrize("year", [HUGE, "9223372036854775808"])
def test_planning_a_meeting_in_a_year_beyond_any_calendar_is_a_form_error(client, secretariat_user, year):
    nsg = NsgFactory()
    client.force_login(secretariat_user)
    response = client.post(
        "/meetings/new/",
        {
            "body": nsg.pk,
            "date_0": "8",
            "date_1": "11",
            "date_2": year,
            "start_time": "10:30",
            "end_time": "13:00",
            "venue": "Committee Room 5",
            "agenda_items_deadline_0": "1",
            "agenda_items_deadline_1": "1",
            "agenda_items_deadline_2": year,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a real date of the meeting" in page
    assert "Enter a real deadline for proposing agenda items" in page
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("owner", ["person", "organisation", "body"])
@pytest.mark.parametrize("value", [HUGE, "9223372036854775808", "-" + HUGE, "²"])
def test_recording_an_action_for_an_owner_that_is_no_id_is_a_form_error(client, secretariat_user, owner, value):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=meeting, position=3, title="MAPPA: Thematic Inspection Action Plan")
    sg = OrganisationFactory(short_name="SG")
    client.force_login(secretariat_user)
    response = client.post(
        f"/meetings/{meeting.pk}/minutes/{item.pk}/actions/",
        {
            "text": "Circulate the final ERA guidance",
            "owners": [f"organisation-{sg.pk}", f"{owner}-{value}"],
            "due": "two_weeks",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Select owners from the list" in page
    assert not Action.objects.exists()
    assert AgendaItem.objects.filter(pk=item.pk).exists()
