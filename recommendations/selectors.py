"""Reading the action plan: as it stands, as it stood on any past date, and what changed since."""

from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils import timezone

from actions.models import Action
from meetings.models import AgendaItem, Meeting
from recommendations.models import Assessment, Recommendation, StatusUpdate


@dataclass
class PlanRow:
    """One recommendation with its latest update and grade on the plan's date."""

    recommendation: Recommendation
    update: StatusUpdate | None
    assessment: Assessment | None
    # Every update up to the plan's date, oldest first: the printed plan's narrative over time
    # (filled by with_narratives; empty otherwise).
    narrative: list = field(default_factory=list)

    @property
    def diverges(self):
        """The government says met and the inspectors do not, or the other way round."""
        if self.update is None or self.assessment is None:
            return False
        says_met = self.update.status == StatusUpdate.Status.MET
        graded_met = self.assessment.grade == Assessment.Grade.FULLY_MET
        return says_met != graded_met


def _up_to(model, as_at):
    """A recommendation's updates (or grades) up to ``as_at``, latest first, as a subquery on Recommendation."""
    return model.objects.filter(recommendation=OuterRef("pk"), as_of__lte=as_at).order_by("-as_of", "-id")


def _latest(model, as_at):
    return Subquery(_up_to(model, as_at).values("pk")[:1])


def latest_update_value(field, as_at):
    """A recommendation's latest update up to ``as_at``: its ``field`` ("status", "progress"), as a subquery."""
    return Subquery(_up_to(StatusUpdate, as_at).values(field)[:1])


def action_plan(*, as_at=None, recommendations=None, kind=Recommendation.Kind.RECOMMENDATION):
    """The action plan exactly as it stood on ``as_at`` (today by default): one row per recommendation.

    ``recommendations``: the ones to show (recommendations.filters.ActionPlanFilter's ``qs``),
    every one by default. A constant number of queries: the recommendations annotated with
    the id of their latest update and grade up to that date, then those updates and grades
    in one query each.
    """
    as_at = as_at or timezone.localdate()
    recommendations = list(
        (Recommendation.objects.all() if recommendations is None else recommendations)
        .filter(kind=kind)
        .select_related("policy_lead__organisation", "inspection")
        .annotate(latest_update_id=_latest(StatusUpdate, as_at), latest_assessment_id=_latest(Assessment, as_at))
        .order_by("inspection__published_on", "number")
    )
    updates = StatusUpdate.objects.select_related("source_item__meeting").in_bulk(
        [r.latest_update_id for r in recommendations if r.latest_update_id]
    )
    assessments = Assessment.objects.select_related("review").in_bulk(
        [r.latest_assessment_id for r in recommendations if r.latest_assessment_id]
    )
    return [
        PlanRow(r, updates.get(r.latest_update_id), assessments.get(r.latest_assessment_id)) for r in recommendations
    ]


def with_narratives(rows, *, as_at=None):
    """Give each row every update up to ``as_at`` (today by default), oldest first, in one query:
    the printed plan builds each recommendation's narrative over time, newest last, as the
    Scottish Government's plan does."""
    as_at = as_at or timezone.localdate()
    by_recommendation = {row.recommendation.pk: row for row in rows}
    updates = StatusUpdate.objects.filter(recommendation__in=by_recommendation, as_of__lte=as_at).order_by(
        "recommendation", "as_of", "id"
    )
    for update in updates:
        by_recommendation[update.recommendation_id].narrative.append(update)
    return rows


def plan_summary(rows):
    """Counts by status and progress band, in the order of the key."""
    by_status = dict.fromkeys(StatusUpdate.Status.values, 0)
    by_progress = dict.fromkeys(StatusUpdate.Progress.values, 0)
    for row in rows:
        if row.update:
            by_status[row.update.status] += 1
            by_progress[row.update.progress] += 1
    return {
        "by_status": [(StatusUpdate.Status(k).label, k, n) for k, n in by_status.items()],
        "by_progress": [(StatusUpdate.Progress(k).label, k, n) for k, n in by_progress.items()],
    }


def last_nsg_meeting_date(before=None):
    """The date of the last NSG meeting held before ``before`` (today by default)."""
    before = before or timezone.localdate()
    held = Meeting.statuses_from(Meeting.Status.HELD)
    meeting = Meeting.objects.filter(body__kind="nsg", date__lt=before, status__in=held).order_by("-date").first()
    return meeting.date if meeting else None


def changes_since(since, *, until=None):
    """Every update and grade dated after ``since`` (up to ``until``), newest first, as timeline entries."""
    until = until or timezone.localdate()
    updates = StatusUpdate.objects.filter(as_of__gt=since, as_of__lte=until).select_related(
        "recommendation", "recorded_by__person"
    )
    assessments = Assessment.objects.filter(as_of__gt=since, as_of__lte=until).select_related(
        "recommendation", "review"
    )
    entries = [("update", u.as_of, u) for u in updates] + [("assessment", a.as_of, a) for a in assessments]
    return sorted(entries, key=lambda e: (e[1], e[2].recommendation.number), reverse=True)


def divergences(as_at=None):
    """Rows where the government's status and the inspectors' latest grade disagree."""
    return [row for row in action_plan(as_at=as_at) if row.diverges]


def recommendation_page(pk):
    """One recommendation with its whole timeline, linked meeting items and actions."""
    recommendation = (
        Recommendation.objects.select_related("inspection", "policy_lead__organisation")
        .prefetch_related(
            "directed_at",
            Prefetch(
                "status_updates",
                queryset=StatusUpdate.objects.select_related("recorded_by__person", "source_item__meeting__body"),
            ),
            Prefetch("assessments", queryset=Assessment.objects.select_related("review", "recorded_by__person")),
            Prefetch("agenda_items", queryset=_items()),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("meeting")
                .prefetch_related("owner_people", "owner_organisations__parent", "owner_bodies")
                .order_by("meeting__date", "number"),
            ),
        )
        .get(pk=pk)
    )
    timeline = [("update", u.as_of, u) for u in recommendation.status_updates.all()] + [
        ("assessment", a.as_of, a) for a in recommendation.assessments.all()
    ]
    timeline.sort(key=lambda e: (e[1], 0 if e[0] == "update" else 1), reverse=True)
    return recommendation, timeline


def _items():
    return AgendaItem.objects.select_related("meeting__body").order_by("meeting__date", "position")


def latest_updates():
    """Each recommendation's latest update (by the date it describes, then the order recorded), as a queryset."""
    latest = StatusUpdate.objects.filter(recommendation=OuterRef("recommendation")).order_by("-as_of", "-id")
    return StatusUpdate.objects.filter(pk=Subquery(latest.values("pk")[:1]))


def review_dates_passed(today):
    """The latest updates whose review date has passed by ``today`` with no update since: what to remind of.

    A recommendation's review date is the one its latest update sets (as
    recommendations.services.review_dates.current_review_date reads it). It has passed when it
    is before ``today``; an update since is one describing the review date or a
    later day (``as_of``), and it would itself be the latest update, with its own
    review date or none. A met objective is not chased: nothing is left to review.
    One query, oldest review date first.
    """
    return list(
        latest_updates()
        .filter(review_date__lt=today, as_of__lt=F("review_date"))
        .exclude(status=StatusUpdate.Status.MET)
        .select_related("recommendation__inspection", "recommendation__policy_lead")
        .order_by(
            "review_date", "recommendation__inspection__published_on", "recommendation__kind", "recommendation__number"
        )
    )
