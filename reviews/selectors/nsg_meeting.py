"""For the NSG meeting: each area's approved update, and the national table of case review figures.

Only approved returns count: a return still being prepared or checked is not the area's word yet.
"""

from dataclasses import dataclass

from django.utils import timezone

from mappa.models import Area
from meetings.models import AgendaItem, Meeting
from reviews.models import FIGURES, QuarterlyReturn, ReportingPeriod

Status = QuarterlyReturn.Status


def periods_with_approved_returns():
    """Reporting periods with at least one approved return, newest first."""
    return list(
        ReportingPeriod.objects.filter(returns__status=Status.APPROVED).distinct().order_by("-year", "-quarter")
    )


def period_for_meeting(meeting_date, periods=None):
    """The quarter a meeting hears about: the latest with approved returns that ended before the meeting.

    ``periods`` (newest first) saves the query when the caller already has them.
    None if no quarter qualifies.
    """
    if periods is None:
        periods = periods_with_approved_returns()
    return next((period for period in periods if period.ends_on < meeting_date), None)


@dataclass
class AreaReturn:
    """An area that owes a return for the period, and its approved return (None: not approved, or none)."""

    area: Area
    ret: QuarterlyReturn | None


def approved_by_area(period):
    """Every area expected to return for ``period``, by name, each with its approved return or None (two queries).

    An area with an approved return is listed even if it no longer owes one (its
    dates were changed after it returned).
    """
    approved = {ret.area_id: ret for ret in QuarterlyReturn.objects.filter(period=period, status=Status.APPROVED)}
    areas = [area for area in Area.objects.order_by("name") if period.expects(area) or area.pk in approved]
    for ret in approved.values():
        ret.period = period
    return [AreaReturn(area=area, ret=approved.get(area.pk)) for area in areas]


@dataclass
class TableRow:
    area: Area
    ret: QuarterlyReturn | None
    values: list  # one number per FIGURES, or empty when there is no approved return


@dataclass
class CaseReviewTable:
    """A period's case review and Category 3 figures, area by area, with national totals of approved returns."""

    period: ReportingPeriod
    figures: list  # (field name, label) in FIGURES order
    rows: list
    totals: list

    @property
    def expected(self):
        return len(self.rows)

    @property
    def approved(self):
        return sum(row.ret is not None for row in self.rows)

    @property
    def missing(self):
        """The areas whose figures are not in the totals."""
        return [row.area for row in self.rows if row.ret is None]


# Column headings of the table: the case review figures, then the Category 3 referrals.
TABLE_LABELS = {
    "initial_icrs_processed": "Initial ICRs processed",
    "progressed_to_full_icr": "Progressed to full ICR",
    "scrs_commissioned": "SCRs commissioned",
    "scrs_completed": "SCRs completed",
    "icrs_from_proactive_policing": "ICRs from proactive policing",
    "category3_received": "Received",
    "category3_accepted": "Accepted",
    "category3_declined": "Declined",
}


def case_review_table(period):
    """The national table of ``period``'s figures: one row per area owing a return, totals of approved returns only."""
    rows = []
    for entry in approved_by_area(period):
        values = [getattr(entry.ret, name) or 0 for name in FIGURES] if entry.ret else []
        rows.append(TableRow(area=entry.area, ret=entry.ret, values=values))
    totals = [sum(row.values[column] for row in rows if row.values) for column in range(len(FIGURES))]
    return CaseReviewTable(
        period=period, figures=[(name, TABLE_LABELS[name]) for name in FIGURES], rows=rows, totals=totals
    )


def meetings_for_papers(today=None):
    """Meetings a generated paper can go to: minutes not yet agreed, with a SOG chairs' updates item.

    Upcoming meetings first (soonest first), then those already held (latest first).
    """
    today = today or timezone.localdate()
    open_statuses = Meeting.statuses_before(Meeting.Status.MINUTES_AGREED)
    meetings = list(
        Meeting.objects.filter(
            status__in=open_statuses,
            agenda_items__kind=AgendaItem.Kind.SOG_UPDATES,
            agenda_items__parent=None,
        )
        .select_related("body")
        .distinct()
    )
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: (m.date, m.start_time))
    held = sorted((m for m in meetings if m.date < today), key=lambda m: (m.date, m.start_time), reverse=True)
    return upcoming + held
