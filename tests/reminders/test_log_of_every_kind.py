"""/actions/reminders/ shows every chasing job's e-mails: each line links to what it is about."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.models import Membership
from recommendations.services.review_dates import remind_review_dates
from reminders import services
from reminders.models import Reminder
from reviews.chasing import chase_late_returns
from tests.factories import MembershipFactory, PersonFactory, SogFactory
from tests.recommendations.factories import RecommendationFactory, StatusUpdateFactory
from tests.reminders.story import at
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

URL = "/actions/reminders/"
RUN = date(2017, 7, 31)


def send_all(result):
    for digest_id in result.to_send:
        services.send_digest(digest_id)


def chase_everything(today):
    with at(today):
        send_all(remind_review_dates(today))
        send_all(chase_late_returns(today))


@pytest.fixture
def world(fife, secretariat_user):
    lead = PersonFactory(name="Lena Lead")
    recommendation = RecommendationFactory(number=4, short_title="Sexting strategy", policy_lead=lead)
    StatusUpdateFactory(recommendation=recommendation, as_of=date(2017, 2, 16), review_date=date(2017, 7, 1))
    ReportingPeriodFactory(year=2017, quarter=1)  # due 30 July 2017
    colin = PersonFactory(name="Colin Coordinator")
    MembershipFactory(person=colin, body=SogFactory(area=fife), role=Membership.Role.COORDINATOR)
    chase_everything(RUN)
    return recommendation


def test_the_log_links_review_date_and_return_reminders_to_their_recommendation_and_return(
    client, secretariat_user, world
):
    client.force_login(secretariat_user)
    page = client.get(URL).content.decode()
    assert (
        f'<a class="govuk-link" href="/recommendations/{world.pk}/">Recommendation 4: Sexting strategy: '
        "review date 1 July 2017</a> (policy lead)"
    ) in page
    assert (
        '<a class="govuk-link" href="/returns/2017-18-q1/fife/">Fife return for 2017-18 Q1 (due date)</a> '
        "(MAPPA coordinator of the Fife SOG)"
    ) in page
    assert (
        '<a class="govuk-link" href="/returns/2017-18-q1/fife/">Fife return for 2017-18 Q1 '
        "(late, weekly list 2017-W31)</a>"
    ) in page
    for label in (
        "Recommendations past their review date (to policy leads)",
        "Recommendations past their review date (to the secretariat)",
        "Quarterly returns due or late (to SOG chairs and coordinators)",
        "Late quarterly returns, weekly (to the secretariat)",
    ):
        assert page.count(label) == 2  # in the table and in the filter
    assert "4 e-mails" in page
    row = Reminder.objects.get(kind=Reminder.Kind.RETURN_DUE)
    assert (row.area.slug, row.reporting_period.slug, row.subject_key) == (
        "fife",
        "2017-18-q1",
        f"return:{row.reporting_period_id}-{row.area_id}:due",
    )


def test_the_log_filters_by_each_new_kind(client, secretariat_user, world):
    client.force_login(secretariat_user)
    returns = client.get(URL, {"kind": "return_due"}).content.decode()
    assert "Colin Coordinator" in returns and "Lena Lead" not in returns
    assert "1 e-mail matching these filters" in returns
    reviews = client.get(URL, {"kind": "review_date_passed"}).content.decode()
    assert "Lena Lead" in reviews and "Colin Coordinator" not in reviews


def test_a_reminder_must_name_its_recommendation_or_its_return(world):
    from django.db import IntegrityError, transaction

    person = PersonFactory()
    for kind in (Reminder.Kind.REVIEW_DATE_PASSED, Reminder.Kind.RETURN_DUE, Reminder.Kind.SECRETARIAT_LATE_RETURNS):
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(kind=kind, recipient=person, subject_key="x", period=RUN)


def test_the_page_reads_every_kind_in_a_fixed_number_of_queries(client, secretariat_user, world):
    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(10, 20):
        recommendation = RecommendationFactory(number=number, policy_lead=PersonFactory())
        StatusUpdateFactory(recommendation=recommendation, as_of=date(2017, 2, 16), review_date=date(2017, 8, 1))
    chase_everything(date(2017, 8, 7))
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert len(few) == len(many)
    assert "Recommendation 15:" in page and "(1 week late)" in page
