"""The dashboard's third section: quarterly returns, reporting rates, case reviews and Category 3 referrals.

Figures come from approved returns only, for everyone; the completeness matrix shows the
secretariat each return's status, and everyone else whether it is approved, awaiting
approval or not submitted; a return is linked only for those who may open it. Case review
and Category 3 counts by area and quarter go through disclosure control
(dashboard.disclosure) for everyone but the secretariat.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from dashboard import charts
from dashboard.disclosure import protect, unprotected
from dashboard.selectors.layout import Figure, Headline, Section
from dashboard.tables import Link, Table, numbers, withheld_note
from mappa.selectors import areas_for
from reviews.models import QuarterlyReturn
from reviews.selectors.matrix import returns_matrix
from reviews.selectors.visibility import acts_for_areas, is_secretariat

ReturnStatus = QuarterlyReturn.Status

CASE_REVIEW_MEASURES = [
    ("initial_icrs_processed", "Initial ICRs"),
    ("progressed_to_full_icr", "Full ICRs"),
    ("scrs_commissioned", "SCRs"),
]
CATEGORY3_MEASURES = [("category3_accepted", "Accepted"), ("category3_declined", "Declined")]


def _matrix_cell(cell, *, full, linked):
    """A completeness matrix cell as this reader may see it."""
    if cell is None:
        return "Not expected"
    if full:
        text = cell.status_label
    elif cell.status == ReturnStatus.APPROVED:
        text = "Approved"
    else:
        text = "Awaiting approval" if cell.submitted else "Not submitted"
    if cell.late:
        text += " (late)"
    elif cell.submitted_late:
        text += " (submitted late)"
    if linked(cell):
        return Link(text, reverse("reviews:return-detail", kwargs=cell.url_kwargs))
    return text


def _linker(user):
    """Which matrix cells link to their return: those this user may open (reviews.selectors.returns.find_return)."""
    if is_secretariat(user):
        return lambda cell: True
    if acts_for_areas(user):
        own = set(areas_for(user).values_list("pk", flat=True))
        return lambda cell: cell.area.pk in own
    return lambda cell: cell.status == ReturnStatus.APPROVED


@dataclass
class CountsByArea:
    """One measure's counts, area by area and quarter by quarter, as published (after disclosure control)."""

    areas: list  # (area id, name)
    table: object  # disclosure.ProtectedTable: rows = areas, columns = periods, with national totals


@dataclass
class ApprovedFigures:
    periods: list
    approved: dict = field(default_factory=dict)  # period id -> number of approved returns
    measures: dict = field(default_factory=dict)  # field name -> CountsByArea


def approved_figures(periods, measures, *, small, threshold):
    """Each measure by area and quarter from approved returns (one query), protected unless ``small``.

    Every area with an approved return in any of the periods is a row, whatever area the
    reader filters to: each quarter is protected as a whole, the same way in every view.
    """
    names = [name for name, _label in measures]
    found = list(
        QuarterlyReturn.objects.filter(status=ReturnStatus.APPROVED, period__in=periods)
        .values("area_id", "area__name", "period_id", *names)
        .order_by("area__name", "area_id")
    )
    areas = list(dict.fromkeys((row["area_id"], row["area__name"]) for row in found))
    row_of = {area_id: index for index, (area_id, _name) in enumerate(areas)}
    column_of = {period.pk: index for index, period in enumerate(periods)}
    result = ApprovedFigures(periods=periods)
    for row in found:
        result.approved[row["period_id"]] = result.approved.get(row["period_id"], 0) + 1
    for name in names:
        grid = [[None] * len(periods) for _ in areas]
        for row in found:
            grid[row_of[row["area_id"]]][column_of[row["period_id"]]] = row[name] or 0
        table = (
            unprotected(grid, row_totals=False, columns=len(periods))
            if small
            else protect(grid, threshold=threshold, row_totals=False, columns=len(periods))
        )
        result.measures[name] = CountsByArea(areas=areas, table=table)
    return result


def _national_table(slug, title, sheet, figures, measures, *, notes):
    periods = figures.periods
    rows = [
        [
            period.label,
            *(figures.measures[name].table.column_totals[i] for name, _label in measures),
            figures.approved.get(period.pk, 0),
        ]
        for i, period in enumerate(periods)
    ]
    columns = ["Quarter", *(label for _name, label in measures), "Approved returns"]
    return Table(
        slug=slug,
        title=title,
        sheet=sheet,
        columns=columns,
        rows=rows,
        numeric=tuple(range(1, len(columns))),
        notes=notes,
        empty="No quarters in this range.",
    )


def _by_area_table(slug, title, sheet, figures, measures, *, area, notes):
    rows = []
    first = figures.measures[measures[0][0]]
    for r, (area_id, name) in enumerate(first.areas):
        if area and area.pk != area_id:
            continue
        for c, period in enumerate(figures.periods):
            if first.table.cells[r][c] is None:
                continue  # no approved return for the quarter
            rows.append([name, period.label, *(figures.measures[m].table.cells[r][c] for m, _label in measures)])
    return Table(
        slug=slug,
        title=title,
        sheet=sheet,
        columns=["Area", "Quarter", *(label for _n, label in measures)],
        rows=rows,
        numeric=tuple(range(2, 2 + len(measures))),
        notes=notes,
        empty="No approved returns for these filters.",
    )


def _headlines(matrix, rates_table):
    """The latest quarter's returns: how many are in, and how many came on time."""
    latest = next((rate for rate in reversed(matrix.rates) if rate.expected), None)
    if latest is None:
        return []
    return [
        Headline(latest.submitted, f"of {latest.expected} returns in for {latest.period.label}", rates_table.slug),
        Headline(f"{latest.on_time_rate}%", f"of {latest.period.label}'s returns on time", rates_table.slug),
    ]


def returns_section(user, scope, small, threshold):
    """Which returns are in, reporting rates, and the approved case review and Category 3 figures."""
    periods = scope.periods
    matrix = returns_matrix(scope.today, periods=periods, areas=[scope.area] if scope.area else None)
    full = is_secretariat(user)
    linked = _linker(user)
    completeness = Table(
        slug="returns-completeness",
        title="Returns by area and quarter",
        sheet="Returns by area and quarter",
        columns=["Area", *(period.label for period in matrix.periods)],
        rows=[
            [area.name, *(_matrix_cell(cell, full=full, linked=linked) for cell in cells)]
            for area, cells in matrix.rows
        ],
        notes=["Late: not submitted by the due date. Submitted late: first submitted after it."]
        + ([] if full else ["Returns awaiting approval cannot be read until the secretariat approves them."]),
        empty="No area owes a return in this range.",
    )
    rates = Table(
        slug="reporting-rates",
        title="Reporting and on-time rates by quarter",
        sheet="Reporting rates",
        columns=[
            "Quarter",
            "Returns expected",
            "Submitted",
            "Submitted on time",
            "Late (not submitted)",
            "Reporting rate (%)",
            "On-time rate (%)",
        ],
        rows=[
            [
                rate.period.label,
                rate.expected,
                rate.submitted,
                rate.on_time,
                rate.late,
                rate.reporting_rate,
                rate.on_time_rate,
            ]
            for rate in matrix.rates
        ],
        numeric=(1, 2, 3, 4, 5, 6),
        notes=[
            "Reporting rate: returns submitted ÷ returns expected. On-time rate: returns first submitted by the "
            "due date ÷ returns expected."
        ],
        empty="No quarters in this range.",
    )
    rates_chart = (
        charts.bar_chart(
            rates.title,
            labels=[row[0] for row in rates.rows],
            percent=True,
            y_title="Per cent of returns expected",
            series=[
                ("Reporting rate", numbers(row[5] for row in rates.rows)),
                ("On-time rate", numbers(row[6] for row in rates.rows)),
            ],
        )
        if rates.rows
        else None
    )

    protected = [] if small else [withheld_note(threshold)]
    approved_only = "From approved returns only."
    reviews = approved_figures(periods, CASE_REVIEW_MEASURES, small=small, threshold=threshold)
    national = _national_table(
        "case-reviews",
        "Case reviews in Scotland by quarter",
        "Case reviews",
        reviews,
        CASE_REVIEW_MEASURES,
        notes=[approved_only, *protected],
    )
    by_area = _by_area_table(
        "case-reviews-by-area",
        "Case reviews by area and quarter",
        "Case reviews by area",
        reviews,
        CASE_REVIEW_MEASURES,
        area=scope.area,
        notes=[approved_only, *protected],
    )
    category3 = approved_figures(periods, CATEGORY3_MEASURES, small=small, threshold=threshold)
    national3 = _national_table(
        "category-3-referrals",
        "Category 3 referrals in Scotland by quarter",
        "Category 3 referrals",
        category3,
        CATEGORY3_MEASURES,
        notes=[approved_only, *protected],
    )
    by_area3 = _by_area_table(
        "category-3-referrals-by-area",
        "Category 3 referrals by area and quarter",
        "Category 3 referrals by area",
        category3,
        CATEGORY3_MEASURES,
        area=scope.area,
        notes=[approved_only, *protected],
    )

    def measures_chart(table, measures):
        if not table.rows:
            return None
        return charts.bar_chart(
            table.title,
            labels=[row[0] for row in table.rows],
            y_title="Number",
            series=[(label, numbers(row[i + 1] for row in table.rows)) for i, (_name, label) in enumerate(measures)],
        )

    return Section(
        slug="returns",
        title="Quarterly returns",
        lead=[
            "Which areas have sent their quarterly returns, and the case review and Category 3 figures of the "
            "returns the secretariat has approved. The area filter narrows the returns and the figures by area; "
            "the figures for Scotland stay national. The group filter does not apply to this section."
        ],
        headlines=_headlines(matrix, rates),
        figures=[
            Figure(completeness, folded=True),
            Figure(rates, rates_chart),
            Figure(national, measures_chart(national, CASE_REVIEW_MEASURES)),
            Figure(by_area, folded=True),
            Figure(national3, measures_chart(national3, CATEGORY3_MEASURES)),
            Figure(by_area3, folded=True),
        ],
    )
