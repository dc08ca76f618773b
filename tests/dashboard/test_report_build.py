"""The progress report (PDF), prepared by a Celery worker while its page shows how it is going.

The secretariat asks for the report from the dashboard; without a broker the task runs in the
request, so the page opens on a ready report, which downloads as a PDF and is a line of the audit
log. A report is of one board (the audience, the filters, the day, the data): someone else of the
same audience is given the same one, and nobody else ever is. Asked for again, it is not prepared
twice. The broker refusing it marks it failed at once, with a plain reason and "Try again"; while
it is prepared, the page refreshes itself (without JavaScript) or htmx fetches its panel.
"""

import io
import os
from datetime import date, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from actions.models import Action
from audit.models import AuditEvent
from dashboard import preparing, reports, tasks
from dashboard.models import ReportBuild
from meetings.models import Meeting
from recommendations.models import Recommendation
from reviews.models import QuarterlyReturn
from tests import html
from tests.actions.factories import ActionFactory
from tests.dashboard.factories import a_return
from tests.factories import AreaFactory, NsgFactory, user_with_role
from tests.meetings.factories import MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/report/"
FILE = "/dashboard/report.pdf"
QUERY = "area=fife"
Status = ReportBuild.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):
    """2017-18 Q1: three areas' returns (Fife's 3 initial ICRs a count to protect), an NSG meeting in May."""
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    fife = AreaFactory(name="Fife", slug="fife", code="FIF")
    glasgow = AreaFactory(name="Glasgow", slug="glasgow", code="GLA")
    a_return(fife, q1, initial=3, accepted=6)
    a_return(glasgow, q1, initial=7, accepted=9)
    may = MeetingFactory(body=NsgFactory(), date=date(2017, 5, 31))
    ActionFactory(meeting=may, number=1, due_date=date(2017, 6, 1))
    return {"fife": fife, "glasgow": glasgow, "may": may}


def ask(client, query=QUERY, *, run=True):
    """Press "Prepare the report" on the report's page; with ``run``, the task runs once the step commits
    (eagerly, as without a broker), else it is left waiting for a worker."""
    with TestCase.captureOnCommitCallbacks(execute=run):
        response = client.post(f"{PAGE}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?{query}"
    return response


def page_of(client, query=QUERY):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def signed_in(client, user):
    client.force_login(user)
    return client


# --- The story ------------------------------------------------------------------------------------------


def test_the_secretariat_asks_for_the_report_and_downloads_it_when_it_is_ready(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    dashboard = client.get(f"/dashboard/?{QUERY}").content.decode()
    assert f'href="{PAGE}?{QUERY}">Download the progress report (PDF)</a>' in dashboard

    page = page_of(client)
    assert "For <strong>2017-18 Q1 (April 2017 to June 2017); Area: Fife</strong>" in page
    form = html.page(page).xpath('//form[.//button[normalize-space()="Prepare the report"]]')[0]
    assert form.get("method") == "post" and form.get("action") == f"{PAGE}?{QUERY}"
    assert form.xpath('.//input[@name="csrfmiddlewaretoken"]')
    assert 'http-equiv="refresh"' not in page  # nothing under way: nothing to wait for

    ask(client)
    build = ReportBuild.objects.get()
    assert (build.status, build.asked_by, build.query) == (Status.READY, secretariat_user, QUERY)
    assert build.file.name.startswith(f"dashboard/reports/{build.pk}/")
    assert build.page_count >= 3 and build.size > 1000
    page = page_of(client)
    assert "The report is ready" in page
    assert "govuk-tag--green" in page
    assert f"PDF, {build.page_count} pages" in page
    assert f'href="{FILE}?{QUERY}" download>Download the report (PDF)</a>' in page
    assert 'http-equiv="refresh"' not in page

    response = client.get(f"{FILE}?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="mappa-dashboard-2017-18-q1-fife.pdf"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "MAPPA progress report" in text and "Area: Fife" in text
    assert "fewer than 5" not in text  # the secretariat sees every figure

    line = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert (line.user, line.label, line.format) == (secretariat_user, "Dashboard progress report", "pdf")
    assert line.details["filters"] == {"area": "fife"}


def test_the_old_address_of_the_file_sends_to_the_report_page_until_it_is_ready(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    response = client.get(f"{FILE}?{QUERY}")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?{QUERY}"
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).exists()  # nothing was downloaded
    assert not ReportBuild.objects.exists()  # a GET asks for nothing

    ask(client)
    assert client.get(f"{FILE}?{QUERY}").status_code == 200


def test_bad_filters_go_back_to_the_dashboard_which_says_what_is_wrong(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    for response in (
        client.get(f"{PAGE}?from=not-a-quarter"),
        client.post(f"{PAGE}?from=not-a-quarter"),
        client.get(f"{FILE}?from=not-a-quarter"),
    ):
        assert response.status_code == 302 and response["Location"] == "/dashboard/?from=not-a-quarter"
    assert "There is a problem" in client.get("/dashboard/?from=not-a-quarter").content.decode()
    assert not ReportBuild.objects.exists()


# --- Who gets which report ------------------------------------------------------------------------------


def test_a_chair_cannot_download_a_report_prepared_for_the_secretariat(client, secretariat_user, world):
    fife_chair = user_with_role("sog_chair", username="t-chair-fife", areas=[world["fife"]])
    glasgow_chair = user_with_role("sog_chair", username="t-chair-glasgow", areas=[world["glasgow"]])
    signed_in(client, secretariat_user)
    ask(client)
    signed_in(client, fife_chair)
    # The same address, the same filters, the same data: not the secretariat's file (it shows what chairs may not).
    response = client.get(f"{FILE}?{QUERY}")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?{QUERY}"
    page = page_of(client)
    assert "The report is ready" not in page and "Prepare the report" in page
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, user=fife_chair).exists()

    # The chair's own, with what a chair may see: small counts withheld.
    ask(client)
    response = client.get(f"{FILE}?{QUERY}")
    assert response.status_code == 200
    assert "fewer than 5" in pdf_text(b"".join(response.streaming_content))
    assert ReportBuild.objects.filter(status=Status.READY).count() == 2

    # The chair of another area sees another dashboard: neither report is theirs.
    signed_in(client, glasgow_chair)
    assert client.get(f"{FILE}?{QUERY}").status_code == 302
    assert "Prepare the report" in page_of(client)


def test_someone_of_the_same_audience_is_given_the_same_report(client, secretariat_user, world):
    colleague = user_with_role("secretariat", username="t-secretariat-2")
    signed_in(client, secretariat_user)
    ask(client)
    signed_in(client, colleague)
    assert "The report is ready" in page_of(client)
    assert client.get(f"{FILE}?{QUERY}").status_code == 200
    ask(client)  # asked for again: the one ready is the answer
    assert ReportBuild.objects.count() == 1


def test_an_inspector_asks_for_the_report_too_and_changes_no_record(client, inspector_user, world):
    signed_in(client, inspector_user)
    records = {model: model.objects.count() for model in (Action, Meeting, QuarterlyReturn, Recommendation)}
    assert "Prepare the report" in page_of(client)
    ask(client)
    assert "The report is ready" in page_of(client)
    response = client.get(f"{FILE}?{QUERY}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert ReportBuild.objects.get().asked_by == inspector_user
    assert {model: model.objects.count() for model in records} == records
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, user=inspector_user).count() == 1


# --- Asked for again ------------------------------------------------------------------------------------


def test_a_second_ask_for_the_same_board_reuses_the_report_and_a_change_to_the_records_makes_a_new_one(
    client, secretariat_user, world
):
    signed_in(client, secretariat_user)
    ask(client, run=False)
    ask(client, run=False)  # a double click, or a second tab, while the first waits for a worker
    waiting = ReportBuild.objects.get()
    assert waiting.status == Status.QUEUED
    preparing.run(waiting.pk)  # the worker
    ask(client)
    assert ReportBuild.objects.count() == 1
    assert "The report is ready" in page_of(client)

    # Other filters are another board.
    ask(client, "area=glasgow")
    assert ReportBuild.objects.count() == 2

    # Something recorded: the figures may have changed, so the report is prepared again when asked for.
    ActionFactory(meeting=world["may"], number=2, due_date=date(2017, 12, 1))
    assert "Prepare the report" in page_of(client)
    assert client.get(f"{FILE}?{QUERY}").status_code == 302
    ask(client)
    assert ReportBuild.objects.filter(query=QUERY, status=Status.READY).count() == 2


def test_a_ready_report_is_offered_while_the_dashboard_would_be_kept_then_prepared_again(
    client, secretariat_user, world
):
    signed_in(client, secretariat_user)
    ask(client)
    ReportBuild.objects.update(finished_at=timezone.now() - reports.FRESH - timedelta(seconds=1))
    assert "Prepare the report" in page_of(client)
    ask(client)
    assert ReportBuild.objects.filter(status=Status.READY).count() == 2


def test_a_ready_report_whose_file_is_missing_is_prepared_again(client, secretariat_user, world, media):
    signed_in(client, secretariat_user)
    ask(client)
    (media / ReportBuild.objects.get().file.name).unlink()
    assert client.get(f"{FILE}?{QUERY}").status_code == 302  # to the page, not a server error
    assert "Prepare the report" in page_of(client)
    ask(client)
    assert client.get(f"{FILE}?{QUERY}").status_code == 200


# --- While it is prepared, and when it fails ------------------------------------------------------------


def test_the_page_refreshes_itself_and_shows_the_step_while_the_report_is_prepared(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    ask(client, run=False)
    page = page_of(client)
    assert f'<noscript><meta http-equiv="refresh" content="3; url={PAGE}?{QUERY}"></noscript>' in page
    assert "Preparing the report" in page and "govuk-tag--grey" in page
    assert "Waiting for the service to start it" in page
    assert "htmx.min.js" in page
    panel = html.page(page).xpath('//div[@id="report-status"]')[0]
    assert panel.get("hx-get") == f"/dashboard/report/progress/?{QUERY}"
    assert panel.get("hx-trigger") == "every 2s"

    ReportBuild.objects.update(status=Status.BUILDING, step=ReportBuild.Step.LAYOUT, started_at=timezone.now())
    page = page_of(client)
    assert "Step 3 of 4: Laying out the pages" in page
    bar = html.page(page).xpath('//progress[contains(@class, "app-progress")]')[0]
    assert (bar.get("value"), bar.get("max"), bar.get("aria-labelledby")) == ("50", "100", "progress-label")
    assert 'http-equiv="refresh"' in page

    # htmx fetches the panel alone; opened by itself, that address is the page's.
    fragment = client.get(f"/dashboard/report/progress/?{QUERY}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<div id="report-status"')
    assert "Step 3 of 4" in fragment.content.decode()
    alone = client.get(f"/dashboard/report/progress/?{QUERY}")
    assert alone.status_code == 302 and alone["Location"] == f"{PAGE}?{QUERY}"

    # Ready: the panel htmx fetches offers the file and asks no more.
    ReportBuild.objects.update(status=Status.QUEUED, step="", started_at=None)
    preparing.run(ReportBuild.objects.get().pk)
    fragment = client.get(f"/dashboard/report/progress/?{QUERY}", headers={"HX-Request": "true"}).content.decode()
    assert "Download the report (PDF)" in fragment and "hx-get" not in fragment
    assert 'http-equiv="refresh"' not in page_of(client)


def test_a_report_the_broker_will_not_take_fails_at_once_and_may_be_tried_again(
    client, secretariat_user, world, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.build_report, "apply_async", refuse)
    signed_in(client, secretariat_user)
    ask(client)
    build = ReportBuild.objects.get()
    assert build.status == Status.FAILED and build.message == reports.NOT_HANDED_OVER
    page = page_of(client)
    summary = html.page(page).xpath('//div[contains(@class, "govuk-error-summary")]')[0]
    assert "The report could not be prepared" in summary.text_content()
    assert "The service's task queue did not answer" in summary.text_content()
    assert html.page(page).xpath('//form[@method="post"]//button[normalize-space()="Try again"]')
    assert 'http-equiv="refresh"' not in page

    monkeypatch.undo()
    ask(client)
    assert "The report is ready" in page_of(client)
    assert list(ReportBuild.objects.values_list("status", flat=True)) == [Status.READY, Status.FAILED]


def test_a_report_that_goes_wrong_in_the_worker_says_so_in_plain_words(
    client, secretariat_user, world, monkeypatch, caplog
):
    def broken(html):
        raise RuntimeError("WeasyPrint ran out of memory")

    monkeypatch.setattr(preparing, "laid_out", broken)
    signed_in(client, secretariat_user)
    ask(client)
    build = ReportBuild.objects.get()
    assert (build.status, build.message, build.file.name) == (Status.FAILED, preparing.WENT_WRONG, "")
    assert "Something went wrong on the server while preparing the report. Try again." in page_of(client)
    assert "Dashboard report" in caplog.text


# --- The worker -----------------------------------------------------------------------------------------


def test_the_task_run_twice_does_no_harm_and_a_lost_worker_s_report_is_taken_over(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    ask(client, run=False)
    build = ReportBuild.objects.get()
    tasks.build_report.apply(args=[build.pk])
    build.refresh_from_db()
    first = (build.status, build.file.name, build.finished_at)
    assert first[0] == Status.READY
    tasks.build_report.apply(args=[build.pk])  # delivered again (acks_late): left as it is
    build.refresh_from_db()
    assert (build.status, build.file.name, build.finished_at) == first

    # A worker lost mid-way, its task delivered again: taken over once it has been under way too long.
    ask(client, "area=glasgow", run=False)
    lost = ReportBuild.objects.get(query="area=glasgow")
    long_ago = timezone.now() - reports.STALE - timedelta(minutes=1)
    ReportBuild.objects.filter(pk=lost.pk).update(status=Status.BUILDING, step="layout", started_at=long_ago)
    preparing.run(lost.pk)
    lost.refresh_from_db()
    assert lost.status == Status.READY


def test_a_report_asked_for_long_ago_and_never_finished_may_be_asked_for_again(client, secretariat_user, world):
    signed_in(client, secretariat_user)
    ask(client, run=False)
    ReportBuild.objects.update(
        status=Status.BUILDING, started_at=timezone.now(), created_at=timezone.now() - reports.STALE * 2
    )
    page = page_of(client)
    assert reports.TOOK_TOO_LONG in page and "Try again" in page
    assert 'http-equiv="refresh"' not in page
    ask(client)
    assert list(ReportBuild.objects.values_list("status", "message")) == [
        (Status.READY, ""),
        (Status.FAILED, reports.TOOK_TOO_LONG),
    ]


def test_the_worker_will_not_prepare_a_report_for_someone_whose_audience_changed(client, world):
    chair = user_with_role("sog_chair", username="t-chair-fife", areas=[world["fife"]])
    signed_in(client, chair)
    ask(client, run=False)
    # Made secretariat before the worker ran: the file would show a chair's board what the secretariat sees.
    chair.person.access_role = "secretariat"
    chair.person.save()
    chair._mappa_roles = None
    build = ReportBuild.objects.get()
    preparing.run(build.pk)
    build.refresh_from_db()
    assert (build.status, build.message) == (Status.FAILED, preparing.AUDIENCE_CHANGED)


# --- Housekeeping ---------------------------------------------------------------------------------------


def test_reports_asked_for_more_than_a_day_ago_go_with_their_files_when_a_new_one_is_asked_for(
    client, secretariat_user, world, media, django_capture_on_commit_callbacks
):
    signed_in(client, secretariat_user)
    ask(client)
    old = ReportBuild.objects.get()
    path = media / old.file.name
    assert path.is_file()
    ReportBuild.objects.update(created_at=timezone.now() - reports.KEPT - timedelta(minutes=1))
    ask(client, "area=glasgow")
    assert not ReportBuild.objects.filter(pk=old.pk).exists()
    assert not path.exists()
    assert ReportBuild.objects.get().query == "area=glasgow"


def test_a_ready_report_has_its_file_and_a_failed_one_says_why(secretariat_user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(asked_by=secretariat_user, key="k", status=Status.READY, finished_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(asked_by=secretariat_user, key="k", status=Status.FAILED)
    ReportBuild.objects.create(asked_by=secretariat_user, key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(asked_by=secretariat_user, key="k", status=Status.BUILDING)
    # Ready, with its file, beside the one waiting: fine.
    ReportBuild.objects.create(
        asked_by=secretariat_user,
        key="k",
        status=Status.READY,
        finished_at=timezone.now(),
        file="dashboard/reports/r.pdf",
    )


def test_an_erasure_of_personal_data_deletes_every_prepared_report_and_its_file(client, secretariat_user, world):
    from erasure.services import erase_text

    ActionFactory(meeting=world["may"], number=2, text="Jane Doerty-Smithson to report back")
    signed_in(client, secretariat_user)
    ask(client)
    path = ReportBuild.objects.get().file.path
    assert os.path.exists(path)

    with TestCase.captureOnCommitCallbacks(execute=True):
        erase_text(text="Jane Doerty-Smithson", reason="Typed in by mistake", by=secretariat_user)

    assert not ReportBuild.objects.exists()
    assert not os.path.exists(path)
    assert "Prepare the report" in page_of(client)  # prepared again, from the records as they now are
