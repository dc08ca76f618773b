"""The reminder digests about quarterly returns, registered with reminders.registry from ReviewsConfig.ready()."""

from reminders.models import Reminder
from reminders.registry import ReminderKind
from reviews.chasing import late_returns_context, occasion_label, return_digest_context, return_link


def describe_return(row):
    """The log's line for a return reminder: the area's return for the period and the occasion, linked."""
    label = f"{row.area.name} return for {row.reporting_period.label} ({occasion_label(row.subject_key)})"
    return label, return_link(row.reporting_period, row.area, absolute=False)


REMINDER_KINDS = [
    ReminderKind(
        Reminder.Kind.RETURN_DUE, "reviews/email/return_due", return_digest_context, describe_return, once=True
    ),
    ReminderKind(
        Reminder.Kind.SECRETARIAT_LATE_RETURNS,
        "reviews/email/late_returns",
        late_returns_context,
        describe_return,
        once=True,
        weekly=True,
    ),
]
