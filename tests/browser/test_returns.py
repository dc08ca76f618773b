"""A quarterly return's whole journey in a real browser, every page checked with axe.

chair-fife completes and submits Fife's 2017-18 Q3 return (an invalid figure is
refused with an error summary, what was typed kept); the secretariat returns it
with a comment on the update; chair-fife amends and resubmits; the secretariat
approves it; chair-glasgow cannot open it.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo import world as demo_world
from demo.returns import seed_returns
from mappa.models import Person
from reviews.models import QuarterlyReturn
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

FIFE_Q3 = "/returns/2017-18-q3/fife/"


@pytest.fixture
def world(transactional_db):
    return seed_returns(demo_world.seed_core())


def heading(page):
    return page.get_by_role("heading", level=1)


def success(page):
    return page.locator(".govuk-notification-banner--success")


def test_a_return_is_completed_submitted_returned_amended_resubmitted_and_approved(
    page, new_page, world, assert_accessible
):
    # --- chair-fife completes and submits the return -------------------------------------------
    sign_in(page, "chair-fife")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Returns").click()
    expect(heading(page)).to_have_text("Quarterly returns")
    expect(page.get_by_role("main")).to_contain_text("Due next: 2017-18 Q3 (October to December 2017)")
    assert_accessible(page)

    page.get_by_role("link", name="Continue the 2017-18 Q3 return for Fife").click()
    expect(heading(page)).to_have_text("Fife return for 2017-18 Q3")
    assert_accessible(page)

    page.get_by_role("link", name="1. Case reviews").click()
    expect(heading(page)).to_have_text("Case reviews")
    expect(page.get_by_label("Initial ICRs processed")).to_have_value("8")
    assert_accessible(page)

    page.get_by_label("Progressed to full ICR").fill("12")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text(
        "ICRs progressed to full ICR (12) cannot be more than the initial ICRs processed (8)"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Progressed to full ICR")).to_have_value("12")
    expect(page.get_by_label("Initial ICRs processed")).to_have_value("8")
    expect(page.get_by_label("Internet offending")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Progressed to full ICR").fill("3")
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page)).to_have_text("Category 3 referrals")
    assert_accessible(page)
    page.get_by_label("Category 3 referrals received").fill("2")
    page.get_by_label("Category 3 referrals accepted").fill("1")
    page.get_by_label("Category 3 referrals declined").fill("1")
    page.get_by_label("Main reasons for declining").fill("Risk judged manageable by a single agency.")
    page.get_by_role("button", name="Save and continue").click()

    expect(heading(page)).to_have_text("Update for the NSG")
    assert_accessible(page)
    page.get_by_label("Update for the NSG").fill("Of the 8 initial ICRs processed, 3 progressed to full ICR.")
    page.get_by_role("button", name="Save and continue").click()

    expect(heading(page)).to_have_text("Learning and issues to escalate")
    assert_accessible(page)
    page.get_by_label("Learning and good practice to share nationally (optional)").fill(
        "The easy-read resource on autism and internet offending is ready to share."
    )
    page.get_by_role("button", name="Save and continue").click()

    expect(heading(page)).to_have_text("Check your answers before submitting your return")
    expect(page.get_by_role("main")).to_contain_text("Of the 8 initial ICRs processed, 3 progressed to full ICR.")
    assert_accessible(page)
    page.get_by_role("button", name="Submit return").click()
    expect(success(page)).to_contain_text("The Fife return for 2017-18 Q3 has been submitted")
    expect(page.get_by_role("main")).to_contain_text("Submitted")
    assert_accessible(page)

    # --- the secretariat returns it for amendment, with a comment on the update ----------------
    secretariat = new_page()
    sign_in(secretariat, "secretariat")
    secretariat.goto("/returns/")
    expect(heading(secretariat)).to_have_text("Quarterly returns")
    assert_accessible(secretariat)
    secretariat.get_by_role("link", name="Fife, 2017-18 Q3: Submitted").click()
    expect(heading(secretariat)).to_have_text("Fife return for 2017-18 Q3")
    assert_accessible(secretariat)
    secretariat.get_by_role("link", name="Return for amendment").click()
    expect(heading(secretariat)).to_have_text("Return for amendment")
    assert_accessible(secretariat)
    secretariat.get_by_label("Comment on 3. Update for the NSG (optional)").fill(
        "Please add the learning from the file audit."
    )
    secretariat.get_by_role("button", name="Return for amendment").click()
    expect(success(secretariat)).to_contain_text("returned for amendment")
    assert_accessible(secretariat)
    assert [m.to for m in mail.outbox] == [[Person.objects.get(user__username="chair-fife").email]]
    assert "Please add the learning from the file audit." in mail.outbox[0].body

    # --- chair-fife amends the update and resubmits --------------------------------------------
    page.goto(FIFE_Q3)
    expect(page.get_by_role("region", name="Returned for amendment")).to_contain_text(
        "Please add the learning from the file audit."
    )
    assert_accessible(page)
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("link", name="Change Update for the NSG").click()
    expect(page.get_by_role("main")).to_contain_text("Please add the learning from the file audit.")
    assert_accessible(page)
    page.get_by_label("Update for the NSG").fill(
        "Of the 8 initial ICRs processed, 3 progressed to full ICR. The file audit found that internet "
        "offending cases need earlier joint risk assessment."
    )
    page.get_by_role("button", name="Save and return to check your answers").click()
    expect(heading(page)).to_have_text("Check your answers before submitting your return")
    page.get_by_role("button", name="Resubmit return").click()
    expect(success(page)).to_contain_text("has been resubmitted")
    assert_accessible(page)

    # --- the secretariat approves it ------------------------------------------------------------
    secretariat.goto(FIFE_Q3)
    expect(secretariat.get_by_role("main")).to_contain_text("Resubmitted")
    secretariat.get_by_role("button", name="Approve return").click()
    expect(success(secretariat)).to_contain_text("The Fife return for 2017-18 Q3 is approved.")
    assert_accessible(secretariat)
    secretariat.get_by_role("link", name="Every version and what changed").click()
    expect(secretariat.locator(".app-diff").first).to_contain_text(
        "added: Of the 8 initial ICRs processed, 3 progressed to full ICR. The file audit found"
    )
    assert_accessible(secretariat)
    assert QuarterlyReturn.objects.get(area__slug="fife", period__year=2017, period__quarter=3).status == "approved"

    # --- chair-glasgow cannot open it -----------------------------------------------------------
    glasgow = new_page()
    sign_in(glasgow, "chair-glasgow")
    response = glasgow.goto(FIFE_Q3)
    assert response.status == 404
    expect(glasgow.get_by_role("main")).not_to_contain_text("Fife return")
    assert_accessible(glasgow)
    response = glasgow.goto(FIFE_Q3 + "history/")
    assert response.status == 404


def test_a_chair_records_a_case_review_and_cannot_save_personal_data(page, world, assert_accessible):
    sign_in(page, "chair-fife")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Case reviews").click()
    expect(heading(page)).to_have_text("Case reviews")
    expect(page.get_by_role("table")).to_contain_text("FIF-2017-003")
    expect(page.get_by_role("table")).not_to_contain_text("GLA-")
    assert_accessible(page)

    page.get_by_role("link", name="Record a case review").click()
    expect(heading(page)).to_have_text("Record a case review")
    assert_accessible(page)
    page.get_by_label("Initial case review (initial ICR)").check()
    page.get_by_label("Category 1: registered sex offender").check()
    page.get_by_label("Level 1: routine single-agency management").check()
    commissioned = page.get_by_role("group", name="Date commissioned")
    commissioned.get_by_label("Day").fill("4")
    commissioned.get_by_label("Month").fill("12")
    commissioned.get_by_label("Year").fill("2017")
    page.get_by_label("Internet offending").check()
    page.get_by_label("Summary of learning (optional)").fill("Reviewed under CHS 123456.")
    page.get_by_role("button", name="Record case review").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Remove the CHS number (“CHS 123456”) from ‘Summary of learning’: "
        "case review records must not hold offender or victim details"
    )
    expect(page.get_by_label("Summary of learning (optional)")).to_have_value("Reviewed under CHS 123456.")
    assert_accessible(page)
    page.get_by_label("Summary of learning (optional)").fill("Ms Brown of Police Scotland chaired the review.")
    page.get_by_role("button", name="Record case review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "then tick “I have checked this text: it holds no offender or victim details”"
    )
    expect(page.get_by_role("main")).to_contain_text("‘Summary of learning’ may hold a name (“Ms Brown”)")
    assert_accessible(page)
    page.get_by_label("Summary of learning (optional)").fill("Earlier joint risk assessment is needed.")
    page.get_by_role("button", name="Record case review").click()
    expect(heading(page)).to_have_text("Case review FIF-2017-005")
    expect(success(page)).to_contain_text("Case review FIF-2017-005 recorded.")
    assert_accessible(page)


def test_a_date_of_birth_in_the_update_cannot_be_saved_and_what_was_typed_is_kept(page, world, assert_accessible):
    """Issue 13, point 8: a chair types a date of birth into a narrative, is told in the error summary,
    follows the link to the field, removes it and saves."""
    sign_in(page, "chair-fife")
    page.goto(FIFE_Q3 + "edit/narrative/")
    expect(heading(page)).to_have_text("Update for the NSG")
    typed = "Of the 8 initial ICRs processed, 3 progressed to full ICR. The man managed at level 2, DOB 12/03/1985."
    update = page.get_by_label("Update for the NSG")
    update.fill(typed)
    page.get_by_role("button", name="Save and continue").click()

    message = (
        "Remove the date of birth (“DOB 12/03/1985”) from ‘Update for the NSG’: "
        "returns must not hold offender or victim details"
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(update).to_have_value(typed)  # kept
    expect(page.locator("#div_id_narrative .govuk-error-message")).to_contain_text(message)
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    expect(update).to_be_focused()
    expect(page.get_by_label(re.compile("I have checked"))).to_have_count(0)  # nothing to tick it away

    update.fill("Of the 8 initial ICRs processed, 3 progressed to full ICR.")
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page)).to_have_text("Learning and issues to escalate")
    assert_accessible(page)
    ret = QuarterlyReturn.objects.get(area__slug="fife", period__year=2017, period__quarter=3)
    assert ret.narrative == "Of the 8 initial ICRs processed, 3 progressed to full ICR."
    assert not ret.history.filter(narrative__contains="1985").exists()


def test_a_figure_that_more_than_doubles_is_confirmed_before_it_is_saved(page, world, assert_accessible):
    sign_in(page, "chair-fife")
    page.goto(FIFE_Q3 + "edit/case-reviews/")
    page.get_by_label("Initial ICRs processed").fill("25")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("main")).to_contain_text(
        "The number of initial ICRs processed has more than doubled, from 10 in 2017-18 Q2 to 25."
    )
    assert_accessible(page)
    page.get_by_label("I have checked these figures").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page)).to_have_text("Category 3 referrals")


def test_the_secretariat_pulls_the_areas_approved_updates_into_the_draft_minute(
    page, transactional_db, assert_accessible
):
    """The November 2017 NSG minute (circulated in draft) already has text under the SOG chairs' updates:
    the secretariat is asked first, adds each area's approved 2017-18 Q2 update after it, and edits on."""
    from demo.meetings import seed_meetings, seed_minutes
    from meetings.models import AgendaItem

    world = demo_world.seed_core()
    seed_meetings(world)
    seed_minutes(world)
    seed_returns(world)
    item = AgendaItem.objects.get(meeting__date="2017-11-08", kind=AgendaItem.Kind.SOG_UPDATES)
    before = item.narrative
    editor = f"/meetings/{item.meeting_id}/minutes/{item.pk}/"

    sign_in(page, "secretariat")
    page.goto(editor)
    updates = page.get_by_role("region", name="Updates from the areas' returns")
    expect(updates.get_by_label("Quarter")).to_have_value("2017-18-q2")
    expect(updates).to_contain_text("The latest with approved returns before this meeting is 2017-18 Q2.")
    assert_accessible(page)

    updates.get_by_role("button", name="Add the areas' updates").click()
    expect(heading(page)).to_have_text("This item already has a minute")
    expect(page.get_by_role("main")).to_contain_text("Forth Valley: “No approved return for 2017-18 Q2”")
    expect(page.get_by_label("Add the updates after the text already there")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Add the updates").click()

    expect(success(page)).to_contain_text("approved returns for 2017-18 Q2 added to item")
    minute = page.get_by_label("Minute", exact=True)
    expect(minute).to_have_value(
        re.compile(r"^" + re.escape(before.rstrip()) + r"\n\n### Edinburgh, Lothian & Borders")
    )
    expect(minute).to_have_value(re.compile(r"### Forth Valley\n\nNo approved return for 2017-18 Q2\."))
    assert_accessible(page)
    item.refresh_from_db()
    assert item.narrative.startswith(before.rstrip()) and "### Fife\n\n" in item.narrative
    assert item.history.count() >= 2
