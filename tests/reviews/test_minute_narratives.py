"""For the NSG meeting, the secretariat pulls each area's approved update into the SOG chairs' updates minute.

One Markdown sub-section per area ("### Fife" and its update), areas without an
approved return listed as such; written through the minute's own save, so the
version rises, the earlier text stays in the history, and a minute someone else
saved meanwhile is never overwritten.
"""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied

from meetings.models import AgendaItem, Meeting
from meetings.services.meetings import MeetingStepRefused
from meetings.services.minutes import EditConflict, save_minute
from reviews.models import QuarterlyReturn
from reviews.selectors.nsg_meeting import period_for_meeting
from reviews.services.nsg_meeting import add_sog_updates_to_minute
from reviews.services.returns import approve_return, make_nil_return, submit_return
from tests.factories import AreaFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory, approved, complete

pytestmark = pytest.mark.django_db

FIFE_UPDATE = "Of the 10 initial ICRs processed, 4 had progressed to full ICR."
GLASGOW_UPDATE = "3 initial ICRs processed; 1 progressed to full ICR."


@pytest.fixture
def world(fife, glasgow, secretariat_user):
    """2017-18 Q1 and Q2. In Q2 Fife and Glasgow are approved; Lanarkshire's return is only submitted."""
    lanarkshire = AreaFactory(name="Lanarkshire", slug="lanarkshire", code="LAN")
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    q2 = ReportingPeriodFactory(year=2017, quarter=2)
    approved(fife, q1, secretariat_user, secretariat_user, narrative="Fife's first quarter.")
    approved(fife, q2, secretariat_user, secretariat_user, narrative=FIFE_UPDATE)
    approved(glasgow, q2, secretariat_user, secretariat_user, narrative=GLASGOW_UPDATE)
    ret = complete(
        QuarterlyReturn(area=lanarkshire, period=q2), secretariat_user, narrative="Not yet approved: must not appear."
    )
    submit_return(ret, by=secretariat_user, confirmed=True)
    return {"q1": q1, "q2": q2}


@pytest.fixture
def november():
    """The NSG of 8 November 2017, held; its minute being drafted."""
    return MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)


@pytest.fixture
def sog_item(november):
    return AgendaItemFactory(
        meeting=november,
        position=7,
        kind=AgendaItem.Kind.SOG_UPDATES,
        title="Update from Strategic Oversight Group Chairs, including SCRs/ICRs",
    )


def with_text(item, text):
    """The item as first drafted: version 1 with this text (as if typed before the updates are pulled in)."""
    AgendaItem.objects.filter(pk=item.pk).update(narrative=text)
    item.refresh_from_db()
    return item


def editor_url(item):
    return f"/meetings/{item.meeting_id}/minutes/{item.pk}/"


def add_url(item):
    return f"/meetings/{item.meeting_id}/minutes/{item.pk}/sog-updates/"


EXPECTED_Q2 = (
    f"### Fife\n\n{FIFE_UPDATE}\n\n"
    f"### Glasgow\n\n{GLASGOW_UPDATE}\n\n"
    "### Lanarkshire\n\nNo approved return for 2017-18 Q2."
)


# --- Which quarter ---------------------------------------------------------------------------


def test_the_quarter_offered_is_the_latest_with_approved_returns_that_ended_before_the_meeting(world):
    assert period_for_meeting(date(2017, 11, 8)) == world["q2"]
    # Q2 ends on 30 September: a meeting in September hears Q1.
    assert period_for_meeting(date(2017, 9, 14)) == world["q1"]
    assert period_for_meeting(date(2017, 6, 1)) is None


# --- The service ------------------------------------------------------------------------------


def test_each_area_gets_a_sub_section_with_its_approved_update(world, sog_item, secretariat_user):
    item, updates = add_sog_updates_to_minute(sog_item, by=secretariat_user, period=world["q2"], base_version=1)
    assert item.narrative == EXPECTED_Q2
    assert [(u.area.name, u.ret is not None) for u in updates] == [
        ("Fife", True),
        ("Glasgow", True),
        ("Lanarkshire", False),
    ]
    sog_item.refresh_from_db()
    assert sog_item.narrative == EXPECTED_Q2 and sog_item.version == 2
    latest = sog_item.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == secretariat_user and latest.version == 2


def test_the_updates_go_after_text_already_there_and_replace_it_only_when_asked(world, sog_item, secretariat_user):
    sog_item = with_text(sog_item, "The Chair invited each SOG chair to give their update.")
    item, _ = add_sog_updates_to_minute(sog_item, by=secretariat_user, period=world["q2"], base_version=1)
    assert item.narrative == f"The Chair invited each SOG chair to give their update.\n\n{EXPECTED_Q2}"

    item, _ = add_sog_updates_to_minute(item, by=secretariat_user, period=world["q1"], base_version=2, replace=True)
    assert item.narrative == (
        "### Fife\n\nFife's first quarter.\n\n"
        "### Glasgow\n\nNo approved return for 2017-18 Q1.\n\n"
        "### Lanarkshire\n\nNo approved return for 2017-18 Q1."
    )
    # What was replaced is still in the minute's history.
    assert [record.version for record in sog_item.history.order_by("history_date", "history_id")] == [1, 2, 3]
    assert sog_item.history.get(version=2).narrative.endswith(EXPECTED_Q2)


def test_a_minute_saved_by_someone_else_meanwhile_is_not_overwritten(world, sog_item, secretariat_user):
    save_minute(sog_item, by=secretariat_user, narrative="Typed by a colleague.", decisions="", base_version=1)
    with pytest.raises(EditConflict) as conflict:
        add_sog_updates_to_minute(sog_item, by=secretariat_user, period=world["q2"], base_version=1)
    assert conflict.value.current.version == 2
    sog_item.refresh_from_db()
    assert sog_item.narrative == "Typed by a colleague." and sog_item.version == 2


def test_a_nil_return_without_an_update_says_so(fife, secretariat_user, sog_item):
    q2 = ReportingPeriodFactory(year=2017, quarter=2)
    ret = make_nil_return(QuarterlyReturn(area=fife, period=q2), by=secretariat_user)
    ret = submit_return(ret, by=secretariat_user, confirmed=True)
    approve_return(ret, by=secretariat_user)
    item, _ = add_sog_updates_to_minute(sog_item, by=secretariat_user, period=q2, base_version=1)
    assert item.narrative == "### Fife\n\nNil return: nothing to report this quarter."


def test_only_the_secretariat_only_the_sog_updates_item_and_only_while_the_minute_is_drafted(
    world, sog_item, secretariat_user, chair_user, november
):
    with pytest.raises(PermissionDenied):
        add_sog_updates_to_minute(sog_item, by=chair_user, period=world["q2"], base_version=1)
    topic = AgendaItemFactory(meeting=november, position=3, title="Update from Police Scotland")
    with pytest.raises(MeetingStepRefused, match="only into the SOG chairs' updates item"):
        add_sog_updates_to_minute(topic, by=secretariat_user, period=world["q2"], base_version=1)
    Meeting.objects.filter(pk=november.pk).update(status=Meeting.Status.MINUTES_AGREED)
    with pytest.raises(MeetingStepRefused, match="Minutes can be drafted once the meeting is held"):
        add_sog_updates_to_minute(sog_item, by=secretariat_user, period=world["q2"], base_version=1)
    sog_item.refresh_from_db()
    assert sog_item.narrative == "" and sog_item.version == 1


# --- The minute editor ------------------------------------------------------------------------


def test_the_editor_offers_the_form_on_the_sog_updates_item_only(client, world, sog_item, november, secretariat_user):
    client.force_login(secretariat_user)
    page = unescape(client.get(editor_url(sog_item)).content.decode())
    assert "Updates from the areas' returns" in page
    assert 'value="2017-18-q2" selected' in page
    assert "The latest with approved returns before this meeting is 2017-18 Q2." in page
    topic = AgendaItemFactory(meeting=november, position=3, title="Update from Police Scotland")
    assert "Updates from the areas' returns" not in unescape(client.get(editor_url(topic)).content.decode())


def test_an_empty_minute_is_filled_in_at_once(client, world, sog_item, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post(add_url(sog_item), {"period": "2017-18-q2", "version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == editor_url(sog_item)
    page = unescape(response.content.decode())
    assert (
        "Updates from 2 areas' approved returns for 2017-18 Q2 added to item 1 (version 2). 1 area with no "
        "approved return is listed as such."
    ) in page
    assert "### Lanarkshire" in page  # in the editor, to edit
    sog_item.refresh_from_db()
    assert sog_item.narrative == EXPECTED_Q2


def test_a_minute_with_text_asks_first_then_adds_after_it(client, world, sog_item, secretariat_user):
    sog_item = with_text(sog_item, "The Chair invited each SOG chair to give their update.")
    client.force_login(secretariat_user)
    response = client.post(add_url(sog_item), {"period": "2017-18-q2", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This item already has a minute" in page
    assert "Add the updates after the text already there" in page
    assert "Lanarkshire: “No approved return for 2017-18 Q2”" in page
    sog_item.refresh_from_db()
    assert sog_item.version == 1  # nothing written yet

    response = client.post(
        add_url(sog_item), {"period": "2017-18-q2", "version": "1", "confirming": "1", "mode": "append"}
    )
    assert response.status_code == 302
    sog_item.refresh_from_db()
    assert sog_item.narrative == f"The Chair invited each SOG chair to give their update.\n\n{EXPECTED_Q2}"


def test_replacing_is_a_choice(client, world, sog_item, secretariat_user):
    sog_item = with_text(sog_item, "An old draft.")
    client.force_login(secretariat_user)
    client.post(add_url(sog_item), {"period": "2017-18-q2", "version": "1", "confirming": "1", "mode": "replace"})
    sog_item.refresh_from_db()
    assert sog_item.narrative == EXPECTED_Q2


def test_a_stale_page_is_refused_and_shows_the_latest_text(client, world, sog_item, secretariat_user):
    save_minute(sog_item, by=secretariat_user, narrative="Typed by a colleague.", decisions="", base_version=1)
    client.force_login(secretariat_user)
    response = client.post(
        add_url(sog_item), {"period": "2017-18-q2", "version": "1", "confirming": "1", "mode": "append"}
    )
    page = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Someone else saved this item's minute since you opened it, so nothing was added." in page
    assert "Typed by a colleague." in page
    assert 'name="version" value="2"' in page  # trying again builds on the colleague's text
    sog_item.refresh_from_db()
    assert sog_item.narrative == "Typed by a colleague."


def test_a_quarter_without_approved_returns_is_refused_with_an_error_summary(client, world, sog_item, secretariat_user):
    ReportingPeriodFactory(year=2017, quarter=3)
    client.force_login(secretariat_user)
    response = client.post(add_url(sog_item), {"period": "2017-18-q3", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Select a quarter with approved returns" in page
    sog_item.refresh_from_db()
    assert sog_item.version == 1
