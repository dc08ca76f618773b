"""The call for agenda items: members propose items; the secretariat accepts or declines them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from mappa.access import SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from meetings import forms as meeting_forms
from meetings.models import AgendaProposal, Meeting
from meetings.rules import PROPOSERS
from meetings.selectors.meetings import meeting_tools
from meetings.services import proposals as services
from meetings.services.meetings import MeetingStepRefused
from meetings.views.agenda import agenda_editor_or_404, agenda_url, number_of, render_agenda


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def proposal_decide(request, pk, proposal_pk):
    """Accept a proposed agenda item (it goes on the agenda) or decline it with a reason (POST)."""
    proposal = get_object_or_404(AgendaProposal, pk=proposal_pk, meeting_id=pk)
    if request.method != "POST":
        return redirect(agenda_url(pk))
    form = meeting_forms.ProposalDecisionForm(request.POST, prefix=f"proposal-{proposal.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                proposal = services.accept_proposal(proposal, by=request.user)
                messages.success(
                    request, f"“{proposal.title}” added to the agenda as item {number_of(proposal.accepted_item)}."
                )
                return redirect(agenda_url(pk, proposal.accepted_item))
            services.decline_proposal(proposal, by=request.user, reason=form.cleaned_data["decline_reason"])
            messages.success(request, f"“{proposal.title}” declined. The proposer can see your reason.")
            return redirect(agenda_url(pk))
        except MeetingStepRefused as refusal:
            if not hasattr(refusal, "error_dict"):
                messages.error(request, " ".join(refusal.messages))
                return redirect(agenda_url(pk))
            refusal_onto(form, refusal)
    editor = agenda_editor_or_404(pk)
    return render_agenda(request, editor, decision_forms={proposal.pk: form}, form=form, status=400)


@allow(read=PROPOSERS, write=PROPOSERS)
@submitted_once
def agenda_propose(request, pk):
    """Members propose an agenda item (title and short description) until the deadline."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = meeting_forms.AgendaProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_agenda_item(meeting, by=request.user, **form.cleaned_data)
        except MeetingStepRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(
                request,
                f"Your proposal “{proposal.title}” has been sent to the secretariat. "
                "You can see its status on this page.",
            )
            return redirect(meeting)
    tools = meeting_tools(meeting, request.user)
    return render(
        request,
        "meetings/agenda_propose.html",
        {"meeting": meeting, "form": form, "tools": tools},
        status=400 if form.errors else 200,
    )
