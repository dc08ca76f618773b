"""Writing to the audit log: ``record(...)`` is the one way in, for every app.

    from audit.models import AuditEvent
    from audit.services import record

    record(AuditEvent.Kind.MFA_SET_UP, request=request)
    record(AuditEvent.Kind.ERASURE, request=request, target=person, details={"fields": ["name", "email"]})

Who, from where and the request id come from ``request`` (or, when none is given, the request being
handled, mappa.request_id.current_request: changes reached through signals); ``user`` names someone
else, or someone when there is no request. The client address is read as the sign-in lock-out reads
it (django-axes, PROXY_COUNT): by default the connecting address (REMOTE_ADDR), never a forwarded
header. The record (``target``) is kept by content type and id, with its label at the time.
"""

import logging

from axes.helpers import get_client_ip_address
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from audit.models import AuditEvent
from mappa.request_id import current_request, request_id_of

logger = logging.getLogger(__name__)

LABEL_LENGTH = AuditEvent._meta.get_field("label").max_length


def client_address(request):
    """The client's address as the sign-in lock-out reads it, or None if it is not an address."""
    if request is None:
        return None
    address = get_client_ip_address(request)
    try:
        validate_ipv46_address(address or "")
    except ValidationError:
        return None
    return address


def _latest_version(target):
    """The id of ``target``'s latest django-simple-history version, if its model keeps history."""
    history = getattr(type(target), "history", None)
    if history is None or target.pk is None or not hasattr(history, "model"):
        return None
    return (
        history.model.objects.filter(id=target.pk).order_by("-history_id").values_list("history_id", flat=True).first()
    )


def _storable(value):
    """``value`` with every NUL character taken out of its strings and keys: a filter sent with
    one (``?sort=%00``) is still a line, and PostgreSQL's JSON cannot hold the character."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    return value


def record(kind, *, request=None, user=None, username=None, target=None, label=None, format=None, details=None):
    """Append one line to the audit log, and return it.

    ``username``: the name as typed, where it is not the user's (a failed sign-in).
    """
    kind = AuditEvent.Kind(kind)
    if request is None:
        request = current_request()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    event = AuditEvent(
        kind=kind,
        user=user if user is not None and user.pk is not None else None,
        username=_storable(username if username is not None else user.get_username() if user is not None else "")[:150],
        ip_address=client_address(request),
        request_id=request_id_of(request),
        format=(format or "")[:16],
        details=_storable(details or {}),
    )
    if target is not None and target.pk is not None:
        event.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.object_id = str(target.pk)
        event.history_id = _latest_version(target)
    if label is None and target is not None:
        label = str(target)
    event.label = _storable(label or "")[:LABEL_LENGTH]
    # Inside a step's transaction the line commits (or not) with the step: a line about a change is
    # kept exactly when the change is.
    event.save()
    logger.debug(
        "audit %s user=%s record=%s format=%s",
        kind.value,
        event.username or "-",
        event.label or "-",
        event.format or "-",
    )
    return event
