"""The broker is down when the secretariat circulates draft minutes or sends a return back: nothing is lost.

The step succeeds and says the e-mails are on their way; each e-mail waits in
the outbox; once the broker is back, the sweep sends each one exactly once.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from mappa.models import Membership
from meetings.models import Meeting
from outbox.models import Email
from outbox.tasks import sweep_unsent_emails
from reviews.models import QuarterlyReturn
from reviews.services.returns import submit_return
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory, complete

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_meeting(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=meeting, position=1, title="Thematic Inspection Action Plan")
    for name in ("Ann Member", "Bea Member", "Cal Member"):
        person = PersonFactory(name=name, email=f"{name.split()[0].lower()}@test.example")
        MembershipFactory(person=person, body=meeting.body, role=Membership.Role.MEMBER)
    return meeting


def circulate(client, meeting):
    """Circulate from the meeting page, comments due in a week (real time: the sweep runs in real time too)."""
    deadline = timezone.localdate() + timedelta(days=7)
    return client.post(
        f"/meetings/{meeting.pk}/advance/",
        {
            "to_status": "draft_circulated",
            "comment_deadline_0": deadline.day,
            "comment_deadline_1": deadline.month,
            "comment_deadline_2": deadline.year,
        },
        follow=True,
    )


def sweep_later():
    """The beat's sweep, run once the e-mails have waited longer than its grace period."""
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        return sweep_unsent_emails.delay().get()


def test_circulating_with_the_broker_down_succeeds_and_the_sweep_sends_each_draft_once(
    client, secretariat_user, held_meeting, broker_down
):
    client.force_login(secretariat_user)

    page = circulate(client, held_meeting)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Draft minutes circulated" in text
    assert "The draft is on its way to the group&#x27;s members by e-mail." in text
    held_meeting.refresh_from_db()
    assert held_meeting.status == Meeting.Status.DRAFT_CIRCULATED
    assert mail.outbox == []
    waiting = Email.objects.filter(state=Email.State.QUEUED)
    assert sorted(waiting.values_list("to", flat=True)) == ["ann@test.example", "bea@test.example", "cal@test.example"]

    broker_down.back()
    assert sweep_later() == 3
    assert sweep_later() == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["ann@test.example", "bea@test.example", "cal@test.example"]
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    assert set(Email.objects.values_list("state", flat=True)) == {Email.State.SENT}


def test_the_sweep_leaves_an_e_mail_alone_while_its_own_task_may_still_be_on_the_way(
    client, secretariat_user, held_meeting, broker_down
):
    client.force_login(secretariat_user)
    circulate(client, held_meeting)
    broker_down.back()

    assert sweep_unsent_emails.delay().get() == 0  # within the grace period: nothing yet

    assert mail.outbox == []
    assert Email.objects.filter(state=Email.State.QUEUED).count() == 3


def test_returning_a_return_with_the_broker_down_succeeds_and_the_submitter_is_e_mailed_once_it_is_back(
    client, fife, chair_user, secretariat_user, broker_down
):
    chair_user.person.email = "fife-chair@test.example"
    chair_user.person.save()
    period = ReportingPeriodFactory(year=2017, quarter=2)
    submitted = submit_return(complete(QuarterlyReturn(area=fife, period=period), chair_user), by=chair_user)
    client.force_login(secretariat_user)

    page = client.post(
        f"/returns/{period.slug}/{fife.slug}/return/",
        {"comment_case-reviews": "Please check the number progressed to full ICR."},
        follow=True,
    )

    assert "An e-mail telling the submitter is on its way." in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == QuarterlyReturn.Status.RETURNED
    assert mail.outbox == []
    (waiting,) = Email.objects.all()
    assert (waiting.to, waiting.state) == ("fife-chair@test.example", Email.State.QUEUED)

    broker_down.back()
    assert sweep_later() == 1
    assert sweep_later() == 0
    (message,) = mail.outbox
    assert message.subject == "Fife return for 2017-18 Q2: returned for amendment"
    assert "Please check the number progressed to full ICR." in message.body
