"""The secretariat answers a freedom-of-information request in one sitting: log it, scope it, find the
personal data, review it, build the pack; a second person approves it; everyone reads it on the log.

What must hold, whatever the wording of the pages: the released pack's text (pypdf and pdftotext)
holds no name, e-mail address or telephone number the review did not keep; the schedule lists every
redaction on the page where it is; an uploaded paper's name is burned in and its metadata gone.
"""

import io
import subprocess
from datetime import date

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from disclosure.models import DisclosureRequest, Job, Pack, Proposal
from mappa.models import Membership, Person
from meetings.models import Meeting
from papers.services import add_paper
from tests.factories import MembershipFactory, PersonFactory, user_with_role
from tests.html import page as parsed
from tests.html import texts
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

Role = Person.AccessRole


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def paper_pdf(text, *, author="Fiona Reid"):
    """A PDF paper whose text layer names someone, with the author in its metadata."""
    data = weasyprint.HTML(
        string=f"<h1>Paper</h1><p>{text}</p><p style='break-before: page'>Annex: no names.</p>"
    ).write_pdf()
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.add_metadata({"/Author": author, "/Title": "Draft by Fiona Reid"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdftotext(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def pypdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def world(db, secretariat_user):
    reid = PersonFactory(name="Fiona Reid", email="fiona.reid@rma.example")
    chair = PersonFactory(name="Alan Kerr", email="alan.kerr@gov.example")
    meeting = MeetingFactory(date=date(2017, 2, 28), status=Meeting.Status.MINUTES_AGREED, chair=chair)
    MembershipFactory(person=chair, body=meeting.body, role=Membership.Role.CHAIR)
    AttendanceFactory(meeting=meeting, person=reid)
    item = AgendaItemFactory(
        meeting=meeting,
        title="Level 1 standards",
        narrative="Ms Reid presented paper 3. Questions to fiona.reid@rma.example or 0131 496 0123. "
        "Alan Kerr, the Chair, thanked Fiona for the paper.",
        decisions="The NSG agreed the standards.",
    )
    add_paper(
        item,
        by=secretariat_user,
        title="Level 1 minimum practice standards",
        upload=SimpleUploadedFile("standards.pdf", paper_pdf("Drafted by Fiona Reid of the RMA."), "application/pdf"),
    )
    add_paper(
        item,
        by=secretariat_user,
        title="Restricted annex",
        upload=SimpleUploadedFile("annex.pdf", paper_pdf("Restricted."), "application/pdf"),
        not_for_publication=True,
    )
    draft = MeetingFactory(date=date(2017, 6, 1), status=Meeting.Status.DRAFT_CIRCULATED, body=meeting.body)
    AgendaItemFactory(meeting=draft, title="Draft item", narrative="Fiona Reid spoke to a draft.")
    return {"reid": reid, "chair": chair, "meeting": meeting, "draft": draft}


def run(client, url, data=None, *, capture):
    """POST a step and run what it hands to Celery (in-process in tests) once it commits."""
    with capture(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_request_answered_with_a_redacted_pack_released_by_a_second_person(
    client, world, secretariat_user, inspector_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client.force_login(secretariat_user)

    # Logged: due 20 Scottish working days after receipt.
    response = client.post(
        "/disclosure/new/",
        {
            "reference": "FOI/202700123",
            "received_on_0": "4",
            "received_on_1": "12",
            "received_on_2": "2026",
            "wording": "NSG agendas, minutes and papers, 1 January 2017 to 31 December 2017",
            "requester": "a journalist",
            "handler": secretariat_user.pk,
        },
    )
    request = DisclosureRequest.objects.get(reference="FOI/202700123")
    assert response.status_code == 302
    assert request.due_on == date(2027, 1, 7)  # 25, 28 Dec and 1, 4 Jan are holidays in Scotland

    # Scoped: the NSG's 2017 agendas, agreed minutes and papers; the chair's name kept by the rule.
    run(
        client,
        f"/disclosure/{request.pk}/scope/",
        {
            "bodies": [world["meeting"].body_id],
            "scope_from_0": "1",
            "scope_from_1": "1",
            "scope_from_2": "2017",
            "scope_to_0": "31",
            "scope_to_1": "12",
            "scope_to_2": "2017",
            "kinds": ["agendas", "minutes", "papers"],
            "keep_organisation_names": "on",
            "keep_chairs": "on",
        },
        capture=capture,
    )
    page = client.get(f"/disclosure/{request.pk}/").content.decode()
    assert "Restricted annex" in page  # listed apart, not for publication
    assert "Minutes: NSG meeting of 28 February 2017" in page
    in_scope = texts(parsed(page), "//details//li")
    assert "Agenda: NSG meeting of 1 June 2017 (1 June 2017)" in in_scope
    assert not any(line.startswith("Minutes: NSG meeting of 1 June") for line in in_scope)  # never draft minutes

    # Found: the names, the address and the number, in the minutes and the paper; not the kept chair.
    run(client, f"/disclosure/{request.pk}/find/", capture=capture)
    assert Job.objects.get(kind=Job.Kind.FIND).status == Job.Status.DONE
    proposals = Proposal.objects.filter(request=request)
    found = {(proposal.document.split(":")[0], proposal.text) for proposal in proposals}
    assert ("minutes", "Ms Reid") in found
    assert ("minutes", "fiona.reid@rma.example") in found
    assert ("minutes", "0131 496 0123") in found
    assert ("minutes", "Fiona") in found
    assert any(kind == "paper-version" and "Reid" in text for kind, text in found)
    assert not any("Kerr" in text for _kind, text in found)

    # Reviewed: every occurrence redacted, in bulk by term, under the default exemption.
    review = client.get(f"/disclosure/{request.pk}/review/").content.decode()
    assert "s.38(1)(b) personal data" in review
    for term in set(proposals.values_list("term", flat=True)):
        run(
            client,
            f"/disclosure/{request.pk}/review/decide/",
            {"term": term, "choice": "accepted-all", "exemption": proposals.first().exemption_id},
            capture=capture,
        )
    assert not proposals.filter(decision=Proposal.Decision.PROPOSED).exists()

    # Built: the pack holds no trace of what was redacted, and the schedule says where each was.
    run(client, f"/disclosure/{request.pk}/build/", capture=capture)
    build = Job.objects.get(kind=Job.Kind.BUILD)
    assert build.status == Job.Status.DONE, build.message
    pack = Pack.objects.get(request=request)
    data = pack.pdf.read()
    for extracted in (pypdf_text(data), pdftotext(data)):
        assert "FOI/202700123" in extracted
        assert "Reid" not in extracted
        assert "fiona.reid" not in extracted
        assert "496 0123" not in extracted
        assert "Alan Kerr" in extracted  # kept by the rule
        assert "Restricted" not in extracted  # not for publication, not included
    assert PdfReader(io.BytesIO(data)).metadata in (None, {}) or "/Author" not in PdfReader(io.BytesIO(data)).metadata
    reader = PdfReader(io.BytesIO(data))
    assert sum(row["count"] for row in pack.schedule) == proposals.count()
    for row in pack.schedule:
        page_text = reader.pages[row["pack_page"] - 1].extract_text()
        # Rendered documents carry the solid block; a burned-in paper page has no text left at all.
        assert "\u2588" in page_text or not page_text.strip() or "Paper" not in page_text

    # Approval: not by the reviewer; by a second member of the secretariat.
    response = client.post(f"/disclosure/{request.pk}/packs/1/approve/", follow=True)
    assert "a second member of the secretariat must approve it" in response.content.decode()
    second = user_with_role(Role.SECRETARIAT, username="t-second-secretariat")
    client.force_login(second)
    run(client, f"/disclosure/{request.pk}/packs/1/approve/", capture=capture)
    request.refresh_from_db()
    assert request.status == DisclosureRequest.Status.RELEASED

    # Before publication, an inspector cannot open the pack; after it, the log lists it and it opens.
    client.force_login(inspector_user)
    assert client.get(f"/disclosure/{request.pk}/packs/1/pack.pdf").status_code == 404
    client.force_login(second)
    run(client, f"/disclosure/{request.pk}/packs/1/publish/", capture=capture)
    client.force_login(inspector_user)
    log = client.get("/disclosure/log/").content.decode()
    assert "FOI/202700123" in log
    assert client.get(f"/disclosure/{request.pk}/packs/1/pack.pdf").status_code == 200
    assert client.get(f"/disclosure/{request.pk}/").status_code == 403
