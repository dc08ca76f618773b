"""Reporting periods: the secretariat adds a quarter and may move its due date."""

from django.db import transaction

from mappa.refusals import require_secretariat
from reviews.models import ReportingPeriod
from reviews.services.returns import ReturnRefused


def _check_due_date(period, due_on):
    if due_on is not None and due_on < period.ends_on:
        raise ReturnRefused(
            {"due_on": f"The due date must be on or after the last day of the quarter, {period.ends_on:%-d %B %Y}"}
        )


@transaction.atomic
def create_period(*, by, year, quarter, due_on=None):
    """Add a reporting period. Its dates follow from the year and quarter; the due date may be given.

    Without a due date it is one month after the quarter ends; returns can be
    started from the quarter's first day.
    """
    require_secretariat(by)
    period = ReportingPeriod(year=year, quarter=quarter, due_on=due_on)
    if ReportingPeriod.objects.filter(year=year, quarter=quarter).exists():
        raise ReturnRefused({"quarter": f"{period.label} already exists: change its due date instead"})
    period.fill_dates()
    _check_due_date(period, due_on)
    period.save()
    return period


@transaction.atomic
def change_due_date(period, *, by, due_on):
    """Move a period's due date (an extension, say). Whether a return was on time follows the new date."""
    require_secretariat(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if due_on is None:
        raise ReturnRefused({"due_on": "Enter the due date"})
    _check_due_date(period, due_on)
    if due_on < period.opens_on:
        raise ReturnRefused(
            {"due_on": f"The due date must be on or after the day returns open, {period.opens_on:%-d %B %Y}"}
        )
    period.due_on = due_on
    period.save(update_fields=["due_on"])
    return period
