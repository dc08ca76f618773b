"""Disclosure control: small counts of case reviews are never published, even by subtraction.

A count from 1 to ``threshold - 1`` (settings.DISCLOSURE_THRESHOLD, 5 by default) in a table
cell could point to a person in a small area, so everyone but the secretariat sees it as
"fewer than 5" (*primary* suppression). Hiding the cell is not enough when the table also
shows totals: with a column total of 12 and every other cell shown, the hidden cell is 12
minus the rest. So each *line* of the table (a row or column together with its total) that
has exactly one hidden entry gets a second one (*secondary* suppression): the smallest
cell in the line that is not zero, or, where there is none, the line's total. A second
hidden cell that is shown as "withheld" must also leave the first one uncertain: a line
whose hidden figures can only add up one way (a "fewer than 5" and a "withheld" that make
6 can only be 1 and 5) gets a third. The rules run until no line changes.

Zero is never hidden: it points to no one, and hiding it would protect nothing, since the
other hidden figure is then the whole difference. A cell with no figure at all (``None``,
e.g. no approved return) is neither counted nor hidden.

This protects every line against subtraction within the line, which is what a reader with
the table and a calculator can do. It does not solve the whole table as a system of
equations (that is what dedicated tools such as tau-argus are for); the tables on the
dashboard are built so that no such system arises: case reviews by area and quarter are
published with the quarter's national total only, and each quarter is protected as a
whole, whatever range of quarters or area a reader picks (dashboard.selectors.returns_section).
"""

from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Withheld:
    """A figure that is not shown: ``primary`` (from 1 to threshold - 1) or ``secondary`` (to protect one)."""

    reason: str
    threshold: int

    @property
    def is_primary(self):
        return self.reason == PRIMARY

    def __str__(self):
        return f"fewer than {self.threshold}" if self.is_primary else "withheld"


def shown(value):
    """A figure as published: the number, or "fewer than 5"/"withheld" for a Withheld one."""
    return str(value) if isinstance(value, Withheld) else value


@dataclass
class ProtectedTable:
    """A table of counts as it may be published: Withheld wherever a figure must not be shown."""

    cells: list  # rows of int, None or Withheld
    row_totals: list | None = None  # per row, when the table shows row totals
    column_totals: list | None = None  # per column, when it shows column totals
    grand_total: object = None  # when it shows both
    withheld: int = 0  # how many figures are not shown

    @property
    def has_withheld(self):
        return self.withheld > 0

    @property
    def has_primary(self):
        return any(isinstance(v, Withheld) and v.is_primary for v in self._entries())

    def _entries(self):
        for row in self.cells:
            yield from row
        yield from self.row_totals or []
        yield from self.column_totals or []
        yield self.grand_total


def _total(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass
class _Line:
    members: list  # keys of the entries that add up to the total
    total: tuple  # the key of the total
    position: int = 0


@dataclass
class _Grid:
    values: dict  # key -> int or None
    threshold: int
    hidden: dict = field(default_factory=dict)  # key -> PRIMARY or SECONDARY

    def visible(self, key):
        return self.values[key] is not None and key not in self.hidden

    def bounds(self, key):
        """What a reader knows of a hidden entry: (lowest, highest) value it could have."""
        if self.hidden[key] == PRIMARY:
            return 1, self.threshold - 1
        # A hidden cell that is not "fewer than 5" is 5 or more (zero is never hidden);
        # a hidden total is at least 1.
        return (self.threshold if key[0] == "cell" else 1), None

    def pinned(self, line):
        """Whether the line's hidden figures can add up only one way, giving a "fewer than 5" away."""
        if not self.visible(line.total):
            return False
        hidden = [k for k in line.members if self.values[k] is not None and k in self.hidden]
        rest = self.values[line.total] - sum(self.values[k] for k in line.members if self.visible(k))
        bounds = {k: self.bounds(k) for k in hidden}
        for key in hidden:
            if self.hidden[key] != PRIMARY:
                continue
            others = [bounds[k] for k in hidden if k != key]
            lowest_others = sum(low for low, _high in others)
            highest_others = None if any(high is None for _low, high in others) else sum(h for _l, h in others)
            low = max(1, rest - highest_others) if highest_others is not None else 1
            high = min(self.threshold - 1, rest - lowest_others)
            if low >= high:
                return True
        return False

    def hide_another(self, line):
        """Hide the smallest figure of the line that is not zero (the first of equals); else its total."""
        candidates = [
            (self.values[k], index, k) for index, k in enumerate(line.members) if self.visible(k) and self.values[k] > 0
        ]
        if candidates:
            self.hidden[min(candidates)[2]] = SECONDARY
            return True
        if self.visible(line.total) and self.values[line.total] > 0:
            self.hidden[line.total] = SECONDARY
            return True
        return False


def _shape(values, columns):
    rows = [list(row) for row in values]
    width = len(rows[0]) if rows else (columns or 0)
    if any(len(row) != width for row in rows):
        raise ValueError("Every row of the table must have the same number of cells.")
    return rows, width


def protect(values, *, threshold, row_totals=True, column_totals=True, columns=None):
    """The table of counts ``values`` (rows of int or None) with its totals, as it may be published.

    Totals are worked out here, from the true figures (None counts as nothing), and shown
    only for the margins asked for; the grand total only when both are. Every figure from
    1 to ``threshold - 1`` is withheld, then every line's secondary suppression is added
    (see the module's docstring) until no line needs more. ``columns`` gives the width of
    a table with no rows (its column totals are then None).
    """
    if threshold < 2:
        raise ValueError("A disclosure threshold below 2 protects nothing.")
    rows, width = _shape(values, columns)
    grid = _Grid(values={}, threshold=threshold)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value < 0:
                raise ValueError("Counts cannot be negative.")
            grid.values[("cell", r, c)] = value
    lines = []
    if row_totals:
        for r, row in enumerate(rows):
            grid.values[("row", r)] = _total(row)
            lines.append(_Line([("cell", r, c) for c in range(width)], ("row", r)))
    if column_totals:
        for c in range(width):
            grid.values[("column", c)] = _total(row[c] for row in rows)
            lines.append(_Line([("cell", r, c) for r in range(len(rows))], ("column", c)))
    if row_totals and column_totals:
        grid.values[("grand",)] = _total(v for row in rows for v in row)
        lines.append(_Line([("column", c) for c in range(width)], ("grand",)))
        lines.append(_Line([("row", r) for r in range(len(rows))], ("grand",)))

    for key, value in grid.values.items():
        if key[0] == "cell" and value is not None and 1 <= value < threshold:
            grid.hidden[key] = PRIMARY

    changed = True
    while changed:
        changed = False
        for line in lines:
            entries = [*line.members, line.total]
            hidden = [k for k in entries if grid.values[k] is not None and k in grid.hidden]
            if (len(hidden) == 1 or grid.pinned(line)) and grid.hide_another(line):
                changed = True

    def published(key):
        value = grid.values[key]
        return Withheld(grid.hidden[key], threshold) if key in grid.hidden else value

    return ProtectedTable(
        cells=[[published(("cell", r, c)) for c in range(width)] for r in range(len(rows))],
        row_totals=[published(("row", r)) for r in range(len(rows))] if row_totals else None,
        column_totals=[published(("column", c)) for c in range(width)] if column_totals else None,
        grand_total=published(("grand",)) if row_totals and column_totals else None,
        withheld=len(grid.hidden),
    )


def unprotected(values, *, row_totals=True, column_totals=True, columns=None):
    """The same table with every figure shown (for the secretariat), totals worked out the same way."""
    rows, width = _shape(values, columns)
    return ProtectedTable(
        cells=rows,
        row_totals=[_total(row) for row in rows] if row_totals else None,
        column_totals=[_total(row[c] for row in rows) for c in range(width)] if column_totals else None,
        grand_total=_total(v for row in rows for v in row) if row_totals and column_totals else None,
    )
