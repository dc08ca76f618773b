"""Helpers for the dashboard's tests: returns in a given state, written straight to the database (fast)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from reviews.models import QuarterlyReturn
from tests.factories import UserFactory
from tests.reviews.factories import QuarterlyReturnFactory

Status = QuarterlyReturn.Status


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def a_return(
    area, period, status=Status.APPROVED, *, late=False, initial=0, full=0, scrs=0, accepted=0, declined=0, by=None
):
    """An area's return for a period: submitted 5 days before it was due (or 5 days after, if ``late``)."""
    by = by or UserFactory(username="t-dashboard-secretariat")
    submitted = _at(period.due_on + timedelta(days=5 if late else -5))
    values = {}
    if status != Status.NOT_STARTED:
        values.update(
            initial_icrs_processed=initial,
            progressed_to_full_icr=full,
            scrs_commissioned=scrs,
            scrs_completed=0,
            icrs_from_proactive_policing=0,
            category3_received=accepted + declined,
            category3_accepted=accepted,
            category3_declined=declined,
        )
    if status in (Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED, Status.APPROVED):
        values.update(submitted_at=submitted, first_submitted_at=submitted, submitted_by=by)
    if status == Status.APPROVED:
        values.update(approved_at=submitted + timedelta(days=3), approved_by=by)
    return QuarterlyReturnFactory(area=area, period=period, status=status, **values)


def prepared_report(client, query=""):
    """The signed-in user asks for the progress report to be prepared (the task runs once the step commits, as
    without a broker) and downloads it: (the download's response, the PDF's bytes)."""
    from django.test import TestCase

    suffix = f"?{query}" if query else ""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(f"/dashboard/report/{suffix}")
    assert asked.status_code == 302, asked
    response = client.get(f"/dashboard/report.pdf{suffix}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content
