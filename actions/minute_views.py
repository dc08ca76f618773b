"""Recording actions at a meeting: a new action under an agenda item (from the minute editor), and an
update on an earlier action noted as a matter arising at item 2. Routed under /meetings/ by
actions/minute_urls.py; the minute editor itself is the meetings app's (meetings.views.minutes),
and shows these forms through actions/templatetags/minute_actions.py.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from actions import services
from actions.forms import ActionForm, MatterArisingForm
from actions.models import Action
from mappa.access import SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings.models import AgendaItem, Meeting
from meetings.selectors.meetings import next_meeting_of_body
from meetings.views.minutes import editor_or_404, render_minute_editor


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def action_create(request, pk, item_pk):
    """Record an action under the item (POST from the minute editor)."""
    editor = editor_or_404(pk, item_pk)
    if request.method != "POST":
        return redirect("meetings:minute-edit", pk=pk, item_pk=item_pk)
    form = ActionForm(request.POST, meeting=editor.meeting, next_meeting=next_meeting_of_body(editor.meeting))
    if not form.is_valid():
        return render_minute_editor(request, editor, error_form=form, action_form=form)
    data = form.cleaned_data
    try:
        action = services.record_action(
            editor.item,
            by=request.user,
            text=data["text"],
            due_date=data["due_date"],
            people=data["people"],
            organisations=data["organisations"],
            bodies=data["bodies"],
        )
    except services.ActionChangeRefused as refusal:
        refusal_onto(form, refusal)
        return render_minute_editor(request, editor, error_form=form, action_form=form)
    messages.success(request, f"{action.citation} added: {action.owner_label}, due {action.due_date:%-d %B %Y}.")
    return redirect(reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item_pk}) + "#actions")


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def matter_arising(request, pk, action_pk):
    """Record an update on an earlier action, or close it, as a matter arising at this meeting (POST)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    action = get_object_or_404(Action.objects.select_related("meeting"), pk=action_pk)
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.PREVIOUS_MINUTES).first()
    back = (
        reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item.pk}) if item else meeting.get_absolute_url()
    )
    if request.method == "POST":
        form = MatterArisingForm(request.POST, prefix=f"action-{action.pk}")
        if form.is_valid():
            try:
                services.record_matter_arising(
                    action,
                    by=request.user,
                    at_meeting=meeting,
                    text=form.cleaned_data["text"],
                    new_status=form.cleaned_data["new_status"],
                )
            except services.ActionChangeRefused as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(request, f"Update recorded against {action.citation}.")
        else:
            messages.error(request, f"{action.citation}: " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(back + f"#action-{action.pk}")
