"""Every request gets an id: on the request (``request.id``), in the ``X-Request-ID`` response header, in
every log line written while it is handled, and in the audit log's lines (audit.services.record).

A proxy or load balancer in front may send its own ``X-Request-ID``; it is kept when it looks like an id
(letters, digits, ``-``, ``_``, ``.``, up to 64 characters), so one id follows a request through the
proxy's logs and ours. Anything else is ignored and a new id (a UUID) is made: a header is the caller's
text, and must not write arbitrary text into the logs.

``current_request()`` is the request being handled on this thread or task, or None (a management
command, a Celery task): for code that records who did something but is reached through a signal.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current = contextvars.ContextVar("mappa_current_request", default=None)


def current_request():
    return _current.get()


def request_id_of(request):
    return getattr(request, "id", "") if request is not None else ""


class RequestIdMiddleware:
    """Set ``request.id`` (the caller's well-formed X-Request-ID, or a new UUID) and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.id = given if WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record ("-" outside a request), for the log format."""

    def filter(self, record):
        record.request_id = request_id_of(_current.get()) or "-"
        return True
