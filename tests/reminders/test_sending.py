"""Sending a claimed digest: exactly once, through crashes, retries, redeliveries and races."""

import smtplib
import threading
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from actions import chasing
from reminders import services
from reminders.models import Reminder
from reminders.tasks import send_reminder_digest
from tests.plugins.celery_workers import wait_for
from tests.reminders.helpers import chase_world

TODAY = date(2017, 12, 1)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections that lock rows at once: PostgreSQL (CI's second pass), not the in-memory SQLite",
)


def at(day):
    return time_machine.travel(datetime.combine(day, clock(7, 0), tzinfo=ZoneInfo("Europe/London")), tick=False)


def claim(day=TODAY):
    with at(day):
        return chasing.chase_overdue_actions(day)


def digest_of(result, person, kind=Reminder.Kind.ACTION_DIGEST):
    return next(d for d in result.digests if d.recipient_id == person.pk and d.kind == kind)


def rows_of(digest):
    return Reminder.objects.filter(digest_id=digest.digest_id)


class WorkerDied(BaseException):
    """Stands for the process dying: no `except Exception` sees it, so nothing is recorded."""


def raising(exc):
    def deliver(message):
        raise exc

    return deliver


def failing_once(monkeypatch, exc):
    real = services.deliver
    calls = []

    def deliver(message):
        calls.append(message)
        if len(calls) == 1:
            raise exc
        real(message)

    monkeypatch.setattr(services, "deliver", deliver)
    return calls


@pytest.mark.django_db
def test_a_send_cut_short_after_the_claim_goes_out_exactly_once_when_the_task_comes_back(monkeypatch):
    world = chase_world(TODAY)
    digest = digest_of(claim(), world.people.alice)
    assert set(rows_of(digest).values_list("state", flat=True)) == {Reminder.State.CLAIMED}
    failing_once(monkeypatch, WorkerDied())

    with at(TODAY), pytest.raises(WorkerDied):
        services.send_digest(digest.digest_id)  # the worker dies mid-send: its transaction never commits
    assert mail.outbox == []
    assert set(rows_of(digest).values_list("state", "attempts")) == {(Reminder.State.CLAIMED, 0)}

    with at(TODAY):
        assert send_reminder_digest.apply(args=[str(digest.digest_id)]).get() == 2  # redelivered
        assert send_reminder_digest.apply(args=[str(digest.digest_id)]).get() == 0  # and again: nothing
    (message,) = mail.outbox
    assert message.to == [world.people.alice.email]
    assert set(rows_of(digest).values_list("state", "attempts")) == {(Reminder.State.SENT, 1)}
    assert all(row.sent_at for row in rows_of(digest))


@pytest.mark.django_db
def test_an_smtp_error_marks_the_digest_failed_and_the_retry_sends_it_once(monkeypatch):
    world = chase_world(TODAY)
    digest = digest_of(claim(), world.people.bob)
    states_when_retried = []
    real = services.deliver

    def deliver(message):
        if not states_when_retried:
            states_when_retried.append(None)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        states_when_retried.append(set(rows_of(digest).values_list("state", "error")))
        real(message)

    monkeypatch.setattr(services, "deliver", deliver)
    with at(TODAY):
        # throw=False: Celery runs the task's own retries here, as a worker would (minus the backoff wait).
        result = send_reminder_digest.apply(args=[str(digest.digest_id)], throw=False)
    assert result.get() == 1
    assert states_when_retried[1] == {(Reminder.State.FAILED, "SMTPServerDisconnected: Connection unexpectedly closed")}
    (message,) = mail.outbox
    assert message.to == [world.people.bob.email]
    row = rows_of(digest).get()
    assert (row.state, row.attempts) == (Reminder.State.SENT, 2)
    assert row.error == "SMTPServerDisconnected: Connection unexpectedly closed"  # kept, for the record


@pytest.mark.django_db
def test_the_retry_is_scheduled_with_backoff_and_other_errors_are_not_retried(monkeypatch):
    from celery.exceptions import Retry

    world = chase_world(TODAY)
    result = claim()
    monkeypatch.setattr(services, "deliver", raising(smtplib.SMTPDataError(451, b"Try later")))
    with at(TODAY), pytest.raises(Retry) as retry:
        send_reminder_digest.apply(args=[str(digest_of(result, world.people.dave).digest_id)])
    assert 0 <= retry.value.when <= 1  # the first of 5 retries: 1 s with backoff and jitter

    monkeypatch.setattr(services, "deliver", raising(ValueError("bad template")))
    with at(TODAY), pytest.raises(ValueError):
        send_reminder_digest.apply(args=[str(digest_of(result, world.people.erin).digest_id)])
    row = Reminder.objects.get(recipient=world.people.erin)
    assert (row.state, row.error) == (Reminder.State.FAILED, "ValueError: bad template")


@pytest.mark.django_db
def test_a_message_keeps_its_message_id_across_attempts(monkeypatch):
    world = chase_world(TODAY)
    digest = digest_of(claim(), world.people.alice)
    calls = failing_once(monkeypatch, smtplib.SMTPServerDisconnected("gone"))
    with at(TODAY):
        send_reminder_digest.apply(args=[str(digest.digest_id)], throw=False)
    first, second = (call.extra_headers["Message-ID"] for call in calls)
    assert first == second == f"<reminder-{digest.digest_id}@127.0.0.1>"


@pytest.mark.django_db
def test_lines_chased_again_by_a_later_run_are_never_sent_from_the_old_digest(monkeypatch):
    world = chase_world(TODAY)
    old = digest_of(claim(), world.people.alice)
    monkeypatch.setattr(services, "deliver", raising(smtplib.SMTPServerDisconnected()))
    with at(TODAY), pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_digest(old.digest_id)  # fails; every retry fails; the interval passes
    monkeypatch.undo()

    week_later = TODAY + timedelta(days=7)
    new = digest_of(claim(week_later), world.people.alice)
    with at(week_later):
        assert services.send_digest(old.digest_id) == 0
        assert services.send_digest(new.digest_id) == 2
    assert set(rows_of(old).values_list("state", flat=True)) == {Reminder.State.SUPERSEDED}
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == services.message_id(new.digest_id)


@pytest.mark.django_db
def test_the_log_cannot_hold_the_same_line_twice_for_one_run():
    world = chase_world(TODAY)
    claim()
    row = Reminder.objects.filter(recipient=world.people.bob).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=row.kind, recipient=row.recipient, subject_key=row.subject_key, action=row.action, period=row.period
        )


@pytest.mark.django_db
def test_an_action_reminder_must_name_its_action_and_a_sent_one_its_time():
    world = chase_world(TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=Reminder.Kind.ACTION_DIGEST, recipient=world.people.bob, subject_key="action:1", period=TODAY
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=Reminder.Kind.ACTION_DIGEST,
            recipient=world.people.bob,
            subject_key="action:1",
            action=world.actions.rma,
            period=TODAY,
            state=Reminder.State.SENT,
        )


# --- Two at once (PostgreSQL, where workers really do run side by side) ----------------------


def another_waits_for_a_lock():
    """True when another connection to this database is blocked waiting for a lock (a row lock this one holds)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else pg_stat_activity is read once per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def holding_on_until_the_other_waits(real):
    """``real``, except that its first call (made holding the rows' locks) first waits until the other side,
    started at the same time, is blocked on those locks; later calls go straight through."""
    first = threading.Lock()

    def call(*args, **kwargs):
        if first.acquire(blocking=False):
            wait_for(another_waits_for_a_lock, "the other side to wait for the locks", timeout=30)
        return real(*args, **kwargs)

    return call


def side_by_side(*calls):
    """Run the calls in threads (each with its own database connection), started together."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a call still running after 60 s"
    assert not errors, errors
    return results


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_digest_at_once_send_it_once(monkeypatch):
    world = chase_world(timezone.localdate())
    digest = digest_of(chasing.chase_overdue_actions(timezone.localdate()), world.people.alice)
    # The first to take the rows sends only once the other is waiting for them.
    monkeypatch.setattr(services, "deliver", holding_on_until_the_other_waits(services.deliver))
    results = side_by_side(
        lambda: services.send_digest(digest.digest_id), lambda: services.send_digest(digest.digest_id)
    )
    assert sorted(results) == [0, 2]
    assert [message.to for message in mail.outbox] == [[world.people.alice.email]]
    assert set(rows_of(digest).values_list("state", "attempts")) == {(Reminder.State.SENT, 1)}


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second_day", [0, 1], ids=["same day", "next day"])
def test_two_chases_at_once_claim_each_line_once_and_one_digest_per_person(monkeypatch, second_day):
    today = timezone.localdate()
    world = chase_world(today)
    # Inside the claim, after taking the locks, the first chase goes on only once the other is waiting for them.
    monkeypatch.setattr(services, "drop_recent", holding_on_until_the_other_waits(services.drop_recent))
    first, second = side_by_side(
        lambda: chasing.chase_overdue_actions(today),
        lambda: chasing.chase_overdue_actions(today + timedelta(days=second_day)),
    )
    assert sorted([len(first.digests), len(second.digests)]) == [0, 4]
    lines = list(Reminder.objects.values_list("kind", "recipient_id", "subject_key"))
    assert len(lines) == len(set(lines)) == 5  # Alice 2, Bob 1, Dave 1, Erin 1 (no secretariat here)
    digests = set(Reminder.objects.values_list("kind", "recipient_id", "digest_id"))
    assert len(digests) == len({(kind, person) for kind, person, _ in digests}) == len(world.owners)
