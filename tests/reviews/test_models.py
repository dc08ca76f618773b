"""Reporting periods are financial quarters; the database itself refuses figures that cannot be true."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from reviews.models import QuarterlyReturn, ReportingPeriod
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "quarter", "label", "slug", "starts", "ends", "due"),
    [
        (2017, 1, "2017-18 Q1", "2017-18-q1", date(2017, 4, 1), date(2017, 6, 30), date(2017, 7, 30)),
        (2017, 3, "2017-18 Q3", "2017-18-q3", date(2017, 10, 1), date(2017, 12, 31), date(2018, 1, 31)),
        (2016, 4, "2016-17 Q4", "2016-17-q4", date(2017, 1, 1), date(2017, 3, 31), date(2017, 4, 30)),
        (1999, 4, "1999-00 Q4", "1999-00-q4", date(2000, 1, 1), date(2000, 3, 31), date(2000, 4, 30)),
    ],
)
def test_a_period_is_a_financial_quarter_due_a_month_after_it_ends(year, quarter, label, slug, starts, ends, due):
    period = ReportingPeriodFactory(year=year, quarter=quarter)
    assert (period.label, period.slug, period.starts_on, period.ends_on, period.due_on) == (
        label,
        slug,
        starts,
        ends,
        due,
    )
    assert period.opens_on == starts
    assert ReportingPeriod.objects.by_slug(slug) == period


def test_a_periods_due_date_can_be_set_and_there_is_one_period_per_quarter():
    period = ReportingPeriodFactory(year=2017, quarter=2, due_on=date(2017, 11, 3))
    assert period.due_on == date(2017, 11, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(year=2017, quarter=2)


def test_a_due_date_before_the_quarter_ends_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(year=2017, quarter=2, due_on=date(2017, 9, 1))


@pytest.mark.parametrize("slug", ["2017-19-q1", "2017-18-q5", "17-18-q1", "2017-18", ""])
def test_a_malformed_period_is_not_found(slug):
    ReportingPeriodFactory(year=2017, quarter=1)
    with pytest.raises(ReportingPeriod.DoesNotExist):
        ReportingPeriod.objects.by_slug(slug)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"initial_icrs_processed": -1}, "return_figures_not_negative"),
        ({"initial_icrs_processed": 2, "progressed_to_full_icr": 3}, "return_full_icrs_within_initial_icrs"),
        ({"initial_icrs_processed": 1, "progressed_to_full_icr": 1, "scrs_commissioned": 3}, "return_scrs_within_icrs"),
        (
            {"category3_received": 2, "category3_accepted": 2, "category3_declined": 1},
            "return_category3_decisions_within_received",
        ),
        (
            {
                "initial_icrs_processed": 0,
                "progressed_to_full_icr": 0,
                "scrs_commissioned": 0,
                "scrs_completed": 0,
                "theme_housing": True,
            },
            "return_themes_need_case_reviews",
        ),
        ({"is_nil_return": True, "initial_icrs_processed": 1}, "nil_return_reports_nothing"),
        ({"status": "submitted"}, "submitted_return_has_submission_time"),
    ],
)
def test_the_database_refuses_a_return_that_breaks_a_rule(fife, values, constraint):
    period = ReportingPeriodFactory()
    # SQLite and PostgreSQL both name the CHECK constraint that failed.
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        QuarterlyReturn.objects.create(area=fife, period=period, **values)


def test_an_approved_return_names_its_approver(fife):
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(IntegrityError, match="approved_return_has_approver"), transaction.atomic():
        QuarterlyReturn.objects.create(
            area=fife, period=ReportingPeriodFactory(), status="approved", submitted_at=now, first_submitted_at=now
        )


def test_one_return_per_area_and_period(fife):
    period = ReportingPeriodFactory()
    QuarterlyReturn.objects.create(area=fife, period=period)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReturn.objects.create(area=fife, period=period)
