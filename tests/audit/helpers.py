"""Reading the audit log in tests: the lines of a kind, newest first."""

from audit.models import AuditEvent

Kind = AuditEvent.Kind
ADDRESS = "192.0.2.44"
REQUEST_ID = "test-request-0001"


def lines(kind, **filters):
    return list(AuditEvent.objects.filter(kind=kind, **filters).order_by("pk"))


def only_line(kind, **filters):
    found = lines(kind, **filters)
    assert len(found) == 1, f"{len(found)} {kind} lines: {found}"
    return found[0]


def get(client, url, data=None):
    """A GET as a browser behind a proxy that sent its request id would send it."""
    return client.get(url, data or {}, REMOTE_ADDR=ADDRESS, HTTP_X_REQUEST_ID=REQUEST_ID)
