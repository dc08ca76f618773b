"""The administrator chooses a recommendation's policy lead from the people still active; a lead who has left stays."""

import pytest

from tests import html
from tests.factories import OrganisationFactory, PersonFactory, user_with_role
from tests.recommendations.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def lead_options(client, url):
    page = html.page(client.get(url))
    return html.texts(page, '//select[@name="policy_lead"]/option')


def test_a_policy_lead_who_has_left_is_not_offered_but_stays_on_their_recommendation(client):
    client.force_login(user_with_role("secretariat", superuser=True))
    sg = OrganisationFactory(name="Scottish Government", short_name="SG")
    PersonFactory(name="Jo Policy", organisation=sg)
    gone = PersonFactory(name="Former Lead", organisation=sg, active=False)

    offered = lead_options(client, "/admin/recommendations/recommendation/add/")
    assert "Jo Policy (SG)" in offered
    assert "Former Lead (SG)" not in offered

    led = RecommendationFactory(policy_lead=gone)
    page = html.page(client.get(f"/admin/recommendations/recommendation/{led.pk}/change/"))
    assert html.selected(page, "policy_lead") == [str(gone.pk)]
    other = RecommendationFactory()
    assert "Former Lead (SG)" not in lead_options(client, f"/admin/recommendations/recommendation/{other.pk}/change/")
