"""The tables behind the dashboard's charts: one shape for the page, the PDF, the CSV and the XLSX.

A table's first column names its rows (a row header); a cell holds a number, text, a
date, a ``Link`` (text with an address, a link on the page only), a
``disclosure.Withheld`` figure ("fewer than 5") or None (nothing to show).
"""

from dataclasses import dataclass, field
from datetime import date

from dashboard.disclosure import Withheld

NOTHING = "–"


@dataclass(frozen=True)
class Link:
    text: str
    href: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    slug: str  # its CSV's name: /dashboard/<slug>.csv
    title: str  # the caption
    columns: list  # headings; the first names the rows
    rows: list = field(default_factory=list)
    sheet: str = ""  # the XLSX sheet's name (31 characters at most)
    numeric: tuple = ()  # indexes of the columns that hold figures (right-aligned)
    notes: list = field(default_factory=list)
    empty: str = "Nothing to show for these filters."

    def __post_init__(self):
        self.sheet = (self.sheet or self.title)[:31]

    @property
    def has_withheld(self):
        return any(isinstance(value, Withheld) for row in self.rows for value in row)

    def text_rows(self):
        """Every row as text, as the CSV writes it (dates as yyyy-mm-dd, nothing as empty)."""
        for row in self.rows:
            yield [as_text(value) for value in row]


def as_text(value):
    """A cell as text for a file: numbers and words as they are, dates as yyyy-mm-dd, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_value(value):
    """A cell as a spreadsheet value: numbers and dates kept, everything else as text."""
    if value is None:
        return None
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return value
    return str(value)


def numbers(values):
    """Figures for a chart: a withheld figure or nothing draws no bar."""
    return [value if isinstance(value, (int, float)) else None for value in values]


WITHHELD_NOTE = (
    "“fewer than {threshold}”: a count from 1 to {below}, not shown so that no one can be "
    "identified; “withheld”: a figure not shown so that a count of fewer than {threshold} cannot "
    "be worked out from the totals."
)


def withheld_note(threshold):
    return WITHHELD_NOTE.format(threshold=threshold, below=threshold - 1)
