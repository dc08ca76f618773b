"""The national table of a quarter's case review figures, as a PDF for the NSG's papers.

Only approved returns count, and the table says so. The secretariat opens it at
/returns/<period>/case-review-table.pdf (reviews/document_views.py) or puts it into a meeting's papers
(reviews.services.nsg_meeting.attach_case_review_table); everyone else reads it there, under
the papers' own rule (inspectors once the minutes are agreed).
"""

from django.utils import timezone

from mappa.pdf import render_pdf
from reviews.selectors.nsg_meeting import case_review_table


def case_review_table_filename(period):
    return f"case-review-figures-{period.slug}.pdf"


def case_review_table_pdf(period) -> bytes:
    """The period's table as PDF bytes (A4 landscape, the house style of the meeting documents)."""
    return render_pdf(
        "documents/case_review_table.html",
        {"table": case_review_table(period), "produced_on": timezone.localdate()},
    )
