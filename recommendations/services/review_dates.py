"""Review dates: the one in force, and reminding of passed ones.

A recommendation's review date is the one its latest update sets. Once it has passed with
no update since, the policy lead hears of it, and the secretariat in one digest. The
reminder log (reminders/) makes each go out exactly once per review date.
"""

import logging
from dataclasses import dataclass
from datetime import date

from recommendations.selectors import review_dates_passed
from reminders import services as reminders
from reminders.models import Reminder

REVIEW_KINDS = (Reminder.Kind.REVIEW_DATE_PASSED, Reminder.Kind.SECRETARIAT_REVIEW_DATES)
logger = logging.getLogger(__name__)


def current_review_date(recommendation):
    """The review date set by the latest update, if any."""
    latest = recommendation.status_updates.order_by("-as_of", "-id").first()
    return latest.review_date if latest else None


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
