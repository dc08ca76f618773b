"""Uploading a paper and replacing it (GOV.UK style).

A file is accepted only if both its name and its contents say it is a PDF,
DOCX, XLSX or ODT: the extension must be one of those, and the first bytes
must match it (``%PDF-`` for a PDF; a ZIP archive holding ``word/`` for DOCX,
``xl/`` for XLSX, or a ``mimetype`` entry of ``application/vnd.oasis.opendocument.text``
for ODT). The browser's own Content-Type is ignored: the type stored, and sent
back on download, is the one found here.

A PDF is then cleaned of scripts, automatic actions and embedded files
(mappa.pdf_clean.without_active_content): the file stored is the cleaned one, and what
was removed is recorded on its version. A PDF with none of them is stored as
uploaded, byte for byte. One that cannot be checked is refused, with a message
saying how to fix it: too damaged for pypdf to read, locked with a password, or
read but not written out again (a reader more lenient than pypdf could still
open such a file and run what it holds).
"""

import logging
import os
import unicodedata
import zipfile

from crispy_forms_gds.layout import Field
from django import forms
from django.conf import settings
from django.core.files.base import ContentFile

from mappa.forms import govuk_helper
from mappa.pdf_clean import UnreadablePdf, without_active_content
from papers.models import DOCX, FILE_TYPES, ODT, PDF, XLSX

WRONG_TYPE = "The selected file must be a PDF, DOCX, XLSX or ODT"
EMPTY = "The selected file is empty"
NO_FILE = "Select a file"
NO_TITLE = "Enter a title"
NOT_CLEANED = (
    "The selected PDF could not be checked for scripts and embedded files – save it as a new PDF and upload that"
)
NOT_READABLE = (
    "The selected PDF could not be read, so it could not be checked for scripts – save it "
    "again as a PDF without a password and upload that"
)

logger = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
# The mimetype entry of an OpenDocument file is a few dozen bytes; read no more than this.
MIMETYPE_LIMIT = 200


def max_upload_bytes():
    return settings.PAPER_MAX_UPLOAD_MB * 1024 * 1024


def too_big_message():
    return f"The selected file must be smaller than {settings.PAPER_MAX_UPLOAD_MB}MB"


def _zip_kind(upload):
    """DOCX, XLSX or ODT, from what the ZIP archive holds; None if it is none of them (or no archive)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= MIMETYPE_LIMIT and archive.read(info).strip() == ODT.encode():
                    return ODT
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
        EOFError,
        KeyError,
    ):
        return None
    return None


def content_type_of(upload):
    """The content type the file's bytes show (PDF, DOCX, XLSX or ODT), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(ZIP_MAGIC):
            return _zip_kind(upload)
        return None
    finally:
        upload.seek(0)


def clean_filename(name):
    """The uploaded file's own name, safe to show and to send back in Content-Disposition."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    stem, extension = os.path.splitext(name)
    return f"{stem[: 255 - len(extension)]}{extension}" or "paper"


def check_paper_file(upload):
    """Raise ValidationError with a GOV.UK message unless ``upload`` is an acceptable paper.

    Sets ``upload.paper_content_type`` (the type found), ``upload.paper_filename``,
    ``upload.paper_stored_file`` (the file to store: the upload itself, or a PDF
    cleaned of scripts, automatic actions and embedded files) and
    ``upload.paper_removed_content`` (what was removed: mappa.pdf_clean.RemovedContent.as_dict).
    """
    if upload.size == 0:
        raise forms.ValidationError(EMPTY, code="empty")
    if upload.size > max_upload_bytes():
        raise forms.ValidationError(too_big_message(), code="too_big")
    filename = clean_filename(upload.name)
    extension = os.path.splitext(filename)[1].lower()
    expected = FILE_TYPES.get(extension)
    if expected is None or content_type_of(upload) != expected[1]:
        raise forms.ValidationError(WRONG_TYPE, code="wrong_type")
    upload.paper_content_type = expected[1]
    upload.paper_filename = filename
    upload.paper_removed_content = {}
    upload.paper_stored_file = upload
    if expected[1] == PDF:
        _clean_pdf(upload)
    return upload


def _clean_pdf(upload):
    """Point ``upload.paper_stored_file`` at the PDF without its active content, if it had any."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        cleaned, removed = without_active_content(data)
    except UnreadablePdf as error:
        logger.warning("An uploaded PDF (%s) could not be read, and is refused: %s", upload.paper_filename, error)
        raise forms.ValidationError(NOT_READABLE, code="not_readable") from None
    except Exception:
        logger.exception("An uploaded PDF (%s) could not be cleaned", upload.paper_filename)
        raise forms.ValidationError(NOT_CLEANED, code="not_cleaned") from None
    if removed:
        logger.info("Removed from an uploaded PDF (%s): %s", upload.paper_filename, removed.as_dict())
        upload.paper_removed_content = removed.as_dict()
        upload.paper_stored_file = ContentFile(cleaned, name=upload.paper_filename)


class PaperFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Upload a file")
        kwargs.setdefault("help_text", "PDF, DOCX, XLSX or ODT. Only PDF papers are included in the agenda pack.")
        kwargs.setdefault(
            "error_messages", {"required": NO_FILE, "missing": NO_FILE, "invalid": NO_FILE, "empty": EMPTY}
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_paper_file(upload) if upload else upload


def _helper(*fields, submit):
    # The template writes the <form> (multipart) and its CSRF token.
    return govuk_helper(*fields, submit=submit)


class PaperUploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": NO_TITLE, "max_length": "The title must be 300 characters or fewer"},
        help_text="As it should appear on the agenda, for example: Level 1 minimum practice standards",
    )
    file = PaperFileField()
    not_for_publication = forms.BooleanField(
        required=False,
        label="Not for publication",
        help_text="Withheld from publication and FOI release. Members still receive it in the agenda pack.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"), Field("file"), Field.checkbox("not_for_publication", small=True), submit="Add paper"
        )


class PaperReplaceForm(forms.Form):
    file = PaperFileField(label="Upload the new version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("file"), submit="Upload new version")


class PublicationForm(forms.Form):
    """Mark a paper not for publication, or allow it again (the button says which)."""

    not_for_publication = forms.TypedChoiceField(
        choices=[("true", "Not for publication"), ("false", "Publishable")], coerce=lambda value: value == "true"
    )
