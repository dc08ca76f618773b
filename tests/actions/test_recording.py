"""The secretariat records an action at a meeting: its owners from one list, a due date not before the meeting.

Owners are people, organisations and whole groups in one grouped multiple select (the
browser lays a searchable picker over it: tests/browser/test_owner_picker.py). People who
have left and groups that no longer meet are not offered for new actions; an action that
already names them keeps them.
"""

from datetime import date

import pytest

from actions import services
from actions.models import Action
from meetings.models import Meeting
from tests import html
from tests.actions.factories import ActionFactory
from tests.factories import BodyFactory, NsgFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    nsg = NsgFactory()
    meeting = MeetingFactory(body=nsg, date=date(2017, 11, 8), status=Meeting.Status.HELD)
    return AgendaItemFactory(meeting=meeting, position=3, title="MAPPA: Thematic Inspection Action Plan")


@pytest.fixture
def owners(item):
    sg = OrganisationFactory(name="Scottish Government", short_name="SG")
    return {
        "sg": sg,
        "jo": PersonFactory(name="Jo Policy", organisation=sg),
        "gone": PersonFactory(name="Northern SOG Chair", organisation=sg, active=False),
        "nsg": item.meeting.body,
        "northern": BodyFactory(name="Northern Strategic Oversight Group", short_name="Northern SOG", active=False),
    }


def editor_url(item):
    return f"/meetings/{item.meeting_id}/minutes/{item.pk}/"


def owner_options(page):
    """The owners list as the user sees it: {group label: [option text, ...]}."""
    return {
        group.get("label"): [html.text(option) for option in group.xpath("./option")]
        for group in page.xpath('//select[@name="owners"]/optgroup')
    }


def test_owners_are_chosen_from_one_list_of_people_organisations_and_groups(client, secretariat_user, item, owners):
    client.force_login(secretariat_user)
    page = html.page(client.get(editor_url(item)))

    select = html.one(page, '//select[@name="owners"]')
    assert select.get("multiple") is not None
    assert html.text(html.one(page, '//label[@for="id_owners"]')) == "Owners"
    offered = owner_options(page)
    assert list(offered) == ["People", "Organisations", "Groups"]
    assert "Jo Policy (SG)" in offered["People"]
    assert "SG (Scottish Government)" in offered["Organisations"]
    assert f"All {owners['nsg'].short_name} members ({owners['nsg'].name})" in offered["Groups"]
    # Who has left, and a group that no longer meets, are not offered for a new action.
    assert "Northern SOG Chair (SG)" not in offered["People"]
    assert not any("Northern" in group for group in offered["Groups"])

    response = client.post(
        editor_url(item) + "actions/",
        {
            "text": "Circulate the final ERA guidance",
            "owners": [f"person-{owners['jo'].pk}", f"organisation-{owners['sg'].pk}", f"body-{owners['nsg'].pk}"],
            "due": "two_weeks",
        },
        follow=True,
    )

    action = Action.objects.get()
    assert f"added: {action.owner_label}, due 22 November 2017." in html.text(html.page(response).xpath("//main")[0])
    assert action.owner_label == f"All {owners['nsg'].short_name} members; SG; Jo Policy"


@pytest.mark.parametrize("key", ["gone", "northern"])
def test_someone_who_has_left_cannot_be_made_an_owner_of_a_new_action(client, secretariat_user, item, owners, key):
    kind = "person" if key == "gone" else "body"
    client.force_login(secretariat_user)
    response = client.post(
        editor_url(item) + "actions/",
        {"text": "Report on Level 1 cases", "owners": [f"{kind}-{owners[key].pk}"], "due": "two_weeks"},
    )
    page = html.page(response)
    assert "Select owners from the list" in html.text(html.one(page, '//div[@class="govuk-error-summary"]'))
    assert not Action.objects.exists()


def test_an_action_due_before_its_meeting_is_refused_and_what_was_typed_is_kept(client, secretariat_user, item, owners):
    client.force_login(secretariat_user)
    response = client.post(
        editor_url(item) + "actions/",
        {
            "text": "Report on Level 1 cases",
            "owners": [f"person-{owners['jo'].pk}", f"organisation-{owners['sg'].pk}"],
            "due": "other",
            "due_date_0": "7",
            "due_date_1": "11",
            "due_date_2": "2017",
        },
    )

    page = html.page(response)
    summary = html.text(html.one(page, '//div[@class="govuk-error-summary"]'))
    assert "The due date must be on or after the meeting (8 November 2017)" in summary
    assert html.selected(page, "owners") == [f"person-{owners['jo'].pk}", f"organisation-{owners['sg'].pk}"]
    assert html.text(html.one(page, '//textarea[@name="text"]')) == "Report on Level 1 cases"
    assert html.checked(page, "due") == ["other"]
    assert [html.one(page, f'//input[@name="due_date_{n}"]').get("value") for n in range(3)] == ["7", "11", "2017"]
    assert not Action.objects.exists()

    # Due on the day of the meeting itself is accepted.
    client.post(
        editor_url(item) + "actions/",
        {
            "text": "Report on Level 1 cases",
            "owners": [f"person-{owners['jo'].pk}"],
            "due": "other",
            "due_date_0": "8",
            "due_date_1": "11",
            "due_date_2": "2017",
        },
    )
    assert Action.objects.get().due_date == date(2017, 11, 8)


def test_the_service_refuses_a_due_date_before_the_meeting_too(secretariat_user, item, owners):
    with pytest.raises(services.ActionChangeRefused, match="on or after the meeting"):
        services.record_action(
            item, by=secretariat_user, text="Report", due_date=date(2017, 11, 1), people=[owners["jo"]]
        )
    assert not Action.objects.exists()


def test_a_later_correction_may_set_a_date_before_the_meeting_with_a_reason(client, secretariat_user, item, owners):
    action = ActionFactory(meeting=item.meeting, agenda_item=item, due_date=date(2017, 11, 22))
    action.owner_people.set([owners["jo"]])
    client.force_login(secretariat_user)
    data = {
        "text": action.text,
        "owners": [f"person-{owners['jo'].pk}"],
        "due_date_0": "1",
        "due_date_1": "11",
        "due_date_2": "2017",
        "status": action.status,
        "reason": "It was in fact due before the meeting: minuted late.",
        "noted_at": "",
    }
    response = client.post(f"/actions/{action.pk}/edit/", data, follow=True)
    assert "saved." in html.text(html.page(response).xpath("//main")[0])
    action.refresh_from_db()
    assert action.due_date == date(2017, 11, 1)


def test_an_action_keeps_an_owner_who_has_left_when_it_is_edited(client, secretariat_user, item, owners):
    action = ActionFactory(meeting=item.meeting, agenda_item=item, number=1, due_date=date(2017, 11, 22))
    action.owner_people.set([owners["gone"]])
    action.owner_bodies.set([owners["northern"]])
    other = ActionFactory(meeting=item.meeting, agenda_item=item, number=2, due_date=date(2017, 11, 22))
    other.owner_people.set([owners["jo"]])
    client.force_login(secretariat_user)

    page = html.page(client.get(f"/actions/{action.pk}/edit/"))
    assert html.selected(page, "owners") == [f"person-{owners['gone'].pk}", f"body-{owners['northern'].pk}"]
    assert "Northern SOG Chair (SG)" in owner_options(page)["People"]
    # On another action they are not offered.
    assert "Northern SOG Chair (SG)" not in owner_options(html.page(client.get(f"/actions/{other.pk}/edit/")))["People"]

    response = client.post(
        f"/actions/{action.pk}/edit/",
        {
            "text": "Hand the Northern returns to Grampian",
            "owners": [f"person-{owners['gone'].pk}", f"body-{owners['northern'].pk}", f"person-{owners['jo'].pk}"],
            "due_date_0": "22",
            "due_date_1": "11",
            "due_date_2": "2017",
            "status": action.status,
            "reason": "",
            "noted_at": "",
        },
    )
    assert response.status_code == 302
    assert sorted(p.name for p in action.owner_people.all()) == ["Jo Policy", "Northern SOG Chair"]
    assert [b.short_name for b in action.owner_bodies.all()] == ["Northern SOG"]


def test_owner_errors_on_the_edit_page_keep_what_was_chosen(client, secretariat_user, item, owners):
    action = ActionFactory(meeting=item.meeting, agenda_item=item, due_date=date(2017, 11, 22))
    action.owner_people.set([owners["jo"]])
    client.force_login(secretariat_user)
    response = client.post(
        f"/actions/{action.pk}/edit/",
        {
            "text": "",
            "owners": [f"organisation-{owners['sg'].pk}"],
            "due_date_0": "22",
            "due_date_1": "11",
            "due_date_2": "2017",
            "status": action.status,
            "reason": "",
            "noted_at": "",
        },
    )
    assert response.status_code == 400
    page = html.page(response)
    assert "Enter what is to be done" in html.text(html.one(page, '//div[@class="govuk-error-summary"]'))
    assert html.selected(page, "owners") == [f"organisation-{owners['sg'].pk}"]
