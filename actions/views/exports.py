"""Exports of the action register's current filter (the query string): /actions.pdf, /actions.xlsx and
/actions.csv, routed in config/urls.py.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers

from actions import exports
from actions.selectors.exports import export_rows
from actions.views.register import action_filterset
from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, allow
from mappa.pdf import PDF_CONTENT_TYPE
from mappa.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download


def _export_filterset(request):
    """The filters of an export; a wrong one is a 400 (a file has no page to show the error on)."""
    filterset = action_filterset(request)
    if not filterset.form.is_valid():
        raise BadRequest("Invalid filter: " + ", ".join(sorted(filterset.form.errors)))
    return filterset


def _export(content, content_type, name):
    response = download(content, name, content_type)
    add_never_cache_headers(response)
    return response


def _export_rows(request):
    filterset = _export_filterset(request)
    return filterset, export_rows(filterset.qs, sort=request.GET.get("sort"), today=filterset.today)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="csv")
def actions_csv(request):
    audit_subject(request, label="Action log")
    _, rows = _export_rows(request)
    return _export(
        exports.actions_csv(rows, site_url=settings.SITE_URL.rstrip("/")),
        CSV_CONTENT_TYPE,
        exports.filename("csv"),
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="xlsx")
def actions_xlsx(request):
    audit_subject(request, label="Action log")
    filterset, rows = _export_rows(request)
    content = exports.actions_xlsx(rows, site_url=settings.SITE_URL.rstrip("/"), description=filterset.description())
    return _export(content, XLSX_CONTENT_TYPE, exports.filename("xlsx"))


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def actions_pdf(request):
    audit_subject(request, label="Action log")
    filterset = _export_filterset(request)
    pdf = exports.actions_pdf(filterset.qs, description=filterset.description(), today=filterset.today)
    response = _export(pdf, PDF_CONTENT_TYPE, exports.filename("pdf"))
    response["Content-Disposition"] = f'inline; filename="{exports.filename("pdf")}"'
    return response
