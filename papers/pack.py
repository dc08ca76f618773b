"""The agenda pack: one PDF with a contents page, the agenda, then every PDF paper in agenda order.

The contents page lists each paper with its agenda item number and the page of
the pack on which it starts; every page of the pack carries that number at its foot
("Page N of M", through the whole pack). To know those pages, the agenda is rendered first
(its page count fixes where the papers start), each PDF paper is opened to
count its pages, and the contents page is rendered until its own page count
settles (it is one page unless the meeting has very many papers). Papers that
are not PDFs (DOCX, XLSX, ODT), and PDFs that cannot be read, are listed but
not included: they are downloaded from the service. Papers marked not for
publication are included (members receive them) and marked so in the contents.

Papers are cleaned of scripts, automatic actions and embedded files when they are
uploaded (mappa.pdf_clean.without_active_content); the pack goes through the same
mappa.pdf_clean.remove_active_content, for papers stored before that, and because the
pages copied into the pack bring their own actions and annotations with them.
"""

import io
import logging
from contextlib import ExitStack

from django.utils.dateformat import format as format_date
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from mappa.pdf import render_pdf
from mappa.pdf_clean import remove_active_content, written
from mappa.pdf_stamps import stamp_pages
from meetings import documents

logger = logging.getLogger(__name__)

# Re-render the contents page at most this many times while its page count settles.
CONTENTS_PASSES = 4


def pack_filename(meeting):
    return f"{meeting.body.slug}-agenda-pack-{meeting.date:%Y-%m-%d}.pdf"


def agenda_document(docs):
    """The agenda PDF as the meeting's agenda download (meetings.documents.agenda_pdf), without
    page numbers of its own: the pack numbers its pages once, through every part."""
    return documents.agenda_pdf(docs, numbered_by_pack=True)


def _open_paper(entry, files):
    """A PdfReader for a PDF paper's current version, or None (with ``entry.left_out`` set) if it cannot be used."""
    version = entry.version
    if not version.is_pdf:
        entry.left_out = f"not included: {version.type_label} — download from the service"
        return None
    try:
        reader = PdfReader(files.enter_context(version.file.open("rb")))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PyPdfError("encrypted with a password")
        entry.page_count = len(reader.pages)
        if not entry.page_count:
            raise PyPdfError("no pages")
    except (OSError, ValueError, KeyError, PyPdfError) as error:
        logger.warning("Paper version %s left out of the agenda pack: %s", version.pk, error)
        entry.left_out = "not included: the PDF could not be read — download from the service"
        return None
    return reader


def _page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _contents(pack, *, contents_pages, agenda_pages):
    """Number the pages (given the contents' own length) and render the contents page."""
    page = contents_pages + 1
    agenda_first_page = page
    page += agenda_pages
    for entry in pack.entries:
        if entry.left_out:
            entry.first_page = None
        else:
            entry.first_page = page
            page += entry.page_count
    return render_pdf(
        "papers/pack_contents.html",
        {
            "pack": pack,
            "meeting": pack.meeting,
            "draft": False,
            "numbered_by_pack": True,
            "agenda_first_page": agenda_first_page,
            "total_pages": page - 1,
        },
    )


def agenda_pack_pdf(pack) -> bytes:
    """The whole pack as PDF bytes (``pack`` from papers.selectors.agenda_pack)."""
    agenda = agenda_document(pack.docs)
    agenda_pages = _page_count(agenda)
    with ExitStack() as files:
        readers = {id(entry): _open_paper(entry, files) for entry in pack.entries}
        contents_pages = 1
        for _ in range(CONTENTS_PASSES):
            contents = _contents(pack, contents_pages=contents_pages, agenda_pages=agenda_pages)
            rendered_pages = _page_count(contents)
            if rendered_pages == contents_pages:
                break
            contents_pages = rendered_pages
        else:
            logger.error("The agenda pack's contents page did not settle at %s pages", contents_pages)

        meeting = pack.meeting
        writer = PdfWriter()
        writer.add_metadata({"/Title": f"Agenda pack: {meeting}", "/Author": meeting.body.name})
        writer.append(io.BytesIO(contents), outline_item="Contents", import_outline=False)
        writer.append(
            io.BytesIO(agenda), outline_item=f"Agenda, {format_date(meeting.date, 'j F Y')}", import_outline=False
        )
        for entry in pack.entries:
            reader = readers[id(entry)]
            if reader is not None:
                writer.append(reader, outline_item=f"{entry.number} {entry.paper.title}", import_outline=False)
        # "Page N of M" at the foot of every page, on the right, so the contents' page numbers are the ones printed.
        stamp_pages(writer)
        removed = remove_active_content(writer)
        if removed:
            logger.warning("Removed from the agenda pack of meeting %s: %s", meeting.pk, removed.as_dict())
        return written(writer, removed)
