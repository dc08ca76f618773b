"""Nothing goes that a request still being answered covers: the retention schedule's hold (retention.holds).

A paper of a group's meeting in the scope of an open request (or one whose pack is in review), and an
approved return whose quarter ends in such a request's dates, are kept past their date until the
request is released or closed; they go on the next run after that.
"""

from django.db.models import Q

from disclosure import rules
from disclosure.models import DisclosureRequest, DocumentKind


def _open_scopes(kind):
    requests = DisclosureRequest.objects.filter(status__in=rules.REVIEWABLE, scope_from__isnull=False)
    return [request for request in requests.prefetch_related("bodies") if kind in request.kinds]


def covered_by_open_requests(kind, rows):
    if kind == "papers":
        covered = Q(pk__in=[])
        for request in _open_scopes(DocumentKind.PAPERS):
            covered |= Q(
                agenda_item__meeting__body__in=list(request.bodies.all()),
                agenda_item__meeting__date__range=(request.scope_from, request.scope_to),
            )
        return rows.filter(covered).values("pk")
    if kind == "returns":
        covered = Q(pk__in=[])
        for request in _open_scopes(DocumentKind.RETURNS):
            covered |= Q(period__ends_on__range=(request.scope_from, request.scope_to))
        return rows.filter(covered).values("pk")
    return None
