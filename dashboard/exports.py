"""The dashboard as files: a PDF progress report, an XLSX workbook (one sheet per table), a CSV per table.

Every file holds exactly what the reader's page shows, withheld figures included ("fewer
than 5"), so an export never tells more than the page. Every value passes through
mappa.spreadsheets.safe_cell, the one rule for every export.
"""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.tables import as_text, as_value, withheld_note
from mappa.spreadsheets import bold_header, safe_cell, workbook_bytes


def filename(scope, extension, name="mappa-dashboard"):
    """ "mappa-dashboard-2017-18-q1-to-2017-18-q3-fife.xlsx": the range and filters, so saved files differ."""
    parts = [name]
    if scope.periods:
        first, last = scope.periods[0].slug, scope.periods[-1].slug
        parts.append(first if first == last else f"{first}-to-{last}")
    parts += [item.slug for item in (scope.area, scope.body) if item]
    return f"{'-'.join(parts)}.{extension}"


def table_csv(table):
    """One table as CSV (UTF-8 with a byte-order mark, so Excel reads the accents): its headings, then its rows."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([safe_cell(heading) for heading in table.columns])
    for row in table.text_rows():
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _xlsx_value(value):
    return safe_cell(as_value(value))


def _about(sheet, board, produced):
    scope = board.scope
    lines = [
        ("MAPPA progress dashboard", None),
        ("Filters", scope.description()),
        ("Figures as at", scope.as_at),
        ("Produced", produced),
    ]
    if not board.sees_small_numbers:
        lines.append(("Disclosure control", withheld_note(board.threshold)))
    for table in board.tables():
        for note in table.notes:
            lines.append((table.sheet, note))
    for label, value in lines:
        sheet.append([_xlsx_value(label), _xlsx_value(value)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 100
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.is_date:
                cell.number_format = "d mmmm yyyy"


def dashboard_xlsx(board, today=None):
    """An XLSX workbook: "About" (the filters, the notes), then one sheet per table, headings in row 1."""
    workbook = Workbook()
    _about(workbook.active, board, today or timezone.localdate())
    workbook.active.title = "About"
    for table in board.tables():
        sheet = workbook.create_sheet(table.sheet)
        bold_header(sheet, (_xlsx_value(heading) for heading in table.columns))
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
        for index, heading in enumerate(table.columns, start=1):
            widest = max([len(heading), *(len(as_text(row[index - 1])) for row in table.rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 10), 60)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.is_date:
                    cell.number_format = "d mmmm yyyy"
        sheet.freeze_panes = "A2"
    workbook.properties.title = "MAPPA progress dashboard"
    workbook.properties.subject = safe_cell(board.scope.description())
    workbook.properties.creator = "MAPPA Governance"
    return workbook_bytes(workbook)


REPORT_TEMPLATE = "dashboard/report_pdf.html"


def report_context(board, today=None):
    return {"board": board, "today": today or timezone.localdate()}


def report_html(board, today=None):
    """The report's HTML, for a worker to lay out step by step (dashboard.preparing); its charts already drawn."""
    return render_to_string(REPORT_TEMPLATE, report_context(board, today))
