"""The register as files: CSV and XLSX of the current filter, and a PDF of its open actions by owner.

Every exported value passes through mappa.spreadsheets.safe_cell, so a spreadsheet
shows what people typed and never runs it.
"""

import csv
import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from actions.selectors.exports import open_actions_by_owner
from mappa.pdf import pdf_from_html
from mappa.spreadsheets import bold_header, safe_cell, workbook_bytes

COLUMNS = [
    # (heading, width in characters for the XLSX)
    ("Action", 34),
    ("Group", 16),
    ("Meeting date", 14),
    ("Item", 30),
    ("Text", 60),
    ("Owners", 30),
    ("Due date", 14),
    ("Original due date", 14),
    ("Status", 14),
    ("Overdue", 10),
    ("Latest update", 50),
    ("Latest update on", 14),
    ("Link", 40),
]


def filename(extension, today=None):
    today = today or timezone.localdate()
    return f"actions-{today:%Y-%m-%d}.{extension}"


def _rows(actions, site_url=""):
    """Each action as the values of COLUMNS (dates as dates), in the register's order."""
    for action in actions:
        meeting = action.meeting
        latest = action.latest_update
        yield [
            action.citation,
            meeting.body.short_name or meeting.body.name,
            meeting.date,
            f"{action.item_number} {action.agenda_item.title}".strip(),
            action.text,
            action.owner_label,
            action.due_date,
            action.original_due_date,
            action.get_status_display(),
            "Yes" if action.is_overdue else "No",
            latest.text or latest.reason if latest else "",
            latest.at.date() if latest else None,
            site_url + reverse("actions:detail", kwargs={"pk": action.pk}),
        ]


def actions_csv(actions, *, site_url=""):
    """CSV (UTF-8 with a byte-order mark, so Excel reads the accents) of ``export_rows`` actions."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([heading for heading, _ in COLUMNS])
    for row in _rows(actions, site_url):
        writer.writerow(
            [
                safe_cell(value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value)))
                for value in row
            ]
        )
    return out.getvalue().encode("utf-8")


def actions_xlsx(actions, *, site_url="", description=""):
    """An XLSX workbook of ``export_rows`` actions: one sheet, a header row, dates as dates, an autofilter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    bold_header(sheet, (heading for heading, _ in COLUMNS))
    for row in _rows(actions, site_url):
        sheet.append([safe_cell(value) for value in row])
    for index, (_, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = "d mmmm yyyy"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = "MAPPA action log"
    workbook.properties.subject = safe_cell(description)
    workbook.properties.creator = "MAPPA Governance"
    return workbook_bytes(workbook)


def actions_pdf(actions, *, description="", today=None):
    """A PDF of the open actions among ``actions``, grouped by owner, in the house style of the minutes."""
    return pdf_from_html(actions_html(actions, description=description, today=today))


def actions_html(actions, *, description="", today=None) -> str:
    """The action log's PDF as HTML, before it is laid out (disclosure redacts it there)."""
    today = today or timezone.localdate()
    groups = open_actions_by_owner(actions, today)
    count = len({action.pk for group in groups for action in group.actions})
    return render_to_string(
        "actions/action_log_pdf.html",
        {
            "groups": groups,
            "count": count,
            "description": description,
            "today": today,
            "draft": False,
        },
    )
