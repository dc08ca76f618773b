"""A meeting's documents as downloads: the agenda (PDF), the minute (PDF and Word) and the invitation (iCalendar).

Who may read them: everyone with a role reads the agenda and the invitation;
the minute follows meetings.rules.may_read_minutes (inspectors only once it is
agreed; to them a draft minute is "not found"). Until the minute is agreed,
both its PDF and its Word copy say DRAFT on every page (meetings/documents.py
renders them). Nobody writes through these views. Each download is a line of the audit log, naming
the meeting (audit.decorators.audited).
"""

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, allow
from mappa.pdf import PDF_CONTENT_TYPE
from meetings import documents
from meetings.rules import may_read_minutes
from meetings.selectors.documents import meeting_documents

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


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def minutes_pdf(request, pk):
    docs = _readable_minute(request, pk)
    audit_subject(request, docs.meeting, document="minutes", draft=docs.is_draft)
    return _file_response(
        documents.minutes_pdf(docs),
        PDF_CONTENT_TYPE,
        _filename(docs.meeting, "minutes", "pdf", docs.is_draft),
        attachment=False,
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def agenda_pdf(request, pk):
    docs = meeting_documents(pk, with_minute=False)
    audit_subject(request, docs.meeting, document="agenda")
    return _file_response(
        documents.agenda_pdf(docs), PDF_CONTENT_TYPE, _filename(docs.meeting, "agenda", "pdf"), attachment=False
    )


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
