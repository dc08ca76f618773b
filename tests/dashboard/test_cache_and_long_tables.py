"""The dashboard kept in the cache until the data changes, and its long tables a page away.

A reader who comes back sees the dashboard drawn once for everyone who may see the same
(dashboard.cache), until someone records something: then the figures are counted again.
The detail by area and quarter, thousands of rows at national scale, shows its first rows
on the page and every row on a page of its own, 50 at a time; the PDF report leaves it to the
workbook (XLSX).
"""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEvent
from dashboard import exports, views
from dashboard.selectors.layout import FOLDED_ROWS
from meetings.models import Meeting
from tests import html
from tests.actions.factories import ActionFactory
from tests.dashboard.factories import a_return, prepared_report
from tests.dashboard.test_dashboard import board_of, rows
from tests.factories import AreaFactory, NsgFactory, user_with_role
from tests.meetings.factories import MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(db):
    """2017-18 Q1 (April to June 2017): Fife's 3 initial ICRs are a count to protect; an NSG meeting in May."""
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    for name, initial in [("Fife", 3), ("Glasgow", 7), ("Tayside", 9)]:
        a_return(AreaFactory(name=name), q1, initial=initial)
    may = MeetingFactory(body=NsgFactory(), date=date(2017, 5, 31), status=Meeting.Status.MINUTES_AGREED)
    ActionFactory(meeting=may, number=1, due_date=date(2017, 6, 1))
    return may


def test_a_second_look_is_read_from_the_cache_until_something_is_recorded(client, secretariat_user, quarter):
    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as first:
        client.get("/dashboard/")
    with CaptureQueriesContext(connection) as second:
        board = client.get("/dashboard/").context["board"]
    # Signing in and the filters' choices only: nothing is counted again.
    assert len(second) < len(first) - 8
    assert rows(board, "actions-by-group")[-1] == ["All groups", 1, 1, 0]

    ActionFactory(meeting=quarter, number=2, due_date=date(2017, 12, 1))

    _, board = board_of(client, secretariat_user)
    assert rows(board, "actions-by-group")[-1] == ["All groups", 2, 1, 0]


def test_each_reader_gets_the_dashboard_for_what_they_may_see(client, secretariat_user, inspector_user, quarter):
    _, secretariat = board_of(client, secretariat_user)
    _, inspector = board_of(client, inspector_user)
    _, again = board_of(client, secretariat_user)
    # Small counts are withheld from the inspector, whoever looked first, and shown to the secretariat.
    assert ["Fife", "2017-18 Q1", "fewer than 5"] == rows(inspector, "case-reviews-by-area")[0][:3]
    assert ["Fife", "2017-18 Q1", 3] == rows(secretariat, "case-reviews-by-area")[0][:3]
    assert rows(again, "case-reviews-by-area") == rows(secretariat, "case-reviews-by-area")


def test_the_page_carries_its_own_nonce_on_every_chart_read_from_the_cache(client, inspector_user, quarter):
    client.force_login(inspector_user)
    for _ in range(2):
        response = client.get("/dashboard/")
        nonce = str(response.wsgi_request.csp_nonce)
        page = response.content.decode()
        assert page.count(f'<style type="text/css" nonce="{nonce}">') == page.count("<svg ") > 0
        assert "dashboard-chart-nonce" not in page


@pytest.fixture
def many_quarters(db):
    """Three areas' returns for twelve quarters: 36 rows of case reviews by area and quarter (101 to 112 each)."""
    areas = [AreaFactory(name=f"Area {n}") for n in (1, 2, 3)]
    for index in range(12):
        period = ReportingPeriodFactory(year=2015 + index // 4, quarter=1 + index % 4)
        for area in areas:
            a_return(area, period, initial=101 + index)
    return areas


def test_a_long_table_shows_its_first_rows_and_every_row_a_page_at_a_time(client, many_quarters, monkeypatch):
    secretariat = user_with_role("secretariat")
    response, board = board_of(client, secretariat)
    every_row = rows(board, "case-reviews-by-area")
    assert len(every_row) == 36
    page = html.page(response)
    shown = page.xpath('//table[.//caption[@id="case-reviews-by-area-caption"]]/tbody/tr')
    assert len(shown) == FOLDED_ROWS
    link = page.xpath('//a[starts-with(., "See every row, 50 a page")]/@href')
    assert "/dashboard/tables/case-reviews-by-area/" in link

    monkeypatch.setattr(views, "TABLE_ROWS", 15)
    response = client.get("/dashboard/tables/case-reviews-by-area/?page=3")
    assert response.status_code == 200
    table = html.page(response)
    assert "Rows 31 to 36 of 36." in " ".join(table.xpath("//p//text()"))
    names = [row.xpath("string(th)") for row in table.xpath("//table/tbody/tr")]
    assert names == [row[0] for row in every_row[30:]]
    assert table.xpath('//nav[@class="govuk-pagination"]')


def test_a_table_that_is_not_there_is_not_found(client, inspector_user, quarter):
    client.force_login(inspector_user)
    assert client.get("/dashboard/tables/no-such-table/").status_code == 404


def test_the_report_carries_the_summaries_and_sends_the_long_detail_to_the_workbook(
    client, many_quarters, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(user_with_role("secretariat"))
    # Prepared by the task (in the request, without a broker: dashboard.reports), then downloaded.
    response, content = prepared_report(client)
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # The national figures by quarter are in it; the 36 rows by area and quarter are in the XLSX.
    assert "Case reviews in Scotland by quarter" in text
    assert "36 rows: in the workbook of every table (XLSX), sheet “Case reviews by area”" in " ".join(text.split())
    assert not set(text.split()) & {str(n) for n in range(101, 113)}
    assert "303" in text.split()  # 2015-16 Q1 in Scotland
    sheet = load_workbook(io.BytesIO(client.get("/dashboard/export.xlsx").content))["Case reviews by area"]
    assert sheet.max_row == 37  # the headings and every row


def test_an_inspectors_report_is_laid_out_once_until_something_is_recorded(
    client, inspector_user, quarter, monkeypatch, settings, tmp_path
):
    """An inspector asks for it to be prepared like anyone else; asked again, the one ready is the answer, until
    something is recorded (the reuse in detail: tests/dashboard/test_report_build.py)."""
    settings.MEDIA_ROOT = tmp_path
    laid_out = []
    report_html = exports.report_html
    monkeypatch.setattr(exports, "report_html", lambda board: laid_out.append(board) or report_html(board))
    client.force_login(inspector_user)
    first = prepared_report(client)[1]
    assert prepared_report(client)[1] == first
    assert len(laid_out) == 1

    ActionFactory(meeting=quarter, number=2, due_date=date(2017, 12, 1))
    prepared_report(client)
    assert len(laid_out) == 2
    # Each download is still a line of the audit log.
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, format="pdf").count() == 3
