"""Section 1 can be filled in from the area's case review records of the quarter, then checked and saved."""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import CaseReview, QuarterlyReturn
from reviews.selectors.case_reviews import figures_from_case_reviews
from tests.reviews.factories import CaseReviewFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db
T = CaseReview.Type


@pytest.fixture
def quarter(fife, glasgow):
    """2017-18 Q2 (July to September 2017) with Fife's records, one from before and one of Glasgow's."""
    q2 = ReportingPeriodFactory(year=2017, quarter=2)
    first = CaseReviewFactory(
        area=fife, commissioned_on=date(2017, 7, 12), from_proactive_policing=True, theme_internet_offending=True
    )
    CaseReviewFactory(
        area=fife, commissioned_on=date(2017, 8, 1), from_proactive_policing=True, theme_contact_offending=True
    )
    CaseReviewFactory(area=fife, commissioned_on=date(2017, 9, 30))
    CaseReviewFactory(
        area=fife,
        review_type=T.FULL_ICR,
        commissioned_on=date(2017, 9, 4),
        progressed_from=first,
        theme_internet_offending=True,
    )
    CaseReviewFactory(
        area=fife,
        review_type=T.SCR,
        commissioned_on=date(2016, 11, 1),
        completed_on=date(2017, 8, 20),
        theme_adult_protection=True,
    )  # commissioned earlier
    CaseReviewFactory(area=fife, commissioned_on=date(2017, 6, 30))  # the quarter before
    CaseReviewFactory(area=glasgow, commissioned_on=date(2017, 7, 20))  # another area
    return q2


def test_the_figures_count_the_quarters_records(fife, quarter):
    prefill = figures_from_case_reviews(fife, quarter)
    assert prefill.values == {
        "initial_icrs_processed": 3,
        "progressed_to_full_icr": 1,
        "scrs_commissioned": 0,
        "scrs_completed": 1,
        "icrs_from_proactive_policing": 2,
        "themes": ["internet_offending", "contact_offending", "adult_protection"],
        "theme_other_text": "",
    }
    assert len(prefill.records) == 5


def test_the_button_fills_the_form_without_saving_anything(client, fife, quarter, chair_user):
    client.force_login(chair_user)
    url = reverse("reviews:return-edit", kwargs={"period": quarter.slug, "area": fife.slug, "section": "case-reviews"})
    page = client.get(url).content.decode()
    assert (
        "Fill in from this quarter&#x27;s case review records" in page
        or "Fill in from this quarter's case review records" in page
    )
    response = client.get(url, {"from": "records"})
    form = response.context["form"]
    assert form["initial_icrs_processed"].value() == 3
    assert form["progressed_to_full_icr"].value() == 1
    assert form["themes"].value() == ["internet_offending", "contact_offending", "adult_protection"]
    assert "Filled in from 5 case review records of 2017-18 Q2" in response.content.decode()
    assert not QuarterlyReturn.objects.exists()
