"""A meeting's documents as downloads: the agenda (PDF), the minute (PDF and Word) and the invitation (iCalendar).

Who may read them: everyone with a role reads the agenda and the invitation;
the minute follows meetings.rules.may_read_minutes (inspectors only once it is
agreed; to them a draft minute is "not found"). Until the minute is agreed,
both its PDF and its Word copy say DRAFT on every page (meetings/documents.py
renders them). Once the minute is agreed it is the PDF kept in storage when it was agreed; once the
meeting is held its agenda is kept from the first download (meetings.services.documents). Each download
is a line of the audit log, naming the meeting (audit.decorators.audited).
"""

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, allow
from mappa.pdf import PDF_CONTENT_TYPE
from meetings import documents
from meetings.models import Meeting, StoredDocument
from meetings.rules import may_read_minutes
from meetings.selectors.documents import meeting_documents
from meetings.services.documents import keep_agreed_minutes, keep_document

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _filename(meeting, what, extension, draft=False):
    return f"{meeting.body.slug}-{what}-{meeting.date:%Y-%m-%d}{'-draft' if draft else ''}.{extension}"


def _file_response(content, content_type, filename, *, attachment):
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Minutes change until agreed, and are not for shared caches.
    add_never_cache_headers(response)
    return response


def _readable_minute(request, pk):
    docs = meeting_documents(pk)
    if not may_read_minutes(request.user, docs.meeting):
        raise Http404("No such minute")
    return docs


def _meeting_or_404(pk):
    try:
        return Meeting.objects.select_related("body").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def minutes_pdf(request, pk):
    meeting = _meeting_or_404(pk)
    if not may_read_minutes(request.user, meeting):
        raise Http404("No such minute")
    draft = not meeting.minutes_are_agreed
    audit_subject(request, meeting, document="minutes", draft=draft)
    if draft:
        content = documents.minutes_pdf(meeting_documents(pk))
    else:
        # Kept when they were agreed; minutes agreed before minutes were kept are kept now.
        content = documents.stored_pdf(meeting, StoredDocument.Kind.MINUTES) or keep_agreed_minutes(meeting)
    return _file_response(content, PDF_CONTENT_TYPE, _filename(meeting, "minutes", "pdf", draft), attachment=False)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def agenda_pdf(request, pk):
    meeting = _meeting_or_404(pk)
    audit_subject(request, meeting, document="agenda")
    # A held meeting's agenda can no longer change (meetings.services.agenda): kept from its first download.
    held = meeting.status in Meeting.statuses_from(Meeting.Status.HELD)
    content = documents.stored_pdf(meeting, StoredDocument.Kind.AGENDA) if held else None
    if content is None:
        content = documents.agenda_pdf(meeting_documents(pk, with_minute=False))
        if held:
            keep_document(meeting, kind=StoredDocument.Kind.AGENDA, content=content)
    return _file_response(content, PDF_CONTENT_TYPE, _filename(meeting, "agenda", "pdf"), attachment=False)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="docx")
def minutes_docx(request, pk):
    docs = _readable_minute(request, pk)
    audit_subject(request, docs.meeting, document="minutes", draft=docs.is_draft)
    return _file_response(
        documents.minutes_document(docs),
        DOCX_CONTENT_TYPE,
        _filename(docs.meeting, "minutes", "docx", docs.is_draft),
        attachment=True,
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="ics")
def invite_ics(request, pk):
    docs = meeting_documents(pk, with_minute=False)
    audit_subject(request, docs.meeting, document="invitation")
    return _file_response(
        documents.invitation(docs), ICS_CONTENT_TYPE, _filename(docs.meeting, "meeting", "ics"), attachment=True
    )
