"""The home page tells a SOG chair which return is due next or late, and what came back for amendment;
it tells the secretariat which returns wait for their check and how many are late."""

from datetime import date
from html import unescape

import pytest
import time_machine

from mappa.models import Person
from reviews.models import QuarterlyReturn
from reviews.services.returns import send_back, submit_return
from tests.factories import AreaFactory, user_with_role
from tests.reviews.factories import ReportingPeriodFactory, at, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters():
    """2017-18 Q1 (due 30 July 2017) and Q2 (opens 1 July, due 30 October 2017)."""
    return ReportingPeriodFactory(year=2017, quarter=1), ReportingPeriodFactory(year=2017, quarter=2)


def submitted(area, period, user, day):
    with time_machine.travel(at(day), tick=False):
        ret = complete(QuarterlyReturn(area=area, period=period), user)
        return submit_return(ret, by=user, confirmed=True)


def home(client, user):
    client.force_login(user)
    return unescape(client.get("/").content.decode())


@time_machine.travel(date(2017, 8, 15))
def test_a_chair_is_told_their_return_is_late(client, quarters, fife, glasgow, chair_user):
    page = home(client, chair_user)
    assert "Fife's return for 2017-18 Q1 is late" in page
    assert "It was due on 30 July 2017. Status: Not started." in page
    assert 'href="/returns/2017-18-q1/fife/"' in page
    # The late one first: the next quarter's return waits until it is done.
    assert "2017-18 Q2" not in page
    # Another area's returns are not theirs.
    assert "Glasgow" not in page


@time_machine.travel(date(2017, 8, 15))
def test_a_chair_with_nothing_late_sees_the_return_due_next(client, quarters, fife, chair_user):
    q1, _q2 = quarters
    submitted(fife, q1, chair_user, date(2017, 7, 20))
    ret = complete(QuarterlyReturn(area=fife, period=quarters[1]), chair_user)
    assert ret.status == QuarterlyReturn.Status.DRAFT
    page = home(client, chair_user)
    assert "Fife's return for 2017-18 Q2 is due on 30 October 2017" in page
    assert "Status: Draft." in page
    assert "2017-18 Q1" not in page


@time_machine.travel(date(2017, 8, 15))
def test_a_chair_is_asked_to_amend_a_returned_return(client, quarters, fife, chair_user, secretariat_user):
    q1, _q2 = quarters
    ret = submitted(fife, q1, chair_user, date(2017, 7, 20))
    send_back(ret, by=secretariat_user, comments={"narrative": "Please add the file audit."})
    page = home(client, chair_user)
    assert "Amend Fife's return for 2017-18 Q1" in page
    assert "The secretariat returned it for amendment: see their comments, then submit it again." in page
    assert "Fife's return for 2017-18 Q2 is due on 30 October 2017" in page


@time_machine.travel(date(2017, 8, 15))
def test_the_secretariat_sees_returns_to_check_and_how_many_are_late(
    client, quarters, fife, glasgow, chair_user, secretariat_user
):
    q1, _q2 = quarters
    AreaFactory(name="Lanarkshire", slug="lanarkshire", code="LAN")
    submitted(fife, q1, chair_user, date(2017, 7, 20))
    page = home(client, secretariat_user)
    assert "Check Fife's return for 2017-18 Q1" in page
    assert "Submitted on 20 July 2017. Approve it or return it for amendment." in page
    assert "2 returns are late" in page
    assert "Not submitted by the due date: Glasgow 2017-18 Q1, Lanarkshire 2017-18 Q1." in page

    # Glasgow's chair submits, late: the count, kept between looks, is counted again.
    glasgow_chair = user_with_role(Person.AccessRole.SOG_CHAIR, username="t-chair-glasgow", areas=[glasgow])
    submitted(glasgow, q1, glasgow_chair, date(2017, 8, 15))
    page = home(client, secretariat_user)
    assert "1 return is late" in page
    assert "Not submitted by the due date: Lanarkshire 2017-18 Q1." in page


@time_machine.travel(date(2017, 8, 15))
def test_members_and_inspectors_are_told_nothing_about_returns(client, quarters, fife, member_user, inspector_user):
    for user in (member_user, inspector_user):
        page = home(client, user)
        assert "return for 2017-18" not in page and "is late" not in page and "are late" not in page
