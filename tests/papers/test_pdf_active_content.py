"""Uploaded PDFs are stored without JavaScript, automatic actions or embedded files (issue 11, part 5).

A paper's PDF (and each new version of it) is cleaned when it is uploaded; the
meeting page says, in plain words, what was taken out. A PDF with nothing to take
out is stored byte for byte as uploaded; one pypdf cannot read is stored as it came,
as before; DOCX and the other kinds are never touched. The agenda pack goes through
the same cleaning (mappa.pdf_clean), for papers stored before it.
"""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject, TextStringObject

from mappa.pdf_clean import describe_removed, remove_active_content, without_active_content, written
from mappa.submissions import TOKEN_FIELD
from meetings.models import Meeting
from papers import forms as paper_forms
from papers.models import DOCX, Paper, PaperVersion
from tests.double_submit import token_from
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

REMOVED_NOTE = "When this file was uploaded, the service removed"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting(db):
    return MeetingFactory(status=Meeting.Status.AGENDA_ISSUED)


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, position=1, title="Level 1 standards")


# --- PDFs to upload ---------------------------------------------------------------------------


def _name(value):
    return NameObject(value)


def action(kind, **entries):
    """An action dictionary: /S kind, with the entries given (keys without their slash)."""
    return DictionaryObject(
        {
            _name("/Type"): _name("/Action"),
            _name("/S"): _name(kind),
            **{_name(f"/{key}"): value for key, value in entries.items()},
        }
    )


def javascript(code):
    return action("/JavaScript", JS=TextStringObject(code))


def as_bytes(writer):
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def plain_writer(pages=2):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def clean_pdf(pages=2):
    return as_bytes(plain_writer(pages))


def hostile_writer():
    """Two pages carrying an /OpenAction script, a page /AA script, two document scripts and an embedded file."""
    writer = plain_writer(2)
    root = writer.root_object
    root[_name("/OpenAction")] = writer._add_object(javascript("app.alert('opened')"))
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): writer._add_object(javascript("app.alert('page')"))})
    scripts = ArrayObject(
        [
            TextStringObject("first"),
            writer._add_object(javascript("app.alert('doc-1')")),
            TextStringObject("second"),
            writer._add_object(javascript("app.alert('doc-2')")),
        ]
    )
    root[_name("/Names")] = writer._add_object(
        DictionaryObject(
            {
                _name("/JavaScript"): writer._add_object(DictionaryObject({_name("/Names"): scripts})),
            }
        )
    )
    writer.add_attachment("payload.exe", b"MZ hidden payload")
    return writer


def hostile_pdf():
    data = as_bytes(hostile_writer())
    # What it carries, as pypdf reads it.
    reader = PdfReader(io.BytesIO(data))
    assert "/OpenAction" in reader.root_object and "/AA" in reader.pages[0]
    assert "/JavaScript" in reader.root_object["/Names"]
    assert reader.attachments == {"payload.exe": [b"MZ hidden payload"]}
    return data


def assert_no_active_content(data):
    """Parsed back with pypdf: no scripts, automatic actions or embedded files, anywhere in the bytes either."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.root_object
    assert "/OpenAction" not in root and "/AA" not in root
    names = root.get("/Names", {})
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert reader.attachments == {}
    for page in reader.pages:
        assert "/AA" not in page
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert "/AA" not in annotation and annotation.get("/Subtype") != "/FileAttachment"
            assert annotation.get("/A", {}).get("/S") not in ("/JavaScript", "/Launch")
    # Not left behind as unreferenced objects either.
    for leftover in (b"app.alert", b"/JavaScript", b"/JS", b"hidden payload", b"payload.exe", b"/Launch"):
        assert leftover not in data, leftover
    return reader


def pdf_upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload_paper(client, meeting, item, name, content, title="Level 1 minimum practice standards"):
    """Upload through the real form, as the browser sends it (with the form's one-time submission token)."""
    url = f"/meetings/{meeting.pk}/items/{item.pk}/papers/new/"
    token = token_from(client, url)
    return client.post(url, {"title": title, "file": pdf_upload(name, content), TOKEN_FIELD: token})


def replace_paper(client, meeting, paper, name, content):
    url = f"/meetings/{meeting.pk}/papers/{paper.pk}/replace/"
    token = token_from(client, url)
    return client.post(url, {"file": pdf_upload(name, content), TOKEN_FIELD: token})


def downloaded(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def meeting_page(client, meeting):
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return " ".join(response.content.decode().replace("\xa0", " ").split())


# --- Uploading a paper ------------------------------------------------------------------------


def test_an_uploaded_pdf_is_stored_without_its_scripts_automatic_actions_and_embedded_file(
    client, secretariat_user, member_user, meeting, item
):
    client.force_login(secretariat_user)
    response = upload_paper(client, meeting, item, "standards.pdf", hostile_pdf())
    assert response.status_code == 302

    version = PaperVersion.objects.get()
    assert version.removed_content == {"scripts": 2, "open_action": 1, "automatic_actions": 1, "embedded_files": 1}
    stored = Path(version.file.path).read_bytes()
    reader = assert_no_active_content(stored)
    assert len(reader.pages) == 2
    assert [float(value) for value in reader.pages[1].mediabox] == [0, 0, 595, 842]
    assert version.size == len(stored)
    assert (version.original_filename, version.content_type) == ("standards.pdf", "application/pdf")

    # What members download is the cleaned file; the meeting page says what was removed.
    client.force_login(member_user)
    paper = Paper.objects.get()
    assert downloaded(client, f"/meetings/{meeting.pk}/papers/{paper.pk}/download/") == stored
    page = meeting_page(client, meeting)
    assert (
        '<div class="govuk-inset-text govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-1 '
        'govuk-!-padding-top-1 govuk-!-padding-bottom-1">'
    ) in page
    assert (
        f"{REMOVED_NOTE} JavaScript (2 scripts), an action that runs when the file is opened, an action that "
        "runs by itself when a page is shown or a form field is used and 1 embedded file."
    ) in page


def test_a_pdf_with_nothing_to_remove_is_stored_byte_for_byte_and_nothing_is_said(
    client, secretariat_user, meeting, item
):
    original = clean_pdf(3)
    client.force_login(secretariat_user)
    assert upload_paper(client, meeting, item, "minutes.pdf", original).status_code == 302
    version = PaperVersion.objects.get()
    assert Path(version.file.path).read_bytes() == original
    assert version.size == len(original)
    assert version.removed_content == {}
    assert version.removed_summary == ""
    assert "the service removed" not in meeting_page(client, meeting)


def test_a_destination_to_open_at_and_ordinary_links_are_not_removed(client, secretariat_user, meeting, item):
    writer = plain_writer(2)
    # Open at page 2, fitted: a destination, not an action.
    writer.root_object[_name("/OpenAction")] = ArrayObject([writer.pages[1].indirect_reference, _name("/Fit")])
    link = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([FloatObject(72), FloatObject(72), FloatObject(200), FloatObject(90)]),
            _name("/A"): action("/URI", URI=TextStringObject("https://www.gov.scot/mappa")),
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(link)])
    original = as_bytes(writer)
    client.force_login(secretariat_user)
    assert upload_paper(client, meeting, item, "guidance.pdf", original).status_code == 302
    version = PaperVersion.objects.get()
    assert Path(version.file.path).read_bytes() == original
    assert version.removed_content == {}


def test_a_new_version_is_cleaned_too_and_each_version_says_what_was_removed_from_it(
    client, secretariat_user, meeting, item
):
    client.force_login(secretariat_user)
    first = clean_pdf(1)
    assert upload_paper(client, meeting, item, "draft.pdf", first).status_code == 302
    paper = Paper.objects.get()

    response = replace_paper(client, meeting, paper, "final.pdf", hostile_pdf())
    assert response.status_code == 302
    version_2 = paper.versions.get(number=2)
    assert version_2.removed_content == {"scripts": 2, "open_action": 1, "automatic_actions": 1, "embedded_files": 1}
    stored = Path(version_2.file.path).read_bytes()
    assert_no_active_content(stored)
    assert downloaded(client, f"/meetings/{meeting.pk}/papers/{paper.pk}/versions/2/download/") == stored
    # Version 1 is as it was.
    assert Path(paper.versions.get(number=1).file.path).read_bytes() == first
    page = meeting_page(client, meeting)
    assert page.count(REMOVED_NOTE) == 1
    assert "version 2)" in page

    # The replace page's list of versions says it against version 2 only.
    replace_page = " ".join(client.get(f"/meetings/{meeting.pk}/papers/{paper.pk}/replace/").content.decode().split())
    assert replace_page.count(REMOVED_NOTE) == 1
    assert replace_page.index("final.pdf") < replace_page.index(REMOVED_NOTE) < replace_page.index("draft.pdf")

    # Once a clean version 3 replaces it, version 2 says so among the earlier versions.
    third = clean_pdf(1)
    assert replace_paper(client, meeting, paper, "final-v3.pdf", third).status_code == 302
    assert Path(paper.versions.get(number=3).file.path).read_bytes() == third
    page = meeting_page(client, meeting)
    assert REMOVED_NOTE not in page
    assert (
        'Version 2<span class="govuk-visually-hidden"> of Level 1 minimum practice standards</span></a> (PDF, ' in page
    )
    assert (
        "When it was uploaded, the service removed JavaScript (2 scripts), an action that runs when the file is "
        "opened, an action that runs by itself when a page is shown or a form field is used and 1 embedded "
        "file.</li>"
    ) in page


def test_a_pdf_too_damaged_to_read_is_refused_since_it_cannot_be_checked_and_the_title_is_kept(
    client, secretariat_user, meeting, item
):
    damaged = b"%PDF-1.4\nthis is not really a PDF /OpenAction /JavaScript"
    client.force_login(secretariat_user)
    response = upload_paper(client, meeting, item, "damaged.pdf", damaged)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(paper_forms.NOT_READABLE) == 2  # summary and field
    assert 'value="Level 1 minimum practice standards"' in page or "Level 1 minimum practice standards" in page
    assert not Paper.objects.exists()


def test_a_pdf_that_is_read_but_cannot_be_written_out_cleaned_is_refused_with_a_form_error(
    client, secretariat_user, meeting, item, monkeypatch
):
    def cannot_write(*args, **kwargs):
        raise RecursionError("too deep")

    monkeypatch.setattr("mappa.pdf_clean.written", cannot_write)
    client.force_login(secretariat_user)
    response = upload_paper(client, meeting, item, "standards.pdf", hostile_pdf())
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count(paper_forms.NOT_CLEANED) == 2  # summary and field
    assert not Paper.objects.exists()


def test_other_kinds_of_paper_are_not_touched(client, secretariat_user, meeting, item):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>/OpenAction /JavaScript app.alert(1)</w:document>")
    docx = output.getvalue()
    client.force_login(secretariat_user)
    url = f"/meetings/{meeting.pk}/items/{item.pk}/papers/new/"
    response = client.post(
        url,
        {"title": "Word paper", TOKEN_FIELD: token_from(client, url), "file": SimpleUploadedFile("paper.docx", docx)},
    )
    assert response.status_code == 302
    version = PaperVersion.objects.get()
    assert version.content_type == DOCX
    assert Path(version.file.path).read_bytes() == docx
    assert version.removed_content == {}


def test_a_pdf_locked_only_against_changes_is_cleaned(client, secretariat_user, meeting, item):
    writer = hostile_writer()
    writer.encrypt(user_password="", owner_password="secretariat-only", algorithm="RC4-128")
    client.force_login(secretariat_user)
    assert upload_paper(client, meeting, item, "locked.pdf", as_bytes(writer)).status_code == 302
    version = PaperVersion.objects.get()
    assert version.removed_content["scripts"] == 2
    assert_no_active_content(Path(version.file.path).read_bytes())


# --- The shared cleaning, on what else a PDF can carry ----------------------------------------


def test_links_buttons_form_fields_and_attachments_that_act_are_removed_and_the_rest_kept():
    writer = plain_writer(1)
    page = writer.pages[0]

    def rect():
        return ArrayObject([FloatObject(72), FloatObject(72), FloatObject(200), FloatObject(90)])

    def annotation(subtype, **entries):
        return writer._add_object(
            DictionaryObject(
                {
                    _name("/Type"): _name("/Annot"),
                    _name("/Subtype"): _name(subtype),
                    _name("/Rect"): rect(),
                    **{_name(f"/{key}"): value for key, value in entries.items()},
                }
            )
        )

    embedded = StreamObject()
    embedded.set_data(b"hidden spreadsheet")
    embedded[_name("/Type")] = _name("/EmbeddedFile")
    file_spec = writer._add_object(
        DictionaryObject(
            {
                _name("/Type"): _name("/Filespec"),
                _name("/F"): TextStringObject("cases.xlsx"),
                _name("/EF"): DictionaryObject({_name("/F"): writer._add_object(embedded)}),
            }
        )
    )
    web_link = annotation("/Link", A=action("/URI", URI=TextStringObject("https://www.gov.scot/")))
    # A page link that also runs a script next.
    page_link = annotation(
        "/Link",
        A=action(
            "/GoTo", D=ArrayObject([page.indirect_reference, _name("/Fit")]), Next=javascript("app.alert('next')")
        ),
    )
    launch_link = annotation("/Link", A=action("/Launch", F=TextStringObject("cmd.exe")))
    attachment = annotation("/FileAttachment", FS=file_spec)
    field = annotation(
        "/Widget",
        FT=_name("/Tx"),
        T=TextStringObject("name"),
        AA=DictionaryObject({_name("/K"): javascript("event.rc = true"), _name("/F"): javascript("event.value = ''")}),
    )
    button = annotation(
        "/Widget",
        FT=_name("/Btn"),
        T=TextStringObject("send"),
        A=action("/SubmitForm", F=TextStringObject("https://example.com/collect")),
    )
    page[_name("/Annots")] = ArrayObject([web_link, page_link, launch_link, attachment, field, button])
    writer.root_object[_name("/AcroForm")] = DictionaryObject(
        {
            _name("/Fields"): ArrayObject([field, button]),
            _name("/XFA"): TextStringObject("<xdp:xdp/>"),
        }
    )
    writer.root_object[_name("/AA")] = DictionaryObject({_name("/WC"): javascript("app.alert('closing')")})
    outline = writer.add_outline_item(title="Start", page_number=0)
    outline.get_object()[_name("/A")] = javascript("app.alert('bookmark')")

    removed = remove_active_content(writer)
    assert removed.as_dict() == {
        "scripts": 2,
        "automatic_actions": 3,
        "file_actions": 1,
        "form_submissions": 1,
        "embedded_files": 1,
        "xfa_forms": 1,
    }
    assert describe_removed(removed.as_dict()) == [
        "JavaScript (2 scripts)",
        "3 actions that run by themselves when a page is shown or a form field is used",
        "a link that starts a program or opens another file",
        "a button that sends the form's contents to a web address",
        "1 embedded file",
        "a form that can run scripts (XFA)",
    ]
    data = written(writer, removed)
    assert b"cmd.exe" not in data and b"hidden spreadsheet" not in data and b"example.com" not in data
    reader = assert_no_active_content(data)
    annotations = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    # The web link and the page link (without its script) are kept; so are both form fields, inert.
    assert [a["/Subtype"] for a in annotations] == ["/Link", "/Link", "/Link", "/Widget", "/Widget"]
    assert annotations[0]["/A"]["/URI"] == "https://www.gov.scot/"
    assert annotations[1]["/A"]["/S"] == "/GoTo" and "/Next" not in annotations[1]["/A"]
    assert "/A" not in annotations[2] and "/A" not in annotations[4]
    assert "/XFA" not in reader.root_object["/AcroForm"]
    assert reader.outline[0].title == "Start"


def test_a_clean_pdf_comes_back_as_the_same_bytes():
    original = clean_pdf(2)
    data, removed = without_active_content(original)
    assert data is original and not removed


# --- The agenda pack --------------------------------------------------------------------------


def test_the_agenda_pack_leaves_out_the_scripts_of_a_paper_stored_before_papers_were_cleaned(
    client, secretariat_user, member_user, meeting, item
):
    # Stored as it came, as papers were before this cleaning (and as no upload is now).
    paper = Paper.objects.create(agenda_item=item, title="Old paper", position=1, created_by=secretariat_user)
    hostile = hostile_pdf()
    version = PaperVersion(
        paper=paper,
        number=1,
        original_filename="old.pdf",
        content_type="application/pdf",
        size=len(hostile),
        uploaded_by=secretariat_user,
    )
    version.file.save("old.pdf", ContentFile(hostile))
    client.force_login(member_user)
    response = client.get(f"/meetings/{meeting.pk}/pack.pdf")
    assert response.status_code == 200
    reader = assert_no_active_content(response.content)
    contents = " ".join(reader.pages[0].extract_text().split())
    assert "1 Old paper" in contents
    assert [entry.title for entry in reader.outline][-1] == "1 Old paper"
    assert len(reader.pages) >= 1 + 1 + 2  # contents, agenda, the paper's two pages
