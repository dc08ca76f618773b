"""A stamp on every page of an assembled PDF: "Page N of M", a request reference, drawn by WeasyPrint.

Packs (the agenda pack, papers.pack; the disclosure pack, disclosure.pack) join
PDFs from many sources, each with its own page size and numbering, and number
the pages once, through the whole pack. WeasyPrint draws the stamps on blank A4
pages, one per page of the pack; each drawn page is laid over its page of the
pack with the two pages' bottom right corners together, so that a stamp at the
foot on the right lands there on a page of any size.

Two things keep a pack of a thousand pages quick:

* WeasyPrint takes longer per page the longer the document (a 1,200-page sheet
  takes four times as long as two of 600), so the stamps are drawn in sheets of
  SHEET_PAGES pages, each page's numbers written out by the template;
* each drawn page is added to its page as a form XObject, named in the page's
  resources and drawn after the page's own content, which is left as it is
  (pypdf's merge_page would parse and rewrite every page's content stream).

Imports nothing from the service's other apps.
"""

import io

from django.template.loader import render_to_string
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

from mappa.pdf import laid_out

STAMPS_TEMPLATE = "documents/page_stamps.html"
SHEET_PAGES = 100
_STAMP_NAME = "/PageStamp"


def _stream(writer, data):
    stream = DecodedStreamObject()
    stream.set_data(data)
    # pypdf has no public way to add a new object to a writer; its own page code uses this one.
    return writer._add_object(stream.flate_encode())


def _form(writer, drawn):
    """The drawn page (from a PdfReader) as a form XObject in ``writer``."""
    form = DecodedStreamObject()
    contents = drawn.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form = form.flate_encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(value) for value in drawn.mediabox),
            NameObject("/Resources"): drawn.raw_get("/Resources").clone(writer),
        }
    )
    return writer._add_object(form)


def _resources(page):
    """The page's resources, its own or those it inherits from the page tree."""
    node = page
    while node is not None and "/Resources" not in node:
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return node["/Resources"].get_object() if node is not None else DictionaryObject()


class _Stamper:
    def __init__(self, writer):
        self.writer = writer
        self.save = _stream(writer, b"q\n")

    def draw(self, name, shift_right, shift_up):
        """The stream that ends the page's own content and draws its stamp. One per page: pypdf, reading
        a file back, copies a stream that ends the content of several pages more than once."""
        move = f"{_pdf_number(shift_right)} {_pdf_number(shift_up)}"
        return _stream(self.writer, f"\nQ\nq 1 0 0 1 {move} cm {name} Do Q\n".encode("ascii"))

    def stamp(self, page, form, drawn):
        if page.rotation:
            # A page shown turned (/Rotate) would turn the stamp with it: turn its content instead.
            page.transfer_rotation_to_content()
        # The page's own resources, copied, so that pages sharing a dictionary each name their own stamp.
        resources = DictionaryObject(_resources(page))
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        name = _STAMP_NAME
        while name in xobjects:
            name += "X"
        xobjects[NameObject(name)] = form
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources

        # The visible part of the page is its crop box (the media box unless it says otherwise).
        shift_right = float(page.cropbox.right) - float(drawn.mediabox.right)
        shift_up = float(page.cropbox.bottom) - float(drawn.mediabox.bottom)
        # The page's own content between q and Q, so that whatever state it leaves does not reach the stamp.
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        resolved = contents.get_object() if contents is not None else None
        if isinstance(resolved, ArrayObject):
            streams = list(resolved)
        elif resolved is None:
            streams = []
        else:
            streams = [contents if isinstance(contents, IndirectObject) else self.writer._add_object(resolved)]
        page[NameObject("/Contents")] = ArrayObject([self.save, *streams, self.draw(name, shift_right, shift_up)])


def _pdf_number(value):
    """A number as a content stream may hold it: PDF has no exponents ("9e-06" is a syntax error to readers)."""
    written = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if written in ("", "-0") else written


def stamp_pages(writer, context=None, template_name=STAMPS_TEMPLATE):
    """Lay the pages WeasyPrint draws from ``template_name`` over the pages of ``writer`` (a PdfWriter), in place.

    The template is rendered once per sheet of up to SHEET_PAGES pages, with ``context`` and:
    ``pages``, the numbers of the pages it draws (counted from 1 through the whole of
    ``writer``), and ``page_count``, the pages of ``writer``; it must draw one page for each.
    The house one, templates/documents/page_stamps.html, writes "Page N of M" at the foot on
    the right, after ``stamp_label`` if the context gives one.
    """
    stamper = _Stamper(writer)
    page_count = len(writer.pages)
    for first in range(1, page_count + 1, SHEET_PAGES):
        numbers = range(first, min(first + SHEET_PAGES, page_count + 1))
        html = render_to_string(template_name, {**(context or {}), "pages": numbers, "page_count": page_count})
        # Untagged: the stamps join pages whose structure (for screen readers) is their own.
        sheet = PdfReader(io.BytesIO(laid_out(html).write_pdf()))
        for number, drawn in zip(numbers, sheet.pages, strict=True):
            stamper.stamp(writer.pages[number - 1], _form(writer, drawn), drawn)
