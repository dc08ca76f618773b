"""/actions/reminders/: the secretariat sees what was sent to whom and when, and what failed."""

import smtplib
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import chasing
from reminders import services
from reminders.models import Reminder
from tests.factories import PersonFactory
from tests.reminders.helpers import chase_world

pytestmark = pytest.mark.django_db

TODAY = date(2017, 12, 1)
URL = "/actions/reminders/"


def at(day, hour=7):
    return time_machine.travel(datetime.combine(day, clock(hour, 0), tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def sent_and_failed(secretariat_user, monkeypatch):
    """The chase of 1 December 2017: every digest sent but Bob's, which his mail server refused."""
    world = chase_world(TODAY)
    real = services.deliver

    def refuse_bob(message):
        if message.to == [world.people.bob.email]:
            raise smtplib.SMTPRecipientsRefused({world.people.bob.email: (550, b"Mailbox unavailable")})
        real(message)

    monkeypatch.setattr(services, "deliver", refuse_bob)
    with at(TODAY):
        result = chasing.chase_overdue_actions(TODAY)
        for digest_id in result.to_send:
            try:
                services.send_digest(digest_id)
            except smtplib.SMTPException:
                pass
    return world


def test_the_secretariat_sees_what_was_sent_to_whom_and_when_and_what_failed(client, secretariat_user, sent_and_failed):
    client.force_login(secretariat_user)
    with at(TODAY, hour=9):
        page = client.get(URL).content.decode()
    assert "Reminders sent" in page
    assert "Alice Owner" in page and "alice@test.example" in page
    assert "Action 1 from" in page and "Action 2 from" in page
    assert "Sent 1 Dec 2017 07:00" in page
    assert "Bob Contact" in page and "Failed" in page
    assert "SMTPRecipientsRefused" in page and "Mailbox unavailable" in page
    assert "1 failed" in page
    assert "member of Level 1 SLWG" in page  # why Dave and Erin got theirs
    assert "Actions overdue by more than 28 days (to the secretariat)" in page  # the secretariat's own digest


def test_the_log_filters_by_state_and_kind(client, secretariat_user, sent_and_failed):
    client.force_login(secretariat_user)
    failed = client.get(URL, {"state": "failed"}).content.decode()
    assert "Bob Contact" in failed and "Alice Owner" not in failed
    assert "1 e-mail matching these filters" in failed
    secretariat_only = client.get(URL, {"kind": "secretariat_overdue_digest"}).content.decode()
    assert secretariat_user.person.name in secretariat_only and "Alice Owner" not in secretariat_only
    nonsense = client.get(URL, {"state": "<script>", "kind": "nope"})
    assert nonsense.status_code == 200 and "5 e-mails" in nonsense.content.decode()
    assert "Select a state from the list" in nonsense.content.decode()  # shown, and the filter ignored


def test_a_digest_waiting_long_after_its_claim_shows_as_late(client, secretariat_user):
    chase_world(TODAY)
    with at(TODAY):
        chasing.chase_overdue_actions(TODAY)  # claimed; the workers are down
    client.force_login(secretariat_user)
    with at(TODAY, hour=10):
        page = client.get(URL).content.decode()
    assert page.count("Waiting to be sent") >= 5 and "Late" in page


def test_only_the_secretariat_sees_the_log(client, member_user, inspector_user, chair_user, administrator_user):
    for user in (member_user, inspector_user, chair_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(administrator_user)
    assert client.get(URL).status_code == 200
    assert client.post(URL).status_code == 403


def _log_of(digests, day):
    """``digests`` one-line digests to one person, on the days before ``day``."""
    from tests.actions.factories import ActionFactory
    from tests.meetings.factories import AgendaItemFactory

    person = PersonFactory()
    item = AgendaItemFactory()
    for n in range(digests):
        action = ActionFactory(
            meeting=item.meeting, agenda_item=item, due_date=day - timedelta(days=1), owners=[person]
        )
        Reminder.objects.create(
            kind=Reminder.Kind.ACTION_DIGEST,
            recipient=person,
            subject_key=f"action:{action.pk}",
            action=action,
            period=day - timedelta(days=n),
        )


def test_the_page_reads_a_page_of_the_log_in_a_fixed_number_of_queries(client, secretariat_user):
    client.force_login(secretariat_user)
    _log_of(3, TODAY)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _log_of(40, TODAY - timedelta(days=100))
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert len(few) == len(many)
    assert "43 e-mails" in page and "Page 1 of 2" in page
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_send_now_sends_a_failed_reminder_once_when_the_mail_server_is_back(
    client, secretariat_user, sent_and_failed, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core import mail

    monkeypatch.undo()  # Bob's mail server takes mail again
    bob = sent_and_failed.people.bob
    (digest_id,) = set(Reminder.objects.filter(recipient=bob).values_list("digest_id", flat=True))
    already = len(mail.outbox)
    client.force_login(secretariat_user)

    with at(TODAY, hour=9):
        response = client.post(f"{URL}{digest_id}/send-now/", follow=True)
        assert f"The reminder to {bob.email} will be sent in a moment." in response.content.decode()
        assert [m.to for m in mail.outbox[already:]] == [[bob.email]]
        again = client.post(f"{URL}{digest_id}/send-now/", follow=True)
    assert f"The reminder to {bob.email} has already been sent." in again.content.decode()
    assert len(mail.outbox) == already + 1


def test_the_sweep_sends_a_claimed_digest_whose_task_was_lost_and_a_failed_one_later_each_once(
    sent_and_failed, monkeypatch
):
    """The chase claimed the digests but the broker was down, so Carol's send task never ran; Bob's failed."""
    from django.core import mail

    from reminders.tasks import sweep_unsent_reminders

    monkeypatch.undo()
    bob = sent_and_failed.people.bob
    lost = Reminder.objects.filter(state=Reminder.State.SENT).exclude(recipient=bob).first().digest_id
    Reminder.objects.filter(digest_id=lost).update(state=Reminder.State.CLAIMED, sent_at=None)
    already = len(mail.outbox)

    with at(TODAY, hour=7):  # the same minute: their tasks may still be on the way
        assert sweep_unsent_reminders.delay().get() == 0
    with at(TODAY, hour=8):
        sweep_unsent_reminders.delay().get()
        sweep_unsent_reminders.delay().get()

    sent_now = sorted(m.to[0] for m in mail.outbox[already:])
    lost_to = Reminder.objects.filter(digest_id=lost).first().recipient.email
    assert sent_now == sorted([bob.email, lost_to])
    assert not Reminder.objects.exclude(state=Reminder.State.SENT).exists()
