"""For the NSG meeting: the national case review table into a meeting's papers, and the areas'
approved updates into the SOG chairs' updates minute (from the minute editor).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mappa.access import SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings.models import AgendaItem, Meeting
from meetings.selectors.minutes import minute_editor
from meetings.services.meetings import MeetingStepRefused
from meetings.services.minutes import EditConflict
from reviews.forms import AttachTableForm, SogUpdatesForm
from reviews.selectors.nsg_meeting import (
    approved_by_area,
    case_review_table,
    meetings_for_papers,
    periods_with_approved_returns,
)
from reviews.services.nsg_meeting import add_sog_updates_to_minute, attach_case_review_table
from reviews.services.returns import ReturnRefused
from reviews.views.periods import period_or_404
from reviews.views.returns import not_allowed


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def case_review_table_attach(request, period):
    """The period's table of case review figures, and putting it (as PDF) into a meeting's papers."""
    period = period_or_404(period)
    if request.method not in ("GET", "POST"):
        return not_allowed()
    meetings = meetings_for_papers()
    if request.method == "POST":
        form = AttachTableForm(request.POST, meetings=meetings)
        if form.is_valid():
            meeting = form.cleaned_data["meeting"]
            try:
                paper, number = attach_case_review_table(period, meeting, by=request.user)
            except ReturnRefused as refusal:
                refusal_onto(form, refusal)
            else:
                what = "added to the papers" if number == 1 else f"version {number} added to the papers"
                messages.success(request, f"{paper.title}: {what} of {meeting}.")
                return redirect(
                    reverse("meetings:detail", kwargs={"pk": meeting.pk}) + f"#papers-{paper.agenda_item_id}"
                )
    else:
        form = AttachTableForm(meetings=meetings, initial={"meeting": meetings[0].pk if meetings else None})
    return render(
        request,
        "reviews/case_review_table.html",
        {
            "table": case_review_table(period),
            "form": form,
            "meetings": meetings,
        },
        status=400 if form.errors else 200,
    )


def _sog_updates_item_or_404(pk, item_pk):
    try:
        editor = minute_editor(pk, item_pk)
    except (Meeting.DoesNotExist, AgendaItem.DoesNotExist):
        raise Http404("No such agenda item") from None
    if editor.item.kind != AgendaItem.Kind.SOG_UPDATES:
        raise Http404("Areas' updates go only into the SOG chairs' updates item")
    return editor


def _render_sog_updates(request, editor, form, period, *, status=200):
    return render(
        request,
        "reviews/sog_updates.html",
        {
            "editor": editor,
            "form": form,
            "period": period,
            "updates": approved_by_area(period) if period else [],
        },
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def sog_updates_add(request, pk, item_pk):
    """Put each area's approved update into the SOG chairs' updates minute (from the minute editor's form).

    An empty minute is written at once; a minute with text is first shown with the
    updates to come, to choose between adding them after it and replacing it.
    """
    editor = _sog_updates_item_or_404(pk, item_pk)
    editor_url = reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item_pk})
    if request.method == "GET":
        return redirect(editor_url)
    if request.method != "POST":
        return not_allowed()
    form = SogUpdatesForm(request.POST, periods=periods_with_approved_returns())
    if not form.is_valid():
        return _render_sog_updates(request, editor, form, None, status=400)
    data = form.cleaned_data
    period = data["period"]
    if editor.item.narrative.strip() and not data["mode"]:
        if request.POST.get("confirming"):
            form.add_error("mode", "Select whether to add the updates after the text or replace it")
            return _render_sog_updates(request, editor, form, period, status=400)
        form = SogUpdatesForm(
            initial={**request.POST.dict(), "mode": SogUpdatesForm.APPEND}, periods=form.periods.values()
        )
        return _render_sog_updates(request, editor, form, period)
    try:
        item, updates = add_sog_updates_to_minute(
            editor.item,
            by=request.user,
            period=period,
            base_version=data["version"],
            replace=data["mode"] == SogUpdatesForm.REPLACE,
        )
    except EditConflict as conflict:
        # Offer the latest text to check, and let the person try again on top of it.
        editor.item = conflict.current
        form = SogUpdatesForm(
            {**request.POST.dict(), "version": conflict.current.version}, periods=form.periods.values()
        )
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this item's minute since you opened it, so nothing was added. "
            "Check its latest text below, then add the updates again.",
        )
        return _render_sog_updates(request, editor, form, period, status=409)
    except MeetingStepRefused as refusal:
        refusal_onto(form, refusal)
        return _render_sog_updates(request, editor, form, period, status=400)
    missing = sum(entry.ret is None for entry in updates)
    approved = len(updates) - missing
    note = (
        f" {missing} area{'s' if missing != 1 else ''} with no approved return {'are' if missing != 1 else 'is'} "
        "listed as such."
        if missing
        else ""
    )
    areas = "areas'" if approved != 1 else "area's"
    messages.success(
        request,
        f"Updates from {approved} {areas} approved returns for {period.label} added to item "
        f"{editor.number} (version {item.version}).{note} You can edit them below.",
    )
    return redirect(editor_url)
