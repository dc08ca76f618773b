"""The draft minute out for comment: members comment item by item; the secretariat decides each comment."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mappa.access import SECRETARIAT, allow
from mappa.submissions import submitted_once
from meetings import forms as meeting_forms
from meetings.forms import (
    CommentDecisionForm,
    CommentForm,
)
from meetings.models import Meeting, MinuteComment
from meetings.rules import COMMENTERS
from meetings.selectors import circulation as selectors
from meetings.services import circulation as services
from meetings.services.meetings import MeetingStepRefused

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
            except MeetingStepRefused as refusal:
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
            except MeetingStepRefused as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(request, "Decision recorded.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("meetings:comments", kwargs={"pk": pk}) + f"#comment-{comment_pk}")
