"""The secretariat's log of every e-mail the service sends: what went, what waits, what failed; sending again."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings import emails as meeting_emails
from meetings.models import Meeting, MeetingTransition
from outbox import sending
from outbox.models import Email
from outbox.tasks import sweep_unsent_emails
from tests.factories import PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def circulated(secretariat_user, django_capture_on_commit_callbacks):
    """Draft minutes queued to two members; the e-mails are not yet sent (no commit callbacks run)."""
    meeting = MeetingFactory(
        status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline=timezone.localdate() + timedelta(days=7)
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    transition = MeetingTransition.objects.create(
        meeting=meeting, from_status=Meeting.Status.HELD, to_status=Meeting.Status.DRAFT_CIRCULATED, by=secretariat_user
    )
    people = [
        PersonFactory(name="Ann Member", email="ann@test.example"),
        PersonFactory(name="Bea Member", email="bea@test.example"),
    ]
    with django_capture_on_commit_callbacks(execute=False):
        meeting_emails.outbox.queue(
            kind=meeting_emails.DRAFT_MINUTES,
            key=f"draft-minutes:{transition.pk}",
            subject_id=meeting.pk,
            recipients=[(p, p.email) for p in people],
        )
    return meeting


@pytest.fixture
def mail_server_down(monkeypatch):
    def refuse(message):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(sending, "deliver", refuse)


def test_the_log_shows_waiting_e_mails_with_what_they_are_about(client, secretariat_user, circulated):
    client.force_login(secretariat_user)

    page = client.get("/emails/").content.decode()

    assert "E-mails sent by the service" in page
    assert "2 waiting to be sent" in page
    assert "Ann Member" in page and "ann@test.example" in page
    assert "Draft minutes for comment" in page
    assert f"Draft minutes of {circulated}" in page
    assert page.count("Waiting to be sent</strong>") == 2


def test_a_failed_e_mail_shows_its_error_and_the_secretariat_is_told_on_the_home_page(
    client, secretariat_user, circulated, mail_server_down
):
    with pytest.raises(smtplib.SMTPServerDisconnected):
        sending.send_email(Email.objects.get(to="ann@test.example").pk)
    client.force_login(secretariat_user)

    log = client.get("/emails/?state=failed").content.decode()
    home = client.get("/").content.decode()

    assert "1 e-mail matching these filters" in log
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in log
    assert "ann@test.example" in log and "bea@test.example" not in log
    assert "1 e-mail could not be sent" in home


def test_send_now_sends_a_failed_e_mail_once(
    client, secretariat_user, circulated, mail_server_down, monkeypatch, django_capture_on_commit_callbacks
):
    failed = Email.objects.get(to="ann@test.example")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        sending.send_email(failed.pk)
    monkeypatch.undo()  # the mail server is back
    client.force_login(secretariat_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/emails/{failed.pk}/send-again/", follow=True)

    assert "The e-mail to ann@test.example will be sent again in a moment." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["ann@test.example"]]
    failed.refresh_from_db()
    assert failed.state == Email.State.SENT and failed.attempts == 2
    assert sweep_unsent_emails.delay().get() == 0


def test_a_sent_e_mail_is_sent_again_as_a_copy_to_the_persons_address_today(
    client, secretariat_user, circulated, django_capture_on_commit_callbacks
):
    sent = Email.objects.get(to="ann@test.example")
    sending.send_email(sent.pk)
    sent.recipient.email = "ann.new@test.example"
    sent.recipient.save()
    client.force_login(secretariat_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/emails/{sent.pk}/send-again/", follow=True)

    page = response.content.decode()
    assert "A copy of the e-mail will be sent to ann.new@test.example in a moment." in page
    assert "A copy, asked for by" in page
    assert [m.to for m in mail.outbox] == [["ann@test.example"], ["ann.new@test.example"]]
    # One Message-ID per e-mail: the copy is a new e-mail, with its own.
    assert mail.outbox[0].extra_headers["Message-ID"] != mail.outbox[1].extra_headers["Message-ID"]


def test_the_same_step_queues_its_e_mails_once(secretariat_user, circulated, django_capture_on_commit_callbacks):
    transition = MeetingTransition.objects.get(meeting=circulated)
    with django_capture_on_commit_callbacks(execute=False):
        meeting_emails.queue_draft_minutes(circulated, transition)
        meeting_emails.queue_draft_minutes(circulated, transition)

    assert Email.objects.count() == 2 + circulated.body.memberships.count()


@pytest.mark.parametrize("role", ["sog_chair", "nsg_member", "inspector"])
def test_only_the_secretariat_sees_the_log_or_sends_again(client, users_by_role, role, circulated):
    client.force_login(users_by_role[role])
    email = Email.objects.first()

    assert client.get("/emails/").status_code == 403
    assert client.post(f"/emails/{email.pk}/send-again/").status_code == 403
    email.refresh_from_db()
    assert email.state == Email.State.QUEUED and Email.objects.count() == 2


def test_a_task_redelivered_after_a_killed_worker_comes_back_in_minutes_and_never_during_a_retry_wait(settings):
    from outbox.tasks import send_emails

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility <= 15 * 60  # Redis's default, an hour, would hold a killed worker's e-mails that long
    assert visibility > send_emails.retry_backoff_max  # a retry waiting its turn is not handed out twice


def test_the_sweep_tries_a_failing_e_mail_ten_times_then_leaves_it_to_the_secretariat(circulated, mail_server_down):
    import time_machine

    start = timezone.now()
    for sweep in range(1, 13):
        with time_machine.travel(start + timedelta(minutes=20 * sweep), tick=False):
            sweep_unsent_emails.delay().get()

    assert list(Email.objects.order_by().values_list("state", "attempts").distinct()) == [(Email.State.FAILED, 10)]
    assert mail.outbox == []


def test_the_log_takes_as_many_queries_for_many_copies_as_for_one(client, secretariat_user, circulated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outbox import services

    sent = Email.objects.get(to="ann@test.example")
    sending.send_email(sent.pk)
    client.force_login(secretariat_user)

    def queries_for_the_log():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/emails/").status_code == 200
        return len(queries)

    services.send_again(sent, by=secretariat_user)
    one_copy = queries_for_the_log()
    for _ in range(4):
        services.send_again(sent, by=secretariat_user)
    five_copies = queries_for_the_log()

    assert five_copies == one_copy
