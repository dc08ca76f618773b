"""The dashboard, as inspectors, members, chairs and the secretariat read it.

The demo world tells the 2017 story; smaller worlds built with factories pin down the
rules: what each role may see, what "as at" means for actions, disclosure control of small
counts, and the filters in the query string.
"""

import io
import re
from datetime import date, datetime, time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from dashboard.disclosure import Withheld
from dashboard.tables import Link
from mappa.models import Person
from meetings.models import Meeting
from reviews.models import QuarterlyReturn
from tests import html
from tests.actions.factories import ActionFactory, ActionUpdateFactory
from tests.dashboard.factories import a_return
from tests.factories import AreaFactory, NsgFactory, OrganisationFactory, PersonFactory, SogFactory
from tests.meetings.factories import MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


def board_of(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response, response.context["board"]


def rows(board, slug):
    """A table's rows as the reader sees them (links and withheld figures as their text)."""
    return [[str(v) if isinstance(v, (Link, Withheld)) else v for v in row] for row in board.table(slug).rows]


# ----------------------------------------------------------------------------------------------
# The demo world: the 2017 story
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    """The whole demo world, as `python manage.py seed_demo` loads it."""
    call_command("seed_demo", stdout=io.StringIO())
    return {person.user.username: person.user for person in Person.objects.exclude(user=None)}


def test_the_demo_dashboard_tells_the_2017_story(client, demo):
    inspector = demo["inspector"]
    response, board = board_of(client, inspector)
    page = response.content.decode()

    assert board.scope.description() == "2016-17 Q3 to 2017-18 Q3 (October 2016 to December 2017)"
    assert "Figures are as at 31 December 2017" in page

    # The action plan at the three NSG meetings of 2017: 'sexting' complete by May, ERA standards moving on.
    over_time = board.table("recommendations-over-time")
    assert over_time.columns == ["Recommendation", "16 February 2017", "31 May 2017", "8 November 2017"]
    sexting = next(row for row in over_time.rows if row[0] == "4. 'Sexting' strategy")
    assert sexting[1:] == [
        "Some progress: On target for completion within timescale",
        "Complete: Objective successfully met",
        "Complete: Objective successfully met",
    ]
    era = next(row for row in over_time.rows if row[0] == "1. ERA standards")
    assert era[1].startswith("Some progress") and era[3].startswith("Significant progress")

    # By the end of 2017: four objectives met (4, 6, 8, 9); the inspectors' June grades beside them.
    assert ["Objective successfully met", 4] in rows(board, "recommendations-by-status")
    grades = [row[4] for row in rows(board, "recommendations")]
    assert (grades.count("Fully met"), grades.count("Partially met"), grades.count("Not met")) == (4, 4, 2)

    # The areas' returns: Fife's 2017-18 Q3 draft is late; Forth Valley's Q2 was returned, so awaits approval.
    matrix = {row[0]: row[1:] for row in rows(board, "returns-completeness")}
    assert matrix["Fife"][-1] == "Not submitted (late)"
    assert matrix["Forth Valley"][3] == "Awaiting approval"
    assert matrix["Grampian"][0] == "Not expected"
    assert matrix["Tayside"][3] == "Approved (submitted late)"
    assert [row[0] for row in rows(board, "reporting-rates")] == [
        "2016-17 Q3",
        "2016-17 Q4",
        "2017-18 Q1",
        "2017-18 Q2",
        "2017-18 Q3",
    ]

    # Charts drawn on the server, each with its title, in the page.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 9
    assert 'aria-label="Progress of each recommendation at each NSG meeting.' in page


def test_the_page_opens_with_a_summary_and_folds_the_long_detail_away(client, demo):
    response, _board = board_of(client, demo["inspector"])
    page = html.page(response)

    # The few figures an inspector asks first, each a link to the table it comes from.
    summary = html.texts(page, '//*[@id="summary"]//a')
    assert summary == [
        "4 of 10 recommendations met",
        "1 out with target",
        "1 open action",
        "1 overdue",
        "9 of 10 returns in for 2017-18 Q3",
        "90% of 2017-18 Q3's returns on time",
    ]
    assert page.xpath('//*[@id="summary"]//a/@href')[0] == "#recommendations-by-status-caption"
    # The detail by area, by owner and by recommendation is behind "Show"; the national picture is not.
    folded = html.texts(page, "//details/summary")
    assert folded == [
        "Show the table: Each recommendation's status and the inspectors' grade, as at 31 December 2017 (10 rows)",
        "Show the table: Progress of each recommendation at each NSG meeting (10 rows)",
        "Show the table: Actions by owning organisation or group, as at 31 December 2017 (4 rows)",
        "Show the table: Returns by area and quarter (11 rows)",
        "Show the table: Case reviews by area and quarter (45 rows)",
        "Show the table: Category 3 referrals by area and quarter (45 rows)",
    ]
    assert not page.xpath('//details//*[@id="recommendations-by-status-caption"]')
    assert not page.xpath('//details//*[@id="case-reviews-caption"]')


def test_the_secretariat_sees_every_open_action_and_inspectors_those_of_agreed_minutes(client, demo):
    _, secretariat = board_of(client, demo["secretariat"])
    _, inspector = board_of(client, demo["inspector"])
    # At the end of 2017 the November minutes were still in draft: inspectors do not see their actions.
    assert rows(secretariat, "actions-by-group") == [
        ["MAPPA National Strategic Group", 4, 3, 4],
        ["All groups", 4, 3, 4],
    ]
    assert rows(inspector, "actions-by-group") == [["MAPPA National Strategic Group", 1, 1, 4], ["All groups", 1, 1, 4]]
    assert rows(secretariat, "overdue-actions-by-age") == [
        ["Up to 30 days", 0],
        ["31 to 90 days", 3],
        ["Over 90 days", 0],
    ]


def test_the_navigation_offers_the_dashboard_to_everyone(client, users_by_role):
    for user in users_by_role.values():
        client.force_login(user)
        page = html.page(client.get(reverse("home")))
        assert html.texts(page, '//nav//a[@href="/dashboard/"]') == ["Dashboard"], user.username


# ----------------------------------------------------------------------------------------------
# Returns and disclosure control
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def three_areas(db):
    """Fife, Glasgow and Tayside, two quarters; Fife's Q1 has 3 initial ICRs, a count to protect."""
    q1, q2 = ReportingPeriodFactory(year=2017, quarter=1), ReportingPeriodFactory(year=2017, quarter=2)
    fife = AreaFactory(name="Fife", slug="fife", code="FIF")
    glasgow = AreaFactory(name="Glasgow", slug="glasgow", code="GLA")
    tayside = AreaFactory(name="Tayside", slug="tayside", code="TAY")
    a_return(fife, q1, initial=3, full=0, accepted=6)
    a_return(glasgow, q1, initial=7, full=2, accepted=9, declined=5)
    a_return(tayside, q1, initial=9, full=0, accepted=12)
    a_return(fife, q2, initial=12, accepted=8)
    a_return(glasgow, q2, QuarterlyReturn.Status.SUBMITTED, initial=20, accepted=10)  # not approved yet
    a_return(tayside, q2, initial=10, accepted=9, late=True)
    return fife, glasgow, tayside


@pytest.mark.parametrize("role", ["inspector", "nsg_member", "sog_chair"])
def test_small_counts_are_withheld_from_everyone_but_the_secretariat(client, users_by_role, three_areas, role):
    _, board = board_of(client, users_by_role[role])
    by_area = rows(board, "case-reviews-by-area")
    assert ["Fife", "2017-18 Q1", "fewer than 5", 0, 0] in by_area
    # Glasgow's 7 goes too, or Fife's 3 would be 19 - 7 - 9; its 2 full ICRs are small, and Tayside's
    # 0 would then give them away through the total, which is withheld.
    assert ["Glasgow", "2017-18 Q1", "withheld", "fewer than 5", 0] in by_area
    assert ["Tayside", "2017-18 Q1", 9, 0, 0] in by_area
    national = rows(board, "case-reviews")
    assert national[0] == ["2017-18 Q1", 19, "withheld", 0, 3]
    page = client.get(URL).content.decode()
    assert "fewer than 5" in page and "“withheld”" in page


def test_the_threshold_is_a_setting(client, inspector_user, three_areas, settings):
    settings.DISCLOSURE_THRESHOLD = 3
    _, board = board_of(client, inspector_user)
    assert ["Fife", "2017-18 Q1", 3, 0, 0] in rows(board, "case-reviews-by-area")
    assert ["Glasgow", "2017-18 Q1", 7, "fewer than 3", 0] in rows(board, "case-reviews-by-area")


def test_the_secretariat_sees_every_figure(client, secretariat_user, three_areas):
    _, board = board_of(client, secretariat_user)
    assert ["Fife", "2017-18 Q1", 3, 0, 0] in rows(board, "case-reviews-by-area")
    assert rows(board, "case-reviews")[0] == ["2017-18 Q1", 19, 2, 0, 3]
    assert not any(table.has_withheld for table in board.tables())


def test_only_approved_returns_are_counted_and_opened(client, inspector_user, secretariat_user, three_areas):
    _, board = board_of(client, inspector_user)
    # Glasgow's Q2 return is submitted, not approved: not in the figures, not readable.
    assert rows(board, "case-reviews")[1] == ["2017-18 Q2", 22, 0, 0, 2]
    matrix = board.table("returns-completeness").rows
    glasgow = next(row for row in matrix if row[0] == "Glasgow")
    assert glasgow[2] == "Awaiting approval"
    assert isinstance(glasgow[1], Link) and glasgow[1].href == "/returns/2017-18-q1/glasgow/"
    tayside = next(row for row in matrix if row[0] == "Tayside")
    assert str(tayside[2]) == "Approved (submitted late)"

    _, board = board_of(client, secretariat_user)
    glasgow = next(row for row in board.table("returns-completeness").rows if row[0] == "Glasgow")
    assert isinstance(glasgow[2], Link) and glasgow[2].text == "Submitted"
    assert rows(board, "reporting-rates") == [["2017-18 Q1", 3, 3, 3, 0, 100, 100], ["2017-18 Q2", 3, 3, 2, 0, 100, 67]]


def test_a_chair_may_open_only_their_own_areas_returns_from_the_matrix(client, three_areas):
    from tests.factories import user_with_role

    fife = three_areas[0]
    chair = user_with_role("sog_chair", username="t-chair-of-fife", areas=[fife])
    _, board = board_of(client, chair)
    matrix = {row[0]: row for row in board.table("returns-completeness").rows}
    assert isinstance(matrix["Fife"][1], Link)
    assert not isinstance(matrix["Tayside"][1], Link)  # approved, but another area's


def test_narrowing_to_one_area_withholds_exactly_what_the_national_view_withholds(client, inspector_user, three_areas):
    _, everywhere = board_of(client, inspector_user)
    _, glasgow = board_of(client, inspector_user, "area=glasgow")
    glasgow_rows = [row for row in rows(everywhere, "case-reviews-by-area") if row[0] == "Glasgow"]
    assert rows(glasgow, "case-reviews-by-area") == glasgow_rows
    assert rows(glasgow, "case-reviews") == rows(everywhere, "case-reviews")  # Scotland stays national
    assert [row[0] for row in glasgow.table("returns-completeness").rows] == ["Glasgow"]


# ----------------------------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------------------------


def test_the_filters_narrow_the_range_and_stay_in_the_links(client, inspector_user, three_areas):
    NsgFactory()
    response, board = board_of(client, inspector_user, "from=2017-18-q2&to=2017-18-q2&area=fife&body=nsg")
    assert board.scope.description() == (
        "2017-18 Q2 (July 2017 to September 2017); Area: Fife; Group: MAPPA National Strategic Group"
    )
    assert board.scope.as_at == date(2017, 9, 30)
    assert board.table("returns-completeness").columns == ["Area", "2017-18 Q2"]
    page = response.content.decode()
    query = "from=2017-18-q2&amp;to=2017-18-q2&amp;area=fife&amp;body=nsg"
    assert f'href="/dashboard/report/?{query}"' in page  # the report's page: it is prepared there
    assert f'href="/dashboard/export.xlsx?{query}"' in page
    assert f'href="/dashboard/case-reviews.csv?{query}"' in page
    assert html.selected(html.page(page), "area") == ["fife"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("from=2017-18-q2&to=2017-18-q1", "to", "The last quarter must be the same as or after the first quarter"),
        ("area=atlantis", "area", "Select an area from the list"),
        ("from=2017-18-q9", "from", "Select the first quarter from the list"),
        ("body=nobody", "body", "Select a group from the list"),
    ],
)
def test_bad_filters_are_explained_with_the_choice_kept(client, inspector_user, three_areas, query, field, message):
    client.force_login(inspector_user)
    response = client.get(f"{URL}?{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["board"] is None
    assert "<title>Error: Dashboard" in page
    assert "There is a problem" in page
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert f'id="id_{field}-error"' in page
    assert "govuk-select--error" in page
    assert "Correct the filters to see the dashboard." in page
    if field == "to":
        assert '<option value="2017-18-q2" selected>' in page


# ----------------------------------------------------------------------------------------------
# Actions, as at the end of the range
# ----------------------------------------------------------------------------------------------


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def actions_world(db):
    """NSG actions raised on 31 May 2017 (minutes agreed), seen as at 30 September 2017 (end of 2017-18 Q2)."""
    ReportingPeriodFactory(year=2017, quarter=1)
    ReportingPeriodFactory(year=2017, quarter=2)
    nsg = NsgFactory()
    fife_sog = SogFactory(area=AreaFactory(name="Fife", slug="fife", code="FIF"))
    sg = OrganisationFactory(name="Scottish Government", short_name="SG", kind="government")
    rma = OrganisationFactory(name="Risk Management Authority", short_name="RMA")
    jo = PersonFactory(name="Jo Policy", organisation=sg)
    may = MeetingFactory(body=nsg, date=date(2017, 5, 31), status=Meeting.Status.MINUTES_AGREED)
    fife_meeting = MeetingFactory(body=fife_sog, date=date(2017, 6, 7), status=Meeting.Status.MINUTES_AGREED)
    later = MeetingFactory(body=nsg, date=date(2017, 11, 8), status=Meeting.Status.MINUTES_AGREED)
    a = {
        # Completed in November: at the end of September it was still open, and overdue by 30 days.
        "done_later": ActionFactory(
            meeting=may, number=1, due_date=date(2017, 8, 31), status="complete", owners=[sg, jo]
        ),
        # Due 31 July, moved to 31 December in October: at the end of September overdue by 61 days.
        "moved_later": ActionFactory(
            meeting=may, number=2, due_date=date(2017, 12, 31), original_due_date=date(2017, 7, 31), owners=[rma]
        ),
        # Completed in August, within the range.
        "done_in_range": ActionFactory(
            meeting=may, number=3, due_date=date(2017, 8, 1), status="complete", owners=[jo]
        ),
        # Overdue since 1 June: 121 days.
        "long_overdue": ActionFactory(meeting=may, number=4, due_date=date(2017, 6, 1), owners=[fife_sog]),
        # Fife SOG's own, not yet due.
        "fife": ActionFactory(meeting=fife_meeting, number=1, due_date=date(2017, 12, 1), owners=[fife_sog]),
        # Raised after the range: not counted.
        "after": ActionFactory(meeting=later, number=1, due_date=date(2017, 11, 30), owners=[sg]),
    }
    ActionUpdateFactory(action=a["done_later"], at=_at(date(2017, 11, 8)), new_status="complete", reason="Done.")
    ActionUpdateFactory(
        action=a["moved_later"],
        at=_at(date(2017, 10, 2)),
        new_due_date=date(2017, 12, 31),
        reason="Waiting for the research lead.",
        text="",
    )
    ActionUpdateFactory(action=a["done_in_range"], at=_at(date(2017, 8, 10)), new_status="in_progress", text="")
    ActionUpdateFactory(action=a["done_in_range"], at=_at(date(2017, 8, 20)), new_status="complete", reason="Done.")
    return a


def test_actions_are_counted_as_they_stood_at_the_end_of_the_range(client, inspector_user, actions_world):
    _, board = board_of(client, inspector_user, "to=2017-18-q2")
    assert board.scope.as_at == date(2017, 9, 30)
    assert rows(board, "actions-by-group") == [
        ["MAPPA National Strategic Group", 3, 3, 1],
        ["Fife Strategic Oversight Group", 1, 0, 0],
        ["All groups", 4, 3, 1],
    ]
    assert rows(board, "overdue-actions-by-age") == [["Up to 30 days", 1], ["31 to 90 days", 1], ["Over 90 days", 1]]


def test_today_the_same_actions_are_counted_as_they_stand(client, inspector_user, actions_world):
    _, board = board_of(client, inspector_user, "from=2017-18-q1&to=2017-18-q1")
    # As at 30 June 2017: nothing completed yet; only the 1 June action was overdue.
    assert rows(board, "actions-by-group")[-1] == ["All groups", 5, 1, 0]
    assert Action.objects.filter(status="complete").count() == 2  # as they stand now


def test_an_organisation_counts_its_own_actions_and_its_peoples_once_each(client, inspector_user, actions_world):
    _, board = board_of(client, inspector_user, "to=2017-18-q2")
    assert rows(board, "actions-by-owner") == [
        ["All Fife Strategic Oversight Group members", 2, 1, 0],
        ["RMA", 1, 1, 0],
        # done_later (owned by SG and by Jo, of SG) once; done_in_range through Jo.
        ["SG", 1, 1, 1],
    ]


def test_the_group_and_area_filters_choose_the_actions(client, inspector_user, actions_world):
    fife_sog = actions_world["fife"].meeting.body
    _, by_group = board_of(client, inspector_user, f"to=2017-18-q2&body={fife_sog.slug}")
    assert rows(by_group, "actions-by-group") == [["Fife Strategic Oversight Group", 1, 0, 0], ["All groups", 1, 0, 0]]
    # The area: its SOG's meetings, and the actions its SOG owns as a whole.
    _, by_area = board_of(client, inspector_user, "to=2017-18-q2&area=fife")
    assert rows(by_area, "actions-by-group")[-1] == ["All groups", 2, 1, 0]


def test_inspectors_do_not_see_the_actions_of_minutes_not_yet_agreed(
    client, inspector_user, secretariat_user, actions_world
):
    Meeting.objects.filter(date=date(2017, 5, 31)).update(status=Meeting.Status.DRAFT_CIRCULATED)
    _, board = board_of(client, inspector_user, "to=2017-18-q2")
    assert rows(board, "actions-by-group") == [["Fife Strategic Oversight Group", 1, 0, 0], ["All groups", 1, 0, 0]]
    _, board = board_of(client, secretariat_user, "to=2017-18-q2")
    assert rows(board, "actions-by-group")[-1] == ["All groups", 4, 3, 1]


# ----------------------------------------------------------------------------------------------
# Charts and the Content Security Policy
# ----------------------------------------------------------------------------------------------


def test_the_charts_need_no_script_and_carry_the_pages_nonce(client, inspector_user, three_areas):
    client.force_login(inspector_user)
    response = client.get(URL)
    page = response.content.decode()
    nonce = re.search(r"style-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    svgs = html.page(page).xpath("//svg")
    assert len(svgs) >= 4
    for svg in svgs:
        assert not svg.xpath(".//script")
        assert not svg.xpath(".//@style")  # CSP refuses style attributes
        styles = svg.xpath(".//style")
        assert styles and all(style.get("nonce") == nonce for style in styles)
        assert svg.get("role") == "img" and svg.get("aria-label")
    # Every figure drawn is also in its table, which the chart's label points to.
    assert "The figures are in the table below the chart." in page
