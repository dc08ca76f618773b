"""The disclosure pack (disclosure.pack, issue 15): cover, schedule of redactions, contents and the
documents in date order, every page stamped; the ZIP of the files and the schedule as CSV; nothing
released carries metadata; the same input gives the same bytes."""

import csv
import dataclasses
import datetime
import io
import re
import subprocess
import zipfile

import pytest
import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from disclosure.pack import PackDocument, PackError, Redacted, build_pack

REFERENCE = "FOI-2026-0042"
PRODUCED_ON = datetime.date(2026, 12, 4)
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>J. Bloggs</dc:creator></rdf:Description>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def made_pdf(title, pages, size="A4"):
    """A PDF as WeasyPrint makes it (its own /Producer, /Creator, /Title, /Author), one marker per page."""
    body = "".join(
        f'<section style="break-before: page">{f"<h1>{title}</h1>" if n == 1 else ""}<p>{title} page {n}</p></section>'
        for n in range(1, pages + 1)
    )
    html = (
        f'<html><head><title>{title}</title><meta name="author" content="J. Bloggs">'
        f"<style>@page {{ size: {size} }}</style></head><body>{body}</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def with_everything_to_strip(pdf):
    """``pdf`` with XMP, a comment, an attachment and bookmarks of its own, as an office suite might leave it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Author": "J. Bloggs", "/Creator": "Word", "/Title": "Draft for J. Bloggs"})
    xmp = DecodedStreamObject()
    xmp.set_data(XMP)
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.add_attachment("notes.txt", b"the name under the black box")
    writer.add_outline_item(title="Bloggs's heading", page_number=0)
    comment = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): writer.pages[0].mediabox,
            NameObject("/Contents"): TextStringObject("Take out Bloggs"),
        }
    )
    writer.add_annotation(0, comment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def document(title, day, kind, filename, pages, *, size="A4", redactions=(), note=""):
    """A PackDocument whose PDF has ``pages`` pages, each saying "<title> page N"."""
    return PackDocument(
        title=title,
        date=day,
        kind=kind,
        filename=filename,
        pdf=made_pdf(title, pages, size),
        redactions=[Redacted(page=page, exemption=exemption, count=count) for page, exemption, count in redactions],
        note=note,
    )


PERSONAL, CONDUCT = "s.38(1)(b) personal data", "s.30(c) effective conduct of public affairs"


@pytest.fixture(scope="module")
def documents():
    minutes = document(
        "NSG minutes, 16 February 2017",
        datetime.date(2017, 2, 16),
        "Agreed minutes",
        "2017-02-16 NSG minutes.pdf",
        3,
        redactions=[(2, PERSONAL, 2), (1, PERSONAL, 1), (2, PERSONAL, 3), (2, CONDUCT, 1)],
    )
    minutes.pdf = with_everything_to_strip(minutes.pdf)
    return [
        minutes,
        document(
            "SOG return narrative, Fife",
            datetime.date(2017, 5, 1),
            "Return narrative",
            "../../Fife: Q1 return?.pdf",
            2,
            size="A4 landscape",
            redactions=[(2, PERSONAL, 4)],
        ),
        document(
            "NSG agenda, 16 February 2017",
            datetime.date(2017, 2, 16),
            "Agenda",
            "2017-02-16 NSG agenda.pdf",
            1,
            size="A5",
            note="Not for publication: included because the request names it",
        ),
        document(
            "Thematic inspection action plan",
            datetime.date(2017, 1, 10),
            "Action plan",
            "action plan.pdf",
            2,
            redactions=[(1, CONDUCT, 1)],
        ),
    ]


def build(documents, **kwargs):
    return build_pack(
        reference=REFERENCE,
        request_title="Minutes of the National Strategic Group in 2017",
        produced_on=PRODUCED_ON,
        documents=documents,
        **kwargs,
    )


@pytest.fixture(scope="module")
def built(documents):
    return build(documents)


def text_pages(pdf):
    """The text of each page, as poppler's pdftotext reads it (layout kept, so a table row is a line)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def contents_page_numbers(pages, titles):
    """{title: the page the contents give it}: the last number on the title's line of the contents."""
    contents = next(text for text in pages if re.search(r"^\s*Contents\s*$", text, re.MULTILINE))
    found = {}
    for line in contents.splitlines():
        for title in titles:
            if title in line:
                found[title] = int(line.split()[-1])
    return found


def test_the_cover_carries_the_reference_title_date_and_counts(built):
    cover = text_pages(built.pdf)[0]
    assert REFERENCE in cover
    assert "Minutes of the National Strategic Group in 2017" in cover
    assert "Produced on 4 December 2026" in cover
    assert "4 documents, 12 redactions" in cover


def test_the_contents_give_the_page_each_document_starts_on_in_date_order(built, documents):
    pages = text_pages(built.pdf)
    starts = contents_page_numbers(pages, [document.title for document in documents])
    assert len(starts) == len(documents)
    for title, page in starts.items():
        assert f"{title} page 1" in pages[page - 1], f"{title} is not on page {page}"
    # By date, and the minutes before the agenda of the same day, as they were given.
    assert list(starts) == sorted(starts, key=starts.get)
    assert sorted(starts, key=starts.get) == [
        "Thematic inspection action plan",
        "NSG minutes, 16 February 2017",
        "NSG agenda, 16 February 2017",
        "SOG return narrative, Fife",
    ]
    assert len(pages) == built.page_count == starts["SOG return narrative, Fife"] + 1


def test_every_page_carries_the_reference_and_its_number_in_the_pack(built):
    pages = text_pages(built.pdf)
    assert len(pages) == built.page_count
    for number, text in enumerate(pages, start=1):
        assert f"{REFERENCE} · Page {number} of {built.page_count}" in text, f"page {number}"


def bottom_right_text(pdf, number):
    """The text in the bottom right corner of page ``number`` (its right half, its lowest tenth)."""
    box = PdfReader(io.BytesIO(pdf)).pages[number - 1].cropbox
    width, height = float(box.width), float(box.height)
    corner = [
        "-x",
        f"{width / 2:.0f}",
        "-y",
        f"{height * 0.9:.0f}",
        "-W",
        f"{width / 2:.0f}",
        "-H",
        f"{height * 0.1:.0f}",
    ]
    command = ["pdftotext", "-f", str(number), "-l", str(number), *corner, "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_stamp_is_at_the_foot_on_the_right_of_pages_of_every_size(built):
    reader = PdfReader(io.BytesIO(built.pdf))
    sizes = {(round(float(page.cropbox.width)), round(float(page.cropbox.height))) for page in reader.pages}
    assert sizes == {(595, 842), (842, 595), (420, 595)}
    for number in range(1, built.page_count + 1):
        assert f"Page {number} of {built.page_count}" in bottom_right_text(built.pdf, number)


def test_a_page_shown_turned_is_stamped_upright_at_the_foot_of_the_page_as_shown():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(made_pdf("Scanned letter", 1))))
    writer.pages[0].rotate(90)
    turned = io.BytesIO()
    writer.write(turned)
    letter = document("Scanned letter", datetime.date(2017, 3, 1), "Paper", "letter.pdf", 1)
    built = build([dataclasses.replace(letter, pdf=turned.getvalue())])
    page = PdfReader(io.BytesIO(built.pdf)).pages[-1]
    assert (round(float(page.cropbox.width)), round(float(page.cropbox.height))) == (842, 595)
    # Upright: pdftotext reads it as one line (turned, it would be a letter a line).
    assert f"{REFERENCE} · Page 4 of 4" in bottom_right_text(built.pdf, 4)


def test_the_schedule_has_one_row_per_document_page_and_exemption_with_the_counts_summed(built):
    rows = [(row.document, row.document_page, row.exemption, row.count) for row in built.schedule]
    assert rows == [
        ("Thematic inspection action plan", 1, CONDUCT, 1),
        ("NSG minutes, 16 February 2017", 1, PERSONAL, 1),
        ("NSG minutes, 16 February 2017", 2, PERSONAL, 5),
        ("NSG minutes, 16 February 2017", 2, CONDUCT, 1),
        ("SOG return narrative, Fife", 2, PERSONAL, 4),
    ]


def test_each_schedule_row_names_the_pack_page_its_document_page_is_on_and_prints_it(built):
    pages = text_pages(built.pdf)
    schedule_text = "\n".join(text for text in pages if "Schedule of redactions" in text)
    for row in built.schedule:
        assert f"{row.document} page {row.document_page}" in pages[row.pack_page - 1]
        # The title and exemption may wrap in their cells: their first words are on the row's first line.
        title, exemption = (re.escape(text.split()[0]) for text in (row.document, row.exemption))
        printed = rf"^{title}\b.*\s{row.document_page}\s+{row.pack_page}\s+{exemption}.*\s{row.count}$"
        assert re.search(printed, schedule_text, re.MULTILINE), row


def test_every_accepted_redaction_is_in_the_schedule_with_its_page(built, documents):
    for document in documents:
        for page in {redaction.page for redaction in document.redactions}:
            given = sum(r.count for r in document.redactions if r.page == page)
            scheduled = [row for row in built.schedule if row.document == document.title and row.document_page == page]
            assert sum(row.count for row in scheduled) == given
    assert sum(row.count for row in built.schedule) == sum(r.count for d in documents for r in d.redactions)


@pytest.mark.parametrize("page", [0, 4])
def test_a_redaction_on_a_page_the_document_does_not_have_is_refused(documents, page):
    wrong = dataclasses.replace(documents[0], redactions=[Redacted(page=page, exemption=PERSONAL, count=1)])
    with pytest.raises(PackError, match=f"page {page} of a 3-page document"):
        build([wrong])


def test_a_document_that_is_not_a_pdf_is_refused(documents):
    broken = PackDocument(title="Broken", date=datetime.date(2017, 1, 1), kind="Paper", filename="x.pdf", pdf=b"<html>")
    with pytest.raises(PackError, match="Broken: the PDF cannot be read"):
        build([broken])


def assert_no_metadata(pdf, name):
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is None, name
    assert "/Metadata" not in reader.trailer["/Root"], name
    assert reader.xmp_metadata is None, name
    for marker in (b"/Producer", b"/Creator", b"/Author", b"xmpmeta", b"Bloggs", b"/EmbeddedFiles", b"WeasyPrint"):
        assert marker not in pdf, f"{marker} in {name}"
    for page in reader.pages:
        assert "/Metadata" not in page, name
        subtypes = {annotation.get_object()["/Subtype"] for annotation in page.get("/Annots", [])}
        assert subtypes <= {"/Link", "/Widget"}, name


def test_nothing_released_carries_metadata(built):
    assert_no_metadata(built.pdf, "the pack")
    with zipfile.ZipFile(io.BytesIO(built.zip)) as archive:
        for name in archive.namelist():
            if name.endswith(".pdf"):
                assert_no_metadata(archive.read(name), name)


def test_the_packs_only_bookmarks_are_the_documents_titles_in_pack_order(built):
    outline = PdfReader(io.BytesIO(built.pdf)).outline
    assert [item.title for item in outline] == [
        "Thematic inspection action plan",
        "NSG minutes, 16 February 2017",
        "NSG agenda, 16 February 2017",
        "SOG return narrative, Fife",
    ]


def test_the_zip_holds_the_files_numbered_in_pack_order_the_schedule_and_the_pack(built, documents):
    with zipfile.ZipFile(io.BytesIO(built.zip)) as archive:
        names = archive.namelist()
        assert names == [
            "01 action plan.pdf",
            "02 2017-02-16 NSG minutes.pdf",
            "03 2017-02-16 NSG agenda.pdf",
            "04 Fife Q1 return.pdf",
            "schedule.csv",
            "FOI-2026-0042 disclosure pack.pdf",
        ]
        assert all(info.date_time == (2026, 12, 4, 0, 0, 0) for info in archive.infolist())
        assert archive.read("FOI-2026-0042 disclosure pack.pdf") == built.pdf
        minutes = text_pages(archive.read("02 2017-02-16 NSG minutes.pdf"))
    assert [f"NSG minutes, 16 February 2017 page {n}" in text for n, text in enumerate(minutes, 1)] == [True] * 3
    assert all("Page 1 of" not in text for text in minutes), "the files in the ZIP are as given, unstamped"
    assert PdfReader(io.BytesIO(documents[0].pdf)).metadata is not None, "the input had metadata to strip"


def test_the_csv_rows_are_the_schedule(built):
    with zipfile.ZipFile(io.BytesIO(built.zip)) as archive:
        data = archive.read("schedule.csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Document", "Date", "Page in document", "Page in pack", "Exemption", "Redactions"]
    assert rows[1:] == [
        [row.document, row.date.isoformat(), str(row.document_page), str(row.pack_page), row.exemption, str(row.count)]
        for row in built.schedule
    ]


def test_two_builds_of_the_same_input_are_byte_identical(built, documents):
    again = build(documents)
    assert again.pdf == built.pdf
    assert again.zip == built.zip


def test_progress_is_told_after_each_document_and_at_the_end(documents):
    calls = []
    build(documents, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_what_progress_raises_stops_the_build(documents):
    class Cancelled(Exception):
        pass

    def cancel(done, total):
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        build(documents, progress=cancel)


def test_a_pack_with_nothing_withheld_says_so(documents):
    clean = [documents[2]]
    built = build(clean)
    pages = text_pages(built.pdf)
    assert built.schedule == []
    assert "Nothing has been withheld from these documents." in pages[1]
    assert "1 document, 0 redactions" in pages[0]
    assert contents_page_numbers(pages, [clean[0].title]) == {clean[0].title: built.page_count}


def test_a_title_that_a_spreadsheet_would_run_is_written_to_the_csv_as_text():
    risky = document(
        "=HYPERLINK(1) minutes", datetime.date(2017, 3, 1), "Paper", "risky.pdf", 1, redactions=[(1, PERSONAL, 1)]
    )
    with zipfile.ZipFile(io.BytesIO(build([risky]).zip)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("schedule.csv").decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1) minutes"
