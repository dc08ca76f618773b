"""Papers, in a real browser: the secretariat attaches a paper to an agenda item, is told plainly when a
file is refused, replaces the paper and marks it not for publication; a member downloads it and the
agenda pack. Every app page visited is checked with axe-core."""

import io
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from demo import world as demo_world
from meetings.models import Meeting
from meetings.services import meetings as services
from tests.browser.conftest import sign_in_to

pytestmark = pytest.mark.browser

TOPIC_TITLE = "MAPPA: Thematic Inspection Action Plan"


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture
def meeting(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = demo_world.seed_core()
    from django.contrib.auth import get_user_model

    secretariat = get_user_model().objects.get(username="secretariat")
    meeting = services.create_meeting(
        by=secretariat,
        body=world.bodies["nsg"],
        date=timezone.localdate() + timedelta(days=7),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="St Andrew's House, Regent Road, Edinburgh",
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.AGENDA_ISSUED)
    return meeting


def test_the_secretariat_attaches_replaces_and_withholds_a_paper_and_a_member_downloads_it(
    page, new_page, meeting, assert_accessible
):
    meeting_path = f"/meetings/{meeting.pk}/"
    sign_in_to(page, meeting_path, "secretariat", assert_accessible)
    assert_accessible(page)
    page.get_by_role("link", name="Add a paper to item 3").click()
    expect(page.get_by_role("heading", name="Add a paper to item 3")).to_be_visible()
    assert_accessible(page)

    # A program renamed .pdf is refused; the title typed is kept.
    page.get_by_label("Title").fill("Thematic action plan, May 2017")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "action-plan.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 100}
    )
    page.get_by_role("button", name="Add paper").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF, DOCX, XLSX or ODT")
    expect(page.get_by_label("Title")).to_have_value("Thematic action plan, May 2017")
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(
        {"name": "action-plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}
    )
    page.get_by_role("button", name="Add paper").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Paper added to item 3: Thematic action plan, May 2017."
    )
    expect(page.get_by_role("link", name="Thematic action plan, May 2017", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Replace Thematic action plan, May 2017").click()
    assert_accessible(page)
    page.get_by_label("Upload the new version").set_input_files(
        {"name": "action-plan-v2.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(3)}
    )
    page.get_by_role("button", name="Upload new version").click()
    expect(page.get_by_text("version 2)")).to_be_visible()
    page.get_by_role("button", name="Mark not for publication – Thematic action plan, May 2017").click()
    expect(page.locator(".govuk-tag", has_text="Not for publication")).to_be_visible()
    page.locator("summary", has_text="Earlier versions").click()
    assert_accessible(page)

    member = new_page()
    sign_in_to(member, meeting_path, "member-rma", assert_accessible)
    assert_accessible(member)
    expect(member.get_by_role("link", name="Replace Thematic action plan, May 2017")).to_have_count(0)
    with member.expect_download() as download:
        member.get_by_role("link", name="Thematic action plan, May 2017", exact=True).click()
    assert download.value.suggested_filename == "action-plan-v2.pdf"
    with member.expect_download() as pack:
        member.get_by_role("link", name="Download the agenda pack (PDF)").click()
    reader = PdfReader(pack.value.path())
    assert "Thematic action plan, May 2017 (Not for publication)" in " ".join(reader.pages[0].extract_text().split())
