"""Reading the draft minute out for comment: who receives it, and the comments page."""

from dataclasses import dataclass, field

from mappa import access
from mappa.models import Membership, Person
from meetings import registry
from meetings.models import (
    Meeting,
    MinuteComment,
)
from meetings.numbering import numbered_agenda
from meetings.rules import (
    COMMENTERS,
    comments_open,
)


def undecided_comments(meeting):
    """How many members' comments on the meeting's draft minutes the secretariat has not yet decided."""
    return MinuteComment.objects.filter(meeting=meeting, decision=MinuteComment.Decision.PENDING).count()


def circulation_list(meeting):
    """Who receives the draft minute: the body's current members with an e-mail address, once each."""
    seats = Membership.objects.current().filter(body_id=meeting.body_id).values("person_id")
    return list(Person.objects.filter(pk__in=seats).exclude(email="").order_by("name"))


@dataclass
class CommentPage:
    """The draft out for comment. The registered minute parts (meetings/registry.py) load onto it what
    they load into the minute's documents: each agenda entry's ``actions``, as the minute prints them."""

    meeting: Meeting
    items: list
    is_open: bool
    can_decide: bool
    can_comment: bool
    actions: list = field(default_factory=list)
    matters_arising: list = field(default_factory=list)

    @property
    def agenda(self):
        """The entries, under the name the minute parts read (as on meetings.selectors.documents.MeetingDocuments)."""
        return self.items


def comment_page(pk, user):
    """The draft minute item by item, with the comments the user may see (the secretariat sees all)."""
    meeting = Meeting.objects.select_related("body").get(pk=pk)
    can_decide = access.has_role(user, *access.SECRETARIAT)
    comments = MinuteComment.objects.filter(meeting=meeting).select_related("author__person", "decided_by__person")
    if not can_decide:
        comments = comments.filter(author=user)
    by_item = {}
    for comment in comments.order_by("created_at"):
        by_item.setdefault(comment.agenda_item_id, []).append(comment)
    agenda = numbered_agenda(list(meeting.agenda_items.all()))
    for entry in agenda:
        entry.comments = by_item.get(entry.item.id, [])
    is_open = comments_open(meeting)
    page = CommentPage(
        meeting=meeting,
        items=agenda,
        is_open=is_open,
        can_decide=can_decide,
        can_comment=is_open and access.has_role(user, *COMMENTERS),
    )
    for part in registry.minute_parts():
        part.documents(page)
    return page
