"""Reads for the disclosure pages: the register, a request with its scope and review, the disclosure log,
and the finder a request's rules make (who is named, what is kept)."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from disclosure import rules
from disclosure.documents.scope import documents_in_scope
from disclosure.finding import Finder, RegisteredPerson
from disclosure.models import DisclosureRequest, Exemption, Job, Pack, Proposal
from mappa import access
from mappa.models import Body, Membership, Organisation, Person
from mappa.selectors import AttentionItem
from mappa.working_days import working_days_between

Status = DisclosureRequest.Status


def default_exemption():
    return Exemption.objects.filter(is_default=True).first() or Exemption.objects.filter(active=True).first()


def kept_people_ids(request):
    """The people whose names the request keeps: those named by the reviewer, and (by the rule) the
    chairs of the groups in scope during it."""
    kept = set(request.kept_people.values_list("pk", flat=True))
    if request.keep_chairs and request.has_scope:
        chairs = Membership.objects.filter(body__in=request.bodies.all(), role=Membership.Role.CHAIR).filter(
            Q(started_on__isnull=True) | Q(started_on__lte=request.scope_to),
            Q(ended_on__isnull=True) | Q(ended_on__gte=request.scope_from),
        )
        kept.update(chairs.values_list("person_id", flat=True))
    return kept


def kept_phrases(request):
    """What is never proposed, wherever a name stands inside it: organisations' and groups' names."""
    if not request.keep_organisation_names:
        return []
    phrases = []
    for name, short in Organisation.objects.values_list("name", "short_name"):
        phrases += [name, short]
    for name, short in Body.objects.values_list("name", "short_name"):
        phrases += [name, short]
    return [phrase for phrase in phrases if phrase]


def finder_for(request):
    """The Finder of the request's rules: the people register, the added terms, who and what is kept."""
    people = [
        RegisteredPerson(id=pk, name=name, email=email)
        for pk, name, email in Person.objects.values_list("pk", "name", "email")
    ]
    return Finder(
        people=people,
        added_terms=list(request.added_terms.values_list("term", flat=True)),
        kept_people=kept_people_ids(request),
        kept_phrases=kept_phrases(request),
    )


def fingerprint(request, documents=None):
    """What proposals found now would be found in and by: the documents in scope and the rules."""
    documents = documents_in_scope(request) if documents is None else documents
    basis = {
        "documents": [document.key for document in documents],
        "terms": sorted(request.added_terms.values_list("term", flat=True)),
        "kept": sorted(kept_people_ids(request)),
        "organisations": request.keep_organisation_names,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()


# --- The register ------------------------------------------------------------------------------------


@dataclass
class Deadline:
    """How a request stands against its statutory date, for the register and the home page."""

    working_days_left: int
    overdue: bool
    due_soon: bool

    @property
    def label(self):
        if self.overdue:
            days = -self.working_days_left
            return f"Overdue by {days} working day{'s' if days != 1 else ''}" if days > 0 else "Overdue"
        if self.working_days_left == 0:
            return "Due today"
        return f"{self.working_days_left} working day{'s' if self.working_days_left != 1 else ''} left"


def deadline(request, today=None):
    """None once the request is released or closed: its clock has stopped."""
    if request.status in (Status.RELEASED, Status.CLOSED):
        return None
    today = today or timezone.localdate()
    left = working_days_between(today, request.due_on)
    return Deadline(
        working_days_left=left,
        overdue=today > request.due_on,
        due_soon=today <= request.due_on and left <= rules.DUE_SOON_WORKING_DAYS,
    )


def with_deadlines(requests, today=None):
    for request in requests:
        request.deadline = deadline(request, today)
    return requests


def requests_needing_attention(today=None):
    """Requests still open whose statutory date is 5 working days away or fewer, or past; soonest first."""
    open_requests = DisclosureRequest.objects.filter(status__in=rules.REVIEWABLE).order_by("due_on")
    return [
        request
        for request in with_deadlines(list(open_requests), today)
        if request.deadline.overdue or request.deadline.due_soon
    ]


# --- One request -------------------------------------------------------------------------------------


@dataclass
class TermGroup:
    """A term's proposals, decided together: "Fiona Reid", 14 occurrences, 3 still to decide."""

    term: str
    kind: str
    proposals: list
    counts: Counter

    @property
    def undecided(self):
        return self.counts[Proposal.Decision.PROPOSED]


def review(request):
    """The request's proposals grouped by term (most occurrences first), and its counts by decision."""
    proposals = list(
        request.proposals.select_related("exemption", "decided_by").order_by("term", "document", "occurrence")
    )
    groups = {}
    for proposal in proposals:
        group = groups.setdefault(proposal.term, TermGroup(proposal.term, proposal.kind, [], Counter()))
        group.proposals.append(proposal)
        group.counts[proposal.decision] += 1
    ordered = sorted(groups.values(), key=lambda group: (-len(group.proposals), group.term.lower()))
    return ordered, Counter(proposal.decision for proposal in proposals)


def decision_counts(request):
    """How many of the request's proposals stand at each decision, in one query (the request's page)."""
    rows = request.proposals.values("decision").annotate(count=Count("pk")).order_by()
    return Counter({row["decision"]: row["count"] for row in rows})


def undecided_count(request):
    return request.proposals.filter(decision=Proposal.Decision.PROPOSED).count()


def active_job(request):
    return request.jobs.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()


def latest_job(request):
    return request.jobs.select_related("started_by").first()


# --- The disclosure log ------------------------------------------------------------------------------


def disclosure_log():
    """Published packs, newest first: what anyone signed in may read."""
    return Pack.objects.filter(published_at__isnull=False).select_related("request").order_by("-published_at")


def attention_for(user, today=None):
    """The secretariat's home page: requests due within 5 working days, and overdue ones."""
    if not access.has_role(user, *access.SECRETARIAT):
        return []
    return [
        AttentionItem(
            title=f"{request.reference}: {request.deadline.label.lower() if request.deadline.overdue else 'due ' + format_date(request.due_on, 'l j F')}",
            detail=f"Freedom of information request from {request.requester}, received "
            f"{format_date(request.received_on, 'j F Y')}; {request.get_status_display().lower()}.",
            url=reverse("disclosure:request", args=[request.pk]),
        )
        for request in requests_needing_attention(today)
    ]
