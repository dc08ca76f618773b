"""Celery tasks: send one claimed reminder digest (any kind), exactly once; and what every chasing task shares."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from mappa.emails import MAIL_ERRORS, SEND_TASK_OPTIONS, hand_to_worker
from reminders import services

logger = logging.getLogger(__name__)

# Retried: the mail server refused or dropped us. Anything else fails the task at once
# (the rows stay "failed", visible on /actions/reminders/, and the sweep tries again later).
RETRY_ON = MAIL_ERRORS

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


@shared_task(name="reminders.send_reminder_digest", **SEND_TASK_OPTIONS)
def send_reminder_digest(digest_id):
    """Send the digest ``digest_id`` (a UUID string) if it still has unsent lines; return how many went.

    Takes only the id and is idempotent (reminders.services.send_digest), so running
    it twice, or again after a worker died mid-send, never sends the lines twice.
    """
    return services.send_digest(digest_id)


@shared_task(name="reminders.sweep_unsent_reminders", ignore_result=True, acks_late=True)
def sweep_unsent_reminders():
    """Send, here and now, every digest of the interval still waiting or failed (services.due_for_sweep).

    Run by the beat every few minutes (config/celery.py): a digest whose send task was
    lost (the broker was down when the chase queued it, or the task died) goes out
    then, rather than with the next day's run. Idempotent, like every send.
    """
    sent = 0
    for digest_id in services.due_for_sweep():
        try:
            sent += bool(services.send_digest(digest_id))
        except Exception:
            logger.exception("Reminder digest %s: the sweep could not send it", digest_id)
    return sent


def send_soon(digest_id):
    """Ask a worker to send one digest now (the secretariat's "Send now"); never raises (hand_to_worker)."""
    return hand_to_worker(send_reminder_digest, str(digest_id), what=f"Reminder digest {digest_id}")


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
