"""/returns/: the secretariat's completeness matrix with reporting and on-time rates; a chair's own returns.

The rates are DHIS2's: reporting rate = returns submitted ÷ returns expected;
on-time rate = returns submitted by the due date ÷ returns expected. An area is
expected to return for every quarter it was active in.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mappa.models import Area
from reviews.models import QuarterlyReturn, ReportingPeriod
from reviews.selectors.matrix import area_returns, late_returns, returns_matrix
from reviews.services.returns import make_nil_return, send_back, submit_return
from tests.factories import AreaFactory, user_with_role
from tests.reviews.factories import ReportingPeriodFactory, approved, complete

pytestmark = pytest.mark.django_db


def moment(day, hour=12):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def quarter():
    """2017-18 Q1: April to June 2017, due 30 July 2017."""
    return ReportingPeriodFactory(year=2017, quarter=1)


@pytest.fixture
def three_areas(fife, glasgow):
    lanarkshire = AreaFactory(name="Lanarkshire", slug="lanarkshire", code="LAN")
    northern = AreaFactory(name="Northern", slug="northern", code="NOR", active=False, ended_on=date(2017, 3, 31))
    return fife, glasgow, lanarkshire, northern


def submit_on(day, area, period, user):
    with time_machine.travel(moment(day), tick=False):
        ret = complete(QuarterlyReturn(area=area, period=period), user)
        return submit_return(ret, by=user, confirmed=True)


def test_reporting_and_on_time_rates_and_late_returns(quarter, three_areas, chair_user, secretariat_user):
    fife, glasgow, lanarkshire, northern = three_areas
    assert quarter.due_on == date(2017, 7, 30)
    submit_on(date(2017, 7, 20), fife, quarter, chair_user)  # on time
    submit_on(date(2017, 8, 5), glasgow, quarter, secretariat_user)  # after the due date
    # Lanarkshire has not submitted; Northern had ended, so owes nothing.

    matrix = returns_matrix(today=date(2017, 8, 10))
    assert [area.name for area, _cells in matrix.rows] == ["Fife", "Glasgow", "Lanarkshire"]
    (rates,) = matrix.rates
    assert (rates.expected, rates.submitted, rates.on_time, rates.late) == (3, 2, 1, 1)
    assert rates.reporting_rate == 67 and rates.on_time_rate == 33
    cells = {area.slug: cells[0] for area, cells in matrix.rows}
    assert cells["fife"].on_time and not cells["fife"].late
    assert cells["glasgow"].submitted_late
    assert cells["lanarkshire"].late and cells["lanarkshire"].status == "not_started"


def test_a_return_sent_back_for_amendment_still_counts_as_submitted(quarter, fife, chair_user, secretariat_user):
    ret = submit_on(date(2017, 7, 20), fife, quarter, chair_user)
    send_back(ret, by=secretariat_user, comments={"narrative": "Please expand."})
    (rates,) = returns_matrix(today=date(2017, 9, 1)).rates
    assert (rates.expected, rates.submitted, rates.on_time, rates.late) == (1, 1, 1, 0)


def test_a_nil_return_counts_as_returned(quarter, fife, chair_user):
    with time_machine.travel(moment(date(2017, 7, 1)), tick=False):
        ret = make_nil_return(QuarterlyReturn(area=fife, period=quarter), by=chair_user)
        submit_return(ret, by=chair_user)
    (rates,) = returns_matrix(today=date(2017, 9, 1)).rates
    assert rates.reporting_rate == 100 and rates.on_time_rate == 100


def test_areas_are_expected_only_while_active():
    grampian = AreaFactory(name="Grampian", slug="grampian", code="GRA", started_on=date(2017, 4, 1))
    northern = AreaFactory(name="Northern", slug="northern", code="NOR", active=False, ended_on=date(2017, 3, 31))
    mid_split = AreaFactory(
        name="Split mid-quarter", slug="split", code="SPL", active=False, ended_on=date(2017, 5, 15)
    )
    q4 = ReportingPeriodFactory(year=2016, quarter=4)
    q1 = ReportingPeriodFactory(year=2017, quarter=1)
    assert (q4.expects(grampian), q1.expects(grampian)) == (False, True)
    assert (q4.expects(northern), q1.expects(northern)) == (True, False)
    assert q1.expects(mid_split)  # active for part of the quarter


def test_the_secretariat_sees_the_matrix_with_status_tags_late_marks_and_rates(
    client, quarter, three_areas, chair_user, secretariat_user
):
    fife, glasgow, lanarkshire, _ = three_areas
    submit_on(date(2017, 7, 20), fife, quarter, chair_user)
    client.force_login(secretariat_user)
    with time_machine.travel(moment(date(2017, 8, 10)), tick=False):
        html = client.get(reverse("reviews:returns")).content.decode()
    assert "Returns by area and quarter" in html
    assert "2017-18 Q1" in html and "due 30 Jul 2017" in html
    assert 'govuk-tag--blue">Submitted' in html
    assert html.count('govuk-tag--red">Late') == 2  # Glasgow and Lanarkshire
    assert 'data-rate="reporting">33%' in html and "1 of 3" in html
    assert 'data-rate="on-time">33%' in html
    assert "Northern" not in html


def test_a_chair_sees_their_own_areas_returns_and_what_is_due_next(client, three_areas, chair_user, secretariat_user):
    fife = three_areas[0]
    q1, q2 = ReportingPeriodFactory(year=2017, quarter=1), ReportingPeriodFactory(year=2017, quarter=2)
    approved(fife, q1, chair_user, secretariat_user)
    client.force_login(chair_user)
    with time_machine.travel(moment(date(2017, 10, 5)), tick=False):
        response = client.get(reverse("reviews:returns"))
    (entry,) = response.context["area_returns"]
    assert entry.area == fife
    assert [c.period.label for c in entry.cells] == ["2017-18 Q2", "2017-18 Q1"]
    assert entry.due_next.period == q2 and entry.due_next.status == "not_started" and not entry.due_next.late
    html = response.content.decode()
    assert "Due next: 2017-18 Q2 (July to September 2017)" in html
    assert "Start the 2017-18 Q2 return" in html
    assert "Glasgow" not in html and "Lanarkshire" not in html


def test_a_returned_return_is_what_is_due_next(quarter, fife, chair_user, secretariat_user):
    ret = submit_on(date(2017, 7, 20), fife, quarter, chair_user)
    send_back(ret, by=secretariat_user, comments={"narrative": "Please expand."})
    ReportingPeriodFactory(year=2017, quarter=2)
    (entry,) = area_returns(chair_user, today=date(2017, 10, 5))
    assert entry.due_next.period == quarter and entry.due_next.status == "returned"


def test_late_returns_are_listed_for_chasing(quarter, three_areas, chair_user):
    submit_on(date(2017, 7, 20), three_areas[0], quarter, chair_user)
    late = late_returns(today=date(2017, 8, 1))
    assert sorted(c.area.name for c in late) == ["Glasgow", "Lanarkshire"]
    assert late_returns(today=date(2017, 7, 30)) == []  # due today is not late


# --- Bounded queries --------------------------------------------------------------------------


def build(areas, periods, secretariat):
    """``areas`` areas × ``periods`` quarters, with returns in every status."""
    made_areas = Area.objects.bulk_create(
        Area(name=f"Area {n:02d}", slug=f"area-{n:02d}", code=f"A{n:02d}") for n in range(areas)
    )
    made_periods = []
    for n in range(periods):
        period = ReportingPeriod(year=2010 + n // 4, quarter=n % 4 + 1)
        period.fill_dates()
        made_periods.append(period)
    made_periods = ReportingPeriod.objects.bulk_create(made_periods)
    statuses = [s for s in QuarterlyReturn.Status.values if s != "not_started"]
    now = timezone.now()
    returns = []
    for i, area in enumerate(made_areas):
        for j, period in enumerate(made_periods):
            status = statuses[(i + j) % len(statuses)]
            submitted = status not in ("draft",)
            returns.append(
                QuarterlyReturn(
                    area=area,
                    period=period,
                    status=status,
                    narrative="Routine.",
                    submitted_at=now if submitted else None,
                    first_submitted_at=now if submitted else None,
                    submitted_by=secretariat if submitted else None,
                    approved_at=now if status == "approved" else None,
                    approved_by=secretariat if status == "approved" else None,
                )
            )
    QuarterlyReturn.objects.bulk_create(returns)
    return made_areas, made_periods


# Seven are the request's own: session, user, role, the header's name, and the session save (3).
MATRIX_QUERIES = 10  # + periods, areas, returns
# + period, area, return, its transitions, their comments, the previous approved return; and the
# audit line of its opening: the return's content type (cached once read), the version seen, the insert.
PAGE_QUERIES = 16


@pytest.mark.parametrize(("areas", "periods"), [(3, 2), (53, 40)])
def test_the_matrix_takes_the_same_few_queries_for_3_areas_or_53(
    client, secretariat_user, areas, periods, django_assert_max_num_queries
):
    build(areas, periods, secretariat_user)
    client.force_login(secretariat_user)
    with django_assert_max_num_queries(MATRIX_QUERIES):
        response = client.get(reverse("reviews:returns"))
    assert response.status_code == 200
    assert len(response.context["matrix"].rows) == areas


def test_the_matrix_shows_a_year_of_quarters_a_page_the_latest_first(client, secretariat_user):
    build(2, 10, secretariat_user)  # 2010-11 Q1 to 2012-13 Q2
    client.force_login(secretariat_user)

    first = client.get(reverse("reviews:returns"))
    assert [p.label for p in first.context["matrix"].periods] == [
        "2011-12 Q3",
        "2011-12 Q4",
        "2012-13 Q1",
        "2012-13 Q2",
    ]
    assert "Returns by area and quarter: 2011-12 Q3 to 2012-13 Q2" in first.content.decode()
    assert len(first.context["matrix"].rates) == 4
    last = client.get(reverse("reviews:returns"), {"page": "3"})
    assert [p.label for p in last.context["matrix"].periods] == ["2010-11 Q1", "2010-11 Q2"]
    html = last.content.decode()
    assert 'href="?page=2" rel="prev"' in html
    # Each cell links to its return.
    _area, cells = last.context["matrix"].rows[0]
    assert cells[0].href == reverse("reviews:return-detail", kwargs=cells[0].url_kwargs)
    assert f'href="{cells[0].href}"' in html


@pytest.mark.parametrize(("areas", "periods"), [(3, 2), (53, 40)])
def test_a_return_page_takes_the_same_few_queries_however_many_areas_and_periods(
    client, secretariat_user, areas, periods, django_assert_max_num_queries
):
    made_areas, made_periods = build(areas, periods, secretariat_user)
    ret = QuarterlyReturn.objects.get(area=made_areas[-1], period=made_periods[-1])
    ret.status = "submitted"
    ret.save()
    for n in range(periods):
        ret.transitions.create(from_status="draft", to_status="submitted", by=secretariat_user, comment=f"Step {n}")
    client.force_login(secretariat_user)
    url = ret.get_absolute_url()
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(("areas", "periods"), [(3, 2), (53, 40)])
def test_a_chairs_returns_page_takes_the_same_few_queries(
    client, areas, periods, secretariat_user, django_assert_max_num_queries
):
    made_areas, _ = build(areas, periods, secretariat_user)
    chair = user_with_role("sog_chair", username="t-chair-many", areas=made_areas[:3])
    client.force_login(chair)
    with django_assert_max_num_queries(MATRIX_QUERIES):
        response = client.get(reverse("reviews:returns"))
    assert len(response.context["area_returns"]) == 3
