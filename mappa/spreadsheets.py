"""Spreadsheets the service hands out (XLSX and CSV): every cell made safe, and the download response.

Anything people typed (an action, an update, a name) may begin with a character
that makes a spreadsheet treat the cell as a formula: ``=HYPERLINK(...)``, ``+1``,
``-2``, ``@SUM(...)``, or a tab or carriage return in front of one. ``safe_cell``
is the one place every exported value passes through: such text gets a single
quote in front, so Excel, LibreOffice and Sheets show it and never run it; and
the control characters an XLSX file cannot hold (openpyxl refuses them, failing
the whole download) are dropped.
"""

import io
import re

from django.http import HttpResponse
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The C0 control characters but tab, newline and carriage return: an XLSX cell cannot hold them.
ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """``value`` made safe for a cell: text without unholdable characters, a leading quote if it could run.

    Only text is changed; numbers and dates are written as themselves.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_IN_XLSX.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def bold_header(sheet, headings):
    """Append ``headings`` as the sheet's first row, in bold."""
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def workbook_bytes(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(content, filename, content_type=XLSX_CONTENT_TYPE):
    """An attachment response for a file the user downloads."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
