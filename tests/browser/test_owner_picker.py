"""Choosing an action's owners, in a real browser: with JavaScript a searchable picker, without it the plain select.

The secretariat records an action under an item of a held NSG meeting of the demo world,
choosing two owners (a person and an organisation) by typing their names; then, in a
browser with JavaScript turned off, the same with the multiple select the picker is laid on.
"""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from demo import world as demo_world
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

TOPIC = "MAPPA: Thematic Inspection Action Plan"
# The demo's people, by their invented names (demo.world.NAMES).
RMA = demo_world.NAME_OF["member-rma"].full
POLICE = demo_world.NAME_OF["police"].full
POLICY_LEAD = demo_world.NAME_OF["csu-policy-lead"].full
NORTHERN_CHAIR = demo_world.NAME_OF["chair-northern"]


def typed_part(name):
    """Part of a name, as someone starts typing it: "Eilidh Cr"."""
    return name[: name.index(" ") + 3]


@pytest.fixture
def held_meeting(transactional_db):
    world = demo_world.seed_core()
    secretariat = get_user_model().objects.get(username="secretariat")
    meeting = meeting_services.create_meeting(
        by=secretariat,
        body=world.bodies["nsg"],
        date=timezone.localdate() - timedelta(days=3),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="St Andrew's House, Regent Road, Edinburgh",
        chair=world.people["nsg-chair"],
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    return meeting


def editor_url(meeting):
    item = meeting.agenda_items.get(title=TOPIC)
    return f"/meetings/{meeting.pk}/minutes/{item.pk}/"


def long_date(day):
    return f"{day:%-d %B %Y}"


def test_the_secretariat_chooses_two_owners_by_typing_in_the_picker(page, assert_accessible, held_meeting):
    sign_in(page, "secretariat")
    page.goto(editor_url(held_meeting))
    page.get_by_label("Action", exact=True).fill("Circulate the updated action plan to members.")

    # The picker is a text box labelled "Owners"; the select it stands for is hidden from everyone.
    owners = page.get_by_role("combobox", name="Owners")
    expect(owners).to_be_visible()
    expect(page.locator("select#id_owners")).to_have_attribute("aria-hidden", "true")
    # A person who has left (the Northern SOG chair, after March 2017) is not offered, nor is the Northern SOG.
    for left in (NORTHERN_CHAIR.surname, "Northern"):
        owners.press_sequentially(left)
        expect(page.get_by_text(f"Nothing matches “{left}”")).to_be_visible()
        for _ in left:
            owners.press("Backspace")
    # Typing part of a name offers who matches; Enter takes the highlighted one.
    owners.press_sequentially(typed_part(RMA))
    expect(page.get_by_role("option", name=f"{RMA} (RMA)")).to_be_visible()
    owners.press("Enter")
    # Or click one: an organisation found by its full name.
    owners.press_sequentially("Scottish Gov")
    page.get_by_role("option", name="SG (Scottish Government)").click()

    # Each choice shows as a tag with a button to remove it, and a screen reader hears what changed.
    expect(page.get_by_role("button", name=f"Remove {RMA} (RMA)")).to_be_visible()
    expect(page.get_by_role("button", name="Remove SG (Scottish Government)")).to_be_visible()
    expect(page.locator("[aria-live=polite]").filter(has_text="added")).to_contain_text(
        "SG (Scottish Government) added. 2 chosen."
    )
    owners.press("Escape")
    assert_accessible(page)

    due = held_meeting.date + timedelta(days=14)
    page.get_by_label(f"Within 2 weeks ({long_date(due)})", exact=True).check()
    page.get_by_role("button", name="Add action").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Action 1 from {long_date(held_meeting.date)} meeting added: SG; {RMA}, due {long_date(due)}."
    )
    assert_accessible(page)
    action = Action.objects.get()
    assert [p.name for p in action.owner_people.all()] == [RMA]
    assert [o.short_name for o in action.owner_organisations.all()] == ["SG"]
    assert not action.owner_bodies.exists()


def test_a_due_date_before_the_meeting_is_refused_and_the_chosen_owners_are_kept(page, assert_accessible, held_meeting):
    sign_in(page, "secretariat")
    page.goto(editor_url(held_meeting))
    page.get_by_label("Action", exact=True).fill("Report on ViSOR vetting.")
    owners = page.get_by_role("combobox", name="Owners")
    owners.press_sequentially(typed_part(POLICE))
    owners.press("Enter")
    owners.press("Escape")
    page.get_by_label("Another date", exact=True).check()
    before = held_meeting.date - timedelta(days=1)
    page.get_by_label("Day").fill(str(before.day))
    page.get_by_label("Month").fill(str(before.month))
    page.get_by_label("Year").fill(str(before.year))
    page.get_by_role("button", name="Add action").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"The due date must be on or after the meeting ({long_date(held_meeting.date)})")
    # What was chosen and typed is still there.
    expect(page.get_by_role("button", name=f"Remove {POLICE} (Police Scotland)")).to_be_visible()
    expect(page.get_by_label("Action", exact=True)).to_have_value("Report on ViSOR vetting.")
    assert_accessible(page)
    assert not Action.objects.exists()


def test_without_javascript_the_owners_are_chosen_in_the_plain_select(new_page, held_meeting):
    page = new_page(java_script_enabled=False)
    sign_in(page, "secretariat")
    page.goto(editor_url(held_meeting))
    page.get_by_label("Action", exact=True).fill("Send the SOG chairs the Level 1 standards.")
    owners = page.get_by_label("Owners")
    expect(owners).to_be_visible()
    # Grouped: people, organisations, whole groups.
    assert owners.locator("optgroup").evaluate_all("groups => groups.map(g => g.label)") == [
        "People",
        "Organisations",
        "Groups",
    ]
    owners.select_option(label=[f"{POLICY_LEAD} (SG, CSU)", "All NSG members (MAPPA National Strategic Group)"])
    due = held_meeting.date + timedelta(days=14)
    page.get_by_label(f"Within 2 weeks ({long_date(due)})", exact=True).check()
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"added: All NSG members; {POLICY_LEAD}"
    )
    action = Action.objects.get()
    assert [p.name for p in action.owner_people.all()] == [POLICY_LEAD]
    assert [b.short_name for b in action.owner_bodies.all()] == ["NSG"]
