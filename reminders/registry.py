"""The kinds of reminder digest, registered by the apps that chase them.

The reminder log is generic: none of its modules imports a domain app. Each
chasing app registers its kinds from its ``AppConfig.ready()`` (actions.apps,
recommendations.apps, reviews.apps), saying how to write the digest and how to
describe a line of it in the secretariat's log. The same pattern as
outbox.registry, for the outbox's e-mails.
"""

from collections.abc import Callable
from dataclasses import dataclass

from mappa.registry import KindRegistry


@dataclass(frozen=True)
class ReminderKind:
    name: str  # a Reminder.Kind value, stored in Reminder.kind
    templates: str  # "actions/email/digest": + "_subject.txt", ".txt", ".html"
    # context(recipient, reminders) -> dict for the templates (the rows of one digest).
    context: Callable
    # describe(row) -> (label, url): what one line of the log is about, linked.
    describe: Callable
    # Each line goes to each person once, ever: its subject key names the occasion (a review
    # date, a stage of a return), so the interval rule is not enough.
    once: bool = False
    # At most one e-mail of this kind to each person in an ISO week (Monday to Sunday).
    weekly: bool = False


_KINDS = KindRegistry("Reminder kind")
register, kind, kinds = _KINDS.register, _KINDS.kind, _KINDS.kinds
