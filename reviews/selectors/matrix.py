"""Many returns at once: the secretariat's completeness matrix (areas × periods, with reporting and
on-time rates), a chair's own returns, the approved returns inspectors and NSG members page
through, and the returns that are late.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from mappa.models import Area
from mappa.selectors import areas_for
from reviews.models import QuarterlyReturn, ReportingPeriod

Status = QuarterlyReturn.Status


@dataclass
class Cell:
    period: ReportingPeriod
    area: Area
    status: str = Status.NOT_STARTED
    first_submitted_at: object = None
    today: date = None
    href: str = ""  # the return's page, when the matrix page sets it

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def submitted(self):
        return self.first_submitted_at is not None

    @property
    def on_time(self):
        return self.submitted and timezone.localdate(self.first_submitted_at) <= self.period.due_on

    @property
    def submitted_late(self):
        return self.submitted and not self.on_time

    @property
    def late(self):
        """Not submitted, and past its due date."""
        return not self.submitted and (self.today or timezone.localdate()) > self.period.due_on

    @property
    def url_kwargs(self):
        return {"period": self.period.slug, "area": self.area.slug}


@dataclass
class PeriodRates:
    period: ReportingPeriod
    expected: int
    submitted: int
    on_time: int
    late: int

    @staticmethod
    def _percent(part, whole):
        return round(100 * part / whole) if whole else None

    @property
    def reporting_rate(self):
        """Returns submitted ÷ returns expected (DHIS2's reporting rate), as a whole percentage."""
        return self._percent(self.submitted, self.expected)

    @property
    def on_time_rate(self):
        """Returns submitted by the due date ÷ returns expected (DHIS2's reporting rate on time)."""
        return self._percent(self.on_time, self.expected)


@dataclass
class Matrix:
    periods: list
    rows: list  # (area, [Cell or None per period])
    rates: list  # PeriodRates per period
    today: date


def returns_by_key(areas=None, periods=None):
    """(area id, period id) → the return's status and first submission, of those areas and periods (one query)."""
    query = QuarterlyReturn.objects.all()
    if areas is not None:
        query = query.filter(area__in=areas)
    if periods is not None:
        query = query.filter(period__in=periods)
    return {
        (r["area_id"], r["period_id"]): r for r in query.values("area_id", "period_id", "status", "first_submitted_at")
    }


def cell_for(period, area, found, today):
    """The Cell of the area's return for the period (``found``: its row of returns_by_key, or None); None if not owed."""
    if not period.expects(area):
        return None
    if found is None:
        return Cell(period, area, today=today)
    return Cell(period, area, Status(found["status"]), found["first_submitted_at"], today=today)


def returns_matrix(today=None, *, periods=None, areas=None):
    """Areas × periods with each return's status, and per period the reporting and on-time rates.

    Every period and area by default; ``periods`` (in order) and ``areas`` narrow it (the
    dashboard's filters). Three queries whatever the number of areas and periods.
    """
    today = today or timezone.localdate()
    narrowed = {"areas": areas, "periods": periods}
    periods = list(ReportingPeriod.objects.order_by("year", "quarter") if periods is None else periods)
    areas = [
        a for a in (Area.objects.order_by("name") if areas is None else areas) if any(p.expects(a) for p in periods)
    ]
    found = returns_by_key(**narrowed)
    rows, rates = [], []
    for area in areas:
        rows.append((area, [cell_for(p, area, found.get((area.pk, p.pk)), today) for p in periods]))
    for column, period in enumerate(periods):
        cells = [cells[column] for _area, cells in rows if cells[column] is not None]
        rates.append(
            PeriodRates(
                period=period,
                expected=len(cells),
                submitted=sum(c.submitted for c in cells),
                on_time=sum(c.on_time for c in cells),
                late=sum(c.late for c in cells),
            )
        )
    return Matrix(periods=periods, rows=rows, rates=rates, today=today)


# The secretariat's matrix shows a year of quarters a page, the latest year first: all 40 quarters of 53
# areas in one table were 680 KiB of HTML and 0.4 s to draw.
QUARTERS_PER_PAGE = 4


def matrix_page(page_number=None, today=None):
    """(one page of the matrix, its page of periods): QUARTERS_PER_PAGE quarters, the latest on page 1, in
    order across the page, with their rates; every area owing a return for any of them. Three queries."""
    newest_first = list(ReportingPeriod.objects.order_by("-year", "-quarter"))
    page = Paginator(newest_first, QUARTERS_PER_PAGE).get_page(page_number)
    matrix = returns_matrix(today, periods=list(reversed(page.object_list)))
    # Each cell links to its return: reviews/urls.py's "<period>/<area>/" under the returns page, written out
    # rather than reversed per cell (a reverse() a cell was a fifth of the page's time).
    returns_url = reverse("reviews:returns")
    for area, cells in matrix.rows:
        for cell in cells:
            if cell is not None:
                cell.href = f"{returns_url}{cell.period.slug}/{area.slug}/"
    return matrix, page


@dataclass
class AreaReturns:
    area: Area
    cells: list  # newest first
    due_next: Cell | None


def area_returns(user, today=None):
    """For a SOG chair or coordinator: each of their areas' returns, newest first, and what is due next."""
    today = today or timezone.localdate()
    areas = list(areas_for(user).order_by("name"))
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    found = returns_by_key(areas=areas)
    result = []
    for area in areas:
        cells = [c for c in (cell_for(p, area, found.get((area.pk, p.pk)), today) for p in periods) if c is not None]
        outstanding = [
            c for c in cells if not c.submitted and c.status in QuarterlyReturn.EDITABLE and c.period.is_open(today)
        ]
        returned = [c for c in cells if c.status == Status.RETURNED]
        due_next = (returned or outstanding or [None])[0]
        result.append(AreaReturns(area=area, cells=list(reversed(cells)), due_next=due_next))
    return result


# Inspectors and NSG members page through approved returns: 53 areas a quarter add up quickly.
APPROVED_PER_PAGE = 50


def approved_returns():
    """What inspectors and NSG members may read: approved returns, newest period first (a queryset, to page)."""
    return (
        QuarterlyReturn.objects.filter(status=Status.APPROVED)
        .select_related("area", "period")
        .order_by("-period__year", "-period__quarter", "area__name", "pk")
    )


def late_returns(today=None):
    """Expected returns not submitted by their due date: (period, area, return or None). For chasing."""
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.filter(due_on__lt=today))
    areas = list(Area.objects.all())
    found = returns_by_key(periods=periods)
    late = []
    for period in periods:
        for area in areas:
            cell = cell_for(period, area, found.get((area.pk, period.pk)), today)
            if cell is not None and cell.late:
                late.append(cell)
    return late
