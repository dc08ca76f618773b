"""Celery task: send one claimed reminder digest (any kind), exactly once."""

import smtplib

from celery import shared_task

from reminders import services

# Retried: the mail server refused or dropped us. Anything else fails the task at once
# (the rows stay "failed", visible on /actions/reminders/, and the next daily run tries again).
RETRY_ON = (smtplib.SMTPException, ConnectionError)


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
