"""The disclosure pack of a freedom-of-information request (issue 15): one PDF and a ZIP, from redacted PDFs.

The PDF: a cover (the request's reference and title, the day it was produced, how many
documents and redactions), the schedule of redactions (one row per document, page and
exemption, with the number of redactions summed, and the page of the pack that page is
on), a contents page (each document with its kind, date and the pack page it starts on),
then every document in date order (documents of the same date in the order given). Every
page, the cover included, is stamped at the foot on the right with the reference and
"Page N of M", M the pages of the whole pack (mappa.pdf_stamps), so the page numbers in
the schedule and the contents are the ones printed. The cover, schedule and contents are
one WeasyPrint document, laid out again until its own page count settles (where the
documents start depends on it), as papers.pack does for the agenda pack's contents.

The ZIP: each document's PDF, unstamped (numbered "01 ", "02 " in pack order, so they sort),
``schedule.csv`` (the schedule, UTF-8 with a byte order mark so that Excel reads it
as such) and the whole pack. Its entries are dated ``produced_on``, so the same input
always gives the same bytes.

Nothing released carries metadata: the pack and every file in the ZIP go through
disclosure.files.metadata.without_metadata (no document information, XMP, comments,
attachments or scripts); the pack's only bookmarks are its own, one per document, its
title, and the files in the ZIP have none. The PDFs come in already redacted
(the redaction engine's work); this module neither finds nor removes text.

Plain data in, bytes out: nothing here reads the database.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from disclosure.files.metadata import without_metadata
from mappa.pdf import laid_out
from mappa.pdf_stamps import stamp_pages
from mappa.spreadsheets import safe_cell

FRONT_TEMPLATE = "disclosure/pack_front.html"
# Lay out the cover, schedule and contents at most this many times while their page count settles.
FRONT_PASSES = 5
# About as many rows as a page of the schedule and of the contents holds: the front's first guess at its length.
SCHEDULE_ROWS_PER_PAGE = 24
CONTENTS_ROWS_PER_PAGE = 16
CSV_NAME = "schedule.csv"
CSV_HEADINGS = ("Document", "Date", "Page in document", "Page in pack", "Exemption", "Redactions")


class PackError(ValueError):
    """A document cannot go into the pack: its PDF cannot be read, or a redaction names a page it does not have."""


@dataclass(frozen=True)
class Redacted:
    """Redactions on one page of a document (``page`` counted from 1) under one exemption."""

    page: int
    exemption: str  # as the schedule prints it: "s.38(1)(b) personal data"
    count: int = 1


@dataclass
class PackDocument:
    title: str
    date: datetime.date
    kind: str  # "Agreed minutes", "Agenda", "Paper", "Action log", "Action plan", "Return narrative"
    filename: str  # its name in the ZIP: "2017-02-28 NSG minutes.pdf" (made safe here)
    pdf: bytes  # already redacted
    redactions: list[Redacted] = field(default_factory=list)
    note: str = ""  # printed under its title in the contents: "Not for publication: included because ..."


@dataclass(frozen=True)
class ScheduleRow:
    document: str  # the document's title
    date: datetime.date  # the document's
    document_page: int
    pack_page: int
    exemption: str
    count: int


@dataclass
class BuiltPack:
    pdf: bytes
    zip: bytes
    schedule: list[ScheduleRow]
    page_count: int


@dataclass
class _Part:
    """A document on its way into the pack."""

    number: int
    document: PackDocument
    reader: PdfReader
    pages: int
    redacted: dict  # (page, exemption) -> count, by page, exemptions in the order first given
    first_page: int = 0

    @property
    def redaction_count(self):
        return sum(self.redacted.values())


def _read(document, number):
    try:
        reader = PdfReader(io.BytesIO(document.pdf))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PyPdfError("encrypted with a password")
        pages = len(reader.pages)
        if not pages:
            raise PyPdfError("no pages")
    except (OSError, ValueError, KeyError, PyPdfError) as error:
        raise PackError(f"{document.title}: the PDF cannot be read ({error})") from error
    redacted = {}
    for redaction in sorted(document.redactions, key=lambda r: r.page):
        # The schedule must not name a page the document does not have, nor an empty row.
        if not 1 <= redaction.page <= pages:
            raise PackError(f"{document.title}: a redaction on page {redaction.page} of a {pages}-page document")
        if redaction.count < 1:
            raise PackError(f"{document.title}: {redaction.count} redactions on page {redaction.page}")
        key = (redaction.page, redaction.exemption)
        redacted[key] = redacted.get(key, 0) + redaction.count
    return _Part(number=number, document=document, reader=reader, pages=pages, redacted=redacted)


def _schedule(parts):
    return [
        ScheduleRow(
            document=part.document.title,
            date=part.document.date,
            document_page=page,
            pack_page=part.first_page + page - 1,
            exemption=exemption,
            count=count,
        )
        for part in parts
        for (page, exemption), count in part.redacted.items()
    ]


def _front(parts, *, front_pages, context):
    """Number the pages (given the front's own length) and lay out the cover, schedule and contents."""
    page = front_pages + 1
    for part in parts:
        part.first_page = page
        page += part.pages
    schedule = _schedule(parts)
    html = render_to_string(FRONT_TEMPLATE, {**context, "parts": parts, "schedule": schedule, "total_pages": page - 1})
    return laid_out(html), schedule


def _settled_front(parts, context):
    """The front's PDF, laid out until the page numbers it prints assume its own length, and the schedule.

    Its length hardly depends on those numbers (the columns are wide enough for them), so a first
    guess from its rows usually holds and it is laid out once; else once more.
    """
    rows = sum(len(part.redacted) for part in parts)
    front_pages = 1 + max(1, -(-rows // SCHEDULE_ROWS_PER_PAGE)) + max(1, -(-len(parts) // CONTENTS_ROWS_PER_PAGE))
    for _ in range(FRONT_PASSES):
        front, schedule = _front(parts, front_pages=front_pages, context=context)
        if len(front.pages) == front_pages:
            return front.write_pdf(pdf_tags=True), schedule
        front_pages = len(front.pages)
    raise PackError(f"The pack's cover, schedule and contents did not settle at {front_pages} pages")


# Characters Windows does not allow in a file name, and control characters.
_UNSAFE_IN_FILENAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def safe_filename(name, fallback="document"):
    """``name`` as a file name any system can unpack: no folders, reserved or control characters, ending ".pdf"."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_IN_FILENAME.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if name.lower().endswith(".pdf"):
        name = name[:-4].rstrip(" .")
    return f"{(name or fallback)[:120]}.pdf"


def _schedule_csv(schedule):
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\r\n")
    rows.writerow(CSV_HEADINGS)
    for row in schedule:
        rows.writerow(
            [safe_cell(row.document), row.date.isoformat(), row.document_page, row.pack_page]
            + [safe_cell(row.exemption), row.count]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _zip(members, produced_on):
    """A ZIP of (name, bytes), every entry dated ``produced_on`` at midnight: the same files give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(produced_on.year, produced_on.month, produced_on.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, wherever it is built
            archive.writestr(info, data)
    return out.getvalue()


def build_pack(
    *,
    reference: str,
    request_title: str,
    produced_on: datetime.date,
    documents: list[PackDocument],
    progress: Callable[[int, int], None] | None = None,
) -> BuiltPack:
    """The pack's PDF and ZIP and its schedule of redactions, from the request's redacted documents.

    ``progress(done, total)``, if given, is called after each document is appended to the pack
    (done = 1 .. number of documents) and once at the end (done = total = documents + 1: the
    last step numbers the pages and writes the files). Whatever it raises is not caught: it
    stops the build (a cancelled job's task raises there). Raises PackError if a document's
    PDF cannot be read or a redaction names a page its document does not have.
    """
    ordered = sorted(documents, key=lambda document: document.date)  # stable: as given on the same day
    parts = [_read(document, number) for number, document in enumerate(ordered, start=1)]
    total = len(parts) + 1
    context = {
        "reference": reference,
        "request_title": request_title,
        "produced_on": produced_on,
        "redaction_count": sum(part.redaction_count for part in parts),
        "numbered_by_pack": True,
    }
    front, schedule = _settled_front(parts, context)

    writer = PdfWriter()
    writer.append(io.BytesIO(front), import_outline=False)
    for part in parts:
        writer.append(part.reader, outline_item=part.document.title, import_outline=False)
        if progress:
            progress(part.number, total)
    page_count = len(writer.pages)
    stamp_pages(writer, {"stamp_label": reference})
    output = io.BytesIO()
    writer.write(output)
    # The bookmarks kept are the pack's own, one per document; the files' own go (their titles were never reviewed).
    pdf = without_metadata(output.getvalue(), keep_outlines=True)

    members = [
        (f"{part.number:02d} {safe_filename(part.document.filename)}", without_metadata(part.document.pdf))
        for part in parts
    ]
    members.append((CSV_NAME, _schedule_csv(schedule)))
    members.append((safe_filename(f"{reference} disclosure pack"), pdf))
    archive = _zip(members, produced_on)
    if progress:
        progress(total, total)
    return BuiltPack(pdf=pdf, zip=archive, schedule=schedule, page_count=page_count)
