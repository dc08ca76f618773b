"""The national table of a quarter's case review figures, as a PDF for the NSG's papers.

Only approved returns count, and the table says so. The secretariat opens it at
/returns/<period>/case-review-table.pdf or puts it into a meeting's papers
(reviews.services.attach_case_review_table); everyone else reads it there, under
the papers' own rule (inspectors once the minutes are agreed).
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from mappa.access import SECRETARIAT, allow
from mappa.pdf import PDF_CONTENT_TYPE, render_pdf
from reviews import selectors
from reviews.models import ReportingPeriod


def case_review_table_filename(period):
    return f"case-review-figures-{period.slug}.pdf"


def case_review_table_pdf(period) -> bytes:
    """The period's table as PDF bytes (A4 landscape, the house style of the meeting documents)."""
    return render_pdf(
        "documents/case_review_table.html",
        {"table": selectors.case_review_table(period), "produced_on": timezone.localdate()},
    )


@allow(read=SECRETARIAT)
def case_review_table(request, period):
    try:
        period = ReportingPeriod.objects.by_slug(period)
    except ReportingPeriod.DoesNotExist:
        raise Http404("No such reporting period") from None
    response = HttpResponse(case_review_table_pdf(period), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{case_review_table_filename(period)}"'
    # Figures change as returns are approved (or reopened).
    add_never_cache_headers(response)
    return response
