"""The national table of a quarter's case review figures as a download, for the secretariat.

/returns/<period>/case-review-table.pdf; reviews/documents.py renders it. Nobody writes through this view;
each download is a line of the audit log.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import SECRETARIAT, allow
from mappa.pdf import PDF_CONTENT_TYPE
from reviews.documents import case_review_table_filename, case_review_table_pdf
from reviews.models import ReportingPeriod


@allow(read=SECRETARIAT)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def case_review_table(request, period):
    try:
        period = ReportingPeriod.objects.by_slug(period)
    except ReportingPeriod.DoesNotExist:
        raise Http404("No such reporting period") from None
    audit_subject(request, period, document="case review table")
    response = HttpResponse(case_review_table_pdf(period), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{case_review_table_filename(period)}"'
    # Figures change as returns are approved (or reopened).
    add_never_cache_headers(response)
    return response
