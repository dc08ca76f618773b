"""The searches README's search section offers on the demo world find what it says, for the secretariat
and, within the inspectors' rule, for an inspector; the same on SQLite (FTS5) and PostgreSQL."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {name: get_user_model().objects.get(username=name) for name in ("secretariat", "inspector")}


def _search(client, user, q):
    client.force_login(user)
    return client.get(reverse("search:search"), {"q": q}).context["searched"]


def test_the_readme_searches_find_something_on_the_demo_world(client, demo):
    risk = _search(client, demo["secretariat"], "environmental risk assessments")
    # "assessments" finds the items titled "Environmental Risk Assessment", first among the results.
    assert risk.total >= 3 and risk.results[0].title.startswith("Environmental Risk Assessment")
    media = _search(client, demo["secretariat"], "social media")
    assert [r.title for r in media.results if r.kind == "recommendation"] == ["3. Social media device monitoring"]
    plan = _search(client, demo["secretariat"], '"action plan"')
    assert plan.total > 10
    # An inspector finds fewer: not the minutes, actions and papers of meetings whose minutes are not agreed.
    assert 0 < _search(client, demo["inspector"], '"action plan"').total < plan.total

    # Case reviews by theme, as each role may see them (one test: the demo world takes a while to build).
    everything = _search(client, demo["secretariat"], "internet offending")
    shared = _search(client, demo["inspector"], "internet offending")
    reviews = {r.pk for r in everything.results if r.kind == "case_review"}
    assert reviews and {r.pk for r in shared.results if r.kind == "case_review"} <= reviews
