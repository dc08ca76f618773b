"""Sending a sent e-mail again makes one copy, however often the button is pressed (issue 11).

The checks are tests/double_submit.py's; the form has no content but its token, so
there is no other content to send and no error to make.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import emails as meeting_emails
from meetings.models import Meeting, MeetingTransition
from outbox import sending
from outbox.models import Email
from tests import double_submit
from tests.double_submit import Form
from tests.factories import PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_a_copy(client, secretariat_user, django_capture_on_commit_callbacks):
    """The "Send a copy" button of a draft-minutes e-mail already sent, on the e-mail log."""
    meeting = MeetingFactory(
        status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline=timezone.localdate() + timedelta(days=7)
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    transition = MeetingTransition.objects.create(
        meeting=meeting, from_status=Meeting.Status.HELD, to_status=Meeting.Status.DRAFT_CIRCULATED, by=secretariat_user
    )
    ann = PersonFactory(name="Ann Member", email="ann@test.example")
    with django_capture_on_commit_callbacks(execute=False):
        meeting_emails.outbox.queue(
            kind=meeting_emails.DRAFT_MINUTES,
            key=f"draft-minutes:{transition.pk}",
            subject_id=meeting.pk,
            recipients=[(ann, ann.email)],
        )
    sent = Email.objects.get()
    sending.send_email(sent.pk)
    client.force_login(secretariat_user)
    return Form(client, "/emails/", f"/emails/{sent.pk}/send-again/", {}, Email.objects.filter(copy_of=sent).count)


def test_sent_twice_it_makes_one_copy_and_lands_on_the_first(send_a_copy):
    double_submit.sent_twice_saves_once(send_a_copy)


def test_sent_twice_at_the_same_moment_it_makes_one_copy(transactional_db, send_a_copy):
    double_submit.at_once_saves_once(send_a_copy)
