"""Templated e-mail, the one way the service writes a message (outbox kinds and reminder digests use it).

Each message has three templates beside each other: ``<name>_subject.txt`` (one
line; whitespace is collapsed), ``<name>.txt`` (the plain text) and
``<name>.html`` (the same, as HTML).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Errors of the mail server or the connection to it: worth trying again later. Anything else (a
# template that fails, a record gone) fails the send at once, recorded on its row.
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError)

# How the sweeps (outbox.sweep_unsent_emails, reminders.sweep_unsent_reminders, every 5 minutes) treat
# e-mails still unsent. A new one is its own task's to send: left alone for SWEEP_GRACE, so the
# sweep does not race it (harmless, only wasted work). A failed one is tried again after
# RETRY_FAILED_AFTER, up to SWEEP_MAX_ATTEMPTS attempts in all; after that it waits for the
# secretariat to send it again from the log.
SWEEP_GRACE = timedelta(minutes=2)
RETRY_FAILED_AFTER = timedelta(minutes=15)
SWEEP_MAX_ATTEMPTS = 10
SWEEP_BATCH = 500

# The options of every task that sends e-mails it is given by id (outbox.send_emails,
# reminders.send_reminder_digest): acknowledged only when done, so a task cut short by a dying
# worker is delivered again; mail server errors retried with backoff, at most 10 minutes apart
# (below the broker's visibility_timeout, so a waiting retry is not handed out twice).
SEND_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": MAIL_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def hand_to_worker(task, *args, what):
    """``task.apply_async(args)`` without ever raising; True if the broker took it.

    For sends whose rows are already in the database (the outbox, the reminder log): if
    the broker is down (or, with tasks in-process, the send itself failed), that is only
    logged, and the sweep sends them later. No retries: the request must not wait.
    """
    try:
        task.apply_async(args=list(args), retry=False, ignore_result=True)
    except Exception:
        logger.exception("%s not handed to a worker now; the sweep will send it", what)
        return False
    return True


def templated_email(templates, context, *, to, headers=None):
    """An EmailMultiAlternatives for ``to`` (a list of addresses) from the templates named ``templates``."""
    context = {"site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string(f"{templates}_subject.txt", context).split()),
        body=render_to_string(f"{templates}.txt", context),
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{templates}.html", context), "text/html")
    return message
