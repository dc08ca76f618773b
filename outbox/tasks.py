"""Celery tasks of the outbox: send e-mails by id, and the sweep that sends whatever is still waiting."""

import logging

from celery import shared_task

from mappa.emails import SEND_TASK_OPTIONS, hand_to_worker
from outbox import sending

logger = logging.getLogger(__name__)


@shared_task(name="outbox.send_emails", ignore_result=True, **SEND_TASK_OPTIONS)
def send_emails(email_ids):
    """Send the e-mails ``email_ids`` that are still unsent (idempotent: a retry skips what went)."""
    return sending.send_batch(email_ids)


@shared_task(name="outbox.sweep_unsent_emails", ignore_result=True, acks_late=True)
def sweep_unsent_emails():
    """Send every e-mail still waiting or failed (outbox.sending.due_for_sweep), here and now.

    Run by the beat every few minutes (config/celery.py). It sends in this process
    rather than queueing more tasks, so it works the moment the broker is back.
    """
    ids = sending.due_for_sweep()
    sent = sending.send_batch(ids, raise_mail_errors=False)
    if ids:
        logger.info("Outbox sweep: %d of %d waiting e-mails sent", sent, len(ids))
    return sent


def dispatch(email_ids):
    """Ask a worker to send these e-mails now; never raises (mappa.emails.hand_to_worker)."""
    return hand_to_worker(send_emails, list(email_ids), what=f"E-mails {email_ids}")
