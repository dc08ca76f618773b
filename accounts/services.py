"""Asking for a password reset: the same work whoever asks, rate-limited per address and per client.

What the web request does is identical for a known address, an unknown one and
one over its limit: two counts, one row recorded here, one e-mail queued in the
outbox, one task handed to the broker after the commit. Whether there is an
account to send a link to is decided later, when the e-mail is written
(accounts.emails), so the time the page takes does not tell an attacker which
addresses have accounts. The limits are counted in the database, which every
web process shares (a per-process cache would let each process allow its own
quota), over the last hour.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import emails
from accounts.models import PasswordResetRequest

WINDOW = timedelta(hours=1)


@transaction.atomic
def request_password_reset(*, address, client):
    """Record the request and queue its e-mail (sent only if allowed and an account has the address)."""
    address = address.strip().lower()
    since = timezone.now() - WINDOW
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since, outcome=PasswordResetRequest.Outcome.ACCEPTED)
    # Both counts always run, whatever the first says: the same work every time.
    for_address = recent.filter(address=address).count()
    from_client = recent.filter(client=client).count() if client else 0
    if for_address >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        outcome = PasswordResetRequest.Outcome.TOO_MANY_FOR_ADDRESS
    elif from_client >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT:
        outcome = PasswordResetRequest.Outcome.TOO_MANY_FROM_CLIENT
    else:
        outcome = PasswordResetRequest.Outcome.ACCEPTED
    reset = PasswordResetRequest.objects.create(address=address, client=client or None, outcome=outcome)
    emails.queue_password_reset(reset)
    return reset
