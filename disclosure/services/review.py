"""The reviewer's decisions: redact or keep each proposal (one by one, or every one of a term), under which
exemption; and terms added to be redacted wherever they occur."""

from django.db import transaction
from django.utils import timezone

from disclosure.models import AddedTerm, Proposal
from disclosure.services.requests import DisclosureRefused, require_reviewable
from mappa.refusals import require_secretariat

Decision = Proposal.Decision


def _decide(proposals, *, by, decision, exemption):
    if decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise DisclosureRefused("Choose to redact or to keep.")
    if decision == Decision.ACCEPTED and exemption is None:
        raise DisclosureRefused({"exemption": "Choose the exemption the words are withheld under."})
    return proposals.update(
        decision=decision,
        exemption=exemption if decision == Decision.ACCEPTED else None,
        decided_by=by,
        decided_at=timezone.now(),
    )


@transaction.atomic
def decide(*, request, by, proposal_ids, decision, exemption=None):
    """Decide the proposals ``proposal_ids`` of ``request``; returns how many were decided."""
    require_secretariat(by, "review redactions")
    require_reviewable(request)
    return _decide(request.proposals.filter(pk__in=proposal_ids), by=by, decision=decision, exemption=exemption)


@transaction.atomic
def decide_term(*, request, by, term, decision, exemption=None, undecided_only=False):
    """Decide every proposal of ``term`` at once ("all occurrences of Fiona Reid: redact")."""
    require_secretariat(by, "review redactions")
    require_reviewable(request)
    proposals = request.proposals.filter(term=term)
    if undecided_only:
        proposals = proposals.filter(decision=Decision.PROPOSED)
    return _decide(proposals, by=by, decision=decision, exemption=exemption)


@transaction.atomic
def add_term(*, request, by, term):
    """A word or phrase to redact wherever it occurs: proposed at the next search of the documents."""
    require_secretariat(by, "add a term")
    require_reviewable(request)
    term = " ".join(term.split())
    if len(term) < 2:
        raise DisclosureRefused({"term": "Enter the word or phrase to redact, of 2 characters or more."})
    if request.added_terms.filter(term__iexact=term).exists():
        raise DisclosureRefused({"term": f"“{term}” is already added."})
    return AddedTerm.objects.create(request=request, term=term, added_by=by)


@transaction.atomic
def remove_term(*, request, by, term_id):
    require_secretariat(by, "remove a term")
    require_reviewable(request)
    request.added_terms.filter(pk=term_id).delete()
