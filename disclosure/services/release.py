"""Approving a pack (a second member of the secretariat, not its reviewer) and putting it on the disclosure log."""

from django.db import transaction
from django.utils import timezone

from disclosure import rules
from disclosure.models import DisclosureRequest, Pack
from disclosure.services.requests import DisclosureRefused
from mappa.refusals import require_secretariat


@transaction.atomic
def approve(*, pack, by):
    """Approve the pack for release: it is kept, read-only, and the request is released."""
    require_secretariat(by, "approve a pack")
    pack = Pack.objects.select_for_update().select_related("request").get(pk=pack.pk)
    reason = rules.why_not_approve(pack, by)
    if reason:
        raise DisclosureRefused(reason)
    pack.approved_by, pack.approved_at = by, timezone.now()
    pack.save(update_fields=["approved_by", "approved_at"])
    request = pack.request
    request.status = DisclosureRequest.Status.RELEASED
    request.save(update_fields=["status"])
    return pack


@transaction.atomic
def publish(*, pack, by):
    """Put an approved pack on the disclosure log, where inspectors and members can read it."""
    require_secretariat(by, "publish a pack")
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    if not pack.is_approved:
        raise DisclosureRefused("Only an approved pack can go on the disclosure log.")
    if pack.published_at is None:
        pack.published_at = timezone.now()
        pack.save(update_fields=["published_at"])
    return pack


@transaction.atomic
def withdraw(*, pack, by):
    """Take a pack off the disclosure log (it stays kept with its request)."""
    require_secretariat(by, "take a pack off the disclosure log")
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    pack.published_at = None
    pack.save(update_fields=["published_at"])
    return pack
