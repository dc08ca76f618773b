"""The reminder digests about review dates, registered with reminders.registry from RecommendationsConfig.ready()."""

from recommendations.services.review_dates import review_date_of
from recommendations.services.review_digests import recommendation_label, review_digest_context
from reminders.models import Reminder
from reminders.registry import ReminderKind


def describe_review_date(row):
    """The log's line for a review date reminder: the recommendation and the date, linked to its page."""
    label = f"{recommendation_label(row.recommendation)}: review date {review_date_of(row.subject_key):%-d %B %Y}"
    return label, row.recommendation.get_absolute_url()


REMINDER_KINDS = [
    ReminderKind(
        Reminder.Kind.REVIEW_DATE_PASSED,
        "recommendations/email/review_dates",
        review_digest_context,
        describe_review_date,
        once=True,
    ),
    ReminderKind(
        Reminder.Kind.SECRETARIAT_REVIEW_DATES,
        "recommendations/email/secretariat_review_dates",
        review_digest_context,
        describe_review_date,
        once=True,
    ),
]
