"""Reporting periods: the secretariat's list, and the quarter a new period most likely is."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from mappa.models import Area
from reviews.models import QuarterlyReturn, ReportingPeriod

Status = QuarterlyReturn.Status


@dataclass
class PeriodRow:
    period: ReportingPeriod
    expected: int
    approved: int


def period_list():
    """Every reporting period, newest first, with how many returns it expects and how many are approved."""
    periods = list(
        ReportingPeriod.objects.annotate(
            approved_count=Count("returns", filter=Q(returns__status=Status.APPROVED))
        ).order_by("-year", "-quarter")
    )
    areas = list(Area.objects.all())
    return [PeriodRow(period=p, expected=sum(p.expects(a) for a in areas), approved=p.approved_count) for p in periods]


def next_period_to_add():
    """(year, quarter) of the quarter after the latest period: what a new period most likely is."""
    latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
    if latest is None:
        today = timezone.localdate()
        start_year = today.year if today.month >= 4 else today.year - 1
        return start_year, (today.month - 4) % 12 // 3 + 1
    return (latest.year, latest.quarter + 1) if latest.quarter < 4 else (latest.year + 1, 1)
