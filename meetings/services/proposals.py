"""The call for agenda items: members propose items until the deadline; the secretariat accepts
(the item goes on the agenda) or declines them with a reason."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mappa import access
from mappa.models import Person
from mappa.refusals import require_secretariat
from meetings.models import (
    AgendaProposal,
    Meeting,
)
from meetings.rules import (
    PROPOSERS,
    proposals_closed_reason,
)
from meetings.services.agenda import AgendaChangeRefused, insert_item, lock_editable_agenda


@transaction.atomic
def propose_agenda_item(meeting, *, by, title, description):
    """A member proposes an agenda item (a title and a short description) until the deadline."""
    if not access.has_role(by, *PROPOSERS):
        raise PermissionDenied("Only members of the group can propose agenda items.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = proposals_closed_reason(meeting)
    if reason:
        raise AgendaChangeRefused(reason)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the title of the item you propose"
    if not (description or "").strip():
        errors["description"] = "Describe the item in a sentence or two"
    if errors:
        raise AgendaChangeRefused(errors)
    return AgendaProposal.objects.create(
        meeting=meeting, proposed_by=by, title=title.strip(), description=description.strip()
    )


def _pending_proposal(proposal):
    proposal = AgendaProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != AgendaProposal.Status.PENDING:
        raise AgendaChangeRefused(f"This proposal has already been {proposal.get_status_display().lower()}.")
    return proposal


@transaction.atomic
def accept_proposal(proposal, *, by):
    """Put a proposed item on the agenda, led by the proposer, before AOB and the date of the next meeting."""
    require_secretariat(by)
    meeting = lock_editable_agenda(proposal.meeting_id)
    proposal = _pending_proposal(proposal)
    lead = Person.objects.filter(user_id=proposal.proposed_by_id).first()
    item = insert_item(meeting, by=by, title=proposal.title, description=proposal.description, lead_person=lead)
    proposal.status = AgendaProposal.Status.ACCEPTED
    proposal.accepted_item = item
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "accepted_item", "decided_by", "decided_at"])
    return proposal


@transaction.atomic
def decline_proposal(proposal, *, by, reason):
    """Decline a proposed item, saying why; the proposer sees the reason on the meeting page."""
    require_secretariat(by)
    proposal = _pending_proposal(proposal)
    reason = (reason or "").strip()
    if not reason:
        raise AgendaChangeRefused({"decline_reason": "Say why the proposal is declined"})
    proposal.status = AgendaProposal.Status.DECLINED
    proposal.decline_reason = reason
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    return proposal
