"""Queueing e-mails with the step that causes them, and the secretariat's "Send again" (see outbox.models)."""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mappa import access
from outbox import registry, tasks
from outbox.models import Email

logger = logging.getLogger(__name__)


def queue(*, kind, key, subject_id, recipients):
    """Record one e-mail of ``kind`` to each of ``recipients`` ((Person or None, address) pairs); return their ids.

    Call it inside the transaction of the step that causes the e-mails: they exist
    exactly when the step does, and are sent once it commits. ``key`` names the
    step; queueing the same step again adds nothing.
    """
    registry.kind(kind)  # an unknown kind fails here, in the step, not later in a worker
    rows, seen = [], set()
    for person, address in recipients:
        address = (address or "").strip()
        if not address:
            logger.warning("No address to e-mail %s (%s) to %s", kind, key, person)
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        rows.append(
            Email(
                kind=kind, key=f"{key}:to:{address.lower()}"[:200], subject_id=subject_id, recipient=person, to=address
            )
        )
    Email.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Email.objects.filter(key__in=[row.key for row in rows], state__in=Email.UNSENT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    send_after_commit(ids)
    return ids


def send_after_commit(email_ids):
    if email_ids:
        transaction.on_commit(partial(tasks.dispatch, list(email_ids)))


@transaction.atomic
def send_again(email, *, by):
    """The secretariat sends an e-mail again: a waiting or failed one now; a sent one as a new copy.

    A copy goes to the person's address as it is today. Returns the e-mail that will go.
    """
    if not access.has_role(by, *access.SECRETARIAT):
        raise PermissionDenied("Only the secretariat sends e-mails again.")
    email = Email.objects.select_for_update(of=("self",)).select_related("recipient").get(pk=email.pk)
    if email.state == Email.State.NOT_SENT:
        return email  # there was nothing to send, and still is not
    if email.state in Email.UNSENT:
        email.state = Email.State.QUEUED
        email.save(update_fields=["state"])
        send_after_commit([email.pk])
        return email
    copies = email.copies.count()
    address = email.recipient.email if email.recipient and email.recipient.email else email.to
    copy = Email.objects.create(
        kind=email.kind,
        key=f"{email.key}:copy-{copies + 1}"[:200],
        subject_id=email.subject_id,
        recipient=email.recipient,
        to=address,
        copy_of=email,
        requested_by=by,
    )
    send_after_commit([copy.pk])
    return copy
