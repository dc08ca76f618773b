"""An action's page (/actions/<id>/): what, where it came from, who, when, its status and its timeline.

Who may write: the secretariat edits anything; an owner (a named person, a named
contact of an owning organisation, a current member of an owning group) adds
progress updates to their own actions; everyone else reads; inspectors never write.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.models import Action, ActionUpdate
from actions.selectors.visibility import may_update
from mappa.models import Membership
from meetings.models import Meeting
from tests import html
from tests.actions.factories import ActionUpdateFactory, register_world
from tests.factories import MembershipFactory, user_with_role
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MONDAY_20_NOVEMBER_2017 = datetime(2017, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def world(db):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        yield register_world()


@pytest.fixture
def today(world):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        yield MONDAY_20_NOVEMBER_2017.date()


def _url(action, what=""):
    return f"/actions/{action.pk}/{what + '/' if what else ''}"


def _page(client, user, action):
    client.force_login(user)
    response = client.get(_url(action))
    assert response.status_code == 200
    return response.content.decode()


def _text(markup):
    """The page's main content (or a part of it) as the reader sees it: tags gone, spaces collapsed."""
    root = html.page(markup)
    return html.text(next(iter(root.xpath("//main")), root))


def _timeline(markup):
    """The words under the "Updates" heading."""
    return " ".join(html.texts(html.page(markup), '//*[@id="timeline"]/following-sibling::*'))


# --- What everyone sees -----------------------------------------------------------------------------


def test_an_action_shows_what_where_who_when_and_its_status(client, member_user, world, today):
    page = _page(client, member_user, world.nsg_overdue)
    text = _text(page)

    assert "Action 1 from 31 May 2017 meeting" in text
    assert "Circulate the updated thematic inspection action plan." in text
    assert f'href="/meetings/{world.nsg_may.pk}/"' in page
    assert "item 1: MAPPA: Thematic Inspection Action Plan" in text
    assert "SG" in text
    assert "15 November 2017" in text and "originally" not in text
    assert "Overdue" in text
    assert "Open" in text
    assert "Action raised" in _timeline(page)
    # Only the secretariat edits, and is sent to the minute editor.
    assert "Edit action" not in text
    assert "minute editor" not in text


def test_the_secretariat_is_offered_the_minute_editor_and_the_edit_page(client, secretariat_user, world, today):
    page = _page(client, secretariat_user, world.nsg_overdue)

    assert f'href="/meetings/{world.nsg_may.pk}/minutes/{world.nsg_item.pk}/#actions"' in page
    assert f'href="/actions/{world.nsg_overdue.pk}/edit/"' in page


def test_a_moved_due_date_keeps_the_original_date_visible(client, secretariat_user, member_user, world, today):
    services.change_due_date(
        world.nsg_overdue,
        by=secretariat_user,
        due_date=date(2017, 11, 30),
        reason="The plan is waiting for the inspectors' comments.",
    )

    page = _page(client, member_user, world.nsg_overdue)

    assert "30 November 2017, originally 15 November 2017" in _text(page)
    timeline = _timeline(page)
    assert "Due date moved to 30 November 2017" in timeline
    assert "Reason: The plan is waiting for the inspectors' comments." in timeline
    assert "t-secretariat person" in timeline  # the author
    assert "Overdue" not in _text(page[: page.index('id="timeline"')])  # no longer late


def test_a_closed_action_shows_why_and_the_meeting_that_noted_it(client, secretariat_user, member_user, world, today):
    november = MeetingFactory(body=world.nsg, date=date(2017, 11, 8), status=Meeting.Status.HELD)
    services.close_action(
        world.nsg_later,
        by=secretariat_user,
        status=Action.Status.DROPPED,
        reason="Superseded by the national Level 1 standards work.",
        noted_at=november,
    )

    page = _page(client, member_user, world.nsg_later)
    status = _text(page[page.index('id="status"') : page.index("</dl>")])

    assert "Dropped or superseded" in status
    assert "Reason: Superseded by the national Level 1 standards work." in status
    assert "Closure noted at the meeting of 8 November 2017" in status
    assert f'href="/meetings/{november.pk}/"' in page
    assert "Dropped or superseded" in _timeline(page)


def test_the_timeline_is_newest_first_with_status_changes(client, member_user, world, today):
    first = ActionUpdateFactory(
        action=world.nsg_soon,
        text="Research plan drafted.",
        at=datetime(2017, 10, 2, 9, 0, tzinfo=ZoneInfo("Europe/London")),
    )
    ActionUpdateFactory(
        action=world.nsg_soon,
        author=first.author,
        text="Presented to the MDG.",
        new_status="in_progress",
        at=datetime(2017, 11, 1, 9, 0, tzinfo=ZoneInfo("Europe/London")),
    )

    timeline = _timeline(_page(client, member_user, world.nsg_soon))

    assert timeline.index("Marked in progress") < timeline.index("Presented to the MDG.")
    assert timeline.index("Presented to the MDG.") < timeline.index("Research plan drafted.")
    assert timeline.index("Research plan drafted.") < timeline.index("Action raised")
    assert "1 November 2017, 09:00" in timeline


def test_an_action_of_an_unagreed_minute_is_not_found_for_the_inspector(client, inspector_user, world, today):
    world.nsg_may.status = Meeting.Status.DRAFT_CIRCULATED
    world.nsg_may.save()
    client.force_login(inspector_user)

    assert client.get(_url(world.nsg_overdue)).status_code == 404
    assert client.get(_url(world.fife_open)).status_code == 200


# --- Owners add updates -----------------------------------------------------------------------------


def test_a_contact_of_the_owning_organisation_adds_an_update_and_it_appears_in_the_timeline(
    client, member_user, world, today
):
    world.rma.contacts.add(member_user.person)
    page = _page(client, member_user, world.nsg_soon)
    assert f'action="/actions/{world.nsg_soon.pk}/update/"' in page

    response = client.post(
        _url(world.nsg_soon, "update"),
        {"text": "The research plan goes to the MDG on 4 December.", "new_status": "", "reason": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/actions/{world.nsg_soon.pk}/#timeline"
    page = client.get(response["Location"]).content.decode()
    assert "Update added to Action 2 from 31 May 2017 meeting." in page
    timeline = _timeline(page)
    assert "Progress update" in timeline
    assert "The research plan goes to the MDG on 4 December." in timeline
    assert "t-member person" in timeline
    assert "20 November 2017, 10:00" in timeline


def test_an_owner_marks_their_action_complete_with_a_reason(client, member_user, world, today):
    world.nsg_later.owner_people.add(member_user.person)
    client.force_login(member_user)

    response = client.post(
        _url(world.nsg_later, "update"),
        {
            "text": "Standards agreed by the MDG.",
            "new_status": "complete",
            "reason": "Revised standards circulated to SOG chairs on 17 November.",
        },
    )

    assert response.status_code == 302
    world.nsg_later.refresh_from_db()
    assert world.nsg_later.status == Action.Status.COMPLETE
    update = ActionUpdate.objects.get(action=world.nsg_later)
    assert (update.new_status, update.reason, update.author) == (
        "complete",
        "Revised standards circulated to SOG chairs on 17 November.",
        member_user,
    )


def test_completing_without_a_reason_is_refused_and_what_was_typed_is_kept(client, member_user, world, today):
    world.nsg_later.owner_people.add(member_user.person)
    client.force_login(member_user)

    response = client.post(
        _url(world.nsg_later, "update"),
        {"text": "Standards agreed by the MDG.", "new_status": "complete", "reason": ""},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter why the action is complete" in page
    assert "Standards agreed by the MDG.</textarea>" in page
    assert html.checked(html.page(page), "new_status") == ["complete"]
    world.nsg_later.refresh_from_db()
    assert world.nsg_later.status == Action.Status.OPEN
    assert not ActionUpdate.objects.exists()


def test_an_empty_update_is_refused(client, member_user, world, today):
    world.nsg_later.owner_people.add(member_user.person)
    client.force_login(member_user)

    response = client.post(_url(world.nsg_later, "update"), {"text": "  ", "new_status": ""})

    assert response.status_code == 400
    assert "Enter the update" in response.content.decode()


def test_a_current_member_of_the_owning_group_may_update_but_a_former_member_may_not(world, today):
    current = user_with_role("sog_chair", username="fife-chair")
    former = user_with_role("nsg_member", username="former-fife-member")
    MembershipFactory(person=current.person, body=world.fife_sog, role=Membership.Role.CHAIR)
    MembershipFactory(
        person=former.person, body=world.fife_sog, started_on=date(2015, 1, 1), ended_on=date(2017, 3, 31)
    )

    assert may_update(current, world.fife_open)
    assert not may_update(former, world.fife_open)


def test_an_owner_cannot_reopen_or_update_a_closed_action(member_user, world, today):
    world.nsg_done.owner_people.add(member_user.person)

    with pytest.raises(services.ActionChangeRefused, match="ask the NSG secretariat to reopen it"):
        services.add_progress_update(world.nsg_done, by=member_user, text="Still going.")


def test_an_owner_may_not_drop_an_action(member_user, world, today):
    world.nsg_later.owner_people.add(member_user.person)

    with pytest.raises(services.ActionChangeRefused) as refusal:
        services.add_progress_update(
            world.nsg_later, by=member_user, text="Not needed.", new_status="dropped", reason="Superseded."
        )
    assert "new_status" in refusal.value.message_dict


# --- Others read ------------------------------------------------------------------------------------


def test_a_member_who_does_not_own_the_action_sees_no_form_and_is_refused(client, member_user, world, today):
    page = _page(client, member_user, world.nsg_soon)
    assert "Add an update" not in page

    response = client.post(_url(world.nsg_soon, "update"), {"text": "I should not be able to say this."})

    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()
    with pytest.raises(PermissionDenied):
        services.add_progress_update(world.nsg_soon, by=member_user, text="Nor through the service.")


def test_the_inspector_reads_but_cannot_post_even_as_a_named_contact(client, inspector_user, world, today):
    world.sg.contacts.add(inspector_user.person)

    page = _page(client, inspector_user, world.nsg_overdue)
    assert "Add an update" not in page

    response = client.post(_url(world.nsg_overdue, "update"), {"text": "Inspectors change nothing."})
    assert response.status_code == 403
    assert client.get(_url(world.nsg_overdue, "edit")).status_code == 403
    assert client.post(_url(world.nsg_overdue, "edit"), {"text": "x"}).status_code == 403
    assert not may_update(inspector_user, world.nsg_overdue)
    assert not ActionUpdate.objects.exists()


def test_asking_for_the_update_page_goes_to_the_form_on_the_action(client, member_user, world, today):
    client.force_login(member_user)
    response = client.get(_url(world.nsg_soon, "update"))
    assert response.status_code == 302
    assert response["Location"] == f"/actions/{world.nsg_soon.pk}/#add-update"


def test_an_unknown_action_is_not_found(client, member_user, world):
    client.force_login(member_user)
    assert client.get("/actions/999999/").status_code == 404


# --- The secretariat edits anything -----------------------------------------------------------------


def _edit_data(action, **changes):
    data = {
        "text": action.text,
        "owners": [f"organisation-{o.pk}" for o in action.owner_organisations.all()]
        + [f"body-{b.pk}" for b in action.owner_bodies.all()]
        + [f"person-{p.pk}" for p in action.owner_people.all()],
        "due_date_0": str(action.due_date.day),
        "due_date_1": str(action.due_date.month),
        "due_date_2": str(action.due_date.year),
        "status": action.status,
        "reason": "",
        "noted_at": "",
    }
    data.update(changes)
    return data


def test_the_secretariat_moves_a_due_date_only_with_a_reason(client, secretariat_user, world, today):
    client.force_login(secretariat_user)
    action = world.nsg_overdue
    assert client.get(_url(action, "edit")).status_code == 200

    refused = client.post(_url(action, "edit"), _edit_data(action, due_date_0="30"))

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Enter why the due date has moved" in page
    assert 'value="30"' in page  # the new day, as typed
    action.refresh_from_db()
    assert action.due_date == date(2017, 11, 15)

    saved = client.post(_url(action, "edit"), _edit_data(action, due_date_0="30", reason="Agreed at the NSG."))

    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.due_date, action.original_due_date) == (date(2017, 11, 30), date(2017, 11, 15))
    update = ActionUpdate.objects.get(action=action)
    assert (update.new_due_date, update.reason) == (date(2017, 11, 30), "Agreed at the NSG.")


def test_the_secretariat_changes_text_and_owners_without_a_timeline_entry(client, secretariat_user, world, today):
    client.force_login(secretariat_user)
    action = world.nsg_overdue

    response = client.post(
        _url(action, "edit"),
        _edit_data(
            action,
            text="Circulate the plan to members and SOG chairs.",
            owners=[f"organisation-{world.sg.pk}", f"organisation-{world.rma.pk}", f"person-{world.jo.pk}"],
        ),
    )

    assert response.status_code == 302
    page = client.get(_url(action)).content.decode()
    assert "Action 1 from 31 May 2017 meeting saved." in page
    assert "Circulate the plan to members and SOG chairs." in page
    assert sorted(o.short_name for o in action.owner_organisations.all()) == ["RMA", "SG"]
    assert [p.name for p in action.owner_people.all()] == ["Jo Policy"]
    assert not ActionUpdate.objects.exists()


def test_an_action_needs_an_owner(client, secretariat_user, world, today):
    client.force_login(secretariat_user)
    response = client.post(_url(world.nsg_overdue, "edit"), _edit_data(world.nsg_overdue, owners=[]))

    assert response.status_code == 400
    assert "Select at least one owner" in response.content.decode()


def test_closing_or_reopening_needs_a_reason(secretariat_user, world, today):
    with pytest.raises(services.ActionChangeRefused, match="Enter why the action is complete"):
        services.change_status(world.nsg_overdue, by=secretariat_user, status=Action.Status.COMPLETE)
    with pytest.raises(services.ActionChangeRefused, match="Enter why the action is reopened"):
        services.change_status(world.nsg_done, by=secretariat_user, status=Action.Status.OPEN)

    services.change_status(
        world.nsg_done, by=secretariat_user, status=Action.Status.OPEN, reason="The working group has not yet met."
    )
    world.nsg_done.refresh_from_db()
    assert world.nsg_done.status == Action.Status.OPEN


def test_a_closure_is_noted_only_at_a_later_meeting_of_the_same_group(secretariat_user, world, today):
    other_group = MeetingFactory(body=world.fife_sog, date=date(2017, 11, 9))

    with pytest.raises(services.ActionChangeRefused) as refusal:
        services.close_action(world.nsg_overdue, by=secretariat_user, reason="Done.", noted_at=other_group)
    assert "noted_at" in refusal.value.message_dict


def test_only_the_secretariat_changes_an_action_itself(member_user, world, today):
    world.sg.contacts.add(member_user.person)  # an owner, but not the secretariat
    with pytest.raises(PermissionDenied):
        services.change_due_date(world.nsg_overdue, by=member_user, due_date=date(2018, 1, 31), reason="Later.")
    with pytest.raises(PermissionDenied):
        services.edit_action(
            world.nsg_overdue,
            by=member_user,
            text="x",
            due_date=date(2018, 1, 31),
            status="open",
            organisations=[world.sg],
        )


def test_the_page_takes_the_same_number_of_queries_however_long_the_timeline(
    client, secretariat_user, world, today, django_assert_max_num_queries
):
    client.force_login(secretariat_user)
    client.get(_url(world.nsg_soon))
    with CaptureQueriesContext(connection) as short:
        client.get(_url(world.nsg_soon))
    for day in range(1, 29):
        ActionUpdateFactory(
            action=world.nsg_soon,
            author=secretariat_user,
            text=f"Update {day}.",
            at=datetime(2017, 10, day, 9, 0, tzinfo=ZoneInfo("Europe/London")),
            noted_at=world.nsg_may if day % 2 else None,
        )

    with django_assert_max_num_queries(len(short)):
        page = client.get(_url(world.nsg_soon)).content.decode()
    assert "Update 28." in page
