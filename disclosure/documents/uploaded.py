"""Uploaded papers, found in and redacted as PDFs.

A DOCX, XLSX or ODT paper is converted to PDF on the server first (LibreOffice,
disclosure.files.office), so it is found in and released the same way. An accepted
occurrence is burned in: its page becomes a picture with black boxes where the words were
(disclosure.files.burn_in); pages with nothing redacted are kept as they are. Metadata
goes in the pack (disclosure.pack strips it from every file it writes).
"""

import os

from disclosure.files import office
from disclosure.files.burn_in import burn_in
from disclosure.files.pdf_text import find_in_pdf, opened
from papers.models import PDF


class PaperUnusable(Exception):
    """A paper that cannot be read or converted: the reviewer is told, and the pack cannot be built with it."""


def paper_pdf(version):
    """The paper version's file as PDF bytes (converted if it is not a PDF)."""
    with version.file.open("rb") as file:
        data = file.read()
    if version.content_type == PDF:
        return data
    extension = os.path.splitext(version.file.name)[1].lower()
    try:
        return office.to_pdf(data, extension)
    except office.ConversionFailed as failure:
        raise PaperUnusable(f"{version.original_filename} could not be turned into a PDF: {failure}") from failure


def find(pdf, finder):
    """The occurrences in a paper's PDF (disclosure.files.pdf_text.PdfOccurrence), in page order."""
    try:
        return find_in_pdf(pdf, finder.find)
    except ValueError as error:  # UnreadablePdf is a ValueError
        raise PaperUnusable(f"the PDF could not be read: {error}") from error


def has_text(pdf):
    """Whether any page of the PDF has a text layer: a scanned paper has none, so nothing in it can be found."""
    with opened(pdf) as document:
        return any(page.get_textpage().count_chars() for page in document)


def redact(pdf, accepted):
    """The paper's PDF with the boxes of the accepted proposals burned in (``accepted``: Proposals)."""
    boxes = {}
    for proposal in accepted:
        if not proposal.boxes:
            raise PaperUnusable(f"where {proposal.text!r} stands on page {proposal.page} is not known: find again")
        boxes.setdefault(proposal.page, []).extend(tuple(box) for box in proposal.boxes)
    return burn_in(pdf, boxes) if boxes else pdf
