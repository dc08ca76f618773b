"""Celery task: the daily chase of overdue actions (scheduled in mappa/celery.py)."""

import logging
import smtplib
from datetime import date

from celery import shared_task
from django.utils import timezone

from actions import services
from reminders.tasks import send_reminder_digest

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="actions.chase_overdue_actions",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def chase_overdue_actions(self, on=None):
    """Claim today's digests (``on``: a YYYY-MM-DD date, default today), then queue one send per digest.

    Safe to run any number of times, by any number of workers: the claim skips what
    is already claimed, and every digest of the interval that is still unsent
    (this run's, or one an earlier run claimed but never got out) is queued again;
    sending is idempotent. The sends go to the queue this task came from.
    """
    today = date.fromisoformat(on) if on else timezone.localdate()
    result = services.chase_overdue_actions(today)
    queue = (self.request.delivery_info or {}).get("routing_key")
    failed = 0
    for digest_id in result.to_send:
        try:
            send_reminder_digest.apply_async(args=[str(digest_id)], queue=queue)
        except Exception:
            if not self.app.conf.task_always_eager:
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
    logger.info("Chase of overdue actions: %s", summary)
    return summary
