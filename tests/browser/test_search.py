"""In the browser: an inspector searches the demo world from the box in the header, narrows the results
to recommendations with a checkbox, and mistypes a date; axe checks each page."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_inspector_searches_filters_and_corrects_a_date(page, assert_accessible):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "inspector")
    page.get_by_label("Search the service").fill("social media")
    page.get_by_label("Search the service").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator("#search-count")).to_contain_text("result")
    assert_accessible(page)

    page.get_by_label("Recommendations (1)").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#search-count")).to_contain_text("1 result")
    expect(page.locator("#search-results")).to_contain_text("3. Social media device monitoring")
    expect(page.get_by_label("Recommendations (1)")).to_be_checked()
    assert_accessible(page)

    page.locator("#id_date_from_1").fill("13")  # no 13th month
    page.locator("#id_date_from_0").fill("1")
    page.locator("#id_date_from_2").fill("2017")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date from")
    # The ticked filter is kept: corrected, the date applies to recommendations still.
    page.locator("#id_date_from_1").fill("1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#search-count")).to_contain_text("0 results")
    expect(page.get_by_label("Recommendations (0)")).to_be_checked()  # published in 2015
    assert_accessible(page)
