"""The home page tells each person what about meetings needs them."""

from datetime import date

import pytest
import time_machine

from mappa.models import Membership
from meetings.models import Meeting, MinuteComment
from tests.factories import MembershipFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2017, 11, 22))
def test_a_member_is_asked_to_comment_on_open_draft_minutes(client, member_user):
    meeting = MeetingFactory(
        date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27)
    )
    MeetingFactory(
        body=meeting.body,
        date=date(2017, 5, 31),
        status=Meeting.Status.DRAFT_CIRCULATED,
        comment_deadline=date(2017, 6, 30),
    )  # deadline passed: not offered
    MembershipFactory(person=member_user.person, body=meeting.body, role=Membership.Role.MEMBER)
    client.force_login(member_user)
    page = client.get("/").content.decode()
    assert "Comment on the draft minutes of NSG, 8 November 2017" in page
    assert "Comments are open until 27 November 2017." in page
    assert "31 May 2017" not in page


def test_the_secretariat_sees_minutes_to_draft_and_comments_to_decide(client, secretariat_user, member_user):
    held = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    circulated = MeetingFactory(body=held.body, date=date(2017, 5, 31), status=Meeting.Status.DRAFT_CIRCULATED)
    item = AgendaItemFactory(meeting=circulated)
    for text in ("One", "Two"):
        MinuteComment.objects.create(meeting=circulated, agenda_item=item, author=member_user, text=text)
    client.force_login(secretariat_user)
    page = client.get("/").content.decode()
    assert "Draft the minutes of NSG, 8 November 2017" in page
    assert "2 comments on the draft minutes of NSG, 31 May 2017" in page
