"""Chasing quarterly returns: each area's chair and coordinator 7 days before the due date, on it, and
weekly after it, once each; the secretariat a weekly list of the late ones.

User stories around the 2017-18 Q1 return (April to June 2017), due on Sunday 30 July 2017:

* Fife: its SOG chair and its MAPPA coordinator, Colin, have not started the return. Its deputy
  chair, Dee, is not chased; nor is Frank, who chaired it until June.
* Glasgow: its chair Gill and its coordinator Gary have not started either.
* Tayside submitted on 20 July; Lanarkshire sent a nil return on 25 July.
* Highland and Islands has no chair or coordinator recorded.
* Northern ceased in March 2017: it owes no return for the quarter.
"""

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from mappa.models import Membership
from reminders.models import Reminder
from reviews import chasing
from reviews.models import QuarterlyReturn
from reviews.services.returns import make_nil_return, send_back, submit_return
from reviews.tasks import chase_late_returns
from tests.factories import AreaFactory, MembershipFactory, PersonFactory, SogFactory, user_with_role
from tests.reminders.story import (
    LONDON,
    assert_daily_chasing_task,
    at,
    html_of,
    queries_of,
    refuse_mail_to,
    sent_to,
)
from tests.reviews.factories import ReportingPeriodFactory, complete

pytestmark = pytest.mark.django_db

DUE = date(2017, 7, 30)  # a Sunday
Role = Membership.Role


def run(day):
    """Run the beat's task as the beat sends it (no arguments), on ``day``; return its summary."""
    with at(day):
        return chase_late_returns.delay().get()


def run_daily(first, last, twice=False):
    day = first
    while day <= last:
        run(day)
        if twice:
            with at(day, hour=19):
                chase_late_returns.delay().get()
        day += timedelta(days=1)


def link(area, period="2017-18-q1"):
    return f"{settings.SITE_URL}/returns/{period}/{area.slug}/"


@pytest.fixture
def world(fife, glasgow, chair_user, secretariat_user):
    period = ReportingPeriodFactory(year=2017, quarter=1)
    assert period.due_on == DUE

    def seat(area, role, name, **dates):
        person = PersonFactory(name=name, email=f"{name.split()[0].lower()}@test.example")
        sog = SogFactory(area=area)
        MembershipFactory(person=person, body=sog, role=role, **dates)
        return person

    gill = user_with_role("sog_chair", username="gill", areas=[glasgow])
    gill.person.name, gill.person.email = "Gill Chair", "gill@test.example"
    gill.person.save()
    tayside = AreaFactory(name="Tayside", slug="tayside", code="TAY")
    lanarkshire = AreaFactory(name="Lanarkshire", slug="lanarkshire", code="LAN")
    lanarkshire_chair = user_with_role("sog_chair", username="lana", areas=[lanarkshire])
    people = SimpleNamespace(
        fife_chair=chair_user.person,
        colin=seat(fife, Role.COORDINATOR, "Colin Coordinator"),
        dee=seat(fife, Role.DEPUTY, "Dee Deputy"),
        frank=seat(fife, Role.CHAIR, "Frank Former", started_on=date(2014, 4, 1), ended_on=date(2017, 6, 30)),
        gill=gill.person,
        gary=seat(glasgow, Role.COORDINATOR, "Gary Coordinator"),
        tam=seat(tayside, Role.CHAIR, "Tam Chair"),
        lana=lanarkshire_chair.person,
        nora=seat(
            AreaFactory(name="Northern", slug="northern", code="NOR", active=False, ended_on=date(2017, 3, 31)),
            Role.CHAIR,
            "Nora Northern",
        ),
        secretariat=secretariat_user.person,
    )
    highland = AreaFactory(name="Highland and Islands", slug="highland-and-islands", code="HAI")
    SogFactory(area=highland)
    with at(date(2017, 7, 20)):
        QuarterlyReturn.objects.create(
            area=tayside,
            period=period,
            status=QuarterlyReturn.Status.SUBMITTED,
            submitted_at=datetime(2017, 7, 20, 12, tzinfo=LONDON),
            first_submitted_at=datetime(2017, 7, 20, 12, tzinfo=LONDON),
        )
    with at(date(2017, 7, 25)):
        nil = make_nil_return(QuarterlyReturn(area=lanarkshire, period=period), by=lanarkshire_chair)
        submit_return(nil, by=lanarkshire_chair)
    return SimpleNamespace(
        period=period,
        fife=fife,
        glasgow=glasgow,
        highland=highland,
        people=people,
        chair_user=chair_user,
        secretariat_user=secretariat_user,
    )


def chased(world):
    """Everyone who should hear of Fife's and Glasgow's returns: their chairs and coordinators."""
    p = world.people
    return [p.fife_chair, p.colin, p.gill, p.gary]


def submit_fife(world, day):
    with at(day, hour=12):
        ret = complete(QuarterlyReturn(area=world.fife, period=world.period), world.chair_user)
        return submit_return(ret, by=world.chair_user, confirmed=True)


# --- Who is reminded, and when ----------------------------------------------------------------


def test_seven_days_before_the_due_date_each_chair_and_coordinator_is_reminded(world):
    assert run(date(2017, 7, 22))["digests_claimed"] == 0  # 8 days before: not yet
    run(date(2017, 7, 23))

    for person in chased(world):
        (message,) = sent_to(person)
    (message,) = sent_to(world.people.colin)
    assert message.subject == "Fife quarterly return for 2017-18 Q1: due in 7 days"
    assert "Fife return for 2017-18 Q1 (April to June 2017)" in message.body
    assert "Due 30 July 2017: due in 7 days" in message.body
    assert "Status: Not started" in message.body
    assert "You: MAPPA coordinator of the Fife SOG" in message.body
    assert link(world.fife) in message.body and f'href="{link(world.fife)}"' in html_of(message)
    assert "You: chair of the Fife SOG" in sent_to(world.people.fife_chair)[0].body
    assert "Glasgow return for 2017-18 Q1" in sent_to(world.people.gary)[0].body
    p = world.people
    for nobody in (p.dee, p.frank, p.tam, p.lana, p.nora, p.secretariat):  # deputy, former chair, submitted,
        assert sent_to(nobody) == []  # nil return submitted, area ceased, nothing late yet
    assert len(mail.outbox) == 4


def test_on_the_due_date_and_weekly_after_it_each_exactly_once(world):
    run_daily(date(2017, 7, 16), date(2017, 8, 27), twice=True)

    assert [m.subject for m in sent_to(world.people.colin)] == [
        "Fife quarterly return for 2017-18 Q1: due in 7 days",
        "Fife quarterly return for 2017-18 Q1: due today",
        "Fife quarterly return for 2017-18 Q1: 7 days late",
        "Fife quarterly return for 2017-18 Q1: 14 days late",
        "Fife quarterly return for 2017-18 Q1: 21 days late",
        "Fife quarterly return for 2017-18 Q1: 28 days late",
    ]
    assert list(
        Reminder.objects.filter(recipient=world.people.colin).order_by("period").values_list("period", flat=True)
    ) == [date(2017, 7, 23), DUE, date(2017, 8, 6), date(2017, 8, 13), date(2017, 8, 20), date(2017, 8, 27)]
    for person in chased(world):
        assert len(sent_to(person)) == 6
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_weekly_chasing_of_the_area_stops_after_the_configured_weeks_but_the_secretariat_still_hears(world, settings):
    settings.RETURN_CHASE_LATE_WEEKS = 2
    run_daily(date(2017, 7, 30), date(2017, 9, 3))

    assert [m.subject.rsplit(": ", 1)[1] for m in sent_to(world.people.colin)] == [
        "due today",
        "7 days late",
        "14 days late",
    ]
    assert "Fife return for 2017-18 Q1" in sent_to(world.people.secretariat)[-1].body  # week of 28 August


def test_running_twice_on_the_same_day_sends_nothing_new(world):
    run(DUE)
    again = run(DUE)
    assert again["digests_claimed"] == 0 and again["digests_queued"] == 0
    assert len(mail.outbox) == 4


def test_a_submitted_return_is_no_longer_chased(world):
    run_daily(date(2017, 7, 23), date(2017, 7, 31))
    submit_fife(world, date(2017, 8, 1))
    run_daily(date(2017, 8, 1), date(2017, 8, 20))
    assert [m.subject.rsplit(": ", 1)[1] for m in sent_to(world.people.colin)] == ["due in 7 days", "due today"]
    assert len(sent_to(world.people.gary)) == 5  # Glasgow's is still late: 6, 13 and 20 August


def test_a_return_returned_for_amendment_after_the_due_date_is_chased_weekly_until_resubmitted(world):
    run_daily(date(2017, 7, 23), date(2017, 7, 27))
    submit_fife(world, date(2017, 7, 28))
    run_daily(date(2017, 7, 28), date(2017, 8, 9))
    assert len(sent_to(world.people.colin)) == 1  # 7 days before; submitted by the due date

    with at(date(2017, 8, 9), hour=12):
        ret = QuarterlyReturn.objects.get(area=world.fife, period=world.period)
        send_back(ret, by=world.secretariat_user, comments={"narrative": "Say more about the SCR."})
    run(date(2017, 8, 10))
    latest = sent_to(world.people.colin)[-1]
    assert latest.subject == "Fife quarterly return for 2017-18 Q1: 11 days late"
    assert "Status: Returned for amendment: please amend it and submit it again" in latest.body
    run_daily(date(2017, 8, 11), date(2017, 8, 14))
    assert sent_to(world.people.colin)[-1].subject == "Fife quarterly return for 2017-18 Q1: 14 days late"

    with at(date(2017, 8, 15), hour=12):
        ret.refresh_from_db()
        submit_return(ret, by=world.chair_user, confirmed=True)  # resubmitted
    run_daily(date(2017, 8, 15), date(2017, 8, 27))
    assert len(sent_to(world.people.colin)) == 3
    lists = {m.subject.split("week of ")[1]: m.body for m in sent_to(world.people.secretariat)}
    assert "Fife return for 2017-18 Q1" not in lists["7 August 2017: 2"]  # submitted on time, not yet returned
    assert (
        "Fife return for 2017-18 Q1\nDue 30 July 2017: 15 days late\nStatus: Returned for amendment"
        in lists["14 August 2017: 3"]
    )
    assert "Fife return" not in lists["21 August 2017: 2"]  # resubmitted


def test_a_missed_run_catches_up_with_the_reminder_at_hand_not_every_one_missed(world):
    run(date(2017, 8, 15))  # the first run: 16 days late
    (message,) = sent_to(world.people.colin)
    assert message.subject == "Fife quarterly return for 2017-18 Q1: 16 days late"
    run_daily(date(2017, 8, 16), date(2017, 8, 19))
    assert len(sent_to(world.people.colin)) == 1
    run(date(2017, 8, 20))  # 21 days late: the third week
    assert len(sent_to(world.people.colin)) == 2


def test_a_chair_of_two_areas_gets_one_e_mail_of_both(world):
    MembershipFactory(person=world.people.colin, body=SogFactory(area=world.glasgow), role=Role.CHAIR)
    run(DUE)
    (message,) = sent_to(world.people.colin)
    assert message.subject == "MAPPA quarterly returns: 2 due or late"
    assert "You: MAPPA coordinator of the Fife SOG" in message.body and "You: chair of the Glasgow SOG" in message.body


# --- The secretariat's weekly list ------------------------------------------------------------


def test_the_secretariat_gets_a_weekly_list_of_late_returns(world):
    run_daily(date(2017, 7, 23), date(2017, 8, 13), twice=True)

    first, second = sent_to(world.people.secretariat)
    assert first.subject == "Late MAPPA quarterly returns, week of 31 July 2017: 3"
    assert second.subject == "Late MAPPA quarterly returns, week of 7 August 2017: 3"
    assert set(
        Reminder.objects.filter(kind=Reminder.Kind.SECRETARIAT_LATE_RETURNS).values_list("period", flat=True)
    ) == {date(2017, 7, 31), date(2017, 8, 7)}
    body = first.body
    assert "Fife return for 2017-18 Q1\nDue 30 July 2017: 1 day late\nStatus: Not started" in body
    assert "Chair and coordinator: Gill Chair (chair), Gary Coordinator (MAPPA coordinator)" in body
    assert (
        "Highland and Islands return for 2017-18 Q1\nDue 30 July 2017: 1 day late\nStatus: Not started\n"
        "Chair and coordinator: none recorded: nobody has been reminded"
    ) in body
    assert "Tayside" not in body and "Lanarkshire" not in body and "Northern" not in body
    assert link(world.glasgow) in body and f'href="{link(world.highland)}"' in html_of(first)
    assert "8 days late" in second.body


def test_a_return_late_from_midweek_waits_for_the_next_weeks_list(world):
    # Another quarter's returns, given until Wednesday 2 August: late from Thursday.
    ReportingPeriodFactory(year=2016, quarter=4, due_on=date(2017, 8, 2))
    run_daily(date(2017, 7, 31), date(2017, 8, 7))
    first, second = sent_to(world.people.secretariat)
    assert first.subject == "Late MAPPA quarterly returns, week of 31 July 2017: 3"
    # Every area active in January to March 2017 owes that quarter's, Northern included.
    assert second.subject == "Late MAPPA quarterly returns, week of 7 August 2017: 9"
    assert "Northern return for 2016-17 Q4" in second.body and "Northern return for 2017-18 Q1" not in second.body
    assert second.body.index("2017-18 Q1") < second.body.index("2016-17 Q4")  # the longest late first


def test_each_reminder_goes_once_whatever_the_interval_between_action_reminders(world, settings):
    settings.ACTION_REMINDER_INTERVAL_DAYS = 1
    run_daily(date(2017, 7, 16), date(2017, 8, 13))
    assert len(sent_to(world.people.colin)) == 4  # 7 days before, due date, 7 and 14 days late
    assert len(sent_to(world.people.secretariat)) == 2


def test_a_missed_monday_sends_the_weekly_list_on_the_next_run_of_the_week(world):
    run(date(2017, 7, 31))
    run(date(2017, 8, 8))  # no run on Monday 7 August
    run(date(2017, 8, 9))
    run(date(2017, 8, 13))
    assert [m.subject for m in sent_to(world.people.secretariat)] == [
        "Late MAPPA quarterly returns, week of 31 July 2017: 3",
        "Late MAPPA quarterly returns, week of 7 August 2017: 3",
    ]


def test_a_failed_e_mail_is_shown_failed_and_goes_out_the_next_day_once(world, monkeypatch):
    mailbox_back = refuse_mail_to(monkeypatch, world.people.colin)
    assert run(DUE)["failed"] == 1
    assert Reminder.objects.get(recipient=world.people.colin).state == Reminder.State.FAILED
    mailbox_back()
    run(date(2017, 7, 31))
    run(date(2017, 8, 1))
    (message,) = sent_to(world.people.colin)
    assert message.subject == "Fife quarterly return for 2017-18 Q1: due today"


# --- Scale, the schedule and the task ---------------------------------------------------------


def test_the_chase_makes_as_many_queries_for_many_areas_and_quarters_as_for_few(world):
    few = queries_of(chasing.chase_late_returns, date(2017, 8, 7), dry_run=True)
    for _n in range(20):
        area = AreaFactory()
        MembershipFactory(body=SogFactory(area=area), role=Role.CHAIR)
    for quarter in (2, 3, 4):
        ReportingPeriodFactory(year=2016, quarter=quarter)
    many = queries_of(chasing.chase_late_returns, date(2017, 8, 7), dry_run=True)
    assert few == many <= 8


def test_the_beat_runs_the_task_every_morning_and_it_takes_a_date(world):
    assert_daily_chasing_task(chase_late_returns, "chase-late-returns")
    assert chase_late_returns.name == "reviews.chase_late_returns"
    with at(date(2018, 1, 10)):
        summary = chase_late_returns.delay("2017-07-23").get()
    assert summary["date"] == "2017-07-23" and summary["digests_claimed"] == 4


# --- The management command (the contract all chasing commands keep: tests/reminders/test_chasing_commands.py)


def test_the_dry_run_prints_each_chair_and_coordinator_s_returns_and_the_weekly_list(world):
    out = io.StringIO()
    with at(date(2017, 7, 31)):
        call_command("chase_late_returns", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "Chase of quarterly returns as of 31 July 2017 (dry run)" in printed
    assert "Quarterly returns due or late (to SOG chairs and coordinators): 4 e-mails, 4 lines" in printed
    assert "Colin Coordinator <colin@test.example> would get 1 return:" in printed
    assert (
        "- Fife, 2017-18 Q1 return, due 30 Jul 2017 (1 day late): Not started [MAPPA coordinator of the Fife SOG]"
    ) in printed
    assert "Late quarterly returns, weekly (to the secretariat): 1 e-mail, 3 lines" in printed
    assert "Nobody to remind for 1 return (the area's SOG has no current chair or coordinator):" in printed
    assert "  - Highland and Islands, 2017-18 Q1" in printed
    assert "Tayside" not in printed and "Lanarkshire" not in printed and "Dee Deputy" not in printed


def test_the_dry_run_takes_a_date_and_leaves_out_what_was_already_sent(world):
    run(DUE)
    out = io.StringIO()
    call_command("chase_late_returns", "--dry-run", "--date", "2017-08-02", stdout=out)
    assert "as of 2 August 2017" in out.getvalue()
    assert "Quarterly returns due or late (to SOG chairs and coordinators): 0 e-mails, 0 lines" in out.getvalue()
    assert "Late quarterly returns, weekly (to the secretariat): 1 e-mail, 3 lines" in out.getvalue()
