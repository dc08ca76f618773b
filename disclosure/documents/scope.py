"""Which documents a request's scope takes in, in date order.

The service's own documents are rendered again from the records (agendas, agreed minutes,
the action log, the action plan, approved returns' narratives); papers are their
current uploaded version. Draft minutes are never in scope. Papers marked "not for
publication" are left out unless the reviewer included them with a reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from actions.exports import actions_html
from actions.models import Action
from disclosure.models import DocumentKind
from meetings import documents as meeting_documents
from meetings.models import Meeting
from meetings.selectors.documents import meeting_documents as load_meeting
from papers.models import Paper
from recommendations.exports import action_plan_html
from recommendations.selectors import action_plan
from reviews.models import QuarterlyReturn

AGENDA_ISSUED = Meeting.LIFECYCLE[Meeting.LIFECYCLE.index(Meeting.Status.AGENDA_ISSUED) :]
MINUTES_AGREED = (Meeting.Status.MINUTES_AGREED, Meeting.Status.PUBLISHED)


@dataclass
class ScopedDocument:
    """One document of the pack: ``html`` renders a service document; ``version`` is an uploaded paper's file."""

    key: str  # disclosure.models.Proposal.document
    title: str
    date: date
    kind: str
    html: Callable[[], str] | None = None
    version: object = None  # papers.models.PaperVersion
    note: str = ""
    extras: dict = field(default_factory=dict)

    @property
    def filename(self):
        return f"{self.date:%Y-%m-%d} {slugify(self.title)[:80]}.pdf"


def _meetings(request):
    return list(
        Meeting.objects.filter(body__in=request.bodies.all(), date__range=(request.scope_from, request.scope_to))
        .select_related("body")
        .order_by("date", "start_time")
    )


def _meeting_documents(meetings, kinds):
    found = []
    for meeting in meetings:
        label = f"{meeting.body.short_name or meeting.body.name} meeting of {meeting.date:%-d %B %Y}"
        if DocumentKind.AGENDAS in kinds and meeting.status in AGENDA_ISSUED:
            found.append(
                ScopedDocument(
                    key=f"agenda:{meeting.pk}",
                    title=f"Agenda: {label}",
                    date=meeting.date,
                    kind=DocumentKind.AGENDAS.label,
                    html=lambda pk=meeting.pk: meeting_documents.agenda_html(load_meeting(pk, with_minute=False)),
                )
            )
        if DocumentKind.MINUTES in kinds and meeting.status in MINUTES_AGREED:
            found.append(
                ScopedDocument(
                    key=f"minutes:{meeting.pk}",
                    title=f"Minutes: {label}",
                    date=meeting.date,
                    kind=DocumentKind.MINUTES.label,
                    html=lambda pk=meeting.pk: meeting_documents.minutes_html(load_meeting(pk)),
                )
            )
    return found


def papers_in_scope(request):
    """Every paper of the meetings in scope with a file, in meeting and agenda order."""
    return [
        paper
        for paper in Paper.objects.filter(
            agenda_item__meeting__body__in=request.bodies.all(),
            agenda_item__meeting__date__range=(request.scope_from, request.scope_to),
        )
        .select_related("agenda_item__meeting__body")
        .prefetch_related("versions")
        .order_by("agenda_item__meeting__date", "agenda_item__position", "position")
        if paper.current_version is not None
    ]


def unpublished_papers(request):
    """The papers in scope marked "not for publication": listed apart, left out unless included with a reason."""
    if DocumentKind.PAPERS not in request.kinds or not request.has_scope:
        return []
    return [paper for paper in papers_in_scope(request) if paper.not_for_publication]


def _paper_documents(request):
    reasons = {included.paper_id: included.reason for included in request.included_papers.all()}
    found = []
    for paper in papers_in_scope(request):
        if paper.not_for_publication and paper.pk not in reasons:
            continue
        version = paper.current_version
        meeting = paper.agenda_item.meeting
        found.append(
            ScopedDocument(
                key=f"paper-version:{version.pk}",
                title=f"Paper: {paper.title}",
                date=meeting.date,
                kind=DocumentKind.PAPERS.label,
                version=version,
                note=f"Not for publication; included because {reasons[paper.pk]}" if paper.pk in reasons else "",
            )
        )
    return found


def _as_at(request):
    return min(request.scope_to, timezone.localdate())


def _action_log(request):
    actions = Action.objects.filter(
        meeting__body__in=request.bodies.all(), meeting__date__range=(request.scope_from, request.scope_to)
    )
    as_at = _as_at(request)
    return ScopedDocument(
        key="action-log",
        title=f"Action log: open actions of the meetings in scope, as at {as_at:%-d %B %Y}",
        date=as_at,
        kind=DocumentKind.ACTION_LOG.label,
        html=lambda: actions_html(actions, description="Actions raised at the meetings in scope.", today=as_at),
    )


def _action_plan(request):
    as_at = _as_at(request)
    return ScopedDocument(
        key="action-plan",
        title=f"Action plan, as at {as_at:%-d %B %Y}",
        date=as_at,
        kind=DocumentKind.ACTION_PLAN.label,
        html=lambda: action_plan_html(action_plan(as_at=as_at), as_at=as_at),
    )


def _returns(request):
    returns = (
        QuarterlyReturn.objects.filter(
            status=QuarterlyReturn.Status.APPROVED,
            period__ends_on__range=(request.scope_from, request.scope_to),
        )
        .select_related("area", "period")
        .order_by("period__ends_on", "area__name")
    )
    return [
        ScopedDocument(
            key=f"return:{record.pk}",
            title=f"{record.area.name} SOG return, {record.period.label}: narrative",
            date=record.period.ends_on,
            kind=DocumentKind.RETURNS.label,
            html=lambda record=record: render_to_string("disclosure/return_narrative.html", {"record": record}),
        )
        for record in returns
    ]


def documents_in_scope(request):
    """Every document the request's scope takes in, in date order (for equal dates: agendas, minutes, papers...)."""
    if not request.has_scope:
        return []
    kinds = set(request.kinds)
    found = _meeting_documents(_meetings(request), kinds)
    if DocumentKind.PAPERS in kinds:
        found += _paper_documents(request)
    if DocumentKind.ACTION_LOG in kinds:
        found.append(_action_log(request))
    if DocumentKind.ACTION_PLAN in kinds:
        found.append(_action_plan(request))
    if DocumentKind.RETURNS in kinds:
        found += _returns(request)
    return sorted(found, key=lambda document: document.date)
