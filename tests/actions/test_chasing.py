"""Chasing overdue actions: every owner gets one digest a day at most, and each action once a week at most.

User stories, on the morning of Friday 1 December 2017 unless a test travels on:

* Alice owns Action 1 (due 20 Nov, overdue), Action 2 (due 5 Dec, due soon), Action 3
  (due 20 Dec, not yet) and Action 4 (overdue but complete).
* The RMA owns Action 5 (due 25 Nov); Bob and Carol are its named contacts.
* The Level 1 SLWG owns Action 6 (due 1 Oct, 61 days overdue); Dave and Erin sit on
  it, Frank left it in June.
* An organisation with no named contacts owns Action 7 (due 28 Nov).
"""

import io
import smtplib
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import chasing
from actions.models import Action
from actions.tasks import chase_overdue_actions
from config.celery import app as celery_app
from reminders.models import Reminder
from tests.actions.factories import ActionFactory
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FRIDAY = date(2017, 12, 1)


def at(day, hour=7):
    """Travel to ``hour`` o'clock, UK time, on ``day`` (the beat runs the chase at 07:00)."""
    return time_machine.travel(datetime.combine(day, time(hour, 0), tzinfo=LONDON), tick=False)


def run_chase(day):
    """Run the beat's task as the beat sends it (no arguments), on ``day``; return its summary."""
    with at(day):
        return chase_overdue_actions.delay().get()


def sent_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture
def world(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 11, 8))
    item = AgendaItemFactory(meeting=meeting, title="Thematic Inspection Action Plan")
    people = SimpleNamespace(
        alice=PersonFactory(name="Alice Owner", email="alice@test.example"),
        bob=PersonFactory(name="Bob Contact", email="bob@test.example"),
        carol=PersonFactory(name="Carol Contact", email="carol@test.example"),
        dave=PersonFactory(name="Dave Member", email="dave@test.example"),
        erin=PersonFactory(name="Erin Member", email="erin@test.example"),
        frank=PersonFactory(name="Frank Former", email="frank@test.example"),
        secretariat=secretariat_user.person,
    )
    rma = OrganisationFactory(name="Risk Management Authority", short_name="RMA")
    rma.contacts.add(people.bob, people.carol)
    slwg = BodyFactory(name="Level 1 Standards Working Group", short_name="Level 1 SLWG", slug="level-1-slwg")
    MembershipFactory(person=people.dave, body=slwg)
    MembershipFactory(person=people.erin, body=slwg, started_on=date(2017, 3, 16))
    MembershipFactory(person=people.frank, body=slwg, started_on=date(2017, 3, 16), ended_on=date(2017, 6, 30))
    no_contacts = OrganisationFactory(name="Organisation With No Contacts", short_name="NOC")

    def action(number, due, owners, status=Action.Status.OPEN):
        return ActionFactory(
            meeting=meeting,
            agenda_item=item,
            number=number,
            due_date=due,
            owners=owners,
            status=status,
            text=f"The text of action {number}.",
        )

    actions = SimpleNamespace(
        overdue=action(1, date(2017, 11, 20), [people.alice]),
        due_soon=action(2, date(2017, 12, 5), [people.alice]),
        later=action(3, date(2017, 12, 20), [people.alice]),
        complete=action(4, date(2017, 11, 15), [people.alice], status=Action.Status.COMPLETE),
        rma=action(5, date(2017, 11, 25), [rma]),
        group=action(6, date(2017, 10, 1), [slwg]),
        orphan=action(7, date(2017, 11, 28), [no_contacts]),
    )
    return SimpleNamespace(people=people, actions=actions, rma=rma, slwg=slwg, meeting=meeting, item=item)


def link(action):
    return settings.SITE_URL + reverse("actions:detail", args=[action.pk])


# --- Who gets what ----------------------------------------------------------------------------


def test_each_owner_gets_one_digest_of_their_overdue_and_soon_due_actions(world):
    summary = run_chase(FRIDAY)

    (message,) = sent_to(world.people.alice)
    assert message.subject == "MAPPA actions: 1 overdue, 1 due within 7 days"
    assert "Action 1 from 8 November 2017 meeting" in message.body
    assert "Due 20 November 2017: 11 days overdue" in message.body
    assert "Action 2 from 8 November 2017 meeting" in message.body
    assert "Due 5 December 2017 (in 4 days)" in message.body
    assert "Action 3 from" not in message.body  # due in 19 days: not yet
    assert "Action 4 from" not in message.body  # complete
    assert link(world.actions.overdue) in message.body and link(world.actions.due_soon) in message.body
    html = html_of(message)
    assert f'href="{link(world.actions.overdue)}"' in html and "11 days overdue" in html
    # Overdue first, then due soon.
    assert (
        message.body.index("OVERDUE")
        < message.body.index("Action 1 from")
        < message.body.index("DUE WITHIN 7 DAYS")
        < message.body.index("Action 2 from")
    )
    assert message.extra_headers["Message-ID"].startswith("<reminder-")
    assert summary["digests_claimed"] == 6  # Alice, Bob, Carol, Dave, Erin, and the secretariat


def test_organisation_owned_actions_go_to_its_named_contacts(world):
    run_chase(FRIDAY)
    for contact in (world.people.bob, world.people.carol):
        (message,) = sent_to(contact)
        assert message.subject == "MAPPA actions: 1 overdue"
        assert "Action 5 from 8 November 2017 meeting" in message.body
        assert "Owner: RMA (you: named contact for RMA)" in message.body
        assert "Action 1 from" not in message.body


def test_body_owned_actions_go_to_each_current_member(world):
    run_chase(FRIDAY)
    for member in (world.people.dave, world.people.erin):
        (message,) = sent_to(member)
        assert "Action 6 from 8 November 2017 meeting" in message.body
        assert "Owner: All Level 1 SLWG members (you: member of Level 1 SLWG)" in message.body
    assert sent_to(world.people.frank) == []  # left the group in June


def test_actions_overdue_by_more_than_28_days_also_go_to_the_secretariat(world):
    run_chase(FRIDAY)
    (message,) = sent_to(world.people.secretariat)
    assert message.subject == "MAPPA actions overdue by more than 28 days: 1"
    assert "Action 6 from 8 November 2017 meeting (NSG)" in message.body
    assert "61 days overdue" in message.body
    assert "Action 1 from" not in message.body  # 11 days overdue: the owner's business for now
    assert f'href="{link(world.actions.group)}"' in html_of(message)


def test_a_person_reached_several_ways_gets_each_action_once_in_one_digest(world):
    world.rma.contacts.add(world.people.alice)
    MembershipFactory(person=world.people.alice, body=world.slwg)
    world.actions.rma.owner_people.add(world.people.alice)
    run_chase(FRIDAY)
    (message,) = sent_to(world.people.alice)
    assert message.subject == "MAPPA actions: 3 overdue, 1 due within 7 days"
    assert message.body.count("Action 5 from 8 November 2017 meeting") == 1
    assert "(you: owner; named contact for RMA)" in message.body
    assert "(you: member of Level 1 SLWG)" in message.body


def test_an_action_nobody_can_be_told_about_is_reported_not_lost_silently(world, caplog):
    result = chasing.chase_overdue_actions(FRIDAY, dry_run=True)
    assert result.unreachable == [world.actions.orphan.pk]
    assert "1 overdue or soon-due actions have nobody to remind" in caplog.text


# --- Exactly once, and not more than once a week ----------------------------------------------


def test_running_the_chase_twice_the_same_day_sends_nothing_new(world):
    run_chase(FRIDAY)
    first = len(mail.outbox)
    lines = Reminder.objects.count()
    again = run_chase(FRIDAY)
    with at(FRIDAY, hour=18):
        chase_overdue_actions.delay().get()
    assert again["digests_claimed"] == 0 and again["digests_queued"] == 0
    assert len(mail.outbox) == first == 6
    assert Reminder.objects.count() == lines == 7  # Alice 2, Bob 1, Carol 1, Dave 1, Erin 1, secretariat 1
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_an_action_is_not_chased_to_the_same_person_again_within_7_days(world):
    run_chase(FRIDAY)
    for day in range(2, 8):  # Saturday 2 to Thursday 7 December
        run_chase(date(2017, 12, day))
    assert len(mail.outbox) == 6

    run_chase(date(2017, 12, 8))  # seven days on: everyone again
    assert len(mail.outbox) == 12
    (_, again) = sent_to(world.people.alice)
    assert again.subject == "MAPPA actions: 2 overdue"  # Action 2 fell due on 5 December


def test_a_newly_due_action_is_chased_without_repeating_those_chased_this_week(world):
    run_chase(date(2017, 12, 8))
    run_chase(date(2017, 12, 13))  # Action 3 (due 20 December) is now due within 7 days
    first, second = sent_to(world.people.alice)
    assert "Action 1 from" in first.body and "Action 3 from" not in first.body
    assert second.subject == "MAPPA actions: 1 due within 7 days"
    assert "Action 3 from" in second.body and "Action 1 from" not in second.body


def test_the_interval_is_a_setting(world, settings):
    settings.ACTION_REMINDER_INTERVAL_DAYS = 2
    run_chase(FRIDAY)
    run_chase(date(2017, 12, 2))
    assert len(sent_to(world.people.alice)) == 1
    run_chase(date(2017, 12, 3))
    assert len(sent_to(world.people.alice)) == 2


def test_a_completed_action_is_no_longer_chased(world):
    run_chase(FRIDAY)
    Action.objects.filter(pk=world.actions.rma.pk).update(status=Action.Status.COMPLETE)
    run_chase(date(2017, 12, 8))
    assert len(sent_to(world.people.bob)) == 1


def test_one_failing_digest_holds_nobody_else_up_and_goes_out_the_next_day(world, monkeypatch):
    """In-process (no broker) Celery does not retry: the rows stay failed and the next run sends them."""
    from reminders import services as reminder_services

    real = reminder_services.deliver

    def refuse_bob(message):
        if message.to == [world.people.bob.email]:
            raise smtplib.SMTPRecipientsRefused({world.people.bob.email: (550, b"Mailbox unavailable")})
        real(message)

    monkeypatch.setattr(reminder_services, "deliver", refuse_bob)
    summary = run_chase(FRIDAY)
    assert summary["failed"] == 1
    assert len(mail.outbox) == 5 and sent_to(world.people.bob) == []
    failed = Reminder.objects.get(recipient=world.people.bob)
    assert failed.state == Reminder.State.FAILED and "SMTPRecipientsRefused" in failed.error
    assert failed.attempts == 1

    monkeypatch.setattr(reminder_services, "deliver", real)  # the mailbox is back
    summary = run_chase(date(2017, 12, 2))
    assert summary["digests_claimed"] == 0 and summary["digests_queued"] == 1
    (message,) = sent_to(world.people.bob)
    assert "Action 5 from 8 November 2017 meeting" in message.body
    failed.refresh_from_db()
    assert failed.state == Reminder.State.SENT and failed.attempts == 2 and failed.period == FRIDAY
    assert len(mail.outbox) == 6


# --- Scale: the number of queries does not grow with the number of actions -------------------


def _more_actions(world, count, start):
    people = [PersonFactory() for _ in range(3)]
    for n in range(count):
        owners = [people[n % 3]] if n % 3 else [world.rma, world.slwg]
        ActionFactory(
            meeting=world.meeting,
            agenda_item=world.item,
            number=start + n,
            due_date=date(2017, 11, 1 + n % 28),
            owners=owners,
        )


def _queries(today, **kwargs):
    """The queries of one chase, leaving out the INSERTs of the claimed lines.

    Those are one statement on PostgreSQL; SQLite takes a statement per batch of
    rows (its limit on query parameters), so they are counted apart.
    """
    with at(today), CaptureQueriesContext(connection) as queries:
        chasing.chase_overdue_actions(today, **kwargs)
    return len([q for q in queries.captured_queries if not q["sql"].startswith("INSERT")])


def test_the_chase_makes_as_many_queries_for_many_actions_as_for_few(world):
    few = _queries(FRIDAY, dry_run=True)
    _more_actions(world, 60, start=100)
    many = _queries(FRIDAY, dry_run=True)
    assert few == many <= 10


def test_claiming_makes_as_many_queries_for_many_actions_as_for_few(world):
    few = _queries(FRIDAY)
    _more_actions(world, 60, start=100)
    many = _queries(date(2017, 12, 8))
    assert few == many <= 16


# --- The schedule and the task ----------------------------------------------------------------


def test_the_beat_runs_the_chase_every_morning_at_7_uk_time():
    entry = celery_app.conf.beat_schedule["chase-overdue-actions"]
    assert entry["task"] == "actions.chase_overdue_actions"
    schedule = entry["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0}
    assert celery_app.conf.timezone == "Europe/London"


def test_the_tasks_are_acknowledged_late_and_retry_smtp_errors_only():
    from reminders.tasks import send_reminder_digest

    for task in (chase_overdue_actions, send_reminder_digest):
        assert task.acks_late is True and task.reject_on_worker_lost is True
        assert set(task.autoretry_for) == {smtplib.SMTPException, ConnectionError}
        assert task.retry_backoff and task.max_retries == 5
    assert send_reminder_digest.name == "reminders.send_reminder_digest"


def test_the_task_takes_a_date(world):
    with at(date(2018, 1, 10)):
        summary = chase_overdue_actions.delay("2017-12-01").get()
    assert summary["date"] == "2017-12-01"
    assert Reminder.objects.filter(period=FRIDAY).exists()


# --- The management command (the contract all chasing commands keep: tests/reminders/test_chasing_commands.py)


def test_the_dry_run_prints_each_owner_s_actions_and_what_nobody_can_be_reminded_of(world):
    out = io.StringIO()
    with at(FRIDAY):
        call_command("chase_overdue_actions", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "Chase of overdue actions as of 1 December 2017 (dry run)" in printed
    assert "Alice Owner <alice@test.example> would get 2 actions:" in printed
    assert (
        "- Action 1 from 8 November 2017 meeting, due 20 Nov 2017 (11 days overdue): The text of action 1." in printed
    )
    assert "- Action 2 from 8 November 2017 meeting, due 5 Dec 2017 (due in 4 days)" in printed
    assert "Bob Contact <bob@test.example> would get 1 action:" in printed
    assert "[named contact for RMA]" in printed
    assert "Dave Member <dave@test.example>" in printed and "Frank Former" not in printed
    assert "Actions overdue by more than 28 days (to the secretariat): 1 e-mail, 1 line" in printed
    assert "Nobody to remind for 1 action" in printed and "- Action 7 from 8 November 2017 meeting" in printed


def test_the_dry_run_takes_a_date_and_leaves_out_what_was_chased_this_week(world):
    run_chase(FRIDAY)
    out = io.StringIO()
    call_command("chase_overdue_actions", "--dry-run", "--date", "2017-12-04", stdout=out)
    assert "as of 4 December 2017" in out.getvalue()
    assert "Actions overdue or due soon (to owners): 0 e-mails, 0 lines" in out.getvalue()
    out = io.StringIO()
    call_command("chase_overdue_actions", "--dry-run", "--date", "2017-12-08", stdout=out)
    assert "Alice Owner <alice@test.example> would get 2 actions:" in out.getvalue()
