"""The one place accounts/ records sign-in events in the audit log (the `audit` app).

AUDIT WIRING: every sign-in event of accounts/ goes through ``record`` below, named by its
``audit.models.AuditEvent.Kind`` member (SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, MFA_SET_UP, MFA_RESET).
While the audit app is not installed the event is only logged, so accounts/ works without it.
"""

import logging

from django.apps import apps

logger = logging.getLogger("accounts.audit")


def record(kind, *, request=None, user=None, target=None, label=None, details=None):
    """Record ``kind`` (e.g. "SIGN_IN") through audit.services.record, or log it if there is no audit app."""
    if apps.is_installed("audit"):
        from audit.models import AuditEvent
        from audit.services import record as audit_record

        return audit_record(
            getattr(AuditEvent.Kind, kind), request=request, user=user, target=target, label=label, details=details
        )
    logger.info("%s user=%s target=%s %s", kind, getattr(user, "pk", None), getattr(target, "pk", None), details or "")
    return None
