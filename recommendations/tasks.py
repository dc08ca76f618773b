"""Celery task: the daily reminder of passed review dates (scheduled in config/celery.py)."""

from celery import shared_task

from recommendations.services import review_dates
from reminders.tasks import CHASE_TASK_OPTIONS, run_chase


@shared_task(name="recommendations.remind_review_dates", **CHASE_TASK_OPTIONS)
def remind_review_dates(self, on=None):
    """Claim today's review date reminders (``on``: a YYYY-MM-DD date, default today), then queue their sends.

    Each recommendation's passed review date goes to its policy lead and to the
    secretariat once (recommendations.services.review_dates.remind_review_dates); see
    reminders.tasks.run_chase: safe to run any number of times, by any number of workers.
    """
    return run_chase(self, review_dates.remind_review_dates, on, "Review date reminders")
