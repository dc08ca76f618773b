"""{% sog_updates_form editor %}: on the minute editor's SOG chairs' updates item, the form that fills it in
from the areas' approved returns (reviews.views.nsg_meeting.sog_updates_add). The meetings app knows
nothing of returns; its editor template only loads this tag.
"""

from django import template

from meetings.models import AgendaItem
from meetings.rules import DRAFTABLE
from reviews.forms import SogUpdatesForm
from reviews.selectors.nsg_meeting import period_for_meeting, periods_with_approved_returns

register = template.Library()


@register.inclusion_tag("reviews/includes/sog_updates_form.html")
def sog_updates_form(editor):
    item = editor.item
    if item.kind != AgendaItem.Kind.SOG_UPDATES or editor.meeting.status not in DRAFTABLE:
        return {"show": False}
    periods = periods_with_approved_returns()
    default = period_for_meeting(editor.meeting.date, periods)
    form = SogUpdatesForm(
        initial={"period": default.slug if default else None, "version": item.version},
        periods=periods,
        auto_id="id_sog_%s",
    )
    return {"show": True, "editor": editor, "form": form, "periods": periods, "default": default}
