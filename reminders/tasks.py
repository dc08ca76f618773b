"""Celery tasks: send one claimed reminder digest (any kind), exactly once; and what every chasing task shares."""

import logging
import smtplib
from datetime import date

from celery import shared_task
from django.utils import timezone

from reminders import services

logger = logging.getLogger(__name__)

# Retried: the mail server refused or dropped us. Anything else fails the task at once
# (the rows stay "failed", visible on /actions/reminders/, and the next daily run tries again).
RETRY_ON = (smtplib.SMTPException, ConnectionError)

# The options of every daily chasing task (actions.chase_overdue_actions, recommendations.remind_review_dates,
# reviews.chase_late_returns): acknowledged only when done, retried on SMTP and connection errors only.
CHASE_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRY_ON,
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(
    name="reminders.send_reminder_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_reminder_digest(digest_id):
    """Send the digest ``digest_id`` (a UUID string) if it still has unsent lines; return how many went.

    Takes only the id and is idempotent (reminders.services.send_digest), so running
    it twice, or again after a worker died mid-send, never sends the lines twice.
    """
    return services.send_digest(digest_id)


def run_chase(task, chase, on, what):
    """The body of a daily chasing task: claim the digests of ``chase(today)``, then queue one send per digest.

    ``on``: a YYYY-MM-DD date, default today. Safe to run any number of times, by
    any number of workers: the claim skips what is already claimed, and every digest
    of the interval that is still unsent (this run's, or one an earlier run claimed
    but never got out) is queued again; sending is idempotent. The sends go to the
    queue ``task`` came from. Returns a summary of the run (logged as ``what``).
    """
    today = date.fromisoformat(on) if on else timezone.localdate()
    result = chase(today)
    queue = (task.request.delivery_info or {}).get("routing_key")
    failed = 0
    for digest_id in result.to_send:
        try:
            send_reminder_digest.apply_async(args=[str(digest_id)], queue=queue)
        except Exception:
            if not task.app.conf.task_always_eager:
                raise  # the broker refused it: fail, so the run is retried or redone tomorrow
            # In-process (no broker), the send ran here and failed after its own retries; its
            # rows are marked failed. Carry on with everyone else's.
            failed += 1
            logger.exception("Reminder digest %s could not be sent", digest_id)
    summary = {
        "date": today.isoformat(),
        "digests_claimed": len(result.digests),
        "lines_claimed": result.lines(),
        "digests_queued": len(result.to_send),
        "failed": failed,
    }
    logger.info("%s: %s", what, summary)
    return summary
