"""The secretariat's agenda editor: add, edit, remove and move items while the agenda may change."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mappa.access import SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings import forms as meeting_forms
from meetings.models import AgendaItem, Meeting
from meetings.numbering import numbered_agenda
from meetings.selectors import agenda as selectors
from meetings.services import agenda as services
from meetings.services.meetings import MeetingStepRefused


def agenda_editor_or_404(pk):
    try:
        return selectors.agenda_editor(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def _agenda_item_or_404(pk, item_pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=item_pk, meeting_id=pk)
    return item


def agenda_url(pk, item=None):
    url = reverse("meetings:agenda", kwargs={"pk": pk})
    return f"{url}#item-{item.pk}" if item is not None else url


def number_of(item):
    agenda = numbered_agenda(list(AgendaItem.objects.filter(meeting_id=item.meeting_id)))
    return next((entry.number for entry in agenda if entry.item.pk == item.pk), "")


def render_agenda(request, editor, *, decision_forms=None, form=None, status=200):
    decision_forms = decision_forms or {}
    for proposal in editor.pending:
        proposal.decision_form = decision_forms.get(proposal.pk) or meeting_forms.ProposalDecisionForm(
            prefix=f"proposal-{proposal.pk}"
        )
    return render(request, "meetings/agenda_edit.html", {"editor": editor, "form": form}, status=status)


@allow(read=SECRETARIAT)
def agenda_edit(request, pk):
    """The secretariat's agenda: every item with its controls, and the proposals awaiting a decision."""
    return render_agenda(request, agenda_editor_or_404(pk))


def _not_editable(request, meeting):
    messages.error(
        request,
        f"The agenda can only be changed while the meeting is planned or its agenda issued; "
        f"this meeting is “{meeting.get_status_display()}”.",
    )
    return redirect("meetings:agenda", pk=meeting.pk)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def agenda_item_add(request, pk):
    """Add an item, or a sub-item (``?parent=<item id>`` chooses its parent)."""
    editor = agenda_editor_or_404(pk)
    if not editor.editable:
        return _not_editable(request, editor.meeting)
    parent = meeting_forms.AgendaItemParams.cleaned(request.GET)["parent"]
    form = meeting_forms.AgendaItemForm(
        request.POST or None,
        meeting=editor.meeting,
        numbers=editor.numbers,
        initial={"parent": parent} if parent else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_agenda_item(editor.meeting, by=request.user, **form.cleaned_data)
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Item {number_of(item)} added: {item.title}.")
            return redirect(agenda_url(pk, item))
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"editor": editor, "form": form, "item": None},
        status=400 if form.errors else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def agenda_item_edit(request, pk, item_pk):
    item = _agenda_item_or_404(pk, item_pk)
    editor = agenda_editor_or_404(pk)
    if not editor.editable:
        return _not_editable(request, editor.meeting)
    form = meeting_forms.AgendaItemForm(
        request.POST or None,
        meeting=editor.meeting,
        adding=False,
        initial={
            "title": item.title,
            "description": item.description,
            "lead_person": item.lead_person_id,
            "lead_organisation": item.lead_organisation_id,
            "minutes_allotted": item.minutes_allotted,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.edit_agenda_item(item, by=request.user, **form.cleaned_data)
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Item {editor.numbers.get(item.pk, '')} saved: {item.title}.")
            return redirect(agenda_url(pk, item))
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"editor": editor, "form": form, "item": item, "number": editor.numbers.get(item.pk)},
        status=400 if form.errors else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def agenda_item_remove(request, pk, item_pk):
    """Ask before removing an item (GET); remove it (POST), or say why it cannot be."""
    item = _agenda_item_or_404(pk, item_pk)
    editor = agenda_editor_or_404(pk)
    if not editor.editable:
        return _not_editable(request, editor.meeting)
    number = editor.numbers.get(item.pk)
    refusal = None
    if request.method == "POST":
        try:
            services.remove_agenda_item(item, by=request.user)
        except MeetingStepRefused as refused:
            refusal = " ".join(refused.messages)
        else:
            messages.success(request, f"Item {number} removed: {item.title}. The items after it are renumbered.")
            return redirect(agenda_url(pk))
    return render(
        request,
        "meetings/agenda_item_remove.html",
        {
            "editor": editor,
            "item": item,
            "number": number,
            "blockers": selectors.removal_blockers(item),
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once  # not a creation, but a double click must not move the item two places
def agenda_item_move(request, pk, item_pk):
    """Move an item up or down among its siblings (POST ``direction``); GET shows the agenda."""
    item = _agenda_item_or_404(pk, item_pk)
    if request.method != "POST":
        return redirect(agenda_url(pk, item))
    direction = request.POST.get("direction")
    try:
        item = services.move_agenda_item(item, by=request.user, direction=direction)
    except MeetingStepRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"“{item.title}” moved {direction}: it is now item {number_of(item)}.")
    return redirect(agenda_url(pk, item))
