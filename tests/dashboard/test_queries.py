"""National scale: the dashboard takes the same number of SQL queries for a handful of records as for many.

A small world (2 areas, 2 quarters, a few actions, every kind of owner: a kind with no
records at all would save a query, which is no measure of scale) and a bigger one (20 areas × 12
quarters of returns, 300 actions with owners and updates, 10 recommendations over 6 NSG
meetings) give the same count, page and files alike: everything is counted in the
database, never one query per row.
"""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from recommendations.models import StatusUpdate
from tests.actions.factories import ActionFactory, ActionUpdateFactory
from tests.dashboard.factories import a_return, prepared_report
from tests.factories import AreaFactory, NsgFactory, OrganisationFactory, PersonFactory, SogFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.recommendations.factories import AssessmentFactory, RecommendationFactory, StatusUpdateFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

PROGRESS = [StatusUpdate.Progress.NOT_STARTED, StatusUpdate.Progress.SOME, StatusUpdate.Progress.SIGNIFICANT]


def build(*, areas, quarters, meetings, actions_per_meeting, recommendations, offset=0):
    """A world of the size asked for, with every kind of record the dashboard reads (meetings ``offset`` days on)."""
    periods = [ReportingPeriodFactory(year=2015 + q // 4, quarter=1 + q % 4) for q in range(quarters)]
    nsg = NsgFactory()
    organisations = [OrganisationFactory() for _ in range(max(2, areas // 2))]
    people = [PersonFactory(organisation=organisations[i % len(organisations)]) for i in range(areas)]
    sogs = []
    for index in range(areas):
        area = AreaFactory()
        sogs.append(SogFactory(area=area))
        for number, period in enumerate(periods):
            status = "approved" if (index + number) % 5 else "submitted"
            a_return(
                area,
                period,
                status,
                late=number % 3 == 0,
                initial=2 + (index * 7 + number) % 12,
                full=(index + number) % 3,
                scrs=number % 2,
                accepted=index % 6,
                declined=number % 4,
            )
    first = periods[0].starts_on
    held = []
    for m in range(meetings):
        day = first + timedelta(days=45 + 40 * m + offset)
        body = nsg if m % 2 == 0 else sogs[m % len(sogs)]
        meeting = MeetingFactory(body=body, date=day, status=Meeting.Status.MINUTES_AGREED)
        item = AgendaItemFactory(meeting=meeting, position=1)
        if body == nsg:
            held.append(day)
        for number in range(1, actions_per_meeting + 1):
            owners = [organisations[number % len(organisations)], people[number % len(people)]]
            if number % 4 == 0:
                owners.append(sogs[number % len(sogs)])
            action = ActionFactory(
                meeting=meeting,
                agenda_item=item,
                number=number,
                owners=owners,
                due_date=day + timedelta(days=14 * (number % 9)),
                status="complete" if number % 3 == 0 else "open",
            )
            if number % 3 == 0:
                ActionUpdateFactory(
                    action=action,
                    new_status="complete",
                    reason="Done.",
                    at=timezone.make_aware(datetime.combine(day + timedelta(days=20), time(9))),
                )
    for number in range(1, recommendations + 1):
        recommendation = RecommendationFactory(number=number)
        for index, day in enumerate(held):
            StatusUpdateFactory(recommendation=recommendation, as_of=day, progress=PROGRESS[(number + index) % 3])
        AssessmentFactory(recommendation=recommendation, as_of=first + timedelta(days=100))


def queries(client, user, path):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


PATHS = ["/dashboard/", "/dashboard/export.xlsx", "/dashboard/actions-by-owner.csv"]


def counts(client, users):
    return {(role, path): queries(client, user, path) for role, user in users.items() for path in PATHS}


def test_the_dashboard_takes_as_many_queries_for_a_country_as_for_two_areas(client, secretariat_user, inspector_user):
    users = {"secretariat": secretariat_user, "inspector": inspector_user}
    build(areas=2, quarters=2, meetings=2, actions_per_meeting=4, recommendations=2)
    small = counts(client, users)

    build(areas=20, quarters=12, meetings=10, actions_per_meeting=30, recommendations=10, offset=7)
    from actions.models import Action
    from reviews.models import QuarterlyReturn

    assert Action.objects.count() >= 300
    assert QuarterlyReturn.objects.count() >= 240
    big = counts(client, users)

    assert big == small
    assert max(small.values()) <= 30, small


def _report_queries(client, user):
    """The queries of asking for the report, preparing it (in the request, without a broker) and downloading it."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        prepared_report(client)
    return len(captured.captured_queries)


def test_the_pdf_takes_as_many_queries_for_a_country_as_for_two_areas(client, inspector_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build(areas=2, quarters=2, meetings=2, actions_per_meeting=4, recommendations=2)
    small = _report_queries(client, inspector_user)
    build(areas=12, quarters=8, meetings=6, actions_per_meeting=20, recommendations=6, offset=7)
    assert _report_queries(client, inspector_user) == small
