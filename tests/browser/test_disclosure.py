"""The secretariat answers a freedom-of-information request in the browser, a second person releases it,
and the inspector reads it on the disclosure log.

The demo world holds a released request already (FOI/201800017, NSG 2017): this one asks for the same
papers under a new reference. Celery runs a job in-process once the step's transaction commits; to see
the request's page keep itself up to date (htmx with JavaScript, a <meta refresh> without), the tests
hold the worker back until the page shows the job waiting, then let it run.
"""

import io
import re
import zipfile
from datetime import date
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from disclosure import tasks, work
from disclosure.models import DocumentKind, Exemption
from disclosure.services import requests as request_services
from mappa.models import Body
from mappa.working_days import statutory_due_date
from tests.browser.conftest import HeldQueue, sign_in
from tests.browser.test_small_screens import WIDEST

pytestmark = pytest.mark.browser

EXEMPTIONS = import_module("disclosure.migrations.0002_foisa_exemptions").EXEMPTIONS
REFERENCE = "FOI/202700123"
DEMO_REFERENCE = "FOI/201800017"
NSG = "MAPPA National Strategic Group"
ANNEX = "Paper 5.2, annex: draft job description (restricted)"
REDACT_ALL = re.compile(r"^Redact all (\d+) occurrences? of (.+)$")


@pytest.fixture
def demo_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The FOISA exemptions come with a data migration; a transactional test before this one flushed them.
    for section, title, is_default in EXEMPTIONS:
        Exemption.objects.get_or_create(section=section, defaults={"title": title, "is_default": is_default})
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def held_worker(monkeypatch):
    """The task queue takes a job, but no worker picks it up until the test says so (``run()``)."""
    queue = HeldQueue(work.run_job)
    monkeypatch.setattr(tasks, "run_job", queue)
    return queue


def long_date(day):
    return f"{day:%A} {day.day} {day:%B %Y}"


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def log_a_request(page, assert_accessible):
    """From the header, log FOI/202700123: a wrong date first, then today's."""
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="FOI requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Freedom of information requests")
    expect(page.get_by_role("table", name="The register")).to_contain_text(DEMO_REFERENCE)
    assert_accessible(page)

    page.get_by_role("link", name="Log a request").click()
    page.get_by_label("Reference").fill(REFERENCE)
    fill_date(page, "Date received", "31", "2", "2026")
    page.get_by_label("What was asked for").fill("NSG agendas, minutes and papers, 1 January 2017 to 31 December 2017")
    page.get_by_label("Requester").fill("a journalist")
    page.get_by_label("Handled by").select_option(label="Niall Cowie")
    page.get_by_role("button", name="Log the request").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Reference")).to_have_value(REFERENCE)
    expect(page.get_by_role("group", name="Date received").get_by_label("Day")).to_have_value("31")
    expect(page.get_by_label("Requester")).to_have_value("a journalist")
    assert_accessible(page)

    today = timezone.localdate()
    fill_date(page, "Date received", str(today.day), str(today.month), str(today.year))
    page.get_by_role("button", name="Log the request").click()

    due = statutory_due_date(today)
    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)
    expect(page.get_by_text(f"{REFERENCE} is in the register, due {due.day} {due:%B %Y}.")).to_be_visible()
    details = page.locator(".govuk-summary-list")
    expect(details).to_contain_text(f"Due{long_date(due)} (20 working days)")
    expect(details).to_contain_text(re.compile(r"\d+ working days left"))
    assert_accessible(page)


def set_the_scope(page, assert_accessible):
    """The NSG's 2017 agendas, agreed minutes and papers; the restricted annex included, then left out."""
    page.get_by_role("link", name="Set the scope").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the request covers")
    assert_accessible(page)
    page.get_by_label(NSG).check()
    fill_date(page, "From", "1", "1", "2017")
    fill_date(page, "To", "31", "12", "2017")
    kinds = page.get_by_role("group", name="Kinds of document")
    for kind in ("Agendas", "Agreed minutes", "Papers"):
        kinds.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Save the scope").click()

    expect(page.get_by_text("Scope saved.")).to_be_visible()
    expect(
        page.get_by_text("Agendas, Agreed minutes, Papers of NSG, 1 January 2017 to 31 December 2017.")
    ).to_be_visible()
    page.get_by_text(re.compile(r"^\d+ documents in scope$")).click()
    in_scope = page.locator(".govuk-details__text li")
    expect(in_scope.filter(has_text="Minutes: NSG meeting of 31 May 2017")).to_have_count(1)
    expect(in_scope.filter(has_text="Paper 5.1: Child abuse image offenders and risk")).to_have_count(1)
    expect(in_scope.filter(has_text=ANNEX)).to_have_count(0)

    expect(page.get_by_role("heading", name="Papers marked “not for publication”")).to_be_visible()
    annex = page.get_by_role("listitem").filter(has_text=ANNEX)
    annex.get_by_role("button", name="Include it").click()
    annex = page.get_by_role("listitem").filter(has_text=ANNEX)
    expect(page).to_have_title(re.compile("^Error: "))
    page.locator(".govuk-error-summary").get_by_role("link", name="Say why this paper").click()
    expect(annex.get_by_label("Why is it released?")).to_be_focused()
    annex.get_by_label("Why is it released?").fill("The requester asked for the job description in particular.")
    annex.get_by_role("button", name="Include it").click()
    expect(page.get_by_text(f"“{ANNEX}” is included.")).to_be_visible()
    annex = page.get_by_role("listitem").filter(has_text=ANNEX)
    expect(annex).to_contain_text("Included: The requester asked for the job description in particular.")
    annex.get_by_role("button", name="Leave it out").click()
    expect(page.get_by_role("listitem").filter(has_text=ANNEX).get_by_label("Why is it released?")).to_be_empty()
    assert_accessible(page)


def run_the_job(page, worker, kind):
    """The job waits for a worker and the page says so; once the worker is done, the page shows it by itself."""
    progress = page.locator("#progress")
    expect(progress.get_by_role("heading")).to_have_text(kind)
    expect(progress).to_contain_text("Waiting to start")
    expect(progress).to_contain_text("This page updates itself.")
    worker.run()
    expect(progress.get_by_role("heading")).to_have_text(f"{kind}: done")
    return progress


def find_personal_data(page, worker):
    page.get_by_role("button", name="Find personal data").click()
    progress = run_the_job(page, worker, "Finding personal data")
    expect(progress).to_contain_text(re.compile(r"\d+ possible redactions found\."))
    expect(page.get_by_role("link", name="Review the proposed redactions")).to_be_visible()


def test_the_secretariat_answers_a_request_and_the_administrator_releases_it(
    demo_world, new_page, held_worker, assert_accessible
):
    page = new_page()
    sign_in(page, "secretariat")
    log_a_request(page, assert_accessible)
    set_the_scope(page, assert_accessible)
    find_personal_data(page, held_worker)
    assert_accessible(page)

    # The review: the names found, each with where it occurs and the words marked in context.
    page.get_by_role("link", name="Review the proposed redactions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the proposed redactions")
    first, second = terms_on(page).nth(0), terms_on(page).nth(1)
    name, count = redact_all_button(first)
    expect(first.get_by_role("row").nth(1)).to_contain_text(re.compile(r", page \d+"))
    expect(first.locator("mark").first).to_have_text(re.compile(r"\S"))
    expect(first.get_by_role("strong").filter(has_text="To decide")).to_have_count(int(count))
    assert_accessible(page)
    assert_fits_a_phone(page)

    first.get_by_role("button", name=f"Redact all {count} occurrence").click()
    expect(
        page.get_by_text(f"{count} occurrence{'s' if count != '1' else ''} of “{name}” to be redacted.")
    ).to_be_visible()
    first = term_on(page, name)
    expect(first.get_by_text("Redact", exact=True)).to_have_count(int(count))
    expect(first.get_by_text("To decide", exact=True)).to_have_count(0)

    kept, _ = redact_all_button(second)
    second.get_by_role("button", name="Keep those ticked").click()
    expect(page).to_have_title(re.compile("^Error: "))
    page.locator(".govuk-error-summary").get_by_role("link", name="Tick the occurrences to decide").click()
    expect(term_on(page, kept).get_by_text("Tick the occurrences to decide, or decide them all")).to_be_in_viewport()
    assert_accessible(page)
    second.get_by_role("checkbox").first.check()
    second.get_by_role("button", name="Keep those ticked").click()
    expect(page.get_by_text(f"1 occurrence of “{kept}” to be kept.")).to_be_visible()
    expect(term_on(page, kept).get_by_text("Keep", exact=True)).to_have_count(1)

    # Everything else redacted, term by term, from the list of those still to decide.
    redacted = [name]
    page.get_by_role("link", name=re.compile(r"^To decide \(")).click()
    while terms_on(page).count():
        term = terms_on(page).first
        term_name, _ = redact_all_button(term)
        if term_name == kept:
            for box in term.get_by_role("checkbox").all():
                box.check()
            term.get_by_role("button", name="Redact those ticked").click()
        else:
            redacted.append(term_name)
            term.get_by_role("button", name=REDACT_ALL).click()
        expect(page.get_by_text(re.compile(f"of “{re.escape(term_name)}” to be redacted"))).to_be_visible()
    expect(page.get_by_text("None here.")).to_be_visible()
    expect(page.get_by_role("link", name="To decide (0)")).to_be_visible()

    # The pack.
    page.get_by_role("link", name=REFERENCE).click()
    expect(page.get_by_text(re.compile(r", 0 to decide\.$"))).to_be_visible()
    page.get_by_role("button", name="Build the pack").click()
    run_the_job(page, held_worker, "Building the pack")
    pack = page.locator(".app-panel").filter(has=page.get_by_role("heading", name="Version 1"))
    expect(pack).to_contain_text(re.compile(r"\d+ documents, \d+ pages, \d+ redactions\. Reviewed by "))
    expect(pack).to_contain_text("a second member of the secretariat must approve it")
    expect(pack.get_by_role("button", name="Approve for release")).to_have_count(0)
    assert_accessible(page)
    assert_fits_a_phone(page)
    pdf = page.request.get(pack.get_by_role("link", name="The pack (PDF)").get_attribute("href"))
    assert pdf.ok
    text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert REFERENCE in text
    left_in = [term for term in redacted if term in text]
    assert not left_in, f"redacted but still in the pack: {left_in}"
    with page.expect_download() as download:
        pack.get_by_role("link", name="The documents and schedule (ZIP)").click()
    assert any(name.endswith(".csv") for name in zipfile.ZipFile(download.value.path()).namelist())

    # A second member of the secretariat (the administrator) approves it and publishes it.
    admin = new_page()
    sign_in(admin, "admin")
    admin.goto(page.url)
    pack = admin.locator(".app-panel").filter(has=admin.get_by_role("heading", name=re.compile("^Version 1")))
    pack.get_by_role("button", name="Approve for release").click()
    expect(admin.get_by_text(f"Pack version 1 approved: {REFERENCE} is released.")).to_be_visible()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Released")
    admin.get_by_role("button", name="Publish to the disclosure log").click()
    expect(admin.get_by_text("The pack is on the disclosure log.")).to_be_visible()
    expect(admin.get_by_text("On the disclosure log", exact=True)).to_be_visible()

    # The inspector finds the log from the home page and reads the pack; the register is not theirs.
    inspector = new_page()
    sign_in(inspector, "inspector")
    inspector.get_by_role("link", name="Disclosure log").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text("Disclosure log")
    log = inspector.get_by_role("table", name="Released packs")
    expect(log).to_contain_text(REFERENCE)
    expect(log).to_contain_text(DEMO_REFERENCE)
    assert_accessible(inspector)
    released = inspector.request.get(log.get_by_role("link", name=f"PDF of {REFERENCE}").get_attribute("href"))
    assert released.ok and released.headers["content-type"] == "application/pdf"
    assert REFERENCE in PdfReader(io.BytesIO(released.body())).pages[0].extract_text()
    with inspector.expect_download() as download:
        log.get_by_role("link", name=f"ZIP of {REFERENCE}").click()
    assert download.value.suggested_filename == "FOI-202700123-pack-v1.zip"
    response = inspector.goto("/disclosure/")
    assert response.status == 403
    expect(inspector.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")


def test_without_javascript_the_request_page_refreshes_itself_until_the_job_is_done(demo_world, new_page, held_worker):
    secretariat = get_user_model().objects.get(username="secretariat")
    request = request_services.log_request(
        by=secretariat,
        reference=REFERENCE,
        received_on=timezone.localdate(),
        wording="NSG agreed minutes, 2017",
        requester="a member of the public",
        handler=secretariat,
    )
    request_services.set_scope(
        request=request,
        by=secretariat,
        bodies=[Body.objects.get(slug="nsg")],
        scope_from=date(2017, 1, 1),
        scope_to=date(2017, 12, 31),
        kinds=[DocumentKind.MINUTES],
        keep_organisation_names=True,
        keep_chairs=False,
        kept_people=[],
    )
    page = new_page(java_script_enabled=False)
    sign_in(page, "secretariat")
    page.goto(f"/disclosure/{request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)
    find_personal_data(page, held_worker)
    # The panel's own address (what the page fetches with JavaScript), opened by itself, is the request's page.
    page.goto(f"/disclosure/{request.pk}/progress/")
    expect(page).to_have_url(re.compile(f"/disclosure/{request.pk}/#progress$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)


def assert_fits_a_phone(page):
    """At 320 CSS pixels wide the page does not scroll sideways (wide tables scroll in their own box)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 720})
    measured = page.evaluate(WIDEST)
    page.set_viewport_size(size)
    assert measured["scroll"] <= measured["width"], f"{page.url} is {measured['scroll']} px wide on a phone: {measured}"


def terms_on(page):
    """The review page's terms: a section each, with its occurrences and its buttons."""
    return page.get_by_role("region").filter(has=page.get_by_role("button", name=REDACT_ALL))


def term_on(page, name):
    return terms_on(page).filter(has=page.get_by_role("heading", name=re.compile(f"^{re.escape(name)} \\d")))


def redact_all_button(term):
    """The term's name and its number of occurrences, as its "Redact all" button says them."""
    label = term.get_by_role("button", name=REDACT_ALL).text_content()
    count, name = REDACT_ALL.match(" ".join(label.split())).groups()
    return name, count
