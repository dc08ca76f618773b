"""Changes to the action plan: the secretariat records updates and the inspectorates' grades."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mappa.refusals import require_secretariat
from recommendations.models import Assessment, StatusUpdate


@transaction.atomic
def record_status_update(
    recommendation,
    *,
    by,
    as_of,
    narrative,
    status,
    progress,
    review_date=None,
    completion_date=None,
    source=StatusUpdate.Source.OTHER,
    source_item=None,
    source_note="",
):
    """Add a dated government update to a recommendation's action plan track."""
    require_secretariat(by, "record action plan updates")
    return StatusUpdate.objects.create(
        recommendation=recommendation,
        as_of=as_of,
        narrative=narrative.strip(),
        status=status,
        progress=progress,
        review_date=review_date,
        completion_date=completion_date,
        source=source,
        source_item=source_item if source == StatusUpdate.Source.MEETING_ITEM else None,
        source_note=source_note.strip(),
        recorded_by=by,
    )


def record_assessment(recommendation, *, by, review, as_of, grade, summary=""):
    """Record the inspectorates' grade of a recommendation in a review (one grade per review)."""
    require_secretariat(by, "record action plan updates")
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                recommendation=recommendation,
                review=review,
                as_of=as_of,
                grade=grade,
                summary=summary.strip(),
                recorded_by=by,
            )
    except IntegrityError:
        raise ValidationError({"review": "This recommendation already has a grade from that review"}) from None


def current_review_date(recommendation):
    """The review date set by the latest update, if any."""
    latest = recommendation.status_updates.order_by("-as_of", "-id").first()
    return latest.review_date if latest else None


# ----------------------------------------------------------------------------------------------
# Reminding of passed review dates: the policy lead, and the secretariat in one digest. The
# reminder log (reminders/) makes each go out exactly once per review date.
# ----------------------------------------------------------------------------------------------

import logging  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402

from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from recommendations.models import Recommendation  # noqa: E402
from reminders import services as reminders  # noqa: E402
from reminders.models import Reminder  # noqa: E402

REVIEW_KINDS = (Reminder.Kind.REVIEW_DATE_PASSED, Reminder.Kind.SECRETARIAT_REVIEW_DATES)
logger = logging.getLogger(__name__)


@dataclass
class ReviewDateChase(reminders.Chase):
    """A run's digests (reminders.services.Chase), with ``updates``: recommendation id → its latest update,
    for every recommendation past its review date (claimed now or not), and ``no_lead``: the ids of those
    with no policy lead named (only the secretariat hears of them)."""

    updates: dict
    no_lead: list


def review_key(recommendation_id, review_date):
    """The subject of a review date reminder: one per recommendation and review date, ever."""
    return f"recommendation:{recommendation_id}:review:{review_date.isoformat()}"


def review_date_of(subject_key):
    return date.fromisoformat(subject_key.rsplit(":", 1)[1])


def remind_review_dates(today, *, dry_run=False):
    """Work out, and unless ``dry_run`` claim, the review date reminders of ``today``.

    Every recommendation whose review date has passed with no update since
    (recommendations.selectors.review_dates_passed) goes to its policy lead, in one
    digest per lead, and to each member of the secretariat, in one digest listing
    them all with their leads: the secretariat records the updates, chases the
    leads and reports to the NSG, so it wants the whole picture in one e-mail
    rather than a copy of each lead's, and it hears of a recommendation with no
    policy lead named too. Each line goes to each person once per review date:
    the next run, and every run after, sends nothing more until an update sets a
    new review date and that one passes. Two queries to plan, whatever the number
    of recommendations; sending is the caller's job.
    """
    from recommendations.selectors import review_dates_passed

    passed = review_dates_passed(today)
    people = {}
    by_lead = {}
    for update in passed:
        lead = update.recommendation.policy_lead
        if lead is not None:
            people[lead.pk] = (lead.name, lead.email)
            by_lead.setdefault(lead.pk, []).append(
                reminders.Line(
                    lead.pk,
                    review_key(update.recommendation_id, update.review_date),
                    via="policy lead",
                    recommendation_id=update.recommendation_id,
                )
            )
    plan = [reminders.Digest(Reminder.Kind.REVIEW_DATE_PASSED, pk, lines) for pk, lines in by_lead.items()]
    if passed:
        for person_id, name, email in reminders.secretariat():
            people[person_id] = (name, email)
            plan.append(
                reminders.Digest(
                    Reminder.Kind.SECRETARIAT_REVIEW_DATES,
                    person_id,
                    [
                        reminders.Line(
                            person_id,
                            review_key(u.recommendation_id, u.review_date),
                            recommendation_id=u.recommendation_id,
                        )
                        for u in passed
                    ],
                )
            )
    plan.sort(key=lambda d: (people[d.recipient_id][0].casefold(), d.recipient_id, d.kind))
    no_lead = [u.recommendation_id for u in passed if u.recommendation.policy_lead_id is None]
    if no_lead:
        logger.warning(
            "Review dates of %s: %d recommendations past their review date have no policy lead (ids %s)",
            today,
            len(no_lead),
            ", ".join(map(str, no_lead[:20])),
        )
    digests, to_send = reminders.claim_or_preview(plan, today, REVIEW_KINDS, dry_run=dry_run)
    return ReviewDateChase(
        today, dry_run, digests, people, to_send, updates={u.recommendation_id: u for u in passed}, no_lead=no_lead
    )


def recommendation_label(recommendation):
    """ "Recommendation 2: Risk assessment of internet offenders" """
    return f"{recommendation.get_kind_display()} {recommendation.number}: {recommendation.short_title}"


def review_digest_context(recipient, rows):
    """Template context for a review date digest (a policy lead's or the secretariat's), oldest review date first.

    ``rows`` are the Reminder rows of one digest; each recommendation and its latest
    update are read as they are now (two queries for the whole digest).
    """
    from recommendations.selectors import latest_updates

    period = rows[0].period
    ids = [row.recommendation_id for row in rows]
    found = Recommendation.objects.select_related("inspection", "policy_lead").in_bulk(ids)
    latest = {u.recommendation_id: u for u in latest_updates().filter(recommendation_id__in=ids)}
    lines = []
    for row in rows:
        recommendation = found.get(row.recommendation_id)
        if recommendation is None:
            continue
        review_date = review_date_of(row.subject_key)
        lines.append(
            {
                "recommendation": recommendation,
                "label": recommendation_label(recommendation),
                "review_date": review_date,
                "days_since": (period - review_date).days,
                "update": latest.get(recommendation.pk),
                "link": settings.SITE_URL + recommendation.get_absolute_url(),
                "update_link": settings.SITE_URL + reverse("recommendations:update-create", args=[recommendation.pk]),
            }
        )
    lines.sort(
        key=lambda line: (
            line["review_date"],
            line["recommendation"].inspection.published_on,
            line["recommendation"].kind,
            line["recommendation"].number,
        )
    )
    return {
        "lines": lines,
        "no_lead": [line for line in lines if line["recommendation"].policy_lead_id is None],
        "plan_link": settings.SITE_URL + reverse("recommendations:plan"),
    }
