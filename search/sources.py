"""What is searched, and who may find it: one Source per kind of record.

Each source gives the records the user may open, through the owning app's own rule
(``visible``), the fields searched, the date a result carries, and how a result reads
(``results``: one query for a page's worth of ids). A result appears only where the
record's own page would open for the user:

* meetings and their agendas (title, description): everyone, as the meeting page shows them;
* minutes (narrative, decisions): meetings.rules.may_read_minutes (inspectors: agreed minutes only);
* actions and their updates: actions.selectors.visibility.visible_actions;
* recommendations, their status updates and the inspectors' assessments: everyone;
* returns' narrative sections: reviews.selectors.returns.find_return's rule (a chair their own
  areas' returns, in any state; the others approved returns only; an area only for quarters it owed).

* papers (their title): papers.selectors.visible_papers (inspectors: those of
  meetings whose minutes are agreed), listed with the "not for publication" mark where it applies.

Not searched yet: the text inside papers' files, and case review records.
"""

from dataclasses import dataclass

from django.db.models import DateField, F, Q
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse

from actions.models import Action, ActionUpdate
from actions.selectors.visibility import visible_actions
from mappa import access
from mappa.models import Area
from mappa.selectors import areas_for
from meetings.models import AgendaItem, Meeting
from papers.models import Paper
from papers.selectors import visible_papers
from recommendations.models import Assessment, Recommendation, StatusUpdate
from reviews.models import QuarterlyReturn
from reviews.selectors.visibility import acts_for_areas


@dataclass
class Result:
    kind: str
    kind_label: str
    title: str
    date: object
    url: str
    where: list  # [(label, url or "")]: the meeting and item, the area and quarter
    texts: tuple  # the plain text the snippet is drawn from
    pk: int = 0
    snippet: str = ""


class Source:
    """A kind of record: ``model``, the ``fields`` searched, the ``date_field`` its results carry,
    ``related`` to load with each; ``visible`` narrows to what a user may open."""

    kind = ""
    label = ""  # the filter's name for the kind, plural
    singular = ""
    model = None
    fields = ()
    date_field = ""
    related = ()

    def visible(self, user):
        return self.model.objects.all()

    def date(self):
        return F(self.date_field)

    def results(self, pks):
        """{pk: Result} for the records ``pks`` (one query)."""
        rows = self.model.objects.select_related(*self.related).filter(pk__in=pks)
        return {row.pk: self.result(row) for row in rows}

    def result(self, row):
        raise NotImplementedError


def _meeting_where(meeting):
    return [(str(meeting), meeting.get_absolute_url())]


class Meetings(Source):
    kind, label, singular = "meeting", "Meetings", "Meeting"
    fields = ("venue", "body__name", "body__short_name")
    model = Meeting
    related = ("body",)
    date_field = "date"

    def result(self, m):
        return Result(
            self.kind,
            self.singular,
            f"{m.body.name}, {m.date:%-d %B %Y}",
            m.date,
            m.get_absolute_url(),
            [(m.get_status_display(), "")],
            (m.venue, m.body.name),
        )


class AgendaItems(Source):
    kind, label, singular = "agenda_item", "Agenda items", "Agenda item"
    fields = ("title", "description")
    model = AgendaItem
    related = ("meeting__body",)
    date_field = "meeting__date"

    def result(self, i):
        return Result(
            self.kind,
            self.singular,
            i.title,
            i.meeting.date,
            i.meeting.get_absolute_url(),
            _meeting_where(i.meeting),
            (i.title, i.description),
        )


class Papers(Source):
    kind, label, singular = "paper", "Papers", "Paper"
    fields = ("title",)
    model = Paper
    related = ("agenda_item__meeting__body",)
    date_field = "agenda_item__meeting__date"

    def visible(self, user):
        return visible_papers(user)

    def result(self, p):
        meeting = p.agenda_item.meeting
        where = _meeting_where(meeting) + [(f"Item: {p.agenda_item.title}", "")]
        if p.not_for_publication:
            where.append(("Not for publication", ""))
        return Result(
            self.kind,
            self.singular,
            p.title,
            meeting.date,
            # The meeting's page lists the paper under its item, with its download and versions.
            meeting.get_absolute_url(),
            where,
            (p.title,),
        )


def readable_minutes_q(user):
    """meetings.rules.may_read_minutes as a filter on meetings: every minute but for inspectors, agreed ones."""
    roles = access.roles_of(user)
    if roles - {access.Role.INSPECTOR}:
        return Q()
    if access.Role.INSPECTOR in roles:
        return Q(status__in=Meeting.statuses_from(Meeting.Status.MINUTES_AGREED))
    return Q(pk__in=[])


class Minutes(Source):
    kind, label, singular = "minute", "Minutes", "Minute"
    fields = ("narrative", "decisions")
    model = AgendaItem
    related = ("meeting__body",)
    date_field = "meeting__date"

    def visible(self, user):
        return AgendaItem.objects.filter(meeting__in=Meeting.objects.filter(readable_minutes_q(user)))

    def result(self, i):
        return Result(
            self.kind,
            self.singular,
            f"Minute: {i.title}",
            i.meeting.date,
            i.meeting.get_absolute_url(),
            _meeting_where(i.meeting) + [(f"Item: {i.title}", "")],
            (i.narrative, i.decisions),
        )


class Actions(Source):
    kind, label, singular = "action", "Actions", "Action"
    fields = ("text",)
    model = Action
    related = ("meeting__body", "agenda_item")
    date_field = "meeting__date"

    def visible(self, user):
        return visible_actions(user)

    def result(self, a):
        return Result(
            self.kind,
            self.singular,
            a.citation,
            a.meeting.date,
            reverse("actions:detail", args=[a.pk]),
            _meeting_where(a.meeting) + [(f"Item: {a.agenda_item.title}", "")],
            (a.text,),
        )


class ActionUpdates(Source):
    kind, label, singular = "action_update", "Action updates", "Action update"
    fields = ("text", "reason")
    model = ActionUpdate
    related = ("action__meeting__body",)

    def visible(self, user):
        return ActionUpdate.objects.filter(action__in=visible_actions(user))

    def date(self):
        return TruncDate("at")

    def result(self, u):
        return Result(
            self.kind,
            self.singular,
            f"Update to {u.action.citation}",
            u.at.date(),
            reverse("actions:detail", args=[u.action_id]),
            _meeting_where(u.action.meeting),
            (u.text, u.reason),
        )


class Recommendations(Source):
    kind, label, singular = "recommendation", "Recommendations", "Recommendation"
    fields = ("short_title", "text")
    model = Recommendation
    related = ("inspection",)
    date_field = "inspection__published_on"

    def result(self, r):
        return Result(
            self.kind,
            r.get_kind_display(),
            f"{r.number}. {r.short_title}",
            r.inspection.published_on,
            r.get_absolute_url(),
            [(r.inspection.title, "")],
            (r.short_title, r.text),
        )


class _OnRecommendation(Source):
    """A dated note on a recommendation (a status update, an inspectors' assessment): read on its page."""

    related = ("recommendation",)
    date_field = "as_of"
    heading = ""

    def result(self, note):
        rec = note.recommendation
        return Result(
            self.kind,
            self.singular,
            f"{self.heading} {rec.number}. {rec.short_title}: {self.verdict(note)}",
            note.as_of,
            rec.get_absolute_url(),
            [(f"Recommendation {rec.number}", rec.get_absolute_url())],
            tuple(getattr(note, name) for name in self.fields),
        )


class StatusUpdates(_OnRecommendation):
    kind, label, singular = "status_update", "Recommendation updates", "Recommendation update"
    fields = ("narrative", "source_note")
    model = StatusUpdate
    heading = "Update on"

    def verdict(self, update):
        return update.get_status_display()


class Assessments(_OnRecommendation):
    kind, label, singular = "assessment", "Inspectors' assessments", "Inspectors' assessment"
    fields = ("summary",)
    model = Assessment
    heading = "Assessment of"

    def verdict(self, assessment):
        return assessment.get_grade_display()


def visible_returns(user):
    """The returns whose page (reviews.selectors.returns.find_return) opens for ``user``, as a queryset."""
    returns = QuarterlyReturn.objects.all()
    if acts_for_areas(user):
        returns = returns.filter(area__in=areas_for(user))
    else:
        returns = returns.filter(area__in=Area.objects.all(), status=QuarterlyReturn.Status.APPROVED)
    # ReportingPeriod.expects: the area was active at some point during the quarter.
    return returns.filter(
        Q(area__started_on__isnull=True) | Q(area__started_on__lte=F("period__ends_on")),
        Q(area__ended_on__gte=F("period__starts_on")) | Q(area__ended_on__isnull=True, area__active=True),
    )


class Returns(Source):
    kind, label, singular = "return", "Quarterly returns", "Quarterly return"
    fields = ("narrative", "learning", "escalations")
    model = QuarterlyReturn
    related = ("area", "period")

    def visible(self, user):
        return visible_returns(user)

    def date(self):
        return Cast("period__ends_on", DateField())

    def result(self, r):
        return Result(
            self.kind,
            self.singular,
            f"{r.area.name}, {r.period.label}",
            r.period.ends_on,
            r.get_absolute_url(),
            [(r.area.name, ""), (r.period.label, ""), (r.get_status_display(), "")],
            (r.narrative, r.learning, r.escalations),
        )


SOURCES = (
    Meetings(),
    AgendaItems(),
    Minutes(),
    Papers(),
    Actions(),
    ActionUpdates(),
    Recommendations(),
    StatusUpdates(),
    Assessments(),
    Returns(),
)
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}
KIND_CHOICES = [(source.kind, source.label) for source in SOURCES]
