"""What the tests of the chasing jobs share: a run's time, the mail it sent, a mail server that refuses someone,
the queries a chase makes, what every chasing task must be, and the marks of the real-worker tests."""

import smtplib
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

LONDON = ZoneInfo("Europe/London")

# For the tests that start a real worker (tests/reminders/test_worker.py explains why both are needed).
WORKER_MARKS = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="CELERY_BROKER_URL is not set: no worker to test"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker must share the test's database: PostgreSQL"
    ),
]


def at(day, hour=7, minute=0):
    """Travel to ``hour``:``minute``, UK time, on ``day`` (the beat runs the chasing jobs from 07:00)."""
    return time_machine.travel(datetime.combine(day, time(hour, minute), tzinfo=LONDON), tick=False)


def sent_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def refuse_mail_to(monkeypatch, person):
    """Make the mail server refuse ``person`` (550) until the returned function is called."""
    from reminders import services

    real = services.deliver

    def refuse(message):
        if message.to == [person.email]:
            raise smtplib.SMTPRecipientsRefused({person.email: (550, b"Mailbox unavailable")})
        real(message)

    monkeypatch.setattr(services, "deliver", refuse)
    return lambda: monkeypatch.setattr(services, "deliver", real)


def queries_of(chase, today, **kwargs):
    """The queries of ``chase(today)``, leaving out the INSERTs of the claimed lines (SQLite batches them)."""
    with at(today), CaptureQueriesContext(connection) as queries:
        chase(today, **kwargs)
    return len([q for q in queries.captured_queries if not q["sql"].startswith("INSERT")])


def assert_daily_chasing_task(task, beat_entry):
    """``task`` runs every morning from the beat, is acknowledged late, and retries SMTP errors only."""
    from config.celery import app

    entry = app.conf.beat_schedule[beat_entry]
    assert entry["task"] == task.name
    assert entry["schedule"].hour == {7}
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert set(task.autoretry_for) == {smtplib.SMTPException, ConnectionError}
    assert task.retry_backoff and task.max_retries == 5


def twice_through_a_worker(task, celery_workers, tmp_path, *, digests):
    """Run ``task`` twice, as the beat sends it, on a real worker whose mail goes to files; return the mail.

    The first run must claim and send ``digests`` e-mails, the second nothing more.
    Returns {recipient address: subject, unfolded}.
    """
    from reminders.models import Reminder
    from tests.plugins.celery_workers import wait_for, wait_until_idle
    from tests.reminders.mail import read_mail
    from tests.reminders.test_worker import all_sent

    mail_dir = tmp_path / "mail"  # apart from the worker's log, which is in tmp_path too
    mail_dir.mkdir()
    worker = celery_workers(env={"EMAIL_URL": f"filemail:///{mail_dir}"})
    summary = task.apply_async(queue=worker.queue).get(timeout=60)
    assert summary["digests_claimed"] == summary["digests_queued"] == digests
    wait_for(all_sent, "every reminder to be sent", logs=[worker.log])
    lines = Reminder.objects.count()

    again = task.apply_async(queue=worker.queue).get(timeout=60)
    assert again["digests_claimed"] == again["digests_queued"] == 0
    wait_until_idle(worker)  # a second send of any digest would have happened by now
    messages = read_mail(mail_dir)
    assert len(messages) == digests and Reminder.objects.count() == lines
    return {message["To"]: " ".join(message["Subject"].split()) for message in messages}
