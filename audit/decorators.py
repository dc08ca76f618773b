"""``@audited``: a view whose every successful GET is one line of the audit log.

    @allow(read=EVERYONE)
    @audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
    def minutes_pdf(request, pk):
        docs = ...
        audit_subject(request, docs.meeting)         # the record served (optional)
        return response

Why a decorator rather than a call in each view: the line is written only once the view has
answered 2xx, so a refused or missing record (403, 404) or filters sent back to the page (a
redirect) is not logged as seen; the filters are taken from the query string the same way for
every view; and the view says at its top, next to who may use it, that it is audited
(``view.audit_kind``, which tests/audit/test_coverage.py checks for every document view). This
module imports no domain app: the view names its record with ``audit_subject``.
HEAD and the other methods are not logged: nothing is served to read.
"""

import functools

from audit import services


def filters_of(request):
    """The query string as given, one value or a list per name (the page number left out)."""
    return {name: values[0] if len(values) == 1 else values for name, values in request.GET.lists() if name != "page"}


def audit_subject(request, target=None, *, label=None, format=None, **details):
    """Name the record a view serves (and its format, if it varies), with anything else worth keeping."""
    request._audit_subject = {"target": target, "label": label, "format": format, "details": details}


def audited(kind, *, format=""):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method == "GET" and 200 <= response.status_code < 300:
                subject = getattr(request, "_audit_subject", None) or {}
                details = {**subject.get("details", {})}
                filters = filters_of(request)
                if filters:
                    details["filters"] = filters
                services.record(
                    kind,
                    request=request,
                    target=subject.get("target"),
                    label=subject.get("label"),
                    format=subject.get("format") or format,
                    details=details,
                )
            return response

        wrapper.audit_kind = kind
        return wrapper

    return decorate
