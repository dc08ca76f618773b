"""The secretariat drafts the minute of an item in the browser: autosave, conflicts, history, actions."""

from datetime import date

import pytest

from actions.models import Action
from meetings.models import Meeting
from tests.factories import OrganisationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    return AgendaItemFactory(meeting=meeting, position=3, title="MAPPA: Thematic Inspection Action Plan")


def editor_url(item):
    return f"/meetings/{item.meeting_id}/minutes/{item.pk}/"


def test_secretariat_saves_a_minute_and_every_version_is_kept(client, secretariat_user, item):
    client.force_login(secretariat_user)
    response = client.post(
        editor_url(item),
        {
            "narrative": "The NSG noted 4 recommendations complete.",
            "decisions": "It was agreed that SG would circulate the plan.",
            "version": 1,
        },
        follow=True,
    )
    assert "Item 1 saved." in response.content.decode() or "saved." in response.content.decode()
    item.refresh_from_db()
    assert item.version == 2
    assert item.narrative == "The NSG noted 4 recommendations complete."
    history = client.get(editor_url(item) + "history/").content.decode()
    assert "Version 2" in history and "Version 1" in history
    assert "t-secretariat person" in history
    assert "The NSG noted 4 recommendations complete." in history


def test_autosave_answers_with_the_saved_time_and_new_version(client, secretariat_user, item):
    client.force_login(secretariat_user)
    response = client.post(
        editor_url(item), {"narrative": "Draft in progress", "decisions": "", "version": 1}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in fragment and "(version 2)" in fragment
    assert 'id="id_version" value="2"' in fragment


def test_a_stale_save_is_refused_and_both_versions_are_shown(client, secretariat_user, item):
    client.force_login(secretariat_user)
    client.post(editor_url(item), {"narrative": "First editor's text", "decisions": "", "version": 1})
    response = client.post(editor_url(item), {"narrative": "Second editor's text", "decisions": "", "version": 1})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this item while you were editing" in page
    assert "First editor&#x27;s text" in page
    assert "Second editor&#x27;s text" in page  # what they typed is kept
    item.refresh_from_db()
    assert item.narrative == "First editor's text"
    # Saving again from the merge form builds on the newer version.
    assert 'name="version" value="2"' in page


def test_autosave_conflict_says_so_without_losing_text(client, secretariat_user, item):
    client.force_login(secretariat_user)
    client.post(editor_url(item), {"narrative": "Saved elsewhere", "decisions": "", "version": 1})
    response = client.post(
        editor_url(item), {"narrative": "Mine", "decisions": "", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Not saved: someone else saved version 2" in response.content.decode()


def test_a_planned_meeting_cannot_be_minuted(client, secretariat_user):
    item = AgendaItemFactory(meeting=MeetingFactory(status=Meeting.Status.PLANNED))
    client.force_login(secretariat_user)
    response = client.post(editor_url(item), {"narrative": "Too early", "decisions": "", "version": 1})
    assert "Minutes can be drafted once the meeting is held" in response.content.decode()
    item.refresh_from_db()
    assert item.narrative == ""


def test_actions_are_numbered_and_due_dates_offered(client, secretariat_user, item):
    sg = OrganisationFactory(name="Scottish Government", short_name="SG")
    MeetingFactory(body=item.meeting.body, date=date(2018, 2, 21))
    client.force_login(secretariat_user)
    page = client.get(editor_url(item)).content.decode()
    assert "By the next meeting (21 February 2018)" in page
    assert "Within 2 weeks (22 November 2017)" in page
    client.post(
        editor_url(item) + "actions/",
        {"text": "Circulate the final ERA guidance", "owners": [f"organisation-{sg.pk}"], "due": "two_weeks"},
    )
    response = client.post(
        editor_url(item) + "actions/",
        {"text": "Report progress", "owners": [f"organisation-{sg.pk}"], "due": "next_meeting"},
        follow=True,
    )
    actions = list(Action.objects.order_by("number").values_list("number", "due_date"))
    assert actions == [(1, date(2017, 11, 22)), (2, date(2018, 2, 21))]
    page = response.content.decode()
    assert "Action 2 from 8 November 2017 meeting added: SG, due 21 February 2018." in page
    assert "Action 1: SG" in page


def test_an_action_needs_an_owner_and_a_due_date(client, secretariat_user, item):
    client.force_login(secretariat_user)
    response = client.post(editor_url(item) + "actions/", {"text": "Do something", "due": "other"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select at least one owner" in page
    assert "Enter the due date" in page
    assert "Do something" in page
    assert not Action.objects.exists()


def test_minute_editor_queries_do_not_grow_with_items_and_actions(
    client, secretariat_user, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    def build(items, actions_per_item):
        meeting = MeetingFactory(status=Meeting.Status.HELD)
        sg = OrganisationFactory()
        first = None
        for position in range(1, items + 1):
            item = AgendaItemFactory(meeting=meeting, position=position)
            first = first or item
            for _ in range(actions_per_item):
                action = Action.objects.create(
                    meeting=meeting,
                    agenda_item=first,
                    number=Action.objects.filter(meeting=meeting).count() + 1,
                    text="Do it",
                    due_date=date(2017, 12, 1),
                    original_due_date=date(2017, 12, 1),
                    created_by=secretariat_user,
                )
                action.owner_organisations.set([sg])
        return first

    client.force_login(secretariat_user)
    small, large = build(3, 1), build(30, 2)
    with django_assert_max_num_queries(20) as small_queries:
        client.get(editor_url(small))
    with django_assert_max_num_queries(20) as large_queries:
        response = client.get(editor_url(large))
    assert response.status_code == 200
    assert "Action 60:" in response.content.decode()
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)
