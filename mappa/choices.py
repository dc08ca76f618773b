"""Statuses that carry their colour as well as their wording.

A status shown as a GOV.UK tag is a ``StatusChoices``: its members are declared as
any TextChoices' are, and ``colours`` maps each value to its GOV.UK tag colour::

    class Status(StatusChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

        colours = nonmember({"open": "blue", "done": "green"})

    Status.OPEN.colour  # "blue"

``nonmember`` keeps the mapping a plain attribute rather than a member, so the
field's choices (and so its migrations) are just the members. Templates show a
status with ``{% include "includes/status_tag.html" with status=... %}``; the
``choice`` filter (mappa.templatetags.status_tags) turns a record and a field name
into the member.
"""

from enum import nonmember

from django.db import models

__all__ = ["TAG_COLOURS", "StatusChoices", "nonmember"]

# The GOV.UK Frontend tag modifiers (govuk-tag--<colour>).
TAG_COLOURS = frozenset(
    {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"}
)


class StatusChoices(models.TextChoices):
    """TextChoices whose members each have a GOV.UK tag colour, from the class's ``colours``."""

    @property
    def colour(self):
        """The GOV.UK tag colour that goes with the status."""
        return self.colours[self.value]
