"""Papers attached to agenda items, each kept in every version uploaded.

A paper is what the agenda lists ("Paper 3: Level 1 minimum practice standards");
each upload of it is a PaperVersion, numbered 1, 2, 3... The current version is
the one with the highest number: replacing a paper adds a version and keeps the
earlier ones, which stay listed and downloadable.

Uploaded files are stored under MEDIA_ROOT (outside the web root) with a random
name; they are only ever sent through papers.views, which checks who may read them.
A PDF is stored without the scripts, automatic actions and embedded files it
came with (mappa.pdf_clean.without_active_content); what was removed is recorded on
its version, and said on the meeting page.
"""

import os
import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from mappa.pdf_clean import describe_removed
from meetings.models import AgendaItem

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# The kinds of file a paper may be: extension -> (label, content type).
FILE_TYPES = {
    ".pdf": ("PDF", PDF),
    ".docx": ("DOCX", DOCX),
    ".xlsx": ("XLSX", XLSX),
    ".odt": ("ODT", ODT),
}
TYPE_LABELS = {content_type: label for label, content_type in FILE_TYPES.values()}


def paper_upload_to(instance, filename):
    """papers/2017/11/<random>.pdf: a name nobody can guess, keeping the (checked) extension."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{timezone.now():papers/%Y/%m/}{uuid.uuid4().hex}{extension}"


class Paper(models.Model):
    """A paper for an agenda item; its file is its current (highest-numbered) version."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(help_text="Order among the item's papers.")
    not_for_publication = models.BooleanField(default=False, help_text="Withheld from publication and FOI release")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agenda_item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "position"], name="one_paper_per_item_position"),
        ]

    def __str__(self):
        return self.title

    def _versions(self):
        # Uses the prefetched versions when there are some (the meeting page, the pack).
        return sorted(self.versions.all(), key=lambda version: version.number)

    @property
    def current_version(self):
        versions = self._versions()
        return versions[-1] if versions else None

    @property
    def earlier_versions(self):
        """Every version but the current one, newest first."""
        return list(reversed(self._versions()[:-1]))


class PaperVersionManager(models.Manager):
    """Versions without their text (read only by search): a meeting page's papers stay small to load."""

    def get_queryset(self):
        return super().get_queryset().defer("text")


class PaperVersion(models.Model):
    """One uploaded file of a paper. Never changed once uploaded, but for the text read from it
    (papers.tasks.extract_text, queued when it is uploaded) for search."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", "Not read yet"
        EXTRACTED = "extracted", "Text read"
        NO_TEXT_LAYER = "no_text_layer", "No text layer (a scanned PDF)"
        FAILED = "failed", "Could not be read"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=paper_upload_to, max_length=255)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Found from the file's contents when uploaded.")
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_content = models.JSONField(
        default=dict,
        blank=True,
        help_text="What was removed from the uploaded PDF before it was stored, kind: count "
        '(for example {"scripts": 2, "open_action": 1, "embedded_files": 1}). Empty if nothing was.',
    )
    text = models.TextField(
        blank=True, editable=False, help_text="The file's text, for search; a PDF's pages separated by form feeds."
    )
    text_status = models.CharField(
        max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING, editable=False
    )

    objects = PaperVersionManager()

    class Meta:
        ordering = ["paper", "number"]
        constraints = [models.UniqueConstraint(fields=["paper", "number"], name="one_paper_version_per_number")]

    def __str__(self):
        return f"{self.paper}, version {self.number}"

    @property
    def type_label(self):
        """PDF, DOCX, XLSX or ODT."""
        return TYPE_LABELS.get(self.content_type, "File")

    @property
    def is_pdf(self):
        return self.content_type == PDF

    @property
    def removed_summary(self):
        """What the service removed from the file on upload, in plain words ("JavaScript (2 scripts) and
        1 embedded file"); empty if nothing was."""
        phrases = describe_removed(self.removed_content)
        if len(phrases) < 2:
            return "".join(phrases)
        return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


@receiver(post_delete, sender=PaperVersion)
def remove_file_of_deleted_version(sender, instance, using, **kwargs):
    """A version deleted (by an administrator, with its paper) takes its file with it, once committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), using=using)
