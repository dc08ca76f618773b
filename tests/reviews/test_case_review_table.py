"""The national table of a quarter's case review figures, for the NSG's papers (PDF).

One row per area owing a return, national totals of approved returns only, and
the table says so. The secretariat puts it into a meeting's papers under the
SOG chairs' updates item; putting it there again makes a new version.
"""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from meetings.models import AgendaItem, Meeting
from papers.models import Paper
from reviews.models import QuarterlyReturn
from reviews.selectors.nsg_meeting import case_review_table
from reviews.services.nsg_meeting import attach_case_review_table
from reviews.services.returns import ReturnRefused, submit_return
from tests.factories import AreaFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory, approved, complete

pytestmark = pytest.mark.django_db

FIFE = {
    "initial_icrs_processed": 10,
    "progressed_to_full_icr": 4,
    "scrs_commissioned": 1,
    "scrs_completed": 0,
    "icrs_from_proactive_policing": 6,
    "category3_received": 3,
    "category3_accepted": 2,
    "category3_declined": 1,
}
GLASGOW = {
    "initial_icrs_processed": 3,
    "progressed_to_full_icr": 1,
    "scrs_commissioned": 0,
    "scrs_completed": 1,
    "icrs_from_proactive_policing": 2,
    "category3_received": 5,
    "category3_accepted": 4,
    "category3_declined": 0,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def q2(fife, glasgow, secretariat_user):
    """2017-18 Q2: Fife and Glasgow approved; Lanarkshire submitted, not approved; Northern had ended."""
    period = ReportingPeriodFactory(year=2017, quarter=2)
    lanarkshire = AreaFactory(name="Lanarkshire", slug="lanarkshire", code="LAN")
    AreaFactory(name="Northern", slug="northern", code="NOR", active=False, ended_on=date(2017, 3, 31))
    approved(fife, period, secretariat_user, secretariat_user, **FIFE)
    approved(glasgow, period, secretariat_user, secretariat_user, **GLASGOW)
    ret = complete(
        QuarterlyReturn(area=lanarkshire, period=period),
        secretariat_user,
        initial_icrs_processed=50,
        progressed_to_full_icr=0,
    )
    submit_return(ret, by=secretariat_user, confirmed=True)
    return period


@pytest.fixture
def november():
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.AGENDA_ISSUED)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome, introductions and apologies")
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        kind=AgendaItem.Kind.SOG_UPDATES,
        title="Update from Strategic Oversight Group Chairs, including SCRs/ICRs",
    )
    return meeting


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_table_counts_approved_returns_only(q2):
    table = case_review_table(q2)
    assert [(row.area.name, row.values) for row in table.rows] == [
        ("Fife", list(FIFE.values())),
        ("Glasgow", list(GLASGOW.values())),
        ("Lanarkshire", []),
    ]
    assert table.totals == [13, 5, 1, 1, 8, 8, 6, 1]
    assert (table.approved, table.expected) == (2, 3)
    assert [area.name for area in table.missing] == ["Lanarkshire"]


def test_the_pdf_shows_each_area_the_national_totals_and_says_only_approved_returns_count(client, q2, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/returns/2017-18-q2/case-review-table.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="case-review-figures-2017-18-q2.pdf"'
    text = " ".join(pdf_text(response.content).split())
    assert "Case reviews and Category 3 referrals by MAPPA area, 2017-18 Q2 (July to September 2017)" in text
    assert "Only approved returns are counted: 2 of the 3 areas that owe a return for 2017-18 Q2" in text
    assert "the national totals leave out Lanarkshire, with no approved return" in text
    assert "Fife 10 4 1 0 6 3 2 1" in text
    assert "Glasgow 3 1 0 1 2 5 4 0" in text
    assert "Lanarkshire No approved return for 2017-18 Q2" in text
    assert "Scotland (approved returns) 13 5 1 1 8 8 6 1" in text
    assert "50" not in text and "Northern" not in text


def test_the_table_page_shows_the_figures_and_the_meetings_it_can_go_to(client, q2, november, secretariat_user):
    agreed = MeetingFactory(date=date(2017, 5, 31), status=Meeting.Status.MINUTES_AGREED)
    AgendaItemFactory(meeting=agreed, kind=AgendaItem.Kind.SOG_UPDATES, title="SOG updates")
    MeetingFactory(date=date(2017, 12, 1))  # no SOG chairs' updates item
    client.force_login(secretariat_user)
    page = client.get("/returns/2017-18-q2/case-review-table/").content.decode()
    assert "Only approved returns are counted: 2 of the 3 areas that owe a return for 2017-18 Q2." in page
    assert "No approved return for 2017-18 Q2" in page
    assert "NSG, 8 November 2017 (agenda issued)" in page
    assert "31 May 2017" not in page and "1 December 2017" not in page


def test_the_secretariat_puts_the_table_into_the_papers_and_again_as_a_new_version(
    client, q2, november, secretariat_user
):
    client.force_login(secretariat_user)
    response = client.post("/returns/2017-18-q2/case-review-table/", {"meeting": november.pk}, follow=True)
    sog_item = november.agenda_items.get(kind=AgendaItem.Kind.SOG_UPDATES)
    assert response.redirect_chain[-1][0] == f"/meetings/{november.pk}/#papers-{sog_item.pk}"
    assert (
        "National case review figures, 2017-18 Q2: added to the papers of NSG, 8 November 2017."
        in response.content.decode()
    )
    paper = Paper.objects.get(agenda_item=sog_item)
    assert paper.title == "National case review figures, 2017-18 Q2"
    version = paper.current_version
    assert (version.number, version.content_type, version.original_filename) == (
        1,
        "application/pdf",
        "case-review-figures-2017-18-q2.pdf",
    )
    assert "Scotland (approved returns) 13 5 1 1 8 8 6 1" in " ".join(pdf_text(version.file.read()).split())

    client.post("/returns/2017-18-q2/case-review-table/", {"meeting": november.pk})
    paper = Paper.objects.get(agenda_item=sog_item)
    assert [v.number for v in paper.versions.all()] == [1, 2]


def test_a_meeting_whose_minutes_are_agreed_or_that_has_no_sog_updates_item_is_refused(q2, secretariat_user):
    agreed = MeetingFactory(date=date(2017, 5, 31), status=Meeting.Status.MINUTES_AGREED)
    AgendaItemFactory(meeting=agreed, kind=AgendaItem.Kind.SOG_UPDATES, title="SOG updates")
    with pytest.raises(ReturnRefused, match="The minutes of that meeting are agreed"):
        attach_case_review_table(q2, agreed, by=secretariat_user)
    bare = MeetingFactory(date=date(2017, 12, 1))
    with pytest.raises(ReturnRefused, match="has no SOG chairs' updates item"):
        attach_case_review_table(q2, bare, by=secretariat_user)
    assert not Paper.objects.exists()


def test_choosing_no_meeting_is_an_error_on_the_page(client, q2, november, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post("/returns/2017-18-q2/case-review-table/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Select the meeting" in page
    assert not Paper.objects.exists()


def test_only_the_secretariat_opens_the_table(client, q2, chair_user, member_user):
    for user in (chair_user, member_user):
        client.force_login(user)
        assert client.get("/returns/2017-18-q2/case-review-table.pdf").status_code == 403
        assert client.get("/returns/2017-18-q2/case-review-table/").status_code == 403
