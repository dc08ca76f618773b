"""Search reads the text inside uploaded papers (issue 16): the secretariat uploads a paper, a worker
reads its text once the upload is committed, and a member searching for words from page 2 finds the
paper, with the page; a scanned PDF says its words cannot be searched. Inspectors still find a
paper's text only once the meeting's minutes are agreed."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from weasyprint import HTML

from meetings.models import Meeting
from papers import services
from papers.models import ODT, PaperVersion
from papers.tasks import extract_text
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.papers.test_papers import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_with_pages(*pages):
    html = "".join(f'<p style="page-break-after: always">{text}</p>' for text in pages)
    return HTML(string=html).write_pdf()


def docx_with(text):
    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def xlsx_with(text):
    workbook = Workbook()
    workbook.active.append(["Area", text])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def odt_with(text):
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"<text:h>Heading</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", content)
    return output.getvalue()


@pytest.fixture
def item(db):
    return AgendaItemFactory(meeting=MeetingFactory(status=Meeting.Status.AGENDA_ISSUED), position=1)


def upload_paper(item, user, name, content, django_capture_on_commit_callbacks, title="Paper for the NSG"):
    with django_capture_on_commit_callbacks(execute=True):
        return services.add_paper(item, by=user, title=title, upload=SimpleUploadedFile(name, content))


def search(client, user, q):
    client.force_login(user)
    response = client.get(reverse("search:search"), {"q": q})
    return response.context["searched"], response.content.decode()


def test_a_member_finds_words_on_page_two_of_a_pdf(
    client, secretariat_user, member_user, item, django_capture_on_commit_callbacks
):
    pdf = pdf_with_pages("Level 1 minimum practice standards.", "Quarantined ledgers of Kirkcaldy bridges.")
    paper = upload_paper(item, secretariat_user, "standards.pdf", pdf, django_capture_on_commit_callbacks)
    version = PaperVersion.objects.get(paper=paper)
    assert version.text_status == PaperVersion.TextStatus.EXTRACTED

    found, page = search(client, member_user, "kirkcaldy ledger")  # stemmed: "ledger" finds "ledgers"
    (result,) = found.results
    assert (result.kind, result.pk, result.page) == ("paper", paper.pk, 2)
    download = reverse("papers:download", args=[item.meeting_id, paper.pk])
    assert f'href="{download}#page=2">Paper for the NSG</a>' in page
    assert "Page 2" in page
    assert "<mark>Kirkcaldy</mark>" in page and "<mark>ledgers</mark>" in page


@pytest.mark.parametrize(
    ("name", "make"),
    [("notes.docx", docx_with), ("figures.xlsx", xlsx_with), ("notes.odt", odt_with)],
)
def test_words_inside_office_documents_are_found(
    client, secretariat_user, member_user, item, django_capture_on_commit_callbacks, name, make
):
    paper = upload_paper(
        item, secretariat_user, name, make("Zetland ferry timetables"), django_capture_on_commit_callbacks
    )
    found, _page = search(client, member_user, '"zetland ferry"')
    assert [(r.kind, r.pk, r.page) for r in found.results] == [("paper", paper.pk, 0)]


def test_a_scanned_pdf_says_its_words_cannot_be_searched(
    client, secretariat_user, member_user, item, django_capture_on_commit_callbacks
):
    paper = upload_paper(
        item, secretariat_user, "scan.pdf", pdf_bytes(2), django_capture_on_commit_callbacks, title="Scanned letter"
    )
    assert PaperVersion.objects.get(paper=paper).text_status == PaperVersion.TextStatus.NO_TEXT_LAYER
    _found, page = search(client, member_user, "scanned letter")
    assert "This PDF has no text layer: its words cannot be searched" in page
    meeting_page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "This PDF has no text layer: its words cannot be searched." in meeting_page


def test_a_new_version_replaces_the_words_searched(
    client, secretariat_user, member_user, item, django_capture_on_commit_callbacks
):
    paper = upload_paper(
        item, secretariat_user, "v1.docx", docx_with("Obsolete wording"), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(
            paper, by=secretariat_user, upload=SimpleUploadedFile("v2.docx", docx_with("Revised wording"))
        )
    assert not search(client, member_user, "obsolete")[0].results
    assert [r.pk for r in search(client, member_user, "revised")[0].results] == [paper.pk]


def test_inspectors_find_a_papers_text_only_once_the_minutes_are_agreed(
    client, secretariat_user, inspector_user, item, django_capture_on_commit_callbacks
):
    upload_paper(item, secretariat_user, "n.docx", docx_with("Orkney tidal survey"), django_capture_on_commit_callbacks)
    found, page = search(client, inspector_user, "orkney")
    assert found.total == 0 and "Papers (0)" in page
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.MINUTES_AGREED)
    assert search(client, inspector_user, "orkney")[0].total == 1


def test_a_file_that_cannot_be_read_is_marked_so(secretariat_user, item, django_capture_on_commit_callbacks):
    paper = upload_paper(item, secretariat_user, "a.docx", docx_with("x"), django_capture_on_commit_callbacks)
    version = PaperVersion.objects.get(paper=paper)
    version.file.storage.delete(version.file.name)  # gone from the disk
    assert extract_text(version.pk) == PaperVersion.TextStatus.FAILED


def test_a_deleted_version_gives_the_paper_its_earlier_words_back(
    client, secretariat_user, member_user, item, django_capture_on_commit_callbacks
):
    paper = upload_paper(
        item, secretariat_user, "v1.docx", docx_with("Original wording"), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.replace_paper(
            paper, by=secretariat_user, upload=SimpleUploadedFile("v2.docx", docx_with("Mistaken wording"))
        )
    version.delete()  # an administrator removes the mistaken upload
    assert [r.pk for r in search(client, member_user, "original")[0].results] == [paper.pk]
    assert not search(client, member_user, "mistaken")[0].results
