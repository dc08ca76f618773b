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

__all__ = ["TAG_COLOURS", "TAG_SHADES", "StatusChoices", "nonmember"]

# The GOV.UK Frontend tag modifiers (govuk-tag--<colour>).
TAG_COLOURS = frozenset(
    {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"}
)


# Each tag colour's text and background, as GOV.UK Frontend draws .govuk-tag--<colour> (the
# version in package-lock.json; tests/mappa/test_status_tags.py checks them against the built
# stylesheet). Documents (WeasyPrint) and charts (pygal) cannot use the stylesheet: they take
# the same colours from here, so a status looks the same on the page, in a PDF and in a chart.
TAG_SHADES = {
    "grey": ("#282d30", "#e5e6e7"),
    "green": ("#005a30", "#cce2d8"),
    "turquoise": ("#10403c", "#d4ecea"),
    "blue": ("#0c2d4a", "#bbd4ea"),
    "light-blue": ("#0c2d4a", "#e8f1f8"),
    "purple": ("#491644", "#efdfed"),
    "pink": ("#6b1c40", "#f9e1ec"),
    "red": ("#2a0b06", "#f4cdc6"),
    "orange": ("#6e3619", "#fcd6c3"),
    "yellow": ("#594d00", "#fff7bf"),
}


class StatusChoices(models.TextChoices):
    """TextChoices whose members each have a GOV.UK tag colour, from the class's ``colours``."""

    @property
    def colour(self):
        """The GOV.UK tag colour that goes with the status."""
        return self.colours[self.value]

    @property
    def shades(self):
        """(text, background) of the status's tag, for documents and charts."""
        return TAG_SHADES[self.colour]
