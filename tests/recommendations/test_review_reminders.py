"""Reminding of passed review dates: the policy lead, and the secretariat in one digest, once per review date.

User stories, from the morning of Thursday 1 March 2018 unless a test travels on. The
action plan update of 8 November 2017 set each recommendation's review date:

* Lena Lead is the policy lead of Recommendation 2 (review date 28 February 2018) and of
  Recommendation 5 (review date 31 March 2018).
* Recommendation 8 has no policy lead named; its review date was 28 February 2018 too.
* Recommendation 1 is met: its review date (31 January 2018) is not chased.
* Recommendation 3's review date (31 January 2018) was followed by an update on 5 February.
"""

import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from recommendations.models import StatusUpdate
from recommendations.services import review_dates, status_updates
from recommendations.tasks import remind_review_dates
from reminders.models import Reminder
from tests.factories import PersonFactory
from tests.recommendations.factories import InspectionFactory, RecommendationFactory, StatusUpdateFactory
from tests.reminders.story import assert_daily_chasing_task, at, html_of, queries_of, refuse_mail_to, sent_to

pytestmark = pytest.mark.django_db

THURSDAY = date(2018, 3, 1)
S = StatusUpdate.Status


def run(day):
    """Run the beat's task as the beat sends it (no arguments), on ``day``; return its summary."""
    with at(day):
        return remind_review_dates.delay().get()


def run_daily(first, last):
    day = first
    while day <= last:
        run(day)
        day += timedelta(days=1)


@pytest.fixture
def world(secretariat_user):
    review = InspectionFactory(title="Joint Thematic Review of MAPPA in Scotland")
    lena = PersonFactory(name="Lena Lead", email="lena@test.example")

    def recommendation(number, title, lead, review_date, status=S.ON_TARGET, **update):
        rec = RecommendationFactory(inspection=review, number=number, short_title=title, policy_lead=lead)
        StatusUpdateFactory(
            recommendation=rec,
            as_of=date(2017, 11, 8),
            review_date=review_date,
            status=status,
            narrative=f"Progress on {title}.",
            **update,
        )
        return rec

    recs = SimpleNamespace(
        internet=recommendation(2, "Risk assessment of internet offenders", lena, date(2018, 2, 28)),
        level1=recommendation(5, "Level 1 minimum practice standards", lena, date(2018, 3, 31)),
        governance=recommendation(8, "Governance and trend data", None, date(2018, 2, 28)),
        era=recommendation(
            1, "ERA standards", lena, date(2018, 1, 31), status=S.MET, completion_date=date(2017, 11, 8)
        ),
        sexting=recommendation(3, "Sexting strategy", lena, date(2018, 1, 31)),
    )
    StatusUpdateFactory(
        recommendation=recs.sexting, as_of=date(2018, 2, 5), status=S.ON_TARGET, narrative="Strategy published."
    )
    return SimpleNamespace(lena=lena, secretariat=secretariat_user.person, secretariat_user=secretariat_user, recs=recs)


def link(recommendation):
    return settings.SITE_URL + recommendation.get_absolute_url()


def new_update(world, recommendation, as_of, review_date=None):
    """The secretariat records an update in the action plan, as the update form does."""
    return status_updates.record_status_update(
        recommendation,
        by=world.secretariat_user,
        as_of=as_of,
        narrative="New progress.",
        status=S.ON_TARGET,
        progress=StatusUpdate.Progress.SIGNIFICANT,
        review_date=review_date,
    )


# --- Who gets what ----------------------------------------------------------------------------


def test_the_day_after_the_review_date_the_policy_lead_is_reminded(world):
    summary = run(THURSDAY)

    (message,) = sent_to(world.lena)
    assert message.subject == (
        "MAPPA action plan: review date passed for Recommendation 2: Risk assessment of internet offenders"
    )
    assert "You are named as the Scottish Government policy lead" in message.body
    assert "Review date: 28 February 2018 (1 day ago)" in message.body
    assert "Last update: 8 November 2017, On target for completion within timescale" in message.body
    assert link(world.recs.internet) in message.body
    assert f'href="{link(world.recs.internet)}"' in html_of(message)
    assert "Recommendation 5" not in message.body  # its review date, 31 March, has not passed
    assert "Recommendation 1:" not in message.body  # met
    assert "Recommendation 3" not in message.body  # updated since its review date
    assert summary["digests_claimed"] == 2 and summary["lines_claimed"] == 3


def test_the_secretariat_gets_one_digest_of_every_passed_review_date_with_its_lead(world):
    run(THURSDAY)
    (message,) = sent_to(world.secretariat)
    assert message.subject == "MAPPA action plan: review dates passed with no update: 2"
    body = message.body
    assert "Recommendation 2: Risk assessment of internet offenders\nPolicy lead: Lena Lead" in body
    assert "Recommendation 8: Governance and trend data\nPolicy lead: none named" in body
    assert "1 has no policy lead named, so nobody else has been told" in body
    assert settings.SITE_URL + f"/recommendations/{world.recs.governance.pk}/updates/new/" in body
    assert "None named" in html_of(message)
    assert len(mail.outbox) == 2  # Lena and the secretariat; nobody for Recommendation 8 but the secretariat


def test_nothing_is_sent_on_the_review_date_itself(world):
    summary = run(date(2018, 2, 28))
    assert summary["digests_claimed"] == 0 and mail.outbox == []


def test_a_lead_of_several_passed_review_dates_gets_them_in_one_e_mail(world):
    run(date(2018, 4, 1))  # 28 February and 31 March have both passed, and nothing was sent before
    (message,) = sent_to(world.lena)
    assert message.subject == "MAPPA action plan: review dates passed for 2 recommendations"
    assert message.body.index("Recommendation 2:") < message.body.index("Recommendation 5:")  # oldest first


# --- Exactly once per review date -------------------------------------------------------------


def test_running_twice_on_the_same_day_sends_nothing_new(world):
    run(THURSDAY)
    again = run(THURSDAY)
    with at(THURSDAY, hour=18):
        remind_review_dates.delay().get()
    assert again["digests_claimed"] == 0 and again["digests_queued"] == 0
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 3  # Lena 1, the secretariat 2
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_the_next_day_and_every_day_after_send_nothing_new_for_the_same_review_date(world):
    """Unlike an overdue action (chased again after 7 days), a review date is reminded of once."""
    run_daily(THURSDAY, date(2018, 3, 31))
    assert len(sent_to(world.lena)) == 1 and len(sent_to(world.secretariat)) == 1

    run(date(2018, 4, 1))  # Recommendation 5's review date has passed: only that is new
    first, second = sent_to(world.lena)
    assert "Recommendation 5: Level 1 minimum practice standards" in second.subject
    assert "Recommendation 2" not in second.body
    assert "Recommendation 2" not in sent_to(world.secretariat)[1].body


def test_a_new_review_date_that_passes_is_reminded_of_again(world):
    run(THURSDAY)
    new_update(world, world.recs.internet, as_of=date(2018, 3, 8), review_date=date(2018, 6, 30))
    run_daily(date(2018, 3, 9), date(2018, 3, 12))
    run(date(2018, 4, 1))  # Recommendation 5's review date (31 March) has passed
    run(date(2018, 6, 30))  # the new review date is today: not passed yet
    assert [m.subject.split(" for ")[1] for m in sent_to(world.lena)] == [
        "Recommendation 2: Risk assessment of internet offenders",
        "Recommendation 5: Level 1 minimum practice standards",
    ]

    run(date(2018, 7, 1))  # the new review date has passed with no update since
    third = sent_to(world.lena)[2]
    assert third.subject == (
        "MAPPA action plan: review date passed for Recommendation 2: Risk assessment of internet offenders"
    )
    assert "Review date: 30 June 2018 (1 day ago)" in third.body
    assert "Last update: 8 March 2018" in third.body
    assert set(
        Reminder.objects.filter(recipient=world.lena, recommendation=world.recs.internet).values_list(
            "subject_key", flat=True
        )
    ) == {
        f"recommendation:{world.recs.internet.pk}:review:2018-02-28",
        f"recommendation:{world.recs.internet.pk}:review:2018-06-30",
    }
    run(date(2018, 7, 2))
    assert len(sent_to(world.lena)) == 3


def test_an_update_recorded_after_the_review_date_stops_the_reminder(world):
    new_update(world, world.recs.internet, as_of=date(2018, 2, 28))  # on the review date: the review happened
    new_update(world, world.recs.governance, as_of=date(2018, 3, 1), review_date=date(2018, 9, 30))
    run(date(2018, 3, 2))
    assert sent_to(world.lena) == [] and sent_to(world.secretariat) == []
    assert Reminder.objects.count() == 0


def test_an_update_describing_an_earlier_day_does_not_count_as_an_update_since(world):
    # Entered late, but about 1 February: the review due on 28 February is still outstanding.
    new_update(world, world.recs.internet, as_of=date(2018, 2, 1), review_date=date(2018, 2, 28))
    run(THURSDAY)
    (message,) = sent_to(world.lena)
    assert "Last update: 1 February 2018" in message.body


def test_a_failed_e_mail_is_shown_failed_and_goes_out_the_next_day_once(world, monkeypatch):
    mailbox_back = refuse_mail_to(monkeypatch, world.lena)
    assert run(THURSDAY)["failed"] == 1
    failed = Reminder.objects.get(recipient=world.lena)
    assert failed.state == Reminder.State.FAILED and "SMTPRecipientsRefused" in failed.error

    mailbox_back()
    summary = run(date(2018, 3, 2))
    assert summary["digests_claimed"] == 0 and summary["digests_queued"] == 1
    (message,) = sent_to(world.lena)
    assert "Review date: 28 February 2018 (1 day ago)" in message.body  # as at the run that claimed it
    run(date(2018, 3, 3))
    assert len(sent_to(world.lena)) == 1


# --- Scale, the schedule and the task ---------------------------------------------------------


def test_the_reminder_makes_as_many_queries_for_many_recommendations_as_for_few(world):
    few = queries_of(review_dates.remind_review_dates, THURSDAY, dry_run=True)
    for number in range(20, 60):
        rec = RecommendationFactory(number=number, policy_lead=PersonFactory() if number % 2 else None)
        StatusUpdateFactory(recommendation=rec, as_of=date(2017, 11, 8), review_date=date(2018, 2, number % 28 + 1))
    many = queries_of(review_dates.remind_review_dates, THURSDAY, dry_run=True)
    assert few == many <= 6


def test_the_beat_runs_the_task_every_morning_and_it_takes_a_date(world):
    assert_daily_chasing_task(remind_review_dates, "remind-review-dates")
    assert remind_review_dates.name == "recommendations.remind_review_dates"
    with at(date(2018, 6, 1)):
        summary = remind_review_dates.delay("2018-03-01").get()
    assert summary["date"] == "2018-03-01"
    assert set(Reminder.objects.values_list("period", flat=True)) == {THURSDAY}


# --- The management command (the contract all chasing commands keep: tests/reminders/test_chasing_commands.py)


def test_the_dry_run_prints_each_lead_s_recommendations_and_those_with_no_lead(world):
    out = io.StringIO()
    with at(THURSDAY):
        call_command("remind_review_dates", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "Review dates passed as of 1 March 2018 (dry run)" in printed
    assert "Recommendations past their review date (to policy leads): 1 e-mail, 1 line" in printed
    assert "Lena Lead <lena@test.example> would get 1 recommendation:" in printed
    assert (
        "- Recommendation 2: Risk assessment of internet offenders: review date 28 Feb 2018 (1 day ago), "
        "last update 8 Nov 2017"
    ) in printed
    assert "Recommendations past their review date (to the secretariat): 1 e-mail, 2 lines" in printed
    assert "No policy lead named for 1 recommendation" in printed
    assert "- Recommendation 8: Governance and trend data" in printed


def test_the_dry_run_takes_a_date_and_leaves_out_what_was_already_sent(world):
    run(THURSDAY)
    out = io.StringIO()
    call_command("remind_review_dates", "--dry-run", "--date", "2018-03-20", stdout=out)
    assert "as of 20 March 2018" in out.getvalue()
    assert "Recommendations past their review date (to policy leads): 0 e-mails, 0 lines" in out.getvalue()
    out = io.StringIO()
    call_command("remind_review_dates", "--dry-run", "--date", "2018-04-01", stdout=out)
    assert "Lena Lead <lena@test.example> would get 1 recommendation:" in out.getvalue()
    assert "Recommendation 5: Level 1 minimum practice standards" in out.getvalue()
