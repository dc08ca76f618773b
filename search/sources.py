"""What is searched, and who may find it: one Source per kind of record.

Each source says what its index entry holds (``entry``: title, decisions and narrative text, in
weights A, B and C; the date and the group and area the filters use), which saves keep the entry
current (``watches``), the records a user may open, through the owning app's own rule (``visible``),
and how a result reads (``result``). A result appears only where the record's own page would open
for the user:

* meetings and their agendas (title, description): everyone, as the meeting page shows them;
* minutes (narrative, decisions): meetings.rules.may_read_minutes (inspectors: agreed minutes only);
* papers (title, and the text of the current version's file):
  papers.selectors.visible_papers (inspectors: those of meetings whose minutes are agreed),
  marked "not for publication" where that applies;
* actions and their updates: actions.selectors.visibility.visible_actions (as its complement, hidden_actions);
* recommendations, their status updates and the inspectors' assessments: everyone;
* returns' narrative sections: reviews.selectors.returns.find_return's rule (a chair their own
  areas' returns, in any state; the others approved returns only; an area only for quarters it owed);
* case review records (reference, type, themes, learning):
  reviews.selectors.case_reviews.case_reviews_for (a chair their own areas'; the secretariat all;
  the others those whose learning has been shared with the SG).
"""

from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from actions.models import Action, ActionUpdate
from actions.selectors.visibility import hidden_actions
from mappa import access
from mappa.models import Area
from mappa.selectors import areas_for
from meetings.models import AgendaItem, Meeting
from papers.models import Paper, PaperVersion
from papers.selectors import visible_papers
from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate
from reviews.models import CaseReview, QuarterlyReturn
from reviews.selectors.case_reviews import case_reviews_for
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
    pages: str = ""  # a paper's text, its pages separated by form feeds: the page of the first match
    page: int = 0
    notes: list = field(default_factory=list)  # said under the result ("This PDF has no text layer…")


@dataclass(frozen=True)
class Watch:
    """A save of ``model`` re-indexes this source's rows reached through ``lookup`` (from the row to
    the saved record); with ``fields``, only when one of those fields changed."""

    model: type
    lookup: str
    fields: tuple = ()


class Source:
    """A kind of record: ``model``, ``related`` to load with each row, ``watches`` that keep its
    entries current; ``visible`` narrows to what a user may open."""

    kind = ""
    label = ""  # the filter's name for the kind, plural
    singular = ""
    model = None
    related = ()

    @property
    def watches(self):
        return (Watch(self.model, "pk"),)

    def rows(self):
        """The records, with what ``entry`` and ``result`` read."""
        return self.model.objects.select_related(*self.related)

    def visible(self, user):
        """The records of this kind ``user`` may open: every one but those ``hidden`` names, unless a kind says
        otherwise."""
        hidden = self.hidden(user)
        if hidden is None or hidden.query.is_empty():
            return self.model.objects.all()
        return self.model.objects.exclude(pk__in=hidden.values("pk"))

    def hidden(self, user):
        """The records of this kind ``user`` may not open, where they are few (a queryset; ``visible`` is every
        other one), or None where a kind's rule is ``visible`` itself. Search leaves these few out of its
        candidates, rather than asking which of thousands of candidates are visible."""
        return None

    def entry(self, row):
        """The index entry's fields: title (A), key_text (B), body (C), date, group_id, area_id."""
        raise NotImplementedError

    def results(self, pks):
        """{pk: Result} for the records ``pks`` (one query)."""
        return {row.pk: self.result(row) for row in self.rows().filter(pk__in=pks)}

    def result(self, row):
        raise NotImplementedError

    def make(self, *, title, date, url, where, texts, label=None, **extra):
        return Result(self.kind, label or self.singular, title, date, url, where, tuple(texts), **extra)

    def on_meeting(self, meeting, *, title, texts, item=None, url=None, where=(), date=None, **extra):
        """A result read on (or beside) ``meeting``'s page: dated by it (unless ``date``), placed in it
        (and its item)."""
        placed = [(str(meeting), meeting.get_absolute_url())]
        if item is not None:
            placed.append((f"Item: {item.title}", ""))
        return self.make(
            title=title,
            date=date or meeting.date,
            url=url or meeting.get_absolute_url(),
            where=[*placed, *where],
            texts=texts,
            **extra,
        )


def _join(*texts):
    return "\n".join(text for text in texts if text)


def _meeting_keys(meeting):
    return {"date": meeting.date, "group_id": meeting.body_id, "area_id": meeting.body.area_id}


# A meeting's date or group is copied into the entries of its items, minutes, papers and actions.
_MEETING_MOVED = ("date", "body_id")


class Meetings(Source):
    kind, label, singular = "meeting", "Meetings", "Meeting"
    model = Meeting
    related = ("body",)

    def entry(self, m):
        return {"title": _join(m.body.name, m.body.short_name), "body": m.venue, **_meeting_keys(m)}

    def result(self, m):
        return self.make(
            title=f"{m.body.name}, {m.date:%-d %B %Y}",
            date=m.date,
            url=m.get_absolute_url(),
            where=[(m.get_status_display(), "")],
            texts=(m.venue, m.body.name),
        )


class AgendaItems(Source):
    kind, label, singular = "agenda_item", "Agenda items", "Agenda item"
    model = AgendaItem
    related = ("meeting__body",)

    @property
    def watches(self):
        return (Watch(AgendaItem, "pk"), Watch(Meeting, "meeting", _MEETING_MOVED))

    def entry(self, i):
        return {"title": i.title, "body": i.description, **_meeting_keys(i.meeting)}

    def result(self, i):
        return self.on_meeting(i.meeting, title=i.title, texts=(i.title, i.description))


def readable_minutes_q(user):
    """meetings.rules.may_read_minutes as a filter on meetings: every minute but for inspectors, agreed ones."""
    roles = access.roles_of(user)
    if roles - {access.Role.INSPECTOR}:
        return Q()
    if access.Role.INSPECTOR in roles:
        return Q(status__in=Meeting.statuses_from(Meeting.Status.MINUTES_AGREED))
    return Q(pk__in=[])


class Minutes(AgendaItems):
    """An agenda item's minute: its own kind, as it is not everyone's to read."""

    kind, label, singular = "minute", "Minutes", "Minute"

    def visible(self, user):
        readable = readable_minutes_q(user)
        if not readable:
            return AgendaItem.objects.all()
        return AgendaItem.objects.filter(meeting__in=Meeting.objects.filter(readable))

    def entry(self, i):
        return {"key_text": i.decisions, "body": i.narrative, **_meeting_keys(i.meeting)}

    def result(self, i):
        return self.on_meeting(i.meeting, item=i, title=f"Minute: {i.title}", texts=(i.narrative, i.decisions))


def _current_version(column):
    return Subquery(PaperVersion.objects.filter(paper=OuterRef("pk")).order_by("-number").values(column)[:1])


class Papers(Source):
    kind, label, singular = "paper", "Papers", "Paper"
    model = Paper
    related = ("agenda_item__meeting__body",)

    @property
    def watches(self):
        return (
            Watch(Paper, "pk"),
            Watch(PaperVersion, "versions"),
            Watch(Meeting, "agenda_item__meeting", _MEETING_MOVED),
        )

    def rows(self):
        # The current version's text, without loading every version's.
        return (
            super()
            .rows()
            .annotate(
                text=_current_version("text"),
                text_status=_current_version("text_status"),
                content_type=_current_version("content_type"),
            )
        )

    def visible(self, user):
        return visible_papers(user)

    def entry(self, p):
        return {"title": p.title, "body": p.text or "", **_meeting_keys(p.agenda_item.meeting)}

    def result(self, p):
        meeting = p.agenda_item.meeting
        return self.on_meeting(
            meeting,
            item=p.agenda_item,
            title=p.title,
            texts=(p.title,),
            # Its file, where it has one; the meeting page lists it with its versions.
            url=reverse("papers:download", args=[meeting.pk, p.pk]) if p.content_type else None,
            where=[("Not for publication", "")] if p.not_for_publication else [],
            pages=p.text or "",
            notes=[NO_TEXT_LAYER] if p.text_status == PaperVersion.TextStatus.NO_TEXT_LAYER else [],
        )


NO_TEXT_LAYER = "This PDF has no text layer: its words cannot be searched"


class Actions(Source):
    kind, label, singular = "action", "Actions", "Action"
    model = Action
    related = ("meeting__body", "agenda_item")

    @property
    def watches(self):
        return (Watch(Action, "pk"), Watch(Meeting, "meeting", _MEETING_MOVED))

    def hidden(self, user):
        # visible_actions, written as its complement: the few actions of minutes not yet agreed (for inspectors),
        # quicker than joining each of thousands of candidates with its meeting (as the action register counts).
        return hidden_actions(user)

    def entry(self, a):
        return {"key_text": a.text, **_meeting_keys(a.meeting)}

    def result(self, a):
        url = reverse("actions:detail", args=[a.pk])
        return self.on_meeting(a.meeting, item=a.agenda_item, title=a.citation, url=url, texts=(a.text,))


class ActionUpdates(Source):
    kind, label, singular = "action_update", "Action updates", "Action update"
    model = ActionUpdate
    related = ("action__meeting__body",)

    @property
    def watches(self):
        return (Watch(ActionUpdate, "pk"), Watch(Meeting, "action__meeting", ("body_id",)))

    def hidden(self, user):  # as Actions.hidden: the updates of those actions
        hidden = hidden_actions(user)
        if hidden.query.is_empty():
            return ActionUpdate.objects.none()
        return ActionUpdate.objects.filter(action__in=hidden.values("pk"))

    def entry(self, u):
        keys = _meeting_keys(u.action.meeting)
        return {"body": _join(u.text, u.reason), **keys, "date": u.at.date()}

    def result(self, u):
        return self.on_meeting(
            u.action.meeting,
            title=f"Update to {u.action.citation}",
            url=reverse("actions:detail", args=[u.action_id]),
            texts=(u.text, u.reason),
            date=u.at.date(),
        )


class Recommendations(Source):
    kind, label, singular = "recommendation", "Recommendations", "Recommendation"
    model = Recommendation
    related = ("inspection",)

    @property
    def watches(self):
        return (Watch(Recommendation, "pk"), Watch(Inspection, "inspection", ("published_on",)))

    def entry(self, r):
        return {"title": r.short_title, "key_text": r.text, "date": r.inspection.published_on}

    def result(self, r):
        return self.make(
            label=r.get_kind_display(),
            title=f"{r.number}. {r.short_title}",
            date=r.inspection.published_on,
            url=r.get_absolute_url(),
            where=[(r.inspection.title, "")],
            texts=(r.short_title, r.text),
        )


class _OnRecommendation(Source):
    """A dated note on a recommendation (a status update, an inspectors' assessment): read on its page."""

    related = ("recommendation",)
    heading = ""
    text_fields = ()

    def entry(self, note):
        return {"body": _join(*(getattr(note, name) for name in self.text_fields)), "date": note.as_of}

    def result(self, note):
        rec = note.recommendation
        return self.make(
            title=f"{self.heading} {rec.number}. {rec.short_title}: {self.verdict(note)}",
            date=note.as_of,
            url=rec.get_absolute_url(),
            where=[(f"Recommendation {rec.number}", rec.get_absolute_url())],
            texts=(getattr(note, name) for name in self.text_fields),
        )


class StatusUpdates(_OnRecommendation):
    kind, label, singular = "status_update", "Recommendation updates", "Recommendation update"
    model = StatusUpdate
    text_fields = ("narrative", "source_note")
    heading = "Update on"

    def verdict(self, update):
        return update.get_status_display()


class Assessments(_OnRecommendation):
    kind, label, singular = "assessment", "Inspectors' assessments", "Inspectors' assessment"
    model = Assessment
    text_fields = ("summary",)
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


def _area_keys(area):
    """An area's record belongs to the area and to its SOG (the group filter)."""
    sog = getattr(area, "oversight_group", None) if area else None
    return {"area_id": area.pk if area else None, "group_id": sog.pk if sog else None}


class Returns(Source):
    kind, label, singular = "return", "Quarterly returns", "Quarterly return"
    model = QuarterlyReturn
    related = ("area__oversight_group", "period")
    text_fields = ("narrative", "learning", "escalations")

    def visible(self, user):
        return visible_returns(user)

    def entry(self, r):
        texts = (getattr(r, name) for name in self.text_fields)
        return {"body": _join(*texts), "date": r.period.ends_on, **_area_keys(r.area)}

    def result(self, r):
        return self.make(
            title=f"{r.area.name}, {r.period.label}",
            date=r.period.ends_on,
            url=r.get_absolute_url(),
            where=[(r.area.name, ""), (r.period.label, ""), (r.get_status_display(), "")],
            texts=(getattr(r, name) for name in self.text_fields),
        )


class CaseReviews(Source):
    kind, label, singular = "case_review", "Case reviews", "Case review"
    model = CaseReview
    related = ("area__oversight_group",)

    def visible(self, user):
        return case_reviews_for(user).select_related(None)

    @staticmethod
    def _themes(review):
        return ", ".join(review.theme_labels)

    def entry(self, c):
        return {
            "title": c.reference,
            "key_text": _join(c.get_review_type_display(), self._themes(c)),
            "body": c.learning_summary,
            "date": c.commissioned_on,
            **_area_keys(c.area),
        }

    def result(self, c):
        return self.make(
            title=f"{c.reference}: {c.get_review_type_display()}",
            date=c.commissioned_on,
            url=c.get_absolute_url(),
            where=[(c.area.name, ""), (c.get_status_display(), "")],
            texts=(self._themes(c) and f"Themes: {self._themes(c)}", c.learning_summary),
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
    CaseReviews(),
)
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}
KIND_CHOICES = [(source.kind, source.label) for source in SOURCES]
