"""Sending e-mails from the outbox, each exactly once (see outbox.models for the design).

Everything here takes primary keys, so Celery tasks and the sweep call it with ids.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mappa.emails import MAIL_ERRORS, RETRY_FAILED_AFTER, SWEEP_BATCH, SWEEP_GRACE, SWEEP_MAX_ATTEMPTS
from outbox import registry
from outbox.models import Email

logger = logging.getLogger(__name__)


def message_id(email):
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<email-{email.message_id}@{domain}>"


def deliver(message):
    """Hand one message to the configured e-mail backend (tests replace this to fail on purpose)."""
    message.send()


def send_email(email_id, cache=None):
    """Send one e-mail if it is still unsent and mark it sent, in one transaction; True if it went.

    The transaction starts by updating the row while it is unsent, so a second
    attempt at the same e-mail waits for this one and then finds it sent. An error
    marks the row failed with it and is raised again.
    """
    cache = {} if cache is None else cache
    try:
        with transaction.atomic():
            unsent = Email.objects.filter(pk=email_id, state__in=Email.UNSENT)
            if not unsent.update(last_attempt_at=timezone.now(), attempts=F("attempts") + 1):
                return False  # sent already
            email = Email.objects.select_related("recipient").get(pk=email_id)
            try:
                message = registry.kind(email.kind).build(email, cache)
            except registry.NotSent as reason:
                unsent.update(state=Email.State.NOT_SENT, error=str(reason))
                logger.info("E-mail %s (%s) not sent: %s", email_id, email.kind, reason)
                return False
            message.extra_headers["Message-ID"] = message_id(email)
            deliver(message)
            unsent.update(state=Email.State.SENT, sent_at=timezone.now(), error="", subject_line=message.subject[:300])
    except Exception as exc:
        record_failure(email_id, exc)
        raise
    logger.info("E-mail %s (%s) sent to %s", email_id, email.kind, email.to)
    return True


def record_failure(email_id, exc):
    """Mark the e-mail failed with the error, and count the attempt (the send's own count was rolled back)."""
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    Email.objects.filter(pk=email_id, state__in=Email.UNSENT).update(
        state=Email.State.FAILED, error=error, last_attempt_at=timezone.now(), attempts=F("attempts") + 1
    )
    logger.warning("E-mail %s failed: %s", email_id, error)


def send_batch(email_ids, *, raise_mail_errors=True):
    """Send each of the e-mails still unsent; return how many went.

    One failure does not stop the others. With ``raise_mail_errors``, the first
    error of the mail server is raised at the end, so the task retries the batch
    (what was sent is skipped). Any other error stays on its row, for the sweep.
    """
    cache, sent, mail_error = {}, 0, None
    for email_id in email_ids:
        try:
            sent += send_email(email_id, cache)
        except MAIL_ERRORS as exc:
            mail_error = mail_error or exc
        except Exception:
            logger.exception("E-mail %s could not be written or sent", email_id)
    if mail_error and raise_mail_errors:
        raise mail_error
    return sent


def due_for_sweep(now=None):
    """Ids of the e-mails the sweep should send now, oldest first.

    Waiting ones older than the grace period (their send was never queued, or its
    task was lost), and failed ones last tried long enough ago that have not used up
    their attempts.
    """
    now = now or timezone.now()
    due = Q(state=Email.State.QUEUED, queued_at__lt=now - SWEEP_GRACE) | Q(
        state=Email.State.FAILED, attempts__lt=SWEEP_MAX_ATTEMPTS, last_attempt_at__lt=now - RETRY_FAILED_AFTER
    )
    return list(Email.objects.filter(due).order_by("queued_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH])
