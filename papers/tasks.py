"""Reading the text of an uploaded paper, for search (issue 16).

``extract_text`` runs on a worker once the upload is committed (papers.services queues it): it
reads the version's file (PDF with pypdf, a page at a time, pages separated by form feeds so that
search can say on which page the words are; DOCX with python-docx; XLSX with openpyxl; ODT from its
content.xml) and saves the text on the version, which re-indexes the paper (search/index.py). A PDF
with no text at all (a scan) is marked ``no_text_layer``, so the meeting page and search say its
words cannot be searched rather than silently matching nothing.
"""

import logging
import zipfile

from celery import shared_task
from django.db import transaction

from papers.models import DOCX, ODT, PDF, XLSX, PaperVersion

logger = logging.getLogger(__name__)

# A file's text beyond this is not searched (a 300-page pack is about 1.5 million characters).
MAX_TEXT = 2_000_000


def _pdf(file):
    from pypdf import PdfReader

    return "\f".join(page.extract_text() or "" for page in PdfReader(file).pages)


def _docx(file):
    import docx

    document = docx.Document(file)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(file):
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        lines = []
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells:
                    lines.append(" ".join(cells))
        return "\n".join(lines)
    finally:
        workbook.close()


def _odt(file):
    from lxml import etree

    with zipfile.ZipFile(file) as archive:
        content = archive.read("content.xml")
    # No network, no entities: the file is someone's upload.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(content, parser)
    paragraph = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    blocks = root.iter(f"{paragraph}p", f"{paragraph}h")
    return "\n".join("".join(block.itertext()) for block in blocks)


READERS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, ODT: _odt}


def read_text(version):
    """(text, status) of ``version``'s file."""
    reader = READERS.get(version.content_type)
    if reader is None:
        return "", PaperVersion.TextStatus.FAILED
    try:
        with version.file.open("rb") as file:
            text = reader(file)
    except Exception:
        logger.warning("The text of paper version %s could not be read", version.pk, exc_info=True)
        return "", PaperVersion.TextStatus.FAILED
    text = text.replace("\x00", "")[:MAX_TEXT]  # PostgreSQL holds no NUL
    if version.content_type == PDF and not text.replace("\f", "").strip():
        return "", PaperVersion.TextStatus.NO_TEXT_LAYER
    return text, PaperVersion.TextStatus.EXTRACTED


@shared_task(name="papers.extract_text", ignore_result=True, acks_late=True)
def extract_text(version_id):
    """Read and save the text of paper version ``version_id`` (idempotent: run again, it reads again)."""
    version = PaperVersion.objects.filter(pk=version_id).first()
    if version is None:  # deleted since
        return None
    text, status = read_text(version)
    with transaction.atomic():
        version.text, version.text_status = text, status
        # save() (not update()), so that search re-indexes the paper in this transaction.
        version.save(update_fields=["text", "text_status"])
    logger.info("Paper version %s: text %s (%d characters)", version.pk, status, len(text))
    return status
