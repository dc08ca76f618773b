"""Meeting pages. Views parse the request, call a selector or service, and render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actions import services as action_services
from actions.forms import ActionForm
from actions.models import Action
from mappa.access import EVERYONE, SECRETARIAT, allow, has_role
from mappa.pagination import govuk_pagination, page_of
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings import forms as meeting_forms
from meetings import selectors, services
from meetings.forms import (
    AdvanceMeetingForm,
    AgreePreviousMinutesForm,
    CommentDecisionForm,
    CommentForm,
    MatterArisingForm,
    MeetingForm,
    MinuteForm,
)
from meetings.models import AgendaItem, AgendaProposal, Attendance, Meeting, MinuteComment
from meetings.numbering import numbered_agenda
from meetings.rules import COMMENTERS, DRAFTABLE, PROPOSERS, may_read_minutes


@allow(read=EVERYONE)
def meeting_list(request):
    params = meeting_forms.MeetingListParams.cleaned(request.GET)
    body_slug, when = params["body"] or None, params["when"] or None
    page = page_of(
        selectors.meeting_list(body_slug=body_slug, when=when), request.GET.get("page"), selectors.MEETINGS_PER_PAGE
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "pagination": govuk_pagination(page, request.GET),
            "bodies": selectors.bodies_with_meetings(),
            "selected_body": body_slug,
            "when": when,
            "can_plan": has_role(request.user, *SECRETARIAT),
        },
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(by=request.user, **form.cleaned_data)
        messages.success(request, f"Meeting planned: {meeting}. Its agenda starts from the group's standing agenda.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


def _meeting_page_or_404(pk, user):
    try:
        return selectors.meeting_page(pk, user)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


@allow(read=EVERYONE)
def meeting_detail(request, pk):
    page = _meeting_page_or_404(pk, request.user)
    form = None
    if page.can_manage and page.meeting.next_status:
        form = AdvanceMeetingForm(
            meeting=page.meeting, agreeable_meetings=selectors.later_meetings_of_same_body(page.meeting)
        )
    return render(request, "meetings/meeting_detail.html", {"page": page, "advance_form": form})


@allow(read=SECRETARIAT, write=SECRETARIAT)
def meeting_advance(request, pk):
    """Take the meeting's next lifecycle step (POST); GET shows the meeting page."""
    page = _meeting_page_or_404(pk, request.user)
    meeting = page.meeting
    if request.method != "POST":
        return redirect(meeting)
    form = AdvanceMeetingForm(
        request.POST, meeting=meeting, agreeable_meetings=selectors.later_meetings_of_same_body(meeting)
    )
    expected = request.POST.get("to_status")
    if form.is_valid():
        try:
            services.advance_meeting(meeting, expected, by=request.user, **form.cleaned_data)
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            message = f"{meeting}: {Meeting.Status(expected).label}."
            if expected == Meeting.Status.DRAFT_CIRCULATED:
                # True whether or not the task queue is up: the e-mails are in the outbox either way.
                message += " The draft is on its way to the group's members by e-mail."
            messages.success(request, message)
            return redirect(meeting)
    return render(
        request, "meetings/meeting_detail.html", {"page": page, "advance_form": form, "form": form}, status=400
    )


def _editor_or_404(pk, item_pk):
    try:
        return selectors.minute_editor(pk, item_pk)
    except (Meeting.DoesNotExist, AgendaItem.DoesNotExist):
        raise Http404("No such agenda item") from None


def _render_editor(request, editor, *, minute_form=None, action_form=None, conflict=None, status=200):
    minute_form = minute_form or MinuteForm(
        initial={"narrative": editor.item.narrative, "decisions": editor.item.decisions, "version": editor.item.version}
    )
    action_form = action_form or ActionForm(meeting=editor.meeting, next_meeting=editor.next_meeting)
    if editor.previous_panel:
        for action in editor.previous_panel.matters_arising:
            action.arising_form = MatterArisingForm(prefix=f"action-{action.pk}")
    return render(
        request,
        "meetings/minute_editor.html",
        {
            "agree_form": AgreePreviousMinutesForm(),
            "editor": editor,
            "minute_form": minute_form,
            "action_form": action_form,
            "conflict": conflict,
            "form": minute_form if minute_form.errors else action_form if action_form.errors else None,
            "draftable": editor.meeting.status in DRAFTABLE,
        },
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def minute_edit(request, pk, item_pk):
    """Draft one item's minute. Autosave (htmx) gets a small status fragment; Save reloads the page."""
    editor = _editor_or_404(pk, item_pk)
    if request.method != "POST":
        return _render_editor(request, editor)
    autosave = request.headers.get("HX-Request") == "true"
    form = MinuteForm(request.POST)
    if not form.is_valid():
        if autosave:
            return render(request, "meetings/includes/autosave_status.html", {"error": True}, status=422)
        return _render_editor(request, editor, minute_form=form)
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
        return _render_editor(
            request,
            editor,
            minute_form=merge_form,
            conflict={"current": conflict.current, "latest": latest, "yours": form.cleaned_data},
            status=409,
        )
    except services.MeetingStepRefused as refusal:
        form.add_error(None, refusal.messages)
        return _render_editor(request, editor, minute_form=form)
    if autosave:
        return render(request, "meetings/includes/autosave_status.html", {"item": item})
    messages.success(request, f"Item {editor.number} saved.")
    return redirect("meetings:minute-edit", pk=pk, item_pk=item_pk)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def action_create(request, pk, item_pk):
    """Record an action under the item (POST from the minute editor)."""
    editor = _editor_or_404(pk, item_pk)
    if request.method != "POST":
        return redirect("meetings:minute-edit", pk=pk, item_pk=item_pk)
    form = ActionForm(request.POST, meeting=editor.meeting, next_meeting=editor.next_meeting)
    if not form.is_valid():
        return _render_editor(request, editor, action_form=form)
    data = form.cleaned_data
    action = action_services.record_action(
        editor.item,
        by=request.user,
        text=data["text"],
        due_date=data["due_date"],
        people=data["people"],
        organisations=data["organisations"],
        bodies=data["bodies"],
    )
    messages.success(request, f"{action.citation} added: {action.owner_label}, due {action.due_date:%-d %B %Y}.")
    return redirect(reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item_pk}) + "#actions")


@allow(read=SECRETARIAT)
def minute_history(request, pk, item_pk):
    editor = _editor_or_404(pk, item_pk)
    return render(
        request, "meetings/minute_history.html", {"editor": editor, "versions": selectors.minute_history(editor.item)}
    )


COMMENT_READERS = frozenset(COMMENTERS)


@allow(read=COMMENT_READERS, write=COMMENT_READERS)
@submitted_once
def minute_comments(request, pk):
    """The circulated draft, item by item: members comment; the secretariat sees and decides every comment."""
    try:
        page = selectors.comment_page(pk, request.user)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None
    errors = {}
    if request.method == "POST":
        item_pk = meeting_forms.CommentParams.cleaned(request.POST)["item"]
        item = get_object_or_404(page.meeting.agenda_items, pk=item_pk)
        form = CommentForm(request.POST, prefix=f"item-{item_pk}")
        if form.is_valid():
            try:
                services.add_comment(item, by=request.user, text=form.cleaned_data["text"])
            except services.MeetingStepRefused as refusal:
                form.add_error(None, refusal.messages)
            else:
                messages.success(request, "Your comment has been sent to the secretariat.")
                return redirect(reverse("meetings:comments", kwargs={"pk": pk}) + f"#item-{item_pk}")
        errors[item.pk] = form
    for entry in page.items:
        entry.comment_form = errors.get(entry.item.id) or CommentForm(prefix=f"item-{entry.item.id}")
        for comment in entry.comments:
            comment.decision_form = CommentDecisionForm(prefix=f"comment-{comment.pk}")
    first_error = next(iter(errors.values()), None)
    return render(
        request, "meetings/minute_comments.html", {"page": page, "form": first_error}, status=400 if errors else 200
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def comment_decide(request, pk, comment_pk):
    """Accept a comment, or not, saying what changed (POST)."""
    comment = get_object_or_404(MinuteComment, meeting_id=pk, pk=comment_pk)
    if request.method == "POST":
        form = CommentDecisionForm(request.POST, prefix=f"comment-{comment.pk}")
        if form.is_valid():
            try:
                services.decide_comment(
                    comment,
                    by=request.user,
                    accepted=form.cleaned_data["decision"] == "accepted",
                    change_made=form.cleaned_data["change_made"],
                )
            except services.MeetingStepRefused as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(request, "Decision recorded.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("meetings:comments", kwargs={"pk": pk}) + f"#comment-{comment_pk}")


@allow(read=SECRETARIAT, write=SECRETARIAT)
def agree_previous_minutes(request, pk):
    """At this meeting's item 2, agree the previous meeting's minutes as a true record (POST)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    panel = selectors.previous_minutes_panel(meeting)
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.PREVIOUS_MINUTES).first()
    back = (
        reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item.pk}) if item else meeting.get_absolute_url()
    )
    if request.method == "POST" and panel.previous is not None:
        form = AgreePreviousMinutesForm(request.POST)
        if form.is_valid():
            try:
                services.advance_meeting(
                    panel.previous,
                    Meeting.Status.MINUTES_AGREED,
                    by=request.user,
                    agreed_at=meeting,
                    subject_to=form.cleaned_data["subject_to"],
                )
            except services.MeetingStepRefused as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(
                    request, f"The minutes of {panel.previous.date:%-d %B %Y} are agreed as a true record."
                )
    return redirect(back)


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
            except services.MeetingStepRefused as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(request, f"Update recorded against {action.citation}.")
        else:
            messages.error(request, f"{action.citation}: " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(back + f"#action-{action.pk}")


@allow(read=EVERYONE)
def minutes_changes(request, pk):
    """What changed between the circulated draft and the agreed minute."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not may_read_minutes(request.user, meeting):
        raise Http404("No such minute")
    return render(
        request, "meetings/minutes_changes.html", {"meeting": meeting, "changes": selectors.minutes_changes(meeting)}
    )


# ----------------------------------------------------------------------------------------------
# The agenda editor, the call for agenda items, attendance recording and the attendance summary.
# ----------------------------------------------------------------------------------------------


def _agenda_editor_or_404(pk):
    try:
        return selectors.agenda_editor(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def _agenda_item_or_404(pk, item_pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=item_pk, meeting_id=pk)
    return item


def _agenda_url(pk, item=None):
    url = reverse("meetings:agenda", kwargs={"pk": pk})
    return f"{url}#item-{item.pk}" if item is not None else url


def _number_of(item):
    agenda = numbered_agenda(list(AgendaItem.objects.filter(meeting_id=item.meeting_id)))
    return next((entry.number for entry in agenda if entry.item.pk == item.pk), "")


def _render_agenda(request, editor, *, decision_forms=None, form=None, status=200):
    decision_forms = decision_forms or {}
    for proposal in editor.pending:
        proposal.decision_form = decision_forms.get(proposal.pk) or meeting_forms.ProposalDecisionForm(
            prefix=f"proposal-{proposal.pk}"
        )
    return render(request, "meetings/agenda_edit.html", {"editor": editor, "form": form}, status=status)


@allow(read=SECRETARIAT)
def agenda_edit(request, pk):
    """The secretariat's agenda: every item with its controls, and the proposals awaiting a decision."""
    return _render_agenda(request, _agenda_editor_or_404(pk))


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
    editor = _agenda_editor_or_404(pk)
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
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Item {_number_of(item)} added: {item.title}.")
            return redirect(_agenda_url(pk, item))
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"editor": editor, "form": form, "item": None},
        status=400 if form.errors else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def agenda_item_edit(request, pk, item_pk):
    item = _agenda_item_or_404(pk, item_pk)
    editor = _agenda_editor_or_404(pk)
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
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Item {editor.numbers.get(item.pk, '')} saved: {item.title}.")
            return redirect(_agenda_url(pk, item))
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
    editor = _agenda_editor_or_404(pk)
    if not editor.editable:
        return _not_editable(request, editor.meeting)
    number = editor.numbers.get(item.pk)
    refusal = None
    if request.method == "POST":
        try:
            services.remove_agenda_item(item, by=request.user)
        except services.MeetingStepRefused as refused:
            refusal = " ".join(refused.messages)
        else:
            messages.success(request, f"Item {number} removed: {item.title}. The items after it are renumbered.")
            return redirect(_agenda_url(pk))
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
        return redirect(_agenda_url(pk, item))
    direction = request.POST.get("direction")
    try:
        item = services.move_agenda_item(item, by=request.user, direction=direction)
    except services.MeetingStepRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"“{item.title}” moved {direction}: it is now item {_number_of(item)}.")
    return redirect(_agenda_url(pk, item))


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def proposal_decide(request, pk, proposal_pk):
    """Accept a proposed agenda item (it goes on the agenda) or decline it with a reason (POST)."""
    proposal = get_object_or_404(AgendaProposal, pk=proposal_pk, meeting_id=pk)
    if request.method != "POST":
        return redirect(_agenda_url(pk))
    form = meeting_forms.ProposalDecisionForm(request.POST, prefix=f"proposal-{proposal.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                proposal = services.accept_proposal(proposal, by=request.user)
                messages.success(
                    request, f"“{proposal.title}” added to the agenda as item {_number_of(proposal.accepted_item)}."
                )
                return redirect(_agenda_url(pk, proposal.accepted_item))
            services.decline_proposal(proposal, by=request.user, reason=form.cleaned_data["decline_reason"])
            messages.success(request, f"“{proposal.title}” declined. The proposer can see your reason.")
            return redirect(_agenda_url(pk))
        except services.MeetingStepRefused as refusal:
            if not hasattr(refusal, "error_dict"):
                messages.error(request, " ".join(refusal.messages))
                return redirect(_agenda_url(pk))
            refusal_onto(form, refusal)
    editor = _agenda_editor_or_404(pk)
    return _render_agenda(request, editor, decision_forms={proposal.pk: form}, form=form, status=400)


@allow(read=PROPOSERS, write=PROPOSERS)
@submitted_once
def agenda_propose(request, pk):
    """Members propose an agenda item (title and short description) until the deadline."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = meeting_forms.AgendaProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_agenda_item(meeting, by=request.user, **form.cleaned_data)
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(
                request,
                f"Your proposal “{proposal.title}” has been sent to the secretariat. "
                "You can see its status on this page.",
            )
            return redirect(meeting)
    tools = selectors.meeting_tools(meeting, request.user)
    return render(
        request,
        "meetings/agenda_propose.html",
        {"meeting": meeting, "form": form, "tools": tools},
        status=400 if form.errors else 200,
    )


def _attendance_sheet_or_404(pk):
    try:
        return selectors.attendance_sheet(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def _render_attendance(request, sheet, *, members_form=None, attendee_form=None, status=200):
    members_form = members_form or meeting_forms.MemberAttendanceForm(rows=sheet.members)
    attendee_form = attendee_form or meeting_forms.AttendeeForm(
        meeting=sheet.meeting, agenda=sheet.agenda, members=sheet.members
    )
    errors = members_form if members_form.errors else attendee_form if attendee_form.errors else None
    return render(
        request,
        "meetings/attendance_record.html",
        {"sheet": sheet, "members_form": members_form, "attendee_form": attendee_form, "form": errors},
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_record(request, pk):
    """The members of the group, each marked present, apologies or not recorded (one POST for all)."""
    sheet = _attendance_sheet_or_404(pk)
    if request.method != "POST":
        return _render_attendance(request, sheet)
    form = meeting_forms.MemberAttendanceForm(request.POST, rows=sheet.members)
    if form.is_valid():
        try:
            changed = services.record_member_attendance(sheet.meeting, by=request.user, statuses=form.statuses())
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Attendance saved ({changed} change{'s' if changed != 1 else ''}).")
            return redirect("meetings:attendance", pk=pk)
    return _render_attendance(request, sheet, members_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_add(request, pk):
    """Record someone else: present, in attendance for one item, or representing a member (POST)."""
    sheet = _attendance_sheet_or_404(pk)
    if request.method != "POST":
        return redirect("meetings:attendance", pk=pk)
    form = meeting_forms.AttendeeForm(request.POST, meeting=sheet.meeting, agenda=sheet.agenda, members=sheet.members)
    if form.is_valid():
        try:
            record = services.record_attendee(sheet.meeting, by=request.user, **form.cleaned_data)
        except services.MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"{record.person.name} recorded: {record.get_status_display().lower()}.")
            return redirect("meetings:attendance", pk=pk)
    return _render_attendance(request, sheet, attendee_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def attendance_remove(request, pk, attendance_pk):
    """Remove one person's attendance record (POST)."""
    record = get_object_or_404(Attendance.objects.select_related("person"), pk=attendance_pk, meeting_id=pk)
    if request.method == "POST":
        try:
            services.remove_attendance(record, by=request.user)
        except services.MeetingStepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"{record.person.name} is no longer recorded at this meeting.")
    return redirect("meetings:attendance", pk=pk)


@allow(read=EVERYONE)
def attendance_summary(request):
    """Each person's attendance at a group's recent meetings, with totals and a rate."""
    summary = selectors.attendance_summary(body_slug=request.GET.get("body") or None)
    return render(request, "meetings/attendance_summary.html", {"summary": summary})
