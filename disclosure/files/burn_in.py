"""Redactions burned into a PDF: each page with a redacted area becomes a picture of itself, the areas black.

``burn_in(data, boxes_by_page)`` renders every page that has boxes with PDFium
(pypdfium2) at ``dpi`` (150 by default), fills each box solid black with a small
margin (Pillow), and puts that picture in the page's place: the same page object (so
bookmarks and links to it still lead there), the same size and orientation as it
shows on screen, holding nothing but the image. Nothing of the page's text, fonts,
drawings, images, annotations or form fields is left in the file, so nothing under a
box can be recovered: not by selecting or extracting text, not by moving or deleting
the box, not by reading the file's objects. **A burned page has no text layer at all:
it cannot be searched, selected or read aloud.** That is the price of certainty, and
is paid only on the pages with redactions: every other page is copied as it is, its
content stream untouched.

How a burned page is made:

* PDFium renders the page's crop box with its /Rotate applied, without annotations
  (comments and form fields are not released; see disclosure.files.metadata);
* the boxes (left, bottom, right, top in the page's user space, as
  disclosure.files.pdf_text gives them) go through PDFium's own page-to-pixel mapping
  for that rendering, so a rotated page, a MediaBox or CropBox not at the origin, and
  a page cropped smaller than its MediaBox all come out right;
* the picture (lossless, Flate; greyscale when the page has no colour) fills a new
  MediaBox [0 0 width height] of the page's displayed size, with /Rotate 0: it looks
  as the page did, and is upright;
* a very large page (a poster) is rendered at a lower resolution, so that no picture
  has more than MAX_PIXELS pixels.

Because the burned pages' old content is gone, what pointed into it goes too: the
document's structure tree (the tags for screen readers, which can also carry text of
their own), and its interactive form when a burned page had fields. The file is
written afresh, without the objects nothing refers to any more (mappa.pdf_clean.written),
so the old content streams are not left behind unreferenced. Document metadata,
comments on other pages and attachments are disclosure.files.metadata's job: a
released file goes through both.
"""

import io
import math
import zlib

from PIL import ImageChops, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from disclosure.files.pdf_text import Box, opened
from mappa.pdf_clean import UnreadablePdf, written

DEFAULT_DPI = 150
# Points added around every box, along its lines (italic overhangs, anti-aliased edges) and across
# them (little: the box already spans the font's whole height, and the lines above and below stay
# readable); one more pixel each side makes up for rounding to pixels.
MARGIN_ALONG = 1.5
MARGIN_ACROSS = 0.5
# The most pixels a burned page may have; a larger page is rendered at a lower resolution.
MAX_PIXELS = 25_000_000
BLACK = (0, 0, 0)
IMAGE_NAME = "/Redacted"
# What a burned page keeps of its dictionary; everything else (content, resources,
# annotations, thumbnails, piece info, XMP, structure parents...) goes.
_PAGE_KEYS_KEPT = frozenset({"/Type", "/Parent", "/UserUnit"})


def burn_in(data: bytes, boxes_by_page: dict[int, list[Box]], *, dpi: int = DEFAULT_DPI) -> bytes:
    """The PDF ``data`` with every box of ``boxes_by_page`` burned in.

    ``boxes_by_page`` maps page numbers (from 1) to boxes (left, bottom, right, top,
    in PDF points in that page's user space: disclosure.files.pdf_text.boxes_by_page
    makes it). Each page with at least one box is replaced by an image of itself at
    ``dpi`` with the boxes black: it keeps no text layer, so it cannot be searched.
    Pages without boxes are copied as they are; with none at all the bytes come back
    unchanged. Raises ValueError for a page the PDF does not have, UnreadablePdf when
    the PDF cannot be read.
    """
    pages = {page: list(boxes) for page, boxes in boxes_by_page.items() if boxes}
    if not pages:
        return data
    page_count, pictures = _render(data, pages, dpi)

    try:
        reader = PdfReader(io.BytesIO(bytes(data)))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted with a password")
        writer = PdfWriter(clone_from=reader)
    except UnreadablePdf:
        raise
    except Exception as error:
        raise UnreadablePdf(str(error) or type(error).__name__) from error
    if len(writer.pages) != page_count:
        # PDFium and pypdf read the page tree differently: a page could be burned in the wrong place.
        raise UnreadablePdf(f"the page tree is damaged ({page_count} or {len(writer.pages)} pages)")

    had_fields = False
    for number, picture in pictures.items():
        page = writer.pages[number - 1]
        had_fields |= _has_fields(page)
        _replace_with_picture(writer, page, picture)

    root = writer.root_object
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in root:
            del root[key]
    for page in writer.pages:
        if "/StructParents" in page:
            del page["/StructParents"]
    if had_fields and "/AcroForm" in root:
        del root["/AcroForm"]
    return written(writer, removed=True)


class _Picture:
    def __init__(self, image, width, height):
        self.image = image
        # The page's size as shown (crop box, rotation applied), in points.
        self.width = width
        self.height = height


def _render(data, pages, dpi):
    """How many pages PDFium counts, and each page of ``pages`` rendered with its boxes black (a _Picture per page number)."""
    pictures = {}
    with opened(data) as pdf:
        for number in sorted(pages):
            if not isinstance(number, int) or not 1 <= number <= len(pdf):
                raise ValueError(f"page {number!r}: the PDF has {len(pdf)} pages")
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                scale = dpi / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = math.sqrt(MAX_PIXELS / (width * height))
                bitmap = page.render(scale=scale, draw_annots=False, may_draw_forms=False)
                to_pixels = bitmap.get_posconv(page).to_bitmap
                image = bitmap.to_pil().convert("RGB")
                draw = ImageDraw.Draw(image)
                for left, bottom, right, top in pages[number]:
                    left, right = left - MARGIN_ALONG, right + MARGIN_ALONG
                    bottom, top = bottom - MARGIN_ACROSS, top + MARGIN_ACROSS
                    corners = [to_pixels(x, y) for x in (left, right) for y in (bottom, top)]
                    xs, ys = [x for x, _ in corners], [y for _, y in corners]
                    draw.rectangle((min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1), fill=BLACK)
                pictures[number] = _Picture(image, width, height)
            finally:
                page.close()
        return len(pdf), pictures


def _has_fields(page):
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    if not isinstance(annotations, ArrayObject):
        return False
    return any(
        isinstance(annotation.get_object(), DictionaryObject) and annotation.get_object().get("/Subtype") == "/Widget"
        for annotation in annotations
    )


def _image_stream(image):
    """A Flate-compressed image XObject of ``image``: greyscale when it has no colour."""
    red, green, blue = image.split()
    grey = ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None
    pixels = red.tobytes() if grey else image.tobytes()
    stream = DecodedStreamObject()
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject("/DeviceGray" if grey else "/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    # Compressed here (zlib, level 6), written as it is: the stream's /Filter says how to read it.
    stream.set_data(zlib.compress(pixels, 6))
    return stream


def _replace_with_picture(writer, page, picture):
    """Empty ``page`` (in ``writer``) and make it show ``picture`` over the whole of a new MediaBox."""
    for key in list(page.keys()):
        if key not in _PAGE_KEYS_KEPT:
            del page[key]
    width, height = FloatObject(round(picture.width, 4)), FloatObject(round(picture.height, 4))
    box = ArrayObject([NumberObject(0), NumberObject(0), width, height])
    # pypdf has no public way to add a new object to a writer; _add_object is what its own methods use.
    image = writer._add_object(_image_stream(picture.image))
    content = DecodedStreamObject()
    content.set_data(f"q {width} 0 0 {height} 0 0 cm {IMAGE_NAME} Do Q".encode("ascii"))
    # Set on the page itself: a page inherits MediaBox, CropBox, Rotate and Resources
    # from its parents when it has none of its own.
    page[NameObject("/MediaBox")] = box
    page[NameObject("/CropBox")] = ArrayObject(box)
    page[NameObject("/Rotate")] = NumberObject(0)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject(IMAGE_NAME): image})}
    )
    page[NameObject("/Contents")] = writer._add_object(content)
