"""``{% meeting_tools meeting as tools %}``: what the signed-in user may do from a meeting's page.

Lets the meeting page offer "Edit agenda", "Record attendance" and "Propose an agenda
item", and show a member the items they proposed, without its view knowing about them.
"""

from django import template

from meetings.selectors import meetings as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_tools(context, meeting):
    return selectors.meeting_tools(meeting, context["request"].user)
