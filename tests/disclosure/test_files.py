"""Released papers: names found in a PDF's text, burned in, metadata stripped, office files converted (issue 15).

disclosure/files/ is pure functions on bytes; these tests make their PDFs with
WeasyPrint and pypdf, and read the results back the ways a requester could: pypdf's
and poppler's text extraction (``pdftotext``), every object of the file, and the
pixels PDFium draws. The term finder is a regex stand-in with the same shape as
disclosure.finding's (objects with ``start`` and ``end``).
"""

import io
import re
import shutil
import subprocess
import threading
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
import weasyprint
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.annotations import FreeText, Link, Popup, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from disclosure.files import office
from disclosure.files.burn_in import burn_in
from disclosure.files.metadata import jpeg_without_metadata, without_metadata
from disclosure.files.office import ConversionFailed, to_pdf
from disclosure.files.pdf_text import PdfOccurrence, boxes_by_page, find_in_pdf, page_count
from mappa.pdf_clean import UnreadablePdf

NAME = "Jane McDonald"
OTHER = "Ewan Fairbairn"
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module", autouse=True)
def poppler():
    if PDFTOTEXT is None:
        pytest.fail("pdftotext is missing: `make system-packages` (or apt-get install poppler-utils) installs it.")


# --- Making and reading PDFs ----------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """What disclosure.finding.Finder.find gives: offsets into the text, end excluded."""

    start: int
    end: int
    text: str


def finder(*names):
    """A stand-in for the term finder: each name, its words apart by any whitespace (a line break too)."""
    patterns = [re.compile(r"\s+".join(map(re.escape, name.split()))) for name in names]
    seen = []

    def find(text):
        seen.append(text)
        return [Found(m.start(), m.end(), m.group()) for pattern in patterns for m in pattern.finditer(text)]

    find.seen = seen
    return find


def html_pdf(*pages):
    """A PDF of one A4 page per HTML fragment (DejaVu Sans, 12pt)."""
    body = '<div style="break-after: page"></div>'.join(f"<div>{page}</div>" for page in pages)
    html = f'<html><body style="font-family: DejaVu Sans; font-size: 12pt; margin: 0">{body}</body></html>'
    return weasyprint.HTML(string=html).write_pdf()


def three_pages():
    return html_pdf(
        "<p>Page one: the National Strategic Group met in Perth.</p>",
        f"<p>The case review was chaired by {NAME} on 4 March.</p><p>Recommendations follow below.</p>",
        "<p>Page three: nothing personal here.</p>",
    )


def as_bytes(writer):
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdftotext(data, tmp_path, page=None):
    path = tmp_path / "pdftotext-input.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run([PDFTOTEXT, *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdftotext_words(data, tmp_path, page):
    """The words poppler finds on ``page``, with their boxes in PDF user space (left, bottom, right, top)."""
    path = tmp_path / "pdftotext-words.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        [PDFTOTEXT, "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, (float(x0), height - float(y1), float(x1), height - float(y0))) for x0, y0, x1, y1, text in words]


def pypdf_text(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def every_stream(data):
    """The decoded data of every stream object in the file, referenced or not."""
    reader = PdfReader(io.BytesIO(data))
    numbers = {(number, generation) for generation, objects in reader.xref.items() for number in objects}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    streams = []
    for number, generation in numbers:
        obj = reader.get_object(number) if generation == 0 else None
        if isinstance(obj, StreamObject):
            try:
                streams.append(obj.get_data())
            except Exception:
                streams.append(obj._data)
    return streams


def render(data, page, dpi=150):
    """Page ``page`` (from 1) as PDFium draws it, and the page (to map points to pixels), in an open document."""
    pdf = pdfium.PdfDocument(data)
    pdf_page = pdf[page - 1]
    bitmap = pdf_page.render(scale=dpi / 72)
    return bitmap.to_pil().convert("RGB"), bitmap.get_posconv(pdf_page).to_bitmap, pdf


def centre(box):
    left, bottom, right, top = box
    return (left + right) / 2, (bottom + top) / 2


def inside(inner, outer, slack=0.5):
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


# --- Finding names in a PDF's text -----------------------------------------------------------


def test_a_name_in_the_text_layer_is_found_on_its_page_with_a_box_where_the_text_is(tmp_path):
    data = three_pages()
    find = finder(NAME)

    occurrences = find_in_pdf(data, find)

    assert len(occurrences) == 1
    occurrence = occurrences[0]
    assert isinstance(occurrence, PdfOccurrence)
    assert occurrence.page == 2
    # The finder's object comes back as it was, its offsets into the very text it was given.
    assert occurrence.found.text == NAME
    page_text = find.seen[1]
    assert page_text[occurrence.found.start : occurrence.found.end] == NAME
    assert occurrence.context == f"The case review was chaired by {NAME} on 4 March."
    # One line, one box; poppler (not PDFium) finds both words of the name inside it.
    [box] = occurrence.boxes
    words = dict(pdftotext_words(data, tmp_path, page=2))
    for word in NAME.split():
        assert inside(words[word], box), (word, words[word], box)
    # And no word that is not the name: the box covers the name's line height, not its neighbours.
    for word, word_box in words.items():
        if word not in NAME.split():
            overlap = min(word_box[2], box[2]) - max(word_box[0], box[0])
            assert overlap < 1, (word, word_box, box)
    with pdfium.PdfDocument(data) as pdf:
        assert " ".join(pdf[1].get_textpage().get_text_bounded(*box).split()) == NAME
    assert page_count(data) == 3


def test_a_name_broken_over_two_lines_has_a_box_on_each(tmp_path):
    data = html_pdf(f'<p style="width: 4.2cm">Present at the meeting: {NAME} and others from Fife.</p>')

    [occurrence] = find_in_pdf(data, finder(NAME))

    assert len(occurrence.boxes) == 2
    first, second = occurrence.boxes
    assert second[3] <= first[1] + 1  # the second line lies below the first
    words = dict(pdftotext_words(data, tmp_path, page=1))
    assert inside(words["Jane"], first) and inside(words["McDonald"], second)


def test_offsets_hold_for_accented_names_after_pages_and_lines_of_other_text():
    name = "Siobhán Ní Fhloinn"
    data = html_pdf(
        "<p>First page, with a café and a naïve résumé.</p>" * 3,
        "<ul><li>Ålesund</li><li>Œuvre</li></ul>" + f"<p>Then {name}, and then {name} again.</p>",
    )
    find = finder(name)

    occurrences = find_in_pdf(data, find)

    assert [occurrence.page for occurrence in occurrences] == [2, 2]
    for occurrence in occurrences:
        assert occurrence.found.text == name
        assert len(occurrence.boxes) == 1


def test_a_long_sentence_is_cut_to_about_120_characters_around_the_name():
    before = "word " * 60
    after = " more" * 60
    data = html_pdf(f"<p>Start. {before}then {NAME} was there{after} end. Next sentence.</p>")

    [occurrence] = find_in_pdf(data, finder(NAME))

    assert NAME in occurrence.context
    assert occurrence.context.startswith("… ") and occurrence.context.endswith(" …")
    assert 100 <= len(occurrence.context) <= 150
    assert "  " not in occurrence.context and "\n" not in occurrence.context


def test_titles_do_not_end_the_sentence_shown_as_context():
    data = html_pdf("<p>Apologies were received. The chair, Mr. Jane McDonald, opened the meeting.</p>")

    [occurrence] = find_in_pdf(data, finder(NAME))

    assert occurrence.context == "The chair, Mr. Jane McDonald, opened the meeting."


def test_boxes_by_page_gathers_the_boxes_for_burn_in():
    data = html_pdf(f"<p>{NAME}</p>", "<p>Nobody.</p>", f"<p>{NAME} and {OTHER}</p>")

    occurrences = find_in_pdf(data, finder(NAME, OTHER))

    pages = boxes_by_page(occurrences)
    assert sorted(pages) == [1, 3]
    assert len(pages[1]) == 1 and len(pages[3]) == 2


def test_a_pdf_that_cannot_be_read_raises_unreadable_pdf():
    with pytest.raises(UnreadablePdf):
        find_in_pdf(b"%PDF-1.7 this is not a PDF", finder(NAME))
    with pytest.raises(UnreadablePdf):
        page_count(b"")

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages())))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = as_bytes(writer)
    with pytest.raises(UnreadablePdf, match="password"):
        find_in_pdf(locked, finder(NAME))
    with pytest.raises(UnreadablePdf, match="password"):
        burn_in(locked, {1: [(0, 0, 10, 10)]})
    with pytest.raises(UnreadablePdf, match="password"):
        without_metadata(locked)


def test_a_finder_giving_offsets_outside_the_text_is_an_error():
    def broken(text):
        return [Found(0, len(text) + 5, "")]

    with pytest.raises(ValueError, match="offsets"):
        find_in_pdf(three_pages(), broken)


# --- Burning redactions in --------------------------------------------------------------------


def test_a_burned_name_cannot_be_recovered_from_the_text_the_objects_or_the_pixels(tmp_path):
    data = three_pages()
    occurrences = find_in_pdf(data, finder(NAME))
    original = PdfReader(io.BytesIO(data))
    old_page_two = original.pages[1].get_contents().get_data()
    old_others = [original.pages[index].get_contents().get_data() for index in (0, 2)]

    burned = burn_in(data, boxes_by_page(occurrences))

    # No text left on the burned page, by pypdf, by poppler, by PDFium; the others unchanged.
    texts = pypdf_text(burned)
    assert texts[1].strip() == ""
    assert texts[0] == original.pages[0].extract_text() and texts[2] == original.pages[2].extract_text()
    assert "Jane" not in pdftotext(burned, tmp_path) and "McDonald" not in pdftotext(burned, tmp_path)
    assert pdftotext(burned, tmp_path, page=2).strip() == ""
    assert "Page one" in pdftotext(burned, tmp_path, page=1) and "Page three" in pdftotext(burned, tmp_path, page=3)
    assert find_in_pdf(burned, finder(NAME)) == []
    # The old page's content is nowhere in the file, not even unreferenced; the others' streams are byte for byte.
    streams = every_stream(burned)
    assert old_page_two not in streams
    result = PdfReader(io.BytesIO(burned))
    assert [result.pages[index].get_contents().get_data() for index in (0, 2)] == old_others
    assert len(result.pages) == 3
    assert "/Font" not in result.pages[1]["/Resources"]
    # The pixels under the box are black; the rest of the page is still there to read.
    [box] = occurrences[0].boxes
    image, to_pixels, pdf = render(burned, 2)
    with pdf:
        for fraction in (0.1, 0.5, 0.9):
            x = box[0] + (box[2] - box[0]) * fraction
            assert image.getpixel(to_pixels(x, centre(box)[1])) == (0, 0, 0)
        before, _, original_pdf = render(data, 2)
        with original_pdf:
            assert before.size == image.size
            left, top = to_pixels(box[0] - 3, box[3] + 3)
            right, bottom = to_pixels(box[2] + 3, box[1] - 3)
            mask = Image.new("L", image.size, 255)
            mask.paste(0, (left, top, right, bottom))
            difference = ImageChops.difference(before, image).convert("L")
            outside = Image.composite(difference, Image.new("L", image.size, 0), mask)
            assert outside.getextrema()[1] < 64  # elsewhere, the same page


def test_a_rotated_page_and_a_page_away_from_the_origin_are_burned_where_the_name_is(tmp_path):
    data = html_pdf(*[f"<p>Page {n}: reviewed by {NAME} on Tuesday.</p>" for n in (1, 2, 3)])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pages[0].rotate(90)
    # Page 2: its MediaBox starts at (100, 200), the content moved with it, and cropped by 20 points all round.
    moved = writer.pages[1]
    moved.add_transformation(Transformation().translate(100, 200))
    width, height = float(moved.mediabox.width), float(moved.mediabox.height)
    moved.mediabox = RectangleObject([100, 200, 100 + width, 200 + height])
    moved.cropbox = RectangleObject([120, 220, 80 + width, 180 + height])
    # Page 3: rotated by its parent, which it inherits.
    writer.pages[2][NameObject("/Rotate")] = NumberObject(270)
    data = as_bytes(writer)
    occurrences = find_in_pdf(data, finder(NAME))
    assert [occurrence.page for occurrence in occurrences] == [1, 2, 3]
    assert occurrences[1].boxes[0][0] > 100  # in the page's own coordinates

    burned = burn_in(data, boxes_by_page(occurrences))

    assert all("Jane" not in text for text in pypdf_text(burned))
    assert "McDonald" not in pdftotext(burned, tmp_path)
    for occurrence in occurrences:
        before, before_to_pixels, original_pdf = render(data, occurrence.page)
        after, _, burned_pdf = render(burned, occurrence.page)
        with original_pdf, burned_pdf:
            # The same size and way up on screen...
            assert after.size == before.size
            assert original_pdf[occurrence.page - 1].get_size() == pytest.approx(
                burned_pdf[occurrence.page - 1].get_size(), abs=0.01
            )
            # ...black where the name was...
            [box] = occurrence.boxes
            assert after.getpixel(before_to_pixels(*centre(box))) == (0, 0, 0)
            # ..."Page n:" still where it was.
            word = occurrence.boxes[0]
            page_word = (word[0] - 200, word[1], word[0] - 150, word[3])  # to the left of the name
            x, y = before_to_pixels(*centre(page_word))
            region = (x - 30, y - 30, x + 30, y + 30)
            dark_before = sum(before.crop(region).convert("L").histogram()[:128])
            dark_after = sum(after.crop(region).convert("L").histogram()[:128])
            assert dark_after == pytest.approx(dark_before, rel=0.25)
    result = PdfReader(io.BytesIO(burned))
    assert [page.get("/Rotate", 0) for page in result.pages] == [0, 0, 0]


def test_pages_without_boxes_are_not_touched_and_no_boxes_at_all_gives_the_same_bytes():
    data = three_pages()

    assert burn_in(data, {}) == data
    assert burn_in(data, {2: []}) == data
    with pytest.raises(ValueError, match="3 pages"):
        burn_in(data, {4: [(0, 0, 10, 10)]})


def test_a_burned_page_loses_its_annotations_thumbnail_and_the_tags_and_form_that_pointed_into_it():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages())))
    writer.add_annotation(1, Text(rect=(50, 50, 70, 70), text=f"Ask {NAME}"))
    writer.pages[1][NameObject("/Thumb")] = writer._add_object(DecodedStreamObject())
    writer.root_object[NameObject("/StructTreeRoot")] = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructTreeRoot")}
    )
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("chair"),
            NameObject("/V"): TextStringObject(NAME),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 100, 200, 120)]),
        }
    )
    field_ref = writer._add_object(field)
    writer.pages[1][NameObject("/Annots")].append(field_ref)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([field_ref])})
    data = as_bytes(writer)

    burned = burn_in(data, {2: [(0, 0, 1, 1)]})

    reader = PdfReader(io.BytesIO(burned))
    assert "/Annots" not in reader.pages[1] and "/Thumb" not in reader.pages[1]
    assert "/StructTreeRoot" not in reader.root_object and "/AcroForm" not in reader.root_object
    assert b"McDonald" not in burned


def test_burn_in_and_metadata_stripping_together_leave_no_name_and_no_producer(tmp_path):
    data = three_pages()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Author": NAME, "/Title": f"Notes by {NAME}"})
    data = as_bytes(writer)

    released = without_metadata(burn_in(data, boxes_by_page(find_in_pdf(data, finder(NAME)))))

    assert PdfReader(io.BytesIO(released)).metadata is None
    assert b"McDonald" not in released and b"Producer" not in released
    assert "McDonald" not in pdftotext(released, tmp_path)
    assert all("McDonald" not in text for text in pypdf_text(released))


# --- Stripping metadata --------------------------------------------------------------------------

XMP = f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()


def xmp_stream(writer):
    stream = DecodedStreamObject()
    stream.set_data(XMP)
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    return writer._add_object(stream)


def jpeg_with_exif():
    image = Image.new("RGB", (16, 16), "orange")
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = "Taken at the office of Ewan Fairbairn"  # ImageDescription
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes(), comment=b"comment by Ewan Fairbairn")
    return output.getvalue()


def everything_writer():
    """A PDF with an author, a title, XMP (document and page), an attachment, comments, links, piece info, bookmarks."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages())))
    writer.add_metadata({"/Author": NAME, "/Title": f"Notes by {NAME}", "/Creator": "Word", "/Subject": OTHER})
    writer.root_object[NameObject("/Metadata")] = xmp_stream(writer)
    page = writer.pages[0]
    page[NameObject("/Metadata")] = xmp_stream(writer)
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {NameObject("/Word"): DictionaryObject({NameObject("/Private"): TextStringObject(f"edited by {OTHER}")})}
    )
    writer.add_attachment("notes.txt", f"private notes about {NAME}".encode())
    comment = writer.add_annotation(0, Text(rect=(50, 550, 70, 570), text=f"Check with {NAME}"))
    writer.add_annotation(0, Popup(rect=(80, 500, 200, 560), parent=comment))
    writer.add_annotation(0, FreeText(text=f"Redact {OTHER}?", rect=(50, 400, 250, 450)))
    writer.add_annotation(0, Link(rect=(50, 300, 150, 320), url="https://www.gov.scot/"))
    writer.add_annotation(0, Link(rect=(50, 270, 150, 290), url="mailto:jane.mcdonald@example.org"))
    writer.add_annotation(0, Link(rect=(50, 240, 150, 260), target_page_index=2))
    writer.add_outline_item(title=f"Section about {NAME}", page_number=1)
    # A photo with its camera's metadata.
    photo = StreamObject()
    photo._data = jpeg_with_exif()
    photo.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(16),
            NameObject("/Height"): NumberObject(16),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")][NameObject("/XObject")] = DictionaryObject(
        {NameObject("/Photo"): writer._add_object(photo)}
    )
    return writer


def test_a_pdf_comes_back_without_author_title_xmp_attachment_comments_bookmarks_or_photo_metadata(tmp_path):
    data = as_bytes(everything_writer())
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata["/Author"] == NAME and reader.attachments and reader.outline
    assert "/Metadata" in reader.root_object and len(reader.pages[0]["/Annots"]) == 6

    stripped = without_metadata(data)

    reader = PdfReader(io.BytesIO(stripped))
    assert reader.metadata is None
    assert reader.xmp_metadata is None and "/Metadata" not in reader.root_object
    assert "/Metadata" not in reader.pages[0] and "/PieceInfo" not in reader.pages[0]
    assert reader.attachments == {} and reader.outline == []
    [link] = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    assert link["/Subtype"] == "/Link" and link["/A"]["/URI"] == "https://www.gov.scot/"
    # Nowhere in the file, whether referenced or not, compressed or not.
    for text in (b"Jane", b"McDonald", b"Fairbairn", b"Producer", b"pypdf", b"Word", b"notes.txt", b"mailto"):
        assert text not in stripped, text
        assert not any(text in stream for stream in every_stream(stripped)), text
    # The photo is still a JPEG, without its Exif and comment.
    photo = reader.pages[0]["/Resources"]["/XObject"]["/Photo"]
    assert Image.open(io.BytesIO(photo._data)).getexif() == {}
    # The page text is all still there.
    assert pypdf_text(stripped) == pypdf_text(data)
    assert "Page one" in pdftotext(stripped, tmp_path)


def test_bookmarks_can_be_kept_for_a_pack_that_makes_its_own():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages())))
    writer.add_outline_item(title="2. Case reviews", page_number=1)

    stripped = without_metadata(as_bytes(writer), keep_outlines=True)

    assert [item["/Title"] for item in PdfReader(io.BytesIO(stripped)).outline] == ["2. Case reviews"]


def test_jpeg_segments_with_metadata_are_dropped_and_the_picture_kept():
    original = jpeg_with_exif()
    assert b"Fairbairn" in original

    stripped = jpeg_without_metadata(original)

    assert b"Fairbairn" not in stripped and b"McDonald" not in stripped
    image = Image.open(io.BytesIO(stripped))
    assert image.size == (16, 16) and image.getexif() == {}
    assert jpeg_without_metadata(stripped) is None  # nothing left to drop
    assert jpeg_without_metadata(b"not a jpeg") is None


# --- Office documents -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice():
    if office.soffice() is None:
        pytest.fail(
            "LibreOffice is missing: `make system-packages` (or apt-get install libreoffice-writer-nogui) installs it."
        )


def docx_bytes(*paragraphs, heading=None):
    document = docx.Document()
    if heading:
        document.add_heading(heading, 1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.author = OTHER
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def odt_bytes(text):
    """The smallest OpenDocument text: a mimetype, a manifest, and one paragraph."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document-content>",
        )
    return output.getvalue()


def test_a_docx_is_converted_and_the_name_in_it_found_on_page_one(libreoffice):
    data = docx_bytes(f"The panel met {NAME} in March.", heading="Case review")

    pdf = to_pdf(data, "docx")

    assert pdf.startswith(b"%PDF")
    [occurrence] = find_in_pdf(pdf, finder(NAME))
    assert occurrence.page == 1 and len(occurrence.boxes) == 1
    # (The heading has no full stop, so it reads as the start of the same sentence.)
    assert occurrence.context.endswith(f"The panel met {NAME} in March.")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.outline == []  # the heading is not a bookmark, which would not be redacted
    assert reader.attachments == {}


def test_an_xlsx_and_an_odt_are_converted(libreoffice, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Chair"
    workbook.active["B1"] = NAME
    output = io.BytesIO()
    workbook.save(output)

    spreadsheet = to_pdf(output.getvalue(), ".XLSX")
    text = to_pdf(odt_bytes(f"Written by {OTHER}."), "odt")

    assert NAME in pdftotext(spreadsheet, tmp_path)
    assert [occurrence.page for occurrence in find_in_pdf(text, finder(OTHER))] == [1]


def test_a_conversion_reads_nothing_from_the_network(libreoffice):
    """A DOCX whose picture is linked from a web address: LibreOffice does not fetch it."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        document = docx.Document(io.BytesIO(docx_bytes("A linked picture:")))
        picture = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(picture, "PNG")
        picture.seek(0)
        document.add_picture(picture)
        link = document.part.relate_to(
            f"http://127.0.0.1:{server.server_address[1]}/tracker.png", RELATIONSHIP_TYPE.IMAGE, is_external=True
        )
        blip = document.element.body.findall(f".//{qn('a:blip')}")[0]
        del blip.attrib[qn("r:embed")]
        blip.set(qn("r:link"), link)
        output = io.BytesIO()
        document.save(output)

        pdf = to_pdf(output.getvalue(), "docx")
    finally:
        server.shutdown()
        server.server_close()

    assert pdf.startswith(b"%PDF")
    assert requests == []


def test_a_conversion_that_cannot_be_done_raises_conversion_failed(libreoffice, monkeypatch):
    with pytest.raises(ConversionFailed, match="not converted") as error:
        to_pdf(b"", "pptx")
    assert ".pptx" in error.value.reason
    with pytest.raises(ConversionFailed, match="no PDF"):
        to_pdf(b"this is not a word document", "docx")
    with pytest.raises(ConversionFailed, match="longer than"):
        to_pdf(docx_bytes("Slow."), "docx", timeout=0.05)
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(ConversionFailed, match="not installed"):
        to_pdf(docx_bytes("Anything."), "docx")
