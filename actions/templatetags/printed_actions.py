"""An agenda item's actions as the minute prints them, for the meetings app's pages that show the minute
(the draft out for comment: templates/meetings/minute_comments.html).

``{% printed_actions entry %}`` draws ``entry.actions``, which this app's minute part loads onto
each agenda entry (actions.minutes.documents, asked by the meetings app through meetings/registry.py),
in the words and order of the minute itself (templates/documents/minutes.html): owner, text, due
date, number. The meetings app only loads this library; it imports nothing from actions.
"""

from django import template

register = template.Library()


@register.inclusion_tag("actions/includes/printed_actions.html")
def printed_actions(entry):
    return {"actions": getattr(entry, "actions", [])}
