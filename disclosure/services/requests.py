"""Logging a request, setting its scope, including a paper not for publication, closing it."""

from django.db import transaction
from django.utils import timezone

from disclosure import rules
from disclosure.models import DisclosureRequest, IncludedPaper
from mappa.refusals import Refused, require_secretariat
from mappa.working_days import statutory_due_date


class DisclosureRefused(Refused):
    """A step on a request that cannot be taken now."""


def require_reviewable(request):
    if not rules.may_review(request):
        raise DisclosureRefused("The request's pack has been approved: nothing in it can change.")


@transaction.atomic
def log_request(*, by, reference, received_on, wording, requester, handler):
    """A new request in the register, due on the 20th Scottish working day after receipt."""
    require_secretariat(by, "log a freedom-of-information request")
    reference = reference.strip()
    if DisclosureRequest.objects.filter(reference__iexact=reference).exists():
        raise DisclosureRefused({"reference": f"{reference} is already in the register."})
    if received_on > timezone.localdate():
        raise DisclosureRefused({"received_on": "The date received must be today or in the past."})
    return DisclosureRequest.objects.create(
        reference=reference,
        received_on=received_on,
        due_on=statutory_due_date(received_on),
        wording=wording,
        requester=requester,
        handler=handler,
        created_by=by,
    )


@transaction.atomic
def set_scope(*, request, by, bodies, scope_from, scope_to, kinds, keep_organisation_names, keep_chairs, kept_people):
    require_secretariat(by, "change a request's scope")
    require_reviewable(request)
    if scope_from and scope_to and scope_to < scope_from:
        raise DisclosureRefused({"scope_to": "The end of the date range must be the same as or after its start."})
    request.scope_from, request.scope_to, request.kinds = scope_from, scope_to, list(kinds)
    request.keep_organisation_names, request.keep_chairs = keep_organisation_names, keep_chairs
    request.save(update_fields=["scope_from", "scope_to", "kinds", "keep_organisation_names", "keep_chairs"])
    request.bodies.set(bodies)
    request.kept_people.set(kept_people)
    return request


@transaction.atomic
def include_paper(*, request, by, paper, reason):
    """Include a paper marked "not for publication", with the reason recorded."""
    require_secretariat(by, "include a paper not for publication")
    require_reviewable(request)
    if not reason.strip():
        raise DisclosureRefused({"reason": "Say why this paper, marked not for publication, is released."})
    included, _created = IncludedPaper.objects.update_or_create(
        request=request, paper=paper, defaults={"reason": reason.strip(), "included_by": by}
    )
    return included


@transaction.atomic
def leave_out_paper(*, request, by, paper):
    require_secretariat(by, "leave out a paper")
    require_reviewable(request)
    IncludedPaper.objects.filter(request=request, paper=paper).delete()


@transaction.atomic
def close_request(*, request, by):
    """Close a request (answered without a pack, withdrawn, or released and done with)."""
    require_secretariat(by, "close a request")
    if request.status == DisclosureRequest.Status.CLOSED:
        raise DisclosureRefused("The request is already closed.")
    request.status = DisclosureRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request
