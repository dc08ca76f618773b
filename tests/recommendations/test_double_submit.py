"""A recommendation's status update, and its grade from a review, are recorded once however often sent (issue 11).

The checks are tests/double_submit.py's, as for every creating form.
"""

import pytest

from recommendations.models import Assessment, StatusUpdate
from tests import double_submit
from tests.double_submit import Form
from tests.recommendations.factories import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

UPDATE = {
    "as_of_0": "1",
    "as_of_1": "12",
    "as_of_2": "2017",
    "narrative": "Local plans received.",
    "status": "on_target",
    "progress": "some",
    "source": "other",
}
GRADE = {"as_of_0": "29", "as_of_1": "6", "as_of_2": "2017", "grade": "partially_met"}


def status_update(client, recommendation):
    url = f"/recommendations/{recommendation.pk}/updates/new/"
    return Form(
        client,
        url,
        url,
        UPDATE,
        StatusUpdate.objects.filter(recommendation=recommendation).count,
        other={**UPDATE, "narrative": "Local plans received from all areas."},
        wrong={**UPDATE, "status": "met", "progress": "complete"},
    )  # met, with no completion date


def grade(client, recommendation):
    first, second = (
        InspectionFactory(title="MAPPA progress review"),
        InspectionFactory(title="MAPPA follow-up review"),
    )
    url = f"/recommendations/{recommendation.pk}/grades/new/"
    return Form(
        client,
        url,
        url,
        {**GRADE, "review": first.pk},
        Assessment.objects.filter(recommendation=recommendation).count,
        other={**GRADE, "review": second.pk},
        wrong={**GRADE, "review": first.pk, "grade": ""},
    )


@pytest.fixture(params=[status_update, grade], ids=["status update", "grade"])
def recommendation_form(request, client, secretariat_user):
    client.force_login(secretariat_user)
    recommendation = RecommendationFactory(number=2, short_title="ViSOR")
    return request.param(client, recommendation)


def test_sent_twice_it_saves_once_and_lands_on_the_first(recommendation_form):
    double_submit.sent_twice_saves_once(recommendation_form)


def test_the_same_page_sent_with_other_content_saves_again(recommendation_form):
    double_submit.other_content_saves_again(recommendation_form)


def test_a_form_with_errors_does_not_use_up_its_token(recommendation_form):
    double_submit.errors_keep_the_token(recommendation_form)


def test_sent_twice_at_the_same_moment_it_saves_once(transactional_db, recommendation_form):
    double_submit.at_once_saves_once(recommendation_form)
