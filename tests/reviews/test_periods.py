"""The secretariat adds reporting periods and moves their due dates (/returns/periods/)."""

from datetime import date
from html import unescape

import pytest
import time_machine

from reviews.models import QuarterlyReturn, ReportingPeriod
from reviews.selectors.matrix import returns_matrix
from tests.reviews.factories import ReportingPeriodFactory, approved

pytestmark = pytest.mark.django_db


def page_of(response):
    """The page's text, its white space collapsed (the GOV.UK inputs are written over several lines)."""
    return " ".join(unescape(response.content.decode()).split())


def test_the_list_shows_each_quarter_with_its_dates_and_approved_returns(client, fife, glasgow, secretariat_user):
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    ReportingPeriodFactory(year=2017, quarter=2)
    approved(fife, q1, secretariat_user, secretariat_user)
    client.force_login(secretariat_user)
    page = page_of(client.get("/returns/periods/"))
    assert "2 reporting periods" in page
    assert page.index("2017-18 Q2") < page.index("2017-18 Q1")  # newest first
    assert "1 April 2017" in page and "30 July 2017" in page
    assert "1 of 2" in page and "0 of 2" in page
    assert 'href="/returns/periods/2017-18-q1/edit/"' in page
    assert 'href="/returns/2017-18-q1/case-review-table/"' in page


def test_a_new_period_suggests_the_next_quarter(client, secretariat_user):
    ReportingPeriodFactory(year=2017, quarter=4)
    client.force_login(secretariat_user)
    page = page_of(client.get("/returns/periods/new/"))
    assert 'name="year" value="2018"' in page
    assert 'id="id_quarter_1" value="1" checked="checked"' in page
    assert page.count('checked="checked"') == 1


def test_a_period_added_without_a_due_date_takes_the_usual_dates(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post("/returns/periods/new/", {"year": "2018", "quarter": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/returns/periods/"
    assert "2018-19 Q1 added: returns open on 1 April 2018 and are due by 30 July 2018." in page_of(response)
    period = ReportingPeriod.objects.get(year=2018, quarter=1)
    assert (period.starts_on, period.ends_on, period.opens_on, period.due_on) == (
        date(2018, 4, 1),
        date(2018, 6, 30),
        date(2018, 4, 1),
        date(2018, 7, 30),
    )


def test_a_period_may_be_given_its_own_due_date(client, secretariat_user):
    client.force_login(secretariat_user)
    client.post(
        "/returns/periods/new/", {"year": "2017", "quarter": "4", "due_on_0": "11", "due_on_1": "5", "due_on_2": "2018"}
    )
    period = ReportingPeriod.objects.get(year=2017, quarter=4)
    assert (period.starts_on, period.ends_on, period.due_on) == (date(2018, 1, 1), date(2018, 3, 31), date(2018, 5, 11))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"year": "", "quarter": "1"}, "Enter the year the financial year starts, like 2017"),
        ({"year": "twenty", "quarter": "1"}, "The financial year must be a year, like 2017"),
        ({"year": "1999", "quarter": "1"}, "The financial year must be 2000 or later"),
        ({"year": "2018"}, "Select the quarter"),
        (
            {"year": "2018", "quarter": "1", "due_on_0": "31", "due_on_1": "2", "due_on_2": "2018"},
            "Enter a real due date",
        ),
        (
            {"year": "2018", "quarter": "1", "due_on_0": "29", "due_on_1": "6", "due_on_2": "2018"},
            "The due date must be on or after the last day of the quarter, 30 June 2018",
        ),
    ],
)
def test_bad_input_is_refused_with_an_error_summary_and_kept(client, secretariat_user, data, message):
    client.force_login(secretariat_user)
    response = client.post("/returns/periods/new/", data)
    page = page_of(response)
    assert response.status_code == 400
    assert "<title>Error: Add a reporting period" in page
    assert "There is a problem" in page and message in page
    if data["year"]:
        assert f'name="year" value="{data["year"]}"' in page
    assert not ReportingPeriod.objects.exists()


def test_a_quarter_that_exists_already_is_refused(client, secretariat_user):
    ReportingPeriodFactory(year=2017, quarter=1)
    client.force_login(secretariat_user)
    response = client.post("/returns/periods/new/", {"year": "2017", "quarter": "1"})
    assert response.status_code == 400
    assert "2017-18 Q1 already exists: change its due date instead" in page_of(response)
    assert ReportingPeriod.objects.count() == 1


@time_machine.travel(date(2017, 8, 15))
def test_moving_the_due_date_changes_which_returns_are_late(client, fife, secretariat_user):
    ReportingPeriodFactory(year=2017, quarter=1)
    assert returns_matrix().rates[0].late == 1
    client.force_login(secretariat_user)
    page = page_of(client.get("/returns/periods/2017-18-q1/edit/"))
    assert 'name="due_on_0" value="30"' in page and 'name="due_on_1" value="7"' in page
    response = client.post(
        "/returns/periods/2017-18-q1/edit/", {"due_on_0": "31", "due_on_1": "8", "due_on_2": "2017"}, follow=True
    )
    assert "Returns for 2017-18 Q1 are now due by 31 August 2017." in page_of(response)
    assert ReportingPeriod.objects.get().due_on == date(2017, 8, 31)
    assert returns_matrix().rates[0].late == 0
    assert not QuarterlyReturn.objects.exists()


def test_a_due_date_before_the_quarter_ends_is_refused(client, secretariat_user):
    ReportingPeriodFactory(year=2017, quarter=1)
    client.force_login(secretariat_user)
    response = client.post("/returns/periods/2017-18-q1/edit/", {"due_on_0": "1", "due_on_1": "6", "due_on_2": "2017"})
    page = page_of(response)
    assert response.status_code == 400
    assert "The due date must be on or after the last day of the quarter, 30 June 2017" in page
    assert 'name="due_on_0" value="1"' in page
    assert ReportingPeriod.objects.get().due_on == date(2017, 7, 30)


def test_only_the_secretariat_manages_periods(client, chair_user, member_user):
    ReportingPeriodFactory(year=2017, quarter=1)
    for user in (chair_user, member_user):
        client.force_login(user)
        assert client.get("/returns/periods/").status_code == 403
        assert client.post("/returns/periods/new/", {"year": "2018", "quarter": "1"}).status_code == 403
        assert client.post("/returns/periods/2017-18-q1/edit/", {}).status_code == 403
    assert ReportingPeriod.objects.count() == 1
