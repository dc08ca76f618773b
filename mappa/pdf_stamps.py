"""A stamp on every page of an assembled PDF: "Page N of M", a request reference, drawn by WeasyPrint.

Packs (the agenda pack, papers.pack; the disclosure pack, disclosure.pack) join
PDFs from many sources, each with its own page size and numbering, and number
the pages once, through the whole pack. WeasyPrint draws the stamps, from a
template given one blank page per page of the pack (``pages``), its text in the
page margin boxes (``counter(page)``, ``counter(pages)``); each drawn page is laid
over its page of the pack with the two pages' bottom right corners together, so
a stamp at the foot on the right lands there on a page of any size.

Imports nothing from the service's other apps.
"""

import io

from pypdf import PdfReader, Transformation

from mappa.pdf import render_pdf

STAMPS_TEMPLATE = "documents/page_stamps.html"


def stamp_pages(writer, context=None, template_name=STAMPS_TEMPLATE):
    """Lay the pages WeasyPrint draws from ``template_name`` over the pages of ``writer`` (a PdfWriter), in place.

    The template gets ``context`` and ``pages`` (a range, one per page of ``writer``) and must
    draw exactly one page for each. The house one, templates/documents/page_stamps.html, writes
    "Page N of M" at the foot on the right, after ``stamp_label`` if the context gives one.
    """
    drawn = render_pdf(template_name, {**(context or {}), "pages": range(len(writer.pages))})
    stamps = PdfReader(io.BytesIO(drawn))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        if page.rotation:
            # A page shown turned (/Rotate) would turn the stamp with it: turn its content instead.
            page.transfer_rotation_to_content()
        # The visible part of the page is its crop box (the media box unless it says otherwise).
        shift_right = float(page.cropbox.right) - float(stamp.mediabox.right)
        shift_up = float(page.cropbox.bottom) - float(stamp.mediabox.bottom)
        page.merge_transformed_page(stamp, Transformation().translate(shift_right, shift_up))
