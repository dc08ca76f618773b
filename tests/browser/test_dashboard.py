"""The inspector reads the dashboard, narrows it to one area and downloads the report and the workbook.

Every page is checked with axe. One more browser, with the Content Security Policy
enforced (the other contexts bypass it to inject axe), shows that the charts' styles
are applied and nothing is refused. The secretariat asks for the report to be prepared by
a worker, with JavaScript (the panel is fetched again) and without (the page refreshes
itself), and downloads it when it is ready.
"""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from dashboard import preparing, tasks
from tests.browser.conftest import HeldQueue, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_inspector_filters_the_dashboard_to_one_area_and_downloads_it(page, world, assert_accessible):
    sign_in(page, "inspector")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    # The charts say where their figures are; the plan at each NSG meeting is a table, folded away until asked for.
    expect(
        page.get_by_role("img", name=re.compile(r"^Recommendations by status, as at 31 December 2017\."))
    ).to_be_visible()
    page.get_by_text("Show the table: Progress of each recommendation at each NSG meeting").click()
    expect(page.get_by_role("table", name="Progress of each recommendation at each NSG meeting")).to_contain_text(
        "8 November 2017"
    )
    assert_accessible(page)

    # A range that ends before it starts is refused, and the choices are kept.
    page.get_by_label("From", exact=True).select_option("2017-18 Q2")
    page.get_by_label("To", exact=True).select_option("2017-18 Q1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last quarter must be the same as or after the first quarter"
    )
    expect(page.get_by_label("From", exact=True)).to_have_value("2017-18-q2")
    assert_accessible(page)

    page.get_by_label("From", exact=True).select_option("The first quarter")
    page.get_by_label("To", exact=True).select_option("The latest quarter")
    page.get_by_label("Area", exact=True).select_option("Fife")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?.*area=fife"))  # a view to share
    expect(page.get_by_text("Area: Fife")).to_be_visible()
    # The detail by area is folded away until asked for.
    page.get_by_text("Show the table: Returns by area and quarter").click()
    matrix = page.get_by_role("table", name="Returns by area and quarter")
    expect(matrix.get_by_role("row")).to_have_count(2)  # the headings and Fife
    expect(matrix).to_contain_text("Not submitted (late)")
    page.get_by_text("Show the table: Case reviews by area and quarter").click()
    expect(page.get_by_role("table", name="Case reviews by area and quarter")).to_contain_text("fewer than 5")
    assert_accessible(page)

    # The inspector asks for the report to be prepared (it changes no record), and downloads it when ready.
    page.get_by_role("link", name="Download the progress report (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress report")
    page.get_by_role("button", name="Prepare the report").click()
    expect(page.get_by_role("heading", name=re.compile("The report is ready"))).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert pdf.value.suggested_filename == "mappa-dashboard-2016-17-q3-to-2017-18-q3-fife.pdf"
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"

    page.locator("a.govuk-back-link").click()  # to the dashboard, its filters kept
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download every table (XLSX)").click()
    assert xlsx.value.suggested_filename == "mappa-dashboard-2016-17-q3-to-2017-18-q3-fife.xlsx"
    workbook = load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read()))
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert "Area: Fife" in about["Filters"]
    areas = {row[0] for row in workbook["Case reviews by area"].iter_rows(min_row=2, values_only=True)}
    assert areas == {"Fife"}


def test_the_charts_are_styled_under_the_content_security_policy(new_page, world):
    page = new_page(bypass_csp=False)  # the CSP enforced
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sign_in(page, "inspector")
    page.goto("/dashboard/")
    bar = page.locator(".app-chart svg[aria-label^='Actions by the group'] .color-0 rect.rect").first
    expect(bar).to_be_visible()
    # The chart's own stylesheet (with the page's nonce) colours the bars GOV.UK blue.
    assert bar.evaluate("node => getComputedStyle(node).fill") == "rgb(29, 112, 184)"
    # The status chart's bars are in their statuses' tag colours: met is the green tag's.
    statuses = page.locator(".app-chart svg[aria-label^='Recommendations by status'] rect.rect")
    fills = statuses.evaluate_all("nodes => nodes.map(node => getComputedStyle(node).fill)")
    assert "rgb(204, 226, 216)" in fills
    assert refused == []


@pytest.fixture
def held_worker(monkeypatch):
    """The task queue takes the report, but no worker prepares it until the test says so (``run()``)."""
    queue = HeldQueue(preparing.run)
    monkeypatch.setattr(tasks, "build_report", queue)
    return queue


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_secretariat_asks_for_the_report_and_downloads_it_once_prepared(
    new_page, world, held_worker, assert_accessible, javascript, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = new_page(java_script_enabled=javascript)
    sign_in(page, "secretariat")
    page.goto("/dashboard/?area=fife")
    page.get_by_role("link", name="Download the progress report (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress report")
    expect(page.get_by_text("Area: Fife")).to_be_visible()
    page.get_by_role("button", name="Prepare the report").click()

    # Waiting for a worker: the page says so, and shows how far it has gone.
    expect(page.get_by_role("heading", name="Preparing the report")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Waiting for the service to start it")).to_be_visible()
    if javascript:
        assert_accessible(page)
    held_worker.run()
    # htmx fetches the panel every 2 seconds; without JavaScript the page refreshes itself every 3.
    expect(page.get_by_role("heading", name="The report is ready")).to_be_visible()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert pdf.value.suggested_filename == "mappa-dashboard-2016-17-q3-to-2017-18-q3-fife.pdf"
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
