"""Drafting the minute item by item, its saved versions, agreeing the previous minutes at item 2,
what changed between the circulated draft and the agreed minute, and reopening agreed minutes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.refusals import refusal_onto
from meetings.forms import (
    AgreePreviousMinutesForm,
    MinuteForm,
    ReopenMinutesForm,
)
from meetings.models import AgendaItem, Meeting
from meetings.rules import DRAFTABLE, may_read_minutes, may_reopen_minutes
from meetings.selectors import minutes as selectors
from meetings.services import meetings as meeting_services
from meetings.services import minutes as services
from meetings.services.meetings import MeetingStepRefused


def editor_or_404(pk, item_pk):
    """The minute editor of one agenda item (meetings.selectors.minutes.minute_editor), or 404."""
    try:
        return selectors.minute_editor(pk, item_pk)
    except (Meeting.DoesNotExist, AgendaItem.DoesNotExist):
        raise Http404("No such agenda item") from None


def render_minute_editor(request, editor, *, minute_form=None, conflict=None, error_form=None, status=200, **extra):
    """The minute editor page.

    Other apps' parts of the page come from the template tags it loads (the actions raised
    under the item, matters arising, the SOG chairs' updates). A view of theirs that shows
    the page again with its own form's errors passes that form as ``error_form`` (for the
    error summary) and under the name its tag reads, in ``extra``.
    """
    minute_form = minute_form or MinuteForm(
        initial={"narrative": editor.item.narrative, "decisions": editor.item.decisions, "version": editor.item.version}
    )
    panel = editor.previous_panel
    return render(
        request,
        "meetings/minute_editor.html",
        {
            "agree_form": AgreePreviousMinutesForm(undecided_comments=panel.undecided_comments if panel else 0),
            "editor": editor,
            "minute_form": minute_form,
            "conflict": conflict,
            "form": minute_form if minute_form.errors else error_form,
            "draftable": editor.meeting.status in DRAFTABLE,
            **extra,
        },
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def minute_edit(request, pk, item_pk):
    """Draft one item's minute. Autosave (htmx) gets a small status fragment; Save reloads the page."""
    editor = editor_or_404(pk, item_pk)
    if request.method != "POST":
        return render_minute_editor(request, editor)
    autosave = request.headers.get("HX-Request") == "true"
    form = MinuteForm(request.POST)
    if not form.is_valid():
        if autosave:
            return render(request, "meetings/includes/autosave_status.html", {"error": True}, status=422)
        return render_minute_editor(request, editor, minute_form=form)
    try:
        item = services.save_minute(
            editor.item,
            by=request.user,
            narrative=form.cleaned_data["narrative"],
            decisions=form.cleaned_data["decisions"],
            base_version=form.cleaned_data["version"],
        )
    except services.EditConflict as conflict:
        if autosave:
            return render(request, "meetings/includes/autosave_status.html", {"conflict": conflict.current}, status=409)
        latest = selectors.minute_history(conflict.current).first()
        # Keep what this user typed; offer the saved version beside it. Saving again, on
        # purpose, builds on the newer version.
        merge_form = MinuteForm(initial={**form.cleaned_data, "version": conflict.current.version})
        return render_minute_editor(
            request,
            editor,
            minute_form=merge_form,
            conflict={"current": conflict.current, "latest": latest, "yours": form.cleaned_data},
            status=409,
        )
    except MeetingStepRefused as refusal:
        form.add_error(None, refusal.messages)
        return render_minute_editor(request, editor, minute_form=form)
    if autosave:
        return render(request, "meetings/includes/autosave_status.html", {"item": item})
    messages.success(request, f"Item {editor.number} saved.")
    return redirect("meetings:minute-edit", pk=pk, item_pk=item_pk)


@allow(read=SECRETARIAT)
def minute_history(request, pk, item_pk):
    editor = editor_or_404(pk, item_pk)
    return render(
        request, "meetings/minute_history.html", {"editor": editor, "versions": selectors.minute_history(editor.item)}
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def agree_previous_minutes(request, pk):
    """At this meeting's item 2, agree the previous meeting's minutes as a true record (POST).

    A refusal (the meeting not yet held, comments still undecided) shows item 2 again with the
    error beside what was typed.
    """
    meeting = get_object_or_404(Meeting, pk=pk)
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.PREVIOUS_MINUTES).order_by("position").first()
    if item is None:
        messages.error(request, "This meeting's agenda has no item for the previous minutes.")
        return redirect(meeting)
    back = reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item.pk})
    editor = editor_or_404(pk, item.pk)
    panel = editor.previous_panel
    if request.method != "POST" or panel.previous is None:
        return redirect(back)
    form = AgreePreviousMinutesForm(request.POST, undecided_comments=panel.undecided_comments)
    if form.is_valid():
        try:
            meeting_services.advance_meeting(
                panel.previous,
                Meeting.Status.MINUTES_AGREED,
                by=request.user,
                agreed_at=meeting,
                subject_to=form.cleaned_data["subject_to"],
                confirm_undecided=form.cleaned_data.get("confirm_undecided", False),
            )
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"The minutes of {panel.previous.date:%-d %B %Y} are agreed as a true record.")
            return redirect(back)
    return render_minute_editor(request, editor, agree_form=form, error_form=form, status=400)


@allow(read=EVERYONE)
def minutes_changes(request, pk):
    """What changed between the circulated draft and the agreed minute."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not may_read_minutes(request.user, meeting):
        raise Http404("No such minute")
    return render(
        request, "meetings/minutes_changes.html", {"meeting": meeting, "changes": selectors.minutes_changes(meeting)}
    )


NOT_AGREED = "These minutes are not agreed, so there is nothing to reopen: only agreed minutes can be reopened."


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["GET", "POST"])
def minutes_reopen(request, pk):
    """The secretariat reopens agreed minutes to correct them, saying why (POST); GET asks why.

    The minutes go back to "Draft minutes circulated"; the agreed version and its kept PDF go
    (meetings.services.meetings.reopen_minutes). Minutes that are not agreed (or no longer are:
    reopened meanwhile) send the secretariat back to the meeting page, which says so.
    """
    meeting = get_object_or_404(Meeting.objects.select_related("body", "agreed_at"), pk=pk)
    if not may_reopen_minutes(request.user, meeting):
        messages.info(request, NOT_AGREED)
        return redirect(meeting)
    form = ReopenMinutesForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            meeting_services.reopen_minutes(meeting, by=request.user, reason=form.cleaned_data["reason"])
        except MeetingStepRefused as refusal:
            if not hasattr(refusal, "error_dict"):  # no longer agreed: nothing on this form to correct
                messages.info(request, " ".join(refusal.messages))
                return redirect(meeting)
            refusal_onto(form, refusal)
        else:
            messages.success(
                request,
                f"Minutes reopened: the minutes of {meeting.date:%-d %B %Y} are a circulated draft again. "
                "Correct them, then agree them again.",
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_reopen.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )
