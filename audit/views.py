"""The audit log (/audit/): read by administrators, and by anyone given the right to read it.

The right is Django's permission ``audit.view_auditevent`` ("Can view audit event"), given to a
login in /admin/ (its user permissions, or a group's): for the secretariat's lead, say. It lets them
read the log and its CSV, nothing else. No view writes: there is no way to change or delete a line.
"""

import csv
import io

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import selectors
from audit.decorators import filters_of
from audit.filters import AuditFilter
from audit.models import AuditEvent
from audit.services import record
from mappa.access import ADMINISTRATOR, allow
from mappa.pagination import govuk_pagination
from mappa.spreadsheets import CSV_CONTENT_TYPE, download, safe_cell

READ_PERMISSION = "audit.view_auditevent"


def _filterset(request):
    return AuditFilter(request.GET, queryset=AuditEvent.objects.all())


@allow(read={ADMINISTRATOR}, read_permission=READ_PERMISSION)
@require_http_methods(["GET", "HEAD"])
def audit_log(request):
    filterset = _filterset(request)
    page = selectors.audit_log(filterset, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "filter": filterset,
            "filtered": filterset.filtered,
            "page": page,
            "rows": [(event, selectors.describe_details(event.details)) for event in page.object_list],
            "pagination": govuk_pagination(page, query),
            "export_query": query.urlencode(),
        },
    )


@allow(read={ADMINISTRATOR}, read_permission=READ_PERMISSION)
@require_http_methods(["GET", "HEAD"])
def audit_csv(request):
    """The filtered lines as CSV (every cell formula-escaped); the export is itself a line of the log."""
    filterset = _filterset(request)
    if not filterset.is_valid():
        # The page says what is wrong with the filters.
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(selectors.CSV_HEADINGS)
    for row in selectors.csv_rows(filterset.qs):
        writer.writerow([safe_cell(value) for value in row])
    if request.method == "GET":
        record(AuditEvent.Kind.EXPORT_AUDIT, request=request, format="csv", details={"filters": filters_of(request)})
    return download(out.getvalue(), f"mappa-audit-log-{timezone.localdate():%Y-%m-%d}.csv", CSV_CONTENT_TYPE)
