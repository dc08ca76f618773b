"""The reminder digests about actions, registered with reminders.registry from ActionsConfig.ready()."""

from django.urls import reverse

from actions.chasing import action_digest_context
from reminders.models import Reminder
from reminders.registry import ReminderKind


def describe_action(row):
    """The log's line for an action reminder: the action's citation, linked to its page."""
    return row.action.citation, reverse("actions:detail", args=[row.action_id])


REMINDER_KINDS = [
    ReminderKind(Reminder.Kind.ACTION_DIGEST, "actions/email/digest", action_digest_context, describe_action),
    ReminderKind(
        Reminder.Kind.SECRETARIAT_OVERDUE_DIGEST,
        "actions/email/secretariat_digest",
        action_digest_context,
        describe_action,
    ),
]
