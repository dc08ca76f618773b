"""Odd values sent to the case review pages are a 400 or a form error, never a 500 (issue 11).

A probe found these; tests/mappa/test_hostile_input.py sends such values everywhere, these
pin the cases it found: PostgreSQL cannot hold a NUL (not even in a query's parameter), and
a year beyond 64 bits overflowed the date's calculation.
"""

import pytest
from django.urls import reverse

from reviews.models import CaseReview
from tests.reviews.test_case_reviews import FORM, record

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_the_case_review_list_refuses_a_filter_no_link_sends(client, fife, glasgow, secretariat_user):
    record(secretariat_user, fife)
    client.force_login(secretariat_user)
    url = reverse("case_reviews:list")
    assert "FIF-2017-001" in client.get(url, {"area": "fife", "type": "initial_icr"}).content.decode()
    assert "FIF-2017-001" not in client.get(url, {"area": "glasgow"}).content.decode()
    for query in ({"area": "\x00"}, {"area": "fife\x00"}, {"area": "²"}, {"type": "no-such-type"}, {"type": "\x00"}):
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert "There is a problem with the web address" in response.content.decode()


@pytest.mark.parametrize(
    "box, value",
    [("commissioned_on_2", HUGE), ("commissioned_on_0", HUGE), ("commissioned_on_1", "9223372036854775808")],
)
def test_a_date_beyond_any_calendar_is_a_form_error(client, fife, chair_user, box, value):
    client.force_login(chair_user)
    response = client.post(reverse("case_reviews:create"), {**FORM, "area": fife.pk, box: value})
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert "There is a problem" in page and "Enter a real date commissioned" in page
    assert not CaseReview.objects.exists()
