"""The minute editor's actions, drawn by this app into the meetings app's page (meetings/minute_editor.html):

* ``{% item_actions editor %}``: the actions raised under the item, and the form that records
  another (actions.minute_views.action_create). When that view shows the page again with
  the form's errors, it passes the form as ``action_form``.
* ``{% matters_arising editor %}``: at item 2, every open action from the group's earlier
  meetings, each with the form that records an update on it (actions.minute_views.matter_arising).

The meetings app knows nothing of actions; its editor template only loads these tags
(as it does reviews_minutes for the SOG chairs' updates).
"""

from django import template

from actions.forms import ActionForm, MatterArisingForm
from actions.minutes import item_actions as actions_of
from actions.minutes import matters_arising as open_earlier_actions
from meetings.models import AgendaItem
from meetings.rules import DRAFTABLE
from meetings.selectors.meetings import next_meeting_of_body

register = template.Library()


@register.inclusion_tag("actions/includes/item_actions.html", takes_context=True)
def item_actions(context, editor):
    form = context.get("action_form") or ActionForm(
        meeting=editor.meeting, next_meeting=next_meeting_of_body(editor.meeting)
    )
    return {
        "editor": editor,
        "actions": actions_of(editor.item),
        "action_form": form,
        "draftable": editor.meeting.status in DRAFTABLE,
    }


@register.inclusion_tag("actions/includes/matters_arising.html")
def matters_arising(editor):
    if editor.item.kind != AgendaItem.Kind.PREVIOUS_MINUTES:
        return {"show": False}
    actions = open_earlier_actions(editor.meeting)
    for action in actions:
        action.arising_form = MatterArisingForm(prefix=f"action-{action.pk}")
    return {"show": True, "editor": editor, "actions": actions}
