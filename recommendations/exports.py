"""The action plan as a landscape PDF (the layout of the SG's October 2017 plan) and as a spreadsheet.

Each download is a line of the audit log, with its filters (audit.decorators.audited).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, allow
from mappa.pdf import PDF_CONTENT_TYPE, pdf_from_html
from mappa.spreadsheets import bold_header, download, safe_cell, workbook_bytes
from recommendations import selectors
from recommendations.filters import ActionPlanFilter
from recommendations.models import StatusUpdate


def _plan(request):
    """The day asked for (or None: today) and the plan's rows, filtered as the page is."""
    plan_filter = ActionPlanFilter(request.GET)
    return plan_filter.plan_date, selectors.action_plan(as_at=plan_filter.plan_date, recommendations=plan_filter.qs)


def _filename(as_at, extension):
    return f"mappa-action-plan{'-as-at-' + as_at.isoformat() if as_at else ''}.{extension}"


def action_plan_html(rows, *, as_at=None) -> str:
    """The action plan's PDF as HTML, before it is laid out (disclosure redacts it there)."""
    return render_to_string(
        "documents/action_plan.html",
        {
            "rows": selectors.with_narratives(rows, as_at=as_at),
            "as_at": as_at,
            "produced_on": timezone.localdate(),
            "statuses": list(StatusUpdate.Status),
        },
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def action_plan_pdf(request):
    audit_subject(request, label="Action plan")
    as_at, rows = _plan(request)
    pdf = pdf_from_html(action_plan_html(rows, as_at=as_at))
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{_filename(as_at, "pdf")}"'
    return response


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="xlsx")
def action_plan_xlsx(request):
    audit_subject(request, label="Action plan")
    as_at, rows = _plan(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    headers = [
        "Number",
        "Recommendation",
        "Short title",
        "SG updates",
        "Update date",
        "SG policy lead",
        "Review date",
        "Status",
        "Progress",
        "Completion date",
        "Inspectors' grade",
        "Grade date",
    ]
    bold_header(sheet, headers)
    for row in rows:
        r, u, a = row.recommendation, row.update, row.assessment
        lead = r.policy_directorate + (f", {r.policy_lead.name}" if r.policy_lead else "")
        sheet.append(
            [
                safe_cell(v)
                for v in (
                    r.number,
                    r.text,
                    r.short_title,
                    u.narrative if u else "",
                    u.as_of if u else None,
                    lead,
                    u.review_date if u else None,
                    u.get_status_display() if u else "",
                    u.get_progress_display() if u else "",
                    u.completion_date if u else None,
                    a.get_grade_display() if a else "",
                    a.as_of if a else None,
                )
            ]
        )
    for column, width in zip("ABCDEFGHIJKL", (8, 60, 24, 70, 12, 30, 12, 32, 20, 14, 16, 12)):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return download(workbook_bytes(book), _filename(as_at, "xlsx"))
