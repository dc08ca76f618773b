"""A paper uploaded as a Word document is converted to PDF on the server, searched, and released with the
names in it burned in, like a PDF paper."""

import io
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from disclosure.models import Job, Proposal
from disclosure.services import jobs, review
from meetings.models import Meeting
from papers.models import DOCX
from papers.services import add_paper
from tests.disclosure.factories import scoped_request
from tests.factories import PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def word_paper(text):
    document = Document()
    document.add_heading("Level 1 standards: consultation responses", level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_paper_is_released_as_a_pdf_with_the_name_in_it_burned_in(
    secretariat_user, django_capture_on_commit_callbacks
):
    PersonFactory(name="Morag Lindsay", email="morag.lindsay@sws.example")
    meeting = MeetingFactory(date=date(2017, 5, 31), status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=meeting, title="Level 1 standards")
    upload = SimpleUploadedFile("responses.docx", word_paper("Responses collated by Morag Lindsay (SWS)."), DOCX)
    add_paper(item, by=secretariat_user, title="Consultation responses", upload=upload)
    request = scoped_request(secretariat_user, bodies=[meeting.body], kinds=["papers"], reference="FOI/202700300")

    with django_capture_on_commit_callbacks(execute=True):
        jobs.start_finding(request=request, by=secretariat_user)
    proposal = request.proposals.get()
    assert (proposal.text, proposal.page, proposal.document_title) == (
        "Morag Lindsay",
        1,
        "Paper: Consultation responses",
    )
    review.decide_term(
        request=request,
        by=secretariat_user,
        term="Morag Lindsay",
        decision=Proposal.Decision.ACCEPTED,
        exemption=proposal.exemption,
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = jobs.start_building(request=request, by=secretariat_user)
    build.refresh_from_db()
    assert build.status == Job.Status.DONE, build.message

    released = subprocess.run(
        ["pdftotext", "-", "-"], input=request.packs.get().pdf.read(), capture_output=True, check=True
    ).stdout.decode()
    assert "Consultation responses" in released  # its title, in the contents
    assert "Lindsay" not in released
