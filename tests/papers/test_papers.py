"""The secretariat attaches papers to agenda items and replaces them; members download them and the
agenda pack; inspectors see a meeting's papers only once its minutes are agreed."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from pypdf import PdfReader, PdfWriter

from mappa.pdf import static_directories
from meetings.models import Meeting, StoredDocument
from papers import services
from papers.models import DOCX, ODT, PDF, XLSX, Paper, PaperVersion
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

S = Meeting.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Files ------------------------------------------------------------------------------------


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def zip_bytes(entries):
    # A fixed date in each entry: the same entries give the same bytes, so a test can
    # compare a download with a second call even across a two-second tick of the clock.
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return output.getvalue()


def docx_bytes():
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def xlsx_bytes():
    return zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def odt_bytes():
    return zip_bytes({"mimetype": ODT, "content.xml": "<office:document-content/>"})


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Meetings ---------------------------------------------------------------------------------


@pytest.fixture
def meeting(db):
    return MeetingFactory(status=S.AGENDA_ISSUED)


@pytest.fixture
def items(meeting):
    return [AgendaItemFactory(meeting=meeting, position=position, title=f"Item {position}") for position in (1, 2, 3)]


def add_paper(item, by, title="Level 1 minimum practice standards", name="level-1.pdf", content=None, **kwargs):
    return services.add_paper(item, by=by, title=title, upload=upload(name, content or pdf_bytes()), **kwargs)


def meeting_page(client, meeting):
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- The secretariat adds and replaces papers -------------------------------------------------


def test_secretariat_uploads_a_pdf_to_an_item_and_it_appears_on_the_meeting_page(
    client, secretariat_user, meeting, items
):
    client.force_login(secretariat_user)
    form = client.get(f"/meetings/{meeting.pk}/items/{items[1].pk}/papers/new/")
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert "Add a paper to item 2" in form.content.decode()

    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[1].pk}/papers/new/",
        {
            "title": "MAPPA Coordinator role: SWS paper",
            "file": upload("Coordinator role v3.pdf", pdf_bytes(2)),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/#papers-{items[1].pk}"

    paper = Paper.objects.get()
    assert paper.agenda_item == items[1] and paper.created_by == secretariat_user and not paper.not_for_publication
    version = paper.current_version
    assert (version.number, version.original_filename, version.content_type) == (1, "Coordinator role v3.pdf", PDF)
    assert version.uploaded_by == secretariat_user

    page = client.get(response["Location"]).content.decode()
    assert "Paper added to item 2: MAPPA Coordinator role: SWS paper." in page
    assert f'href="/meetings/{meeting.pk}/papers/{paper.pk}/download/">MAPPA Coordinator role: SWS paper</a>' in page
    assert f"(PDF, {version.size} bytes, version 1)" in page.replace("\xa0", " ")
    assert f'href="/meetings/{meeting.pk}/papers/{paper.pk}/replace/"' in page
    assert f'href="/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/"' in page
    assert f'href="/meetings/{meeting.pk}/pack.pdf">Download the agenda pack (PDF)</a>' in page


def test_members_see_papers_but_not_the_secretariats_controls(client, secretariat_user, member_user, meeting, items):
    paper = add_paper(items[0], secretariat_user, not_for_publication=True)
    client.force_login(member_user)
    page = meeting_page(client, meeting)
    assert paper.title in page
    assert "Not for publication" in page
    assert "/replace/" not in page and "/papers/new/" not in page and "/publication/" not in page
    assert client.get(f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/").status_code == 403
    assert (
        client.post(
            f"/meetings/{meeting.pk}/papers/{paper.pk}/publication/", {"not_for_publication": "false"}
        ).status_code
        == 403
    )


def test_replacing_a_paper_keeps_version_1_downloadable_and_shows_version_2_as_current(
    client, secretariat_user, meeting, items
):
    paper = add_paper(items[0], secretariat_user, name="standards-draft.pdf", content=pdf_bytes(1))
    first = paper.current_version
    client.force_login(secretariat_user)
    assert "standards-draft.pdf" in client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/replace/").content.decode()

    response = client.post(
        f"/meetings/{meeting.pk}/papers/{paper.pk}/replace/",
        {"file": upload("standards-final.docx", docx_bytes())},
        follow=True,
    )
    page = response.content.decode()
    assert "Level 1 minimum practice standards: version 2 uploaded. Earlier versions are kept." in page
    assert "(DOCX, " in page and ", version 2)" in page
    assert f'href="/meetings/{meeting.pk}/papers/{paper.pk}/versions/1/download/">Version 1' in page

    assert [v.number for v in PaperVersion.objects.filter(paper=paper)] == [1, 2]
    current = client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/")
    assert b"".join(current.streaming_content) == docx_bytes()
    assert current["Content-Type"] == DOCX
    assert 'filename="standards-final.docx"' in current["Content-Disposition"]
    earlier = client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/versions/1/download/")
    assert earlier.status_code == 200
    assert b"".join(earlier.streaming_content) == pdf_bytes(1)
    assert 'filename="standards-draft.pdf"' in earlier["Content-Disposition"]
    assert Path(first.file.path).exists()
    assert client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/versions/3/download/").status_code == 404


def test_an_exe_renamed_to_pdf_is_refused_with_the_error_summary_and_the_title_is_kept(
    client, secretariat_user, meeting, items
):
    client.force_login(secretariat_user)
    windows_program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/",
        {
            "title": "SCR notification report",
            "file": upload("report.pdf", windows_program, "application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert page.count("The selected file must be a PDF, DOCX, XLSX or ODT") == 2  # summary and field
    assert 'value="SCR notification report"' in page
    assert not Paper.objects.exists() and not PaperVersion.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("paper.docx", pdf_bytes()),  # a PDF named .docx
        ("paper.xlsx", docx_bytes()),  # a Word document named .xlsx
        ("paper.odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
        ("paper.docx", zip_bytes({"readme.txt": "not a document"})),
        ("paper.docx", b"PK\x03\x04 but not really a zip"),
        ("paper.txt", b"%PDF-1.4 minutes"),
        ("paper", pdf_bytes()),
    ],
)
def test_only_pdf_docx_xlsx_and_odt_whose_contents_match_their_name_are_accepted(
    client, secretariat_user, meeting, items, name, content
):
    client.force_login(secretariat_user)
    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/", {"title": "A paper", "file": upload(name, content)}
    )
    assert "The selected file must be a PDF, DOCX, XLSX or ODT" in response.content.decode()
    assert not Paper.objects.exists()


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Paper.PDF", pdf_bytes(), PDF),
        ("paper.docx", docx_bytes(), DOCX),
        ("paper.xlsx", xlsx_bytes(), XLSX),
        ("paper.odt", odt_bytes(), ODT),
    ],
)
def test_each_allowed_type_is_accepted_and_stored_with_the_type_its_contents_show(
    client, secretariat_user, meeting, items, name, content, content_type
):
    client.force_login(secretariat_user)
    # The browser's claimed type is ignored.
    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/",
        {"title": "A paper", "file": upload(name, content, "text/html")},
    )
    assert response.status_code == 302
    version = PaperVersion.objects.get()
    assert version.content_type == content_type
    assert version.file.name.endswith(Path(name).suffix.lower())


def test_an_oversize_file_is_refused(client, secretariat_user, meeting, items, settings):
    settings.PAPER_MAX_UPLOAD_MB = 1
    client.force_login(secretariat_user)
    big = pdf_bytes() + b"%" + b"0" * int(1.1 * 1024 * 1024)
    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/",
        {"title": "Category 3 referrals", "file": upload("referrals.pdf", big)},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The selected file must be smaller than 1MB" in page
    assert 'value="Category 3 referrals"' in page
    assert not Paper.objects.exists()


def test_a_large_document_spooled_to_disk_is_checked_and_accepted(client, secretariat_user, meeting, items):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5MB) Django keeps the upload in a temporary file.
    padding = bytes(range(256)) * (3 * 1024 * 4)
    large = zip_bytes(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", "word/media/image1.bin": padding}
    )
    assert len(large) > 3 * 1024 * 1024
    client.force_login(secretariat_user)
    response = client.post(
        f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/",
        {"title": "ViSOR report", "file": upload("visor.docx", large)},
    )
    assert response.status_code == 302
    version = PaperVersion.objects.get()
    assert (version.content_type, version.size) == (DOCX, len(large))
    assert Path(version.file.path).read_bytes() == large


def test_the_default_limit_is_20mb():
    assert django_settings.PAPER_MAX_UPLOAD_MB == 20


def test_a_title_and_a_file_are_required(client, secretariat_user, meeting, items):
    client.force_login(secretariat_user)
    page = client.post(f"/meetings/{meeting.pk}/items/{items[0].pk}/papers/new/", {"title": "  "}).content.decode()
    assert "Enter a title" in page and "Select a file" in page
    replace = client.post(f"/meetings/{meeting.pk}/papers/{add_paper(items[0], secretariat_user).pk}/replace/", {})
    assert "Select a file" in replace.content.decode()


def test_the_secretariat_marks_a_paper_not_for_publication_and_back(client, secretariat_user, meeting, items):
    paper = add_paper(items[0], secretariat_user)
    client.force_login(secretariat_user)
    url = f"/meetings/{meeting.pk}/papers/{paper.pk}/publication/"
    page = client.post(url, {"not_for_publication": "true"}, follow=True).content.decode()
    assert "Level 1 minimum practice standards: not for publication." in page
    assert 'govuk-tag--orange">Not for publication</strong>' in page
    assert "Allow publication" in page
    paper.refresh_from_db()
    assert paper.not_for_publication
    client.post(url, {"not_for_publication": "false"})
    paper.refresh_from_db()
    assert not paper.not_for_publication
    # GET only shows the meeting.
    assert client.get(url)["Location"] == f"/meetings/{meeting.pk}/#papers-{items[0].pk}"


def test_papers_are_added_to_an_item_in_order(secretariat_user, items):
    first = add_paper(items[0], secretariat_user, title="First")
    second = add_paper(items[0], secretariat_user, title="Second")
    assert (first.position, second.position) == (1, 2)
    assert list(items[0].papers.values_list("title", flat=True)) == ["First", "Second"]


def test_an_item_with_papers_cannot_be_deleted_and_a_deleted_paper_takes_its_files(
    secretariat_user, items, django_capture_on_commit_callbacks
):
    paper = add_paper(items[0], secretariat_user)
    services.replace_paper(paper, by=secretariat_user, upload=upload("v2.pdf", pdf_bytes(2)))
    files = [Path(version.file.path) for version in paper.versions.all()]
    assert all(file.exists() for file in files)
    with pytest.raises(ProtectedError):
        items[0].delete()
    with django_capture_on_commit_callbacks(execute=True):
        paper.delete()
    assert not any(file.exists() for file in files)


# --- Downloading ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["sog_chair", "nsg_member", "secretariat", "administrator"])
def test_chairs_and_members_download_papers_at_every_stage(
    client, users_by_role, secretariat_user, meeting, items, role
):
    paper = add_paper(items[0], secretariat_user, not_for_publication=True)
    client.force_login(users_by_role[role])
    response = client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_download_is_an_attachment_with_the_original_filename_and_the_stored_type(
    client, secretariat_user, member_user, meeting, items
):
    paper = add_paper(items[0], secretariat_user, name="SOG chairs' update (Fife).pdf")
    client.force_login(member_user)
    response = client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "SOG chairs' update (Fife).pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert int(response["Content-Length"]) == len(pdf_bytes())


def test_an_inspector_gets_papers_only_once_the_minutes_are_agreed(
    client, secretariat_user, inspector_user, meeting, items
):
    paper = add_paper(items[0], secretariat_user)
    version_url = f"/meetings/{meeting.pk}/papers/{paper.pk}/versions/1/download/"
    client.force_login(inspector_user)
    for status in (S.AGENDA_ISSUED, S.HELD, S.DRAFT_CIRCULATED):
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        assert client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/").status_code == 404
        assert client.get(version_url).status_code == 404
        assert client.get(f"/meetings/{meeting.pk}/pack.pdf").status_code == 404
        page = meeting_page(client, meeting)
        assert paper.title not in page and "agenda pack" not in page

    for status in (S.MINUTES_AGREED, S.PUBLISHED):
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        assert client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/").status_code == 200
        assert client.get(version_url).status_code == 200
        page = meeting_page(client, meeting)
        assert paper.title in page and "Download the agenda pack (PDF)" in page
        assert "/replace/" not in page and "/publication/" not in page
    assert client.get(f"/meetings/{meeting.pk}/pack.pdf").status_code == 200


def test_a_paper_of_another_meeting_under_this_meetings_address_is_not_found(client, secretariat_user, meeting, items):
    other_item = AgendaItemFactory(meeting=MeetingFactory(), position=1)
    other = add_paper(other_item, secretariat_user)
    client.force_login(secretariat_user)
    for url in (
        f"/meetings/{meeting.pk}/papers/{other.pk}/download/",
        f"/meetings/{meeting.pk}/papers/{other.pk}/versions/1/download/",
        f"/meetings/{meeting.pk}/papers/{other.pk}/replace/",
        f"/meetings/{meeting.pk}/items/{other_item.pk}/papers/new/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/meetings/{meeting.pk}/papers/{other.pk}/publication/", {"not_for_publication": "true"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/meetings/{meeting.pk}/papers/{other.pk}/replace/", {"file": upload("x.pdf", pdf_bytes())}
        ).status_code
        == 404
    )
    assert other.versions.count() == 1
    # Under its own meeting's address it is there.
    assert client.get(f"/meetings/{other_item.meeting_id}/papers/{other.pk}/download/").status_code == 200


def test_files_are_stored_under_media_root_with_a_random_name_not_under_static(
    client, secretariat_user, items, media_root
):
    version = add_paper(items[0], secretariat_user, name="Joint thematic review.pdf").current_version
    stored = Path(version.file.path).resolve()
    assert stored.is_file()
    assert stored.is_relative_to(Path(media_root).resolve())
    assert re.fullmatch(r"papers/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", version.file.name)
    assert "Joint" not in version.file.name
    static_folders = [Path(folder) for folder in static_directories()]
    assert static_folders
    assert not any(stored.is_relative_to(folder) for folder in static_folders)
    assert not any(any(folder.rglob(stored.name)) for folder in static_folders)
    # Nothing serves the file by its storage address.
    client.force_login(secretariat_user)
    for address in (f"/media/{version.file.name}", f"/static/{version.file.name}", f"/{version.file.name}"):
        assert client.get(address).status_code == 404, address


def test_a_missing_file_is_not_found_rather_than_an_error(client, secretariat_user, meeting, items):
    paper = add_paper(items[0], secretariat_user)
    Path(paper.current_version.file.path).unlink()
    client.force_login(secretariat_user)
    assert client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/download/").status_code == 404


# --- The agenda pack --------------------------------------------------------------------------


def pack_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return PdfReader(io.BytesIO(response.content)).pages


def agenda_page_count(client, meeting):
    return len(PdfReader(io.BytesIO(client.get(f"/meetings/{meeting.pk}/agenda.pdf").content)).pages)


def test_the_agenda_pack_lists_each_paper_at_the_page_it_starts_on(
    client, secretariat_user, member_user, meeting, items
):
    sub_item = AgendaItemFactory(meeting=meeting, parent=items[2], position=1, title="Level 1 standards")
    add_paper(sub_item, secretariat_user, title="Level 1 minimum practice standards", content=pdf_bytes(2))
    add_paper(
        items[0],
        secretariat_user,
        title="Thematic action plan, May 2017",
        content=pdf_bytes(3),
        not_for_publication=True,
    )
    add_paper(items[1], secretariat_user, title="Category 3 referrals", name="cat3.xlsx", content=xlsx_bytes())
    client.force_login(member_user)
    agenda_pages = agenda_page_count(client, meeting)

    pages = pack_pages(client.get(f"/meetings/{meeting.pk}/pack.pdf"))
    contents = " ".join(pages[0].extract_text().split())
    assert "AGENDA PACK: CONTENTS" in contents
    assert f"Agenda {1 + 1}" in contents
    # In agenda order: item 1's paper, item 2's spreadsheet (not included), item 3.1's paper.
    first, second = 1 + agenda_pages + 1, 1 + agenda_pages + 3 + 1
    assert f"1 Thematic action plan, May 2017 (Not for publication) {first}" in contents
    assert "2 Category 3 referrals not included: XLSX — download from the service —" in contents
    assert f"3.1 Level 1 minimum practice standards {second}" in contents
    assert contents.index("Thematic action plan") < contents.index("Category 3") < contents.index("Level 1 minimum")
    assert len(pages) == 1 + agenda_pages + 3 + 2
    assert f"{len(pages)} pages in all" in contents
    assert "AGENDA" in pages[1].extract_text()


def test_a_held_meetings_pack_is_kept_until_a_paper_is_replaced(client, secretariat_user, member_user, meeting, items):
    paper = add_paper(items[0], secretariat_user, content=pdf_bytes(1))
    Meeting.objects.filter(pk=meeting.pk).update(status=S.HELD)
    client.force_login(member_user)

    first = client.get(f"/meetings/{meeting.pk}/pack.pdf").content
    kept = StoredDocument.objects.get(meeting=meeting, kind=StoredDocument.Kind.PACK)
    assert kept.file.read() == first
    assert client.get(f"/meetings/{meeting.pk}/pack.pdf").content == first

    services.replace_paper(paper, by=secretariat_user, upload=upload("level-1.pdf", pdf_bytes(3)))
    remade = pack_pages(client.get(f"/meetings/{meeting.pk}/pack.pdf"))
    assert len(remade) == len(PdfReader(io.BytesIO(first)).pages) + 2  # the new version's three pages
    assert StoredDocument.objects.get(meeting=meeting, kind=StoredDocument.Kind.PACK).source != kept.source


def test_a_pack_with_two_pdf_papers_counts_contents_agenda_and_papers(
    client, secretariat_user, chair_user, meeting, items
):
    add_paper(items[0], secretariat_user, title="Paper A", content=pdf_bytes(1))
    add_paper(items[1], secretariat_user, title="Paper B", content=pdf_bytes(4))
    client.force_login(chair_user)
    agenda_pages = agenda_page_count(client, meeting)
    pages = pack_pages(client.get(f"/meetings/{meeting.pk}/pack.pdf"))
    contents = " ".join(pages[0].extract_text().split())
    assert f"1 Paper A {2 + agenda_pages}" in contents
    assert f"2 Paper B {3 + agenda_pages}" in contents
    assert len(pages) == 1 + agenda_pages + 1 + 4


def test_an_unreadable_pdf_is_listed_but_left_out_of_the_pack(
    client, secretariat_user, member_user, meeting, items, monkeypatch
):
    # Stored before uploaded PDFs were checked (today an unreadable one is refused at upload).
    monkeypatch.setattr("papers.forms._clean_pdf", lambda upload: None)
    add_paper(items[0], secretariat_user, title="Broken paper", content=b"%PDF-1.4\nthis is not really a PDF")
    monkeypatch.undo()
    client.force_login(member_user)
    pages = pack_pages(client.get(f"/meetings/{meeting.pk}/pack.pdf"))
    contents = " ".join(pages[0].extract_text().split())
    assert "Broken paper not included: the PDF could not be read" in contents
    assert len(pages) == 1 + agenda_page_count(client, meeting)


# --- Queries do not grow with the agenda ------------------------------------------------------


@pytest.fixture
def thirty_items_with_papers(meeting, secretariat_user):
    for position in range(1, 31):
        item = AgendaItemFactory(meeting=meeting, position=position)
        paper = add_paper(item, secretariat_user, title=f"Paper {position}", content=pdf_bytes(1))
        if position % 5 == 0:
            services.replace_paper(paper, by=secretariat_user, upload=upload("v2.docx", docx_bytes()))
    return meeting


def test_the_meeting_page_with_30_items_with_papers_takes_a_bounded_number_of_queries(
    client, secretariat_user, thirty_items_with_papers, django_assert_max_num_queries
):
    meeting = thirty_items_with_papers
    client.force_login(secretariat_user)
    with django_assert_max_num_queries(20):
        page = meeting_page(client, meeting)
    assert page.count('/download/">Paper ') == 30
    assert page.count("Earlier versions<span") == 6


def test_the_agenda_pack_with_30_items_with_papers_takes_a_bounded_number_of_queries(
    client, member_user, thirty_items_with_papers, django_assert_max_num_queries
):
    meeting = thirty_items_with_papers
    client.force_login(member_user)
    with django_assert_max_num_queries(12):
        response = client.get(f"/meetings/{meeting.pk}/pack.pdf")
    pages = pack_pages(response)
    # 24 one-page PDFs; the 6 replaced by Word documents are listed, not included.
    contents_text = " ".join(page.extract_text() for page in pages[:2])
    assert contents_text.count("not included: DOCX") == 6
    assert len(pages) > 24


def paper_pdf(name, pages, size="A4"):
    """A paper whose pages say what they are ("Paper A, its page 2"), with a footer of its own."""
    from weasyprint import HTML

    body = "".join(f'<p style="page-break-after: always">{name}, its page {n}</p>' for n in range(1, pages + 1))
    style = f'@page {{ size: {size}; @bottom-center {{ content: "{name} p." counter(page) }} }}'
    return HTML(string=f"<style>{style}</style>{body}").write_pdf()


def test_every_page_of_the_pack_carries_the_number_the_contents_give(
    client, secretariat_user, member_user, meeting, items
):
    add_paper(items[0], secretariat_user, title="Paper A", content=paper_pdf("Paper A", 2))
    # A paper of another page size still gets the number at the foot on the right.
    add_paper(items[1], secretariat_user, title="Paper B", content=paper_pdf("Paper B", 1, "letter landscape"))
    client.force_login(member_user)

    pages = pack_pages(client.get(f"/meetings/{meeting.pk}/pack.pdf"))

    total = len(pages)
    texts = [" ".join(page.extract_text().split()) for page in pages]
    for number, text in enumerate(texts, start=1):
        # One number per page, the pack's: the contents and agenda have no numbering of their own.
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {total}"], text
    contents = texts[0]
    starts = {title: int(contents.split(title)[1].split()[0]) for title in ("Paper A", "Paper B")}
    assert "Paper A, its page 1" in texts[starts["Paper A"] - 1]
    assert "Paper A, its page 2" in texts[starts["Paper A"]]
    assert "Paper B, its page 1" in texts[starts["Paper B"] - 1]
    # The paper's own numbering stays as it was.
    assert "Paper A p.2" in texts[starts["Paper A"]]
    agenda_first = int(contents.split("Agenda")[1].split()[0])
    assert "AGENDA" in texts[agenda_first - 1]
    # Laid over at the foot on the right of the letter-size page, not off its edge.
    letter = pages[starts["Paper B"] - 1]
    assert float(letter.mediabox.width) == pytest.approx(792, abs=1)
