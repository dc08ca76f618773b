"""The dashboard's files: the PDF progress report, the XLSX workbook and a CSV per table.

Each holds what the reader's page shows, small counts withheld included, and text that a
spreadsheet would run as a formula is escaped.
"""

import csv
import io
import logging

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.dashboard.factories import a_return, prepared_report
from tests.factories import AreaFactory, OrganisationFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    fife = AreaFactory(name="Fife", slug="fife", code="FIF")
    glasgow = AreaFactory(name="Glasgow", slug="glasgow", code="GLA")
    tayside = AreaFactory(name="=Tayside", slug="tayside", code="TAY")  # a name a spreadsheet would run
    a_return(fife, q1, initial=3, accepted=6)
    a_return(glasgow, q1, initial=7, accepted=9)
    a_return(tayside, q1, initial=9, accepted=12)
    return q1


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_table_downloads_as_csv_with_small_counts_withheld(client, inspector_user, world):
    client.force_login(inspector_user)
    response = client.get("/dashboard/case-reviews-by-area.csv?area=fife")
    assert response["Content-Disposition"] == 'attachment; filename="case-reviews-by-area-2017-18-q1-fife.csv"'
    assert _csv(response) == [
        ["Area", "Quarter", "Initial ICRs", "Full ICRs", "SCRs"],
        ["Fife", "2017-18 Q1", "fewer than 5", "0", "0"],
    ]
    everywhere = _csv(client.get("/dashboard/case-reviews-by-area.csv"))
    assert ["'=Tayside", "2017-18 Q1", "9", "0", "0"] in everywhere  # escaped, never run
    assert _csv(client.get("/dashboard/case-reviews.csv"))[1] == ["2017-18 Q1", "19", "0", "0", "3"]


def test_every_table_named_on_the_page_downloads_and_no_other(client, secretariat_user, world):
    client.force_login(secretariat_user)
    board = client.get("/dashboard/").context["board"]
    for table in board.tables():
        response = client.get(f"/dashboard/{table.slug}.csv")
        assert response.status_code == 200, table.slug
        assert _csv(response)[0] == table.columns
    assert client.get("/dashboard/no-such-table.csv").status_code == 404
    # The secretariat's files hold every figure.
    assert ["Fife", "2017-18 Q1", "3", "0", "0"] in _csv(client.get("/dashboard/case-reviews-by-area.csv"))


def test_the_workbook_has_a_sheet_per_table(client, inspector_user, world):
    client.force_login(inspector_user)
    board = client.get("/dashboard/").context["board"]
    response = client.get("/dashboard/export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="mappa-dashboard-2017-18-q1.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["About", *(table.sheet for table in board.tables())]
    by_area = [list(row) for row in workbook["Case reviews by area"].iter_rows(values_only=True)]
    assert by_area[0] == ["Area", "Quarter", "Initial ICRs", "Full ICRs", "SCRs"]
    assert ["Fife", "2017-18 Q1", "fewer than 5", 0, 0] in by_area
    assert ["Glasgow", "2017-18 Q1", "withheld", 0, 0] in by_area
    assert ["'=Tayside", "2017-18 Q1", 9, 0, 0] in by_area
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Filters"] == "2017-18 Q1 (April 2017 to June 2017)"
    assert "fewer than 5" in about["Disclosure control"]


def test_an_owner_named_like_a_formula_is_escaped_in_the_workbook(client, secretariat_user, world):
    from datetime import date

    from tests.actions.factories import ActionFactory

    ActionFactory(
        meeting__date=date(2017, 5, 1),
        meeting__status="minutes_agreed",
        owners=[OrganisationFactory(name="@SUM(1)", short_name="")],
    )
    client.force_login(secretariat_user)
    workbook = load_workbook(io.BytesIO(client.get("/dashboard/export.xlsx").content))
    owners = [row[0] for row in workbook["Actions by owner"].iter_rows(min_row=2, values_only=True)]
    assert owners == ["'@SUM(1)"]


def test_the_progress_report_is_a_pdf_of_every_section_with_its_charts(
    client, inspector_user, world, caplog, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(inspector_user)
    with caplog.at_level(logging.WARNING, logger="mappa.pdf"):
        response, content = prepared_report(client, "area=fife")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="mappa-dashboard-2017-18-q1-fife.pdf"'
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (
        "MAPPA progress report",
        "Area: Fife",
        "1. Recommendations",
        "2. Actions",
        "3. Quarterly returns",
        "Case reviews in Scotland by quarter",
        "Reporting and on-time rates",
    ):
        assert words in text, words
    assert "fewer than 5" in text
    assert reader.metadata.title == "MAPPA progress report: 2017-18 Q1 (April 2017 to June 2017)"
    # The charts are drawn in the PDF (as vector graphics: their axis titles are in no table), and
    # nothing was fetched for them.
    assert "Per cent of returns" in text
    assert "A PDF asked for a resource" not in caplog.text


def test_an_export_with_bad_filters_goes_back_to_the_page_that_explains(client, inspector_user, world):
    client.force_login(inspector_user)
    for path in ("report.pdf", "export.xlsx", "case-reviews.csv"):
        response = client.get(f"/dashboard/{path}?area=atlantis")
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/?area=atlantis"


def test_the_reports_cover_lists_its_contents_left_aligned(client, inspector_user, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(inspector_user)
    cover = PdfReader(io.BytesIO(prepared_report(client)[1])).pages[0]
    where = {}

    def note(text, cm, tm, font, size):
        if text.strip():
            where.setdefault(text.strip(), tm[4])  # the x of the line's start, in points

    cover.extract_text(visitor_text=note)
    assert "Contents" in where
    items = [x for text, x in where.items() if text.startswith(("Recommendations", "Actions", "Quarterly returns"))]
    # The title stays centred; the contents' heading starts at the left (centred it would start near 270 pt)
    # and the items one under another, indented as a numbered list.
    assert where["MAPPA progress report"] > 150
    assert where["Contents"] < 100
    assert len(items) == 3 and max(items) - min(items) < 1 and min(items) < 150
