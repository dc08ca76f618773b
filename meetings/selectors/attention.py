"""Home-page items about meetings (registered with mappa.registry.register_attention in meetings.apps)."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from mappa import access
from mappa.models import Membership
from mappa.selectors import AttentionItem
from meetings.models import (
    AgendaProposal,
    Meeting,
    MinuteComment,
)


def attention_for(user, today=None):
    """Home-page items about meetings: what the secretariat must decide, what members may comment on."""
    today = today or timezone.localdate()
    items = []
    if access.has_role(user, *access.SECRETARIAT):
        for meeting in Meeting.objects.filter(status=Meeting.Status.HELD).select_related("body").order_by("date"):
            items.append(
                AttentionItem(
                    f"Draft the minutes of {meeting}",
                    "The meeting has been held; its draft minutes have not been circulated.",
                    meeting.get_absolute_url(),
                )
            )
        pending = (
            # Comments on agreed minutes can no longer be decided (the minute is frozen): nothing to ask.
            MinuteComment.objects.filter(
                decision=MinuteComment.Decision.PENDING,
                meeting__status__in=Meeting.statuses_before(Meeting.Status.MINUTES_AGREED),
            )
            .values("meeting")
            .annotate(count=Count("id"))
            .order_by()
        )
        meetings = Meeting.objects.select_related("body").in_bulk([row["meeting"] for row in pending])
        for row in pending:
            meeting = meetings[row["meeting"]]
            items.append(
                AttentionItem(
                    f"{row['count']} comment{'s' if row['count'] != 1 else ''} on the draft minutes of {meeting}",
                    "Accept each comment or not, saying what changed.",
                    reverse("meetings:comments", kwargs={"pk": meeting.pk}),
                )
            )
        proposals = (
            AgendaProposal.objects.filter(status=AgendaProposal.Status.PENDING)
            .values("meeting")
            .annotate(count=Count("id"))
            .order_by()
        )
        meetings = Meeting.objects.select_related("body").in_bulk([row["meeting"] for row in proposals])
        for row in proposals:
            meeting = meetings[row["meeting"]]
            items.append(
                AttentionItem(
                    f"{row['count']} proposed agenda item{'s' if row['count'] != 1 else ''} for {meeting}",
                    "Accept them into the agenda or decline them with a reason.",
                    reverse("meetings:agenda", kwargs={"pk": meeting.pk}),
                )
            )
    elif access.has_role(user, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER):
        bodies = Membership.objects.current().filter(person__user=user).values("body_id")
        for meeting in (
            Meeting.objects.filter(
                body_id__in=bodies, status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline__gte=today
            )
            .select_related("body")
            .order_by("comment_deadline")
        ):
            items.append(
                AttentionItem(
                    f"Comment on the draft minutes of {meeting}",
                    f"Comments are open until {meeting.comment_deadline:%-d %B %Y}.",
                    reverse("meetings:comments", kwargs={"pk": meeting.pk}),
                )
            )
    return items
