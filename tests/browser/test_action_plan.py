"""The secretariat records an action plan update; the inspector sees it on the plan (real browser)."""

import re

import pytest
from playwright.sync_api import expect

from demo import world as demo_world
from demo.actions import seed_actions
from demo.meetings import seed_circulation, seed_meetings, seed_minutes
from demo.recommendations import seed_recommendations
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = demo_world.seed_core()
    for seeder in (seed_meetings, seed_minutes, seed_circulation, seed_actions, seed_recommendations):
        seeder(world)
    return world


def test_secretariat_records_an_update_and_the_inspector_sees_it(page, new_page, world, assert_accessible):
    sign_in(page, "secretariat")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan")
    assert_accessible(page)
    page.get_by_role("link", name="7. ViSOR use by criminal justice social work").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record an update").click()
    assert_accessible(page)

    # A met objective with no completion date is refused, and what was typed is kept.
    page.get_by_role("group", name="Date of the update").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Date of the update").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Date of the update").get_by_label("Year").fill("2018")
    page.get_by_label("Update", exact=True).fill("Every local authority has a ViSOR action plan in place.")
    page.get_by_label("Objective successfully met").check()
    page.get_by_label("Complete", exact=True).check()
    page.get_by_role("button", name="Record update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the completion date: the objective is met")
    expect(page.get_by_label("Update", exact=True)).to_have_value(
        "Every local authority has a ViSOR action plan in place."
    )
    assert_accessible(page)

    completion = page.get_by_role("group", name="Completion date")
    completion.get_by_label("Day").fill("1")
    completion.get_by_label("Month").fill("2")
    completion.get_by_label("Year").fill("2018")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_text("Update recorded for recommendation 7.")).to_be_visible()

    inspector = new_page()
    sign_in(inspector, "inspector")
    inspector.goto("/recommendations/")
    row = inspector.get_by_role("row").filter(has_text="ViSOR use by criminal justice social work")
    expect(row).to_contain_text("Every local authority has a ViSOR action plan in place.")
    expect(row).to_contain_text("Objective successfully met")
    expect(row).to_contain_text("Not met")  # the inspectors' June 2017 grade stands beside it
    assert_accessible(inspector)
    expect(inspector.get_by_role("link", name="Record an update")).to_have_count(0)
    inspector.get_by_role("link", name="Where the government and the inspectors disagree").click()
    expect(inspector).to_have_url(re.compile(r"/recommendations/divergence/"))
    expect(inspector.get_by_role("table")).to_contain_text("ViSOR use by criminal justice social work")
    assert_accessible(inspector)
