"""The draft minute out for comment: members comment on its items; the secretariat decides each comment."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mappa import access
from mappa.refusals import require_secretariat
from meetings.models import (
    Meeting,
    MinuteComment,
)
from meetings.rules import (
    COMMENTERS,
    comments_open,
)
from meetings.services.meetings import MeetingStepRefused


@transaction.atomic
def add_comment(item, *, by, text):
    """A member comments on one item of the circulated draft, until the comment deadline."""
    if not access.has_role(by, *COMMENTERS):
        raise PermissionDenied("Only members of the group can comment on draft minutes.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if not comments_open(meeting):
        raise MeetingStepRefused(
            "Comments on this draft are closed: the comment deadline has passed or the draft is not out for comment."
        )
    text = text.strip()
    if not text:
        raise MeetingStepRefused({"text": "Enter your comment"})
    return MinuteComment.objects.create(meeting=meeting, agenda_item=item, author=by, text=text)


@transaction.atomic
def decide_comment(comment, *, by, accepted, change_made=""):
    """The secretariat accepts a comment (saying what changed) or does not (saying why)."""
    require_secretariat(by)
    comment = MinuteComment.objects.select_for_update().select_related("meeting").get(pk=comment.pk)
    if comment.meeting.minutes_are_agreed:
        raise MeetingStepRefused("These minutes are agreed: their comments can no longer be decided.")
    if not change_made.strip():
        raise MeetingStepRefused(
            {"change_made": "Say what was changed in the minute, or why the comment was not accepted"}
        )
    comment.decision = MinuteComment.Decision.ACCEPTED if accepted else MinuteComment.Decision.NOT_ACCEPTED
    comment.change_made = change_made.strip()
    comment.decided_by = by
    comment.decided_at = timezone.now()
    comment.save(update_fields=["decision", "change_made", "decided_by", "decided_at"])
    return comment
