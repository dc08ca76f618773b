"""Narrowing a search (issue 16): by kind of record, group, area and dates, each option with its count,
the counts never including a record the user may not open; sorted by relevance or by date."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from reviews.models import QuarterlyReturn
from tests import html
from tests.factories import NsgFactory, SogFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

WORD = "quernstone"


def _meeting(body, day):
    meeting = Meeting.objects.create(
        body=body, date=day, start_time=time(10), end_time=time(12), venue="Hall", status=Meeting.Status.HELD
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title=f"{WORD} item", narrative=f"{WORD} minute")
    return meeting


@pytest.fixture
def world(fife, glasgow, secretariat_user):
    nsg = _meeting(NsgFactory(), date(2017, 2, 16))
    fife_sog = _meeting(SogFactory(area=fife), date(2017, 6, 8))
    period = ReportingPeriodFactory(year=2017, quarter=1)
    now = timezone.now()
    QuarterlyReturn.objects.create(
        area=fife,
        period=period,
        status=QuarterlyReturn.Status.APPROVED,
        narrative=f"Fife {WORD}",
        submitted_at=now,
        first_submitted_at=now,
        submitted_by=secretariat_user,
        approved_at=now,
        approved_by=secretariat_user,
    )
    QuarterlyReturn.objects.create(
        area=glasgow, period=period, status=QuarterlyReturn.Status.DRAFT, narrative=f"Glasgow {WORD}"
    )
    return {"nsg": nsg, "fife_sog": fife_sog}


def page_for(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("search:search"), {"q": WORD, **params})
    assert response.status_code == 200
    return response


def options(response, name):
    return {o.value: o.count for o in response.context["searched"].facets[name]}


def test_each_filter_option_shows_its_count(client, secretariat_user, world):
    response = page_for(client, secretariat_user)
    assert options(response, "kind") == {
        **dict.fromkeys(options(response, "kind"), 0),
        "agenda_item": 2,
        "minute": 2,
        "return": 2,
    }
    assert options(response, "group") == {"nsg": 2, "fife-sog": 3}  # Fife's return belongs to its SOG too
    assert options(response, "area") == {"fife": 3, "glasgow": 1}
    filters = html.one(html.page(response), '//*[@id="search-filters"]')
    labels = html.texts(filters, "//label")
    assert "Fife Strategic Oversight Group (3)" in labels and "Glasgow (1)" in labels


def test_a_count_never_includes_a_record_the_user_may_not_open(client, member_user, world):
    # Glasgow's return is a draft: NSG members see approved returns only, so Glasgow is not offered.
    response = page_for(client, member_user)
    assert options(response, "area") == {"fife": 3}
    assert options(response, "kind")["return"] == 1
    assert "Glasgow" not in html.text(html.page(response))


def test_choosing_a_group_narrows_the_results_and_the_other_counts(client, secretariat_user, world):
    response = page_for(client, secretariat_user, group="fife-sog")
    searched = response.context["searched"]
    assert searched.total == 3
    assert {r.kind for r in searched.results} == {"agenda_item", "minute", "return"}
    assert options(response, "kind")["return"] == 1  # Glasgow's return is not Fife SOG's
    assert options(response, "group") == {"nsg": 2, "fife-sog": 3}  # the group filter's own counts stay
    assert html.checked(html.page(response), "group") == ["fife-sog"]
    assert "Clear filters" in response.content.decode()


def test_kinds_combine(client, secretariat_user, world):
    searched = page_for(client, secretariat_user, kind=["minute", "return"]).context["searched"]
    assert searched.total == 4 and {r.kind for r in searched.results} == {"minute", "return"}


def test_a_date_range(client, secretariat_user, world):
    # April to mid-June 2017: the Fife SOG's meeting, not the NSG's in February nor the returns of the
    # quarter ending 30 June.
    params = {"date_from_0": "1", "date_from_1": "4", "date_from_2": "2017"}
    params.update(date_to_0="15", date_to_1="6", date_to_2="2017")
    response = page_for(client, secretariat_user, **params)
    searched = response.context["searched"]
    assert {(r.kind, r.date) for r in searched.results} == {
        ("agenda_item", date(2017, 6, 8)),
        ("minute", date(2017, 6, 8)),
    }
    assert options(response, "area") == {"fife": 2}


def test_dates_the_wrong_way_round_are_a_gov_uk_error(client, secretariat_user, world):
    response = page_for(
        client,
        secretariat_user,
        date_from_0="1",
        date_from_1="6",
        date_from_2="2017",
        date_to_0="1",
        date_to_1="4",
        date_to_2="2017",
    )
    page = response.content.decode()
    assert "There is a problem" in page and "The end date must be the same as or after the start date" in page
    assert 'name="date_to_1" type="text" inputmode="numeric" value="4"' in page


def test_sorted_by_date_newest_first(client, secretariat_user, world):
    response = page_for(client, secretariat_user, sort="date")
    dates = [r.date for r in response.context["searched"].results]
    assert dates == sorted(dates, reverse=True)
    assert "Sort by relevance" in response.content.decode()
