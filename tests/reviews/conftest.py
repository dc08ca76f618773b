"""Fixtures the warning tests share: two quarters of 2017-18, and Fife's approved first one."""

import pytest

from tests.reviews.factories import ReportingPeriodFactory, approved


@pytest.fixture
def periods(db):
    """2017-18 Q1 and Q2."""
    return ReportingPeriodFactory(year=2017, quarter=1), ReportingPeriodFactory(year=2017, quarter=2)


@pytest.fixture
def last_quarter(fife, periods, chair_user, secretariat_user):
    """Fife's approved 2017-18 Q1: 4 initial ICRs processed, 1 progressed, 3 from proactive policing."""
    return approved(
        fife,
        periods[0],
        chair_user,
        secretariat_user,
        initial_icrs_processed=4,
        progressed_to_full_icr=1,
        icrs_from_proactive_policing=3,
    )
