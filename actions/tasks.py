"""Celery task: the daily chase of overdue actions (scheduled in config/celery.py)."""

from celery import shared_task

from actions import chasing
from reminders.tasks import CHASE_TASK_OPTIONS, run_chase


@shared_task(name="actions.chase_overdue_actions", **CHASE_TASK_OPTIONS)
def chase_overdue_actions(self, on=None):
    """Claim today's digests (``on``: a YYYY-MM-DD date, default today), then queue one send per digest.

    See reminders.tasks.run_chase: safe to run any number of times, by any number of workers.
    """
    return run_chase(self, chasing.chase_overdue_actions, on, "Chase of overdue actions")
