"""Celery tasks for returns: chasing late returns (the e-mail of a return sent back is in reviews/emails.py)."""

import logging

from celery import shared_task

from reminders.tasks import CHASE_TASK_OPTIONS, run_chase
from reviews import chasing

logger = logging.getLogger(__name__)


@shared_task(name="reviews.chase_late_returns", **CHASE_TASK_OPTIONS)
def chase_late_returns(self, on=None):
    """Claim today's return reminders (``on``: a YYYY-MM-DD date, default today), then queue their sends.

    Chairs and coordinators 7 days before the due date, on it and weekly after it;
    the secretariat's weekly list of late returns (reviews.chasing). See
    reminders.tasks.run_chase: safe to run any number of times, by any number of workers.
    """
    return run_chase(self, chasing.chase_late_returns, on, "Return reminders")
