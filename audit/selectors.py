"""Reads for the audit log page and its CSV."""

from mappa.pagination import page_of

PAGE_SIZE = 50

CSV_HEADINGS = [
    "When",
    "Username",
    "What",
    "Record",
    "Record type",
    "Record id",
    "Version",
    "Format",
    "Details",
    "Client address",
    "Request id",
]


def audit_log(filterset, page_number):
    """The filtered lines, newest first, 50 a page."""
    return page_of(filterset.qs.select_related("content_type", "user__person"), page_number, PAGE_SIZE)


def describe_details(details):
    """A line's details as text: "filters: area=fife; locked_out: True"."""
    parts = []
    for key, value in (details or {}).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def csv_rows(queryset):
    for event in queryset.select_related("content_type").iterator(chunk_size=2000):
        yield [
            event.at.isoformat(),
            event.username,
            event.get_kind_display(),
            event.label,
            event.content_type.model if event.content_type else "",
            event.object_id,
            event.history_id or "",
            event.format,
            describe_details(event.details),
            event.ip_address or "",
            event.request_id,
        ]
