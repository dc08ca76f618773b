"""Issue 14: records are kept only as long as the retention schedule says, then deleted by
`apply_retention` (and the monthly beat job), with their history and files; the run is in the audit log.

The world is dated around NOW (15 June 2030, noon, UK time): for each kind a record just past its
period and one just inside it.
"""

import io
import os
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfWriter

from actions.models import Action
from audit.models import AuditEvent
from config.celery import app as celery_app
from meetings.models import AgendaItem, Meeting
from outbox.models import Email
from papers import services as papers
from papers.models import Paper, PaperVersion
from recommendations.models import Recommendation
from reminders.models import Reminder
from retention import holds, schedule, services, tasks
from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod, ReturnTransition
from tests.actions.factories import ActionFactory
from tests.factories import AreaFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.recommendations.factories import RecommendationFactory
from tests.reviews.factories import CaseReviewFactory, QuarterlyReturnFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2030, 6, 15, 12, 0, tzinfo=LONDON)
SECOND = timedelta(seconds=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile("paper.pdf", output.getvalue(), content_type="application/pdf")


def paper_of_meeting_on(day, by, title):
    item = AgendaItemFactory(meeting=MeetingFactory(date=day, status=Meeting.Status.AGENDA_ISSUED))
    paper = papers.add_paper(item, by=by, title=title, upload=pdf())
    papers.replace_paper(paper, by=by, upload=pdf())
    return paper


def reminder(person, action, claimed_at, key):
    """A line of an overdue-action digest: chased every week, so a line is only a record of what was sent."""
    return Reminder.objects.create(
        kind=Reminder.Kind.ACTION_DIGEST,
        recipient=person,
        subject_key=key,
        action=action,
        period=claimed_at.date(),
        claimed_at=claimed_at,
    )


def return_due_line(person, period, area, claimed_at, key):
    """A line of a kind sent once per occasion ("due today" for a return)."""
    return Reminder.objects.create(
        kind=Reminder.Kind.RETURN_DUE,
        recipient=person,
        subject_key=key,
        area=area,
        reporting_period=period,
        period=claimed_at.date(),
        claimed_at=claimed_at,
    )


def email(queued_at, key):
    return Email.objects.create(kind="test", key=key, subject_id=1, to="someone@test.example", queued_at=queued_at)


def audit_line(moment, label):
    line = AuditEvent(kind=AuditEvent.Kind.VIEW, at=moment, label=label)
    line.save()
    return line


@pytest.fixture
def world(secretariat_user):
    """Each kind: ``old`` just past its period at NOW, ``new`` just inside it (and what must never go)."""
    fife = AreaFactory(name="Fife", slug="fife", code="FIF")
    w = {}
    # Papers: 10 years from the meeting's date (cut-off 15 June 2020).
    w["old_paper"] = paper_of_meeting_on(date(2020, 6, 15), secretariat_user, "Old paper")
    w["new_paper"] = paper_of_meeting_on(date(2020, 6, 16), secretariat_user, "New paper")
    # Returns: 7 years from the end of the quarter (cut-off 15 June 2023): 2022-23 Q4 ended 31 March 2023,
    # 2023-24 Q1 ends 30 June 2023.
    w["old_period"] = ReportingPeriodFactory(year=2022, quarter=4)
    w["new_period"] = ReportingPeriodFactory(year=2023, quarter=1)
    w["old_return"] = QuarterlyReturnFactory(area=fife, period=w["old_period"])
    w["old_return"].narrative = "A second version, for its history."
    w["old_return"].save()
    ReturnTransition.objects.create(
        quarterly_return=w["old_return"], from_status="draft", to_status="submitted", by=secretariat_user
    )
    w["new_return"] = QuarterlyReturnFactory(area=fife, period=w["new_period"])
    # Case reviews: 7 years from the end of the quarter completed (or commissioned, if never); open ones stay.
    closed = CaseReview.Status.COMPLETED
    w["old_review"] = CaseReviewFactory(
        area=fife, commissioned_on=date(2022, 1, 10), completed_on=date(2023, 3, 31), status=closed
    )
    w["new_review"] = CaseReviewFactory(
        area=fife, commissioned_on=date(2022, 1, 10), completed_on=date(2023, 4, 1), status=closed
    )
    w["old_uncompleted_review"] = CaseReviewFactory(
        area=fife, commissioned_on=date(2023, 2, 1), status=CaseReview.Status.NO_FURTHER_ACTION
    )
    w["open_review"] = CaseReviewFactory(area=fife, commissioned_on=date(2012, 1, 10), status=CaseReview.Status.OPEN)
    # Reminder log lines and outbox e-mails: 2 years from when they were claimed or queued.
    person = PersonFactory()
    two_years_ago = datetime(2028, 6, 15, 12, 0, tzinfo=LONDON)
    chased = ActionFactory()
    w["old_reminder"] = reminder(person, chased, two_years_ago - SECOND, "old")
    w["new_reminder"] = reminder(person, chased, two_years_ago + SECOND, "new")
    # A once-per-occasion line stays while its return does: it stops the occasion being chased again.
    w["occasion_line"] = return_due_line(person, w["new_period"], fife, two_years_ago - SECOND, "return:due-today")
    w["old_email"] = email(two_years_ago - SECOND, "old")
    w["new_email"] = email(two_years_ago + SECOND, "new")
    # Audit log lines: 7 years from when they happened.
    seven_years_ago = datetime(2023, 6, 15, 12, 0, tzinfo=LONDON)
    w["old_audit"] = audit_line(seven_years_ago - SECOND, "old")
    w["new_audit"] = audit_line(seven_years_ago + SECOND, "new")
    # Sessions: once expired, as Django's clearsessions.
    Session.objects.create(session_key="expired", session_data="", expire_date=NOW - SECOND)
    Session.objects.create(session_key="current", session_data="", expire_date=NOW + SECOND)
    # Permanent: a meeting of 2001 with its agenda, an action and a recommendation.
    ancient = MeetingFactory(date=date(2001, 5, 1), status=Meeting.Status.MINUTES_AGREED)
    w["ancient_item"] = AgendaItemFactory(meeting=ancient, title="Thematic inspection action plan")
    w["ancient_action"] = ActionFactory(meeting=ancient, agenda_item=w["ancient_item"], due_date=date(2001, 6, 1))
    w["ancient_recommendation"] = RecommendationFactory()
    return w


GOING = {
    "papers": 1,
    "returns": 1,
    "reporting_periods": 1,
    "case_reviews": 2,
    "reminders": 1,
    "emails": 1,
    "audit": 1,
    "sessions": 1,
}


def exists(record):
    return type(record)._base_manager.filter(pk=record.pk).exists()


def test_the_dry_run_counts_what_is_past_its_period_and_deletes_nothing(world):
    with at(NOW):
        result = services.apply_retention(dry_run=True)
    assert result.counts() == GOING
    assert all(exists(record) for record in world.values())
    assert Session.objects.count() == 2
    assert not AuditEvent.objects.filter(kind="retention").exists()


def test_a_day_earlier_nothing_dated_by_day_is_due_yet(world):
    # The day before NOW: papers of 15 June 2020 not yet (10 years run on 15 June 2030); returns of the
    # quarter ended 31 March 2023 were already due (7 years ran on 31 March 2030).
    with at(NOW - timedelta(days=1)):
        counts = services.apply_retention(dry_run=True).counts()
    assert counts["papers"] == 0
    assert counts["returns"] == 1
    # The reminder and e-mail claimed a day less than two years before: none yet.
    assert counts["reminders"] == counts["emails"] == counts["audit"] == 0


def test_the_command_dry_run_prints_each_kind_its_period_cutoff_and_count(world):
    out = io.StringIO()
    with at(NOW):
        call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Retention schedule as of 15 June 2030 (dry run: nothing deleted)" in text
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert lines["Papers (every version, with its file)"].split()[-11:-4] == [
        "10",
        "years",
        "15",
        "Jun",
        "2020",
        "1",
        "0",
    ]
    assert "15 Jun 2023" in lines["Quarterly returns"] and "the end of their quarter" in lines["Quarterly returns"]
    assert "15 Jun 2028" in lines["Reminder log lines"]
    assert "Kept permanently: Meetings, their agendas and attendance" in text
    assert all(exists(record) for record in world.values())


def test_the_run_deletes_what_is_past_its_period_with_its_history_and_files_and_keeps_the_rest(
    world, django_capture_on_commit_callbacks
):
    old_files = [v.file.path for v in PaperVersion.objects.filter(paper=world["old_paper"])]
    new_files = [v.file.path for v in PaperVersion.objects.filter(paper=world["new_paper"])]
    assert len(old_files) == 2 and all(open(path, "rb").read(4) == b"%PDF" for path in old_files + new_files)
    history = QuarterlyReturn.history.model.objects
    assert history.filter(id=world["old_return"].pk).count() == 2
    old_review_ids = [world["old_review"].pk, world["old_uncompleted_review"].pk]
    assert CaseReview.history.model.objects.filter(id__in=old_review_ids).count() == 2

    with at(NOW), django_capture_on_commit_callbacks(execute=True):
        result = services.apply_retention(dry_run=False)

    assert result.counts() == GOING
    gone = [k for k in world if k.startswith("old_")]
    kept = [k for k in world if not k.startswith("old_")]
    assert [k for k in gone if exists(world[k])] == []
    assert [k for k in kept if not exists(world[k])] == []
    # The paper's versions and their files went with it; the newer paper's stayed.
    assert not PaperVersion.objects.filter(paper_id=world["old_paper"].pk).exists()
    assert not any(os.path.exists(path) for path in old_files)
    assert all(os.path.exists(path) for path in new_files)
    # Every version of the return and the case reviews went, with the one simple-history adds on delete.
    assert not history.filter(id=world["old_return"].pk).exists()
    assert history.filter(id=world["new_return"].pk).exists()
    assert not CaseReview.history.model.objects.filter(id__in=old_review_ids).exists()
    assert not ReturnTransition.objects.filter(quarterly_return_id=world["old_return"].pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    outcome = next(o for o in result.outcomes if o.kind.key == "returns")
    assert outcome.removed["reviews.HistoricalQuarterlyReturn"] == 3  # two saves and the deletion
    assert outcome.removed["reviews.ReturnTransition"] == 1


def test_permanent_records_are_never_touched(world, monkeypatch):
    # Sixty years on (the audit log's lines aside: on PostgreSQL its trigger reads the database's clock).
    monkeypatch.setattr(schedule, "SCHEDULE", [kind for kind in schedule.SCHEDULE if kind.key != "audit"])
    before = {model: model._base_manager.count() for model in (Meeting, AgendaItem, Action, Recommendation)} | {
        "agenda history": AgendaItem.history.count()
    }
    with at(datetime(2090, 1, 1, tzinfo=LONDON)):
        services.apply_retention(dry_run=False)
    after = {model: model._base_manager.count() for model in (Meeting, AgendaItem, Action, Recommendation)} | {
        "agenda history": AgendaItem.history.count()
    }
    assert after == before
    assert not Paper.objects.exists() and not QuarterlyReturn.objects.exists()
    # The open case review stays however old.
    assert list(CaseReview.objects.all()) == [world["open_review"]]
    # No kind of the schedule deletes a permanent kind's rows.
    assert {kind.model_class for kind in schedule.SCHEDULE}.isdisjoint({Meeting, AgendaItem, Action, Recommendation})


def test_the_run_is_in_the_audit_log_with_its_counts(world):
    with at(NOW):
        services.apply_retention(dry_run=False)
    line = AuditEvent.objects.get(kind="retention")
    assert line.details["deleted"] == GOING
    assert line.details["on"] == "2030-06-15"
    assert line.details["cutoffs"]["papers"] == "2020-06-15"
    # The old audit line went; this one and the newer one stay.
    assert list(AuditEvent.objects.filter(label__in=["old", "new"]).values_list("label", flat=True)) == ["new"]


def test_a_second_run_finds_nothing_more(world):
    with at(NOW):
        services.apply_retention(dry_run=False)
        again = services.apply_retention(dry_run=False)
    assert set(again.counts().values()) == {0}


def test_a_hold_keeps_what_it_names_until_it_is_lifted(world):
    def keep_old_paper(kind, rows):
        return rows.filter(pk=world["old_paper"].pk).values("pk") if kind == "papers" else None

    holds.register_hold(keep_old_paper)
    try:
        with at(NOW):
            dry = services.apply_retention(dry_run=True)
            result = services.apply_retention(dry_run=False)
        papers_outcome = next(o for o in result.outcomes if o.kind.key == "papers")
        assert (papers_outcome.due, papers_outcome.held, papers_outcome.deleted) == (1, 1, 0)
        assert dry.counts()["papers"] == 0
        assert exists(world["old_paper"])
        assert not exists(world["old_return"])  # the hold names papers only
        assert AuditEvent.objects.get(kind="retention").details["held"] == {"papers": 1}
    finally:
        holds.unregister_hold(keep_old_paper)
    with at(NOW):
        services.apply_retention(dry_run=False)
    assert not exists(world["old_paper"])


def test_a_held_return_keeps_its_quarter(world):
    def keep_old_return(kind, rows):
        return [world["old_return"].pk] if kind == "returns" else None

    holds.register_hold(keep_old_return)
    try:
        with at(NOW):
            counts = services.apply_retention(dry_run=False).counts()
    finally:
        holds.unregister_hold(keep_old_return)
    assert counts["returns"] == 0 and counts["reporting_periods"] == 0
    assert exists(world["old_return"]) and exists(world["old_period"])


def test_what_something_still_refers_to_is_kept_and_reported_not_a_crash(world, monkeypatch):
    # A kind whose rows are protected: quarters, ignoring that their returns stay (held).
    quarters = schedule.Kind(
        "quarters",
        "Quarters",
        "reviews.ReportingPeriod",
        "the end of the quarter",
        "returns",
        lambda cutoff, going: ReportingPeriod.objects.filter(ends_on__lte=cutoff),
    )
    spare = ReportingPeriodFactory(year=2021, quarter=1)
    monkeypatch.setattr(schedule, "SCHEDULE", [kind for kind in schedule.SCHEDULE if kind.key == "papers"] + [quarters])
    with at(NOW):
        result = services.apply_retention(dry_run=False)
    outcome = result.outcomes[-1]
    assert (outcome.going, outcome.deleted) == (2, 1)
    assert dict(outcome.kept) == {"still referred to by: quarterly return": 1}
    assert not exists(spare) and exists(world["old_period"])
    assert result.counts()["papers"] == 1  # the other kinds went on

    out = io.StringIO()
    with at(NOW):
        call_command("apply_retention", stdout=out)
    assert "Quarters: 1 could not go, still referred to by: quarterly return" in out.getvalue()


def test_the_date_option_applies_the_schedule_as_on_that_day(world):
    out = io.StringIO()
    with at(NOW):
        call_command("apply_retention", "--dry-run", "--date", "2030-06-14", stdout=out)
    assert "as of 14 June 2030" in out.getvalue()
    assert exists(world["old_paper"])


def test_periods_follow_the_settings(world, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "papers": 11, "emails": 1}
    with at(NOW):
        counts = services.apply_retention(dry_run=True).counts()
    assert counts["papers"] == 0
    assert counts["emails"] == 2


def test_the_cutoff_of_29_february_is_the_28th():
    assert schedule.years_before(date(2028, 2, 29), 7) == date(2021, 2, 28)
    assert schedule.quarter_end_on_or_before(date(2023, 3, 30)) == date(2022, 12, 31)
    assert schedule.quarter_end_on_or_before(date(2023, 3, 31)) == date(2023, 3, 31)


def test_the_task_applies_the_schedule(world):
    with at(NOW):
        counts = tasks.apply_retention.apply().get()
    assert counts == GOING


def test_the_beat_runs_the_job_monthly():
    entry = celery_app.conf.beat_schedule["apply-retention"]
    assert entry["task"] == "retention.apply_retention"
    schedule_ = entry["schedule"]
    assert schedule_.day_of_month == {1} and schedule_.hour == {3} and schedule_.minute == {45}
    assert schedule_.month_of_year == set(range(1, 13))


def test_a_date_rule_counts_whole_days(world):
    # Just after midnight on 15 June 2030 the papers of 15 June 2020 already go.
    with at(datetime.combine(date(2030, 6, 15), time(0, 1), tzinfo=LONDON)):
        assert services.apply_retention(dry_run=True).counts()["papers"] == 1
