"""A meeting's PDFs kept in storage once they can no longer change (StoredDocument): keeping one, letting it go.

The agreed minute is kept when the minutes are agreed (meetings.services.meetings.advance_meeting) and let go
when the secretariat reopens them (reopen_minutes); the agenda and the agenda pack are kept by their
downloads once the meeting is held (meetings/views/documents.py, papers/views.py).
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from meetings import documents
from meetings.models import StoredDocument
from meetings.selectors.documents import meeting_documents

Kind = StoredDocument.Kind


@transaction.atomic
def keep_document(meeting, *, kind, content, source=""):
    """Store ``content`` (PDF bytes) as the meeting's ``kind`` of document made from ``source``, in place of
    any kept before. Two requests keeping the same document at once keep one of them."""
    stored = StoredDocument(meeting=meeting, kind=kind, source=source)
    stored.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    earlier = StoredDocument.objects.select_for_update().filter(meeting=meeting, kind=kind).first()
    if earlier is not None:
        _let_go([earlier])
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:  # kept meanwhile by another request: theirs stands, this file goes
        stored.file.storage.delete(stored.file.name)
        return StoredDocument.objects.get(meeting=meeting, kind=kind)
    return stored


def keep_agreed_minutes(meeting):
    """Render the meeting's agreed minute and keep it; returns the PDF bytes."""
    content = documents.minutes_pdf(meeting_documents(meeting.pk))
    keep_document(meeting, kind=Kind.MINUTES, content=content)
    return content


def forget_documents(meeting, *kinds):
    """Let go of the meeting's kept documents of these kinds: rows now, files once the change commits."""
    _let_go(list(StoredDocument.objects.filter(meeting=meeting, kind__in=kinds)))


def forget_every_document():
    """Let go of every kept document: an erasure of personal data may have changed any of them (they are
    rendered again, from the records as they now are, when next asked for)."""
    _let_go(list(StoredDocument.objects.all()))


def _let_go(stored):
    """Delete the rows now; their files go once the change commits (meetings.models' post_delete receiver)."""
    StoredDocument.objects.filter(pk__in=[document.pk for document in stored]).delete()
