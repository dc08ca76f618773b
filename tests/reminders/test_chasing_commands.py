"""The contract every chasing command keeps (chase_overdue_actions, remind_review_dates, chase_late_returns).

Each command, given a small world of its own where some people are due a reminder:

* ``--dry-run`` prints who would get what, and claims and sends nothing;
* without it, claims the lines in the reminder log and sends each digest in process;
* run again, sends nothing more;
* refuses a ``--date`` it cannot read, saying what it wants.

What each command prints line by line, and how its --date moves the chase, stays
with the command's own tests (tests/actions/test_chasing.py,
tests/recommendations/test_review_reminders.py, tests/reviews/test_chasing.py).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from mappa.models import Membership
from reminders.models import Reminder
from tests.factories import MembershipFactory, PersonFactory, SogFactory
from tests.recommendations.factories import RecommendationFactory, StatusUpdateFactory
from tests.reminders.helpers import chase_world
from tests.reminders.story import at
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def overdue_actions(request, today):
    """Alice (two actions), Bob, Dave and Erin one digest each; the secretariat one (an action 40 days overdue)."""
    request.getfixturevalue("secretariat_user")
    chase_world(today)
    return "Alice Owner <alice@test.example>", "2 actions"


def passed_review_dates(request, today):
    """Lena leads a recommendation whose review date passed yesterday; the secretariat gets the list."""
    request.getfixturevalue("secretariat_user")
    lena = PersonFactory(name="Lena Lead", email="lena@test.example")
    recommendation = RecommendationFactory(number=2, short_title="Internet offenders", policy_lead=lena)
    StatusUpdateFactory(
        recommendation=recommendation, as_of=today - timedelta(days=60), review_date=today - timedelta(days=1)
    )
    return "Lena Lead <lena@test.example>", "1 recommendation"


def late_returns(request, today):
    """Fife's 2017-18 Q1 return (due 30 July 2017) is a week late: its chair, its coordinator Colin, the
    secretariat's weekly list."""
    request.getfixturevalue("secretariat_user")
    fife = request.getfixturevalue("fife")
    request.getfixturevalue("chair_user")  # Fife's SOG chair
    assert ReportingPeriodFactory(year=2017, quarter=1).due_on == today - timedelta(days=7)
    colin = PersonFactory(name="Colin Coordinator", email="colin@test.example")
    MembershipFactory(person=colin, body=SogFactory(area=fife), role=Membership.Role.COORDINATOR)
    return "Colin Coordinator <colin@test.example>", "1 return"


@dataclass
class Chase:
    command: str
    title: str  # the heading's words before " as of <date>"
    today: date
    world: Callable  # (request, today) -> (one recipient as printed, what they get)
    emails: int  # how many e-mails the run sends in that world


COMMANDS = [
    pytest.param(Chase("chase_overdue_actions", "Chase of overdue actions", date(2017, 12, 1), overdue_actions, 5)),
    pytest.param(Chase("remind_review_dates", "Review dates passed", date(2018, 3, 1), passed_review_dates, 2)),
    pytest.param(Chase("chase_late_returns", "Chase of quarterly returns", date(2017, 8, 6), late_returns, 3)),
]


@pytest.fixture(params=COMMANDS, ids=lambda chase: chase.command)
def chase(request):
    chase = replace(request.param)  # a copy: the params are shared by every test
    chase.recipient, chase.gets = chase.world(request, chase.today)
    return chase


def run(chase, *args):
    out = io.StringIO()
    with at(chase.today):
        call_command(chase.command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_dry_run_prints_who_would_get_what_and_claims_nothing(chase):
    printed = run(chase, "--dry-run")
    assert f"{chase.title} as of {chase.today:%-d %B %Y} (dry run)" in printed
    assert f"{chase.recipient} would get {chase.gets}:" in printed
    assert printed.rstrip().endswith("Dry run: nothing claimed, nothing sent.")
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_a_real_run_claims_and_sends_and_a_second_sends_nothing_more(chase):
    printed = run(chase)
    assert f"{chase.title} as of {chase.today:%-d %B %Y}\n" in printed
    assert f"{chase.recipient} gets {chase.gets}:" in printed
    assert f"Sent {chase.emails} e-mails; 0 failed." in printed
    assert len(mail.outbox) == chase.emails
    assert len({message.to[0] for message in mail.outbox}) == chase.emails  # one each
    claimed = set(Reminder.objects.values_list("pk", "state"))
    assert claimed and {state for _, state in claimed} == {Reminder.State.SENT}

    again = run(chase)
    assert "Sent 0 e-mails; 0 failed." in again
    assert len(mail.outbox) == chase.emails
    assert set(Reminder.objects.values_list("pk", "state")) == claimed


@pytest.mark.parametrize("bad", ["1/12/2017", "2017-13-01", "tomorrow"])
def test_a_date_it_cannot_read_is_refused_with_what_it_wants(chase, bad):
    with pytest.raises(CommandError, match=rf"--date must be a date as YYYY-MM-DD \(got '{bad}'\)"):
        run(chase, "--dry-run", "--date", bad)
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD"):
        run(chase, "--date", bad)  # nor does a real run claim or send anything
    assert Reminder.objects.count() == 0 and mail.outbox == []
