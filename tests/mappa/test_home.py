"""Each role signs in and sees a home page about their own work."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretariat_home_lists_sogs_without_a_chair(client, secretariat_user, fife):
    from tests.factories import SogFactory

    SogFactory(area=fife)
    client.force_login(secretariat_user)
    page = client.get("/").content.decode()
    assert "Needs your attention" in page
    assert "Fife Strategic Oversight Group has no current chair" in page


def test_sog_chair_home_shows_their_area(client, chair_user):
    client.force_login(chair_user)
    page = client.get("/").content.decode()
    assert "SOG chair or MAPPA coordinator" in page
    assert "Your MAPPA area" in page
    assert "Fife" in page
    assert "Needs your attention" not in page


def test_inspector_home_says_read_only(client, inspector_user):
    client.force_login(inspector_user)
    page = client.get("/").content.decode()
    assert "You have read-only access" in page
