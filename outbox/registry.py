"""The kinds of e-mail the outbox sends, registered by the apps that cause them.

The outbox is generic: it imports no domain app. Each app registers its kinds
from its ``AppConfig.ready()`` (meetings.apps, reviews.apps), saying how to write
the message for a row and how to describe what the row is about for the log.
"""

from collections.abc import Callable
from dataclasses import dataclass

from mappa.registry import KindRegistry


class NotSent(Exception):
    """Raised by a builder when there is, rightly, nothing to send (the reason is kept on the row).

    E.g. a password reset for an address no account has: queued like any other, so
    the request that caused it takes the same time, and then not sent.
    """


@dataclass(frozen=True)
class EmailKind:
    name: str  # stored in Email.kind
    label: str  # in the secretariat's log: "Draft minutes for comment"
    # build(email, cache) -> EmailMessage: the message for one row, or raise NotSent. ``cache`` is
    # shared by the e-mails sent together, so a document every recipient gets (a PDF) is made once.
    build: Callable
    # describe(subject_ids) -> {subject id: (label, url)}: what each e-mail is about, for the log.
    describe: Callable


_KINDS = KindRegistry("E-mail kind")
register, kind = _KINDS.register, _KINDS.kind


def kinds():
    """Every registered kind, by label."""
    return sorted(_KINDS.kinds().values(), key=lambda k: k.label)
