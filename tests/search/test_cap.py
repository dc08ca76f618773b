"""Bounded search (issue 16 at scale): counts exact up to settings.SEARCH_RESULT_CAP, then "More than N
results"; only the best-ranked (or newest) matches are checked and listed, and a count over them still
counts only what the user may open. The cap is set small here so a dozen records exercise it."""

from datetime import date

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from search import selectors
from tests.search.test_search import WORD, _item_with_minute_and_action, _meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users_by_role):
    """Four minutes of an agreed meeting (every role reads them) and three of a later draft one
    (inspectors do not), each with WORD; and their items, actions and updates."""
    author = users_by_role["secretariat"]
    agreed = _meeting(Meeting.Status.MINUTES_AGREED, date(2017, 2, 16))
    draft = _meeting(Meeting.Status.DRAFT_CIRCULATED, date(2017, 6, 8))
    for n in range(4):
        _item_with_minute_and_action(agreed, f"Agreed {n}", author)
    for n in range(3):
        _item_with_minute_and_action(draft, f"Draft {n}", author)
    return {"agreed": agreed, "draft": draft}


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("search:search"), {"q": WORD, **params})
    assert response.status_code == 200
    return response.context["searched"], response.content.decode()


def test_above_the_cap_a_count_says_more_than(client, users_by_role, world, settings):
    settings.SEARCH_RESULT_CAP = 3
    searched, page = _page(client, users_by_role["secretariat"])
    assert searched.capped and searched.total == 3 and len(searched.results) == 3
    assert 'id="search-count">More than 3 results' in page
    assert "These are the most relevant 3 results" in page and "narrow your search" in page
    # 28 matches, the best 15 (five times the cap) counted: some kind has more than 3 of them.
    assert "(more than 3)" in page
    # Below the cap a count is exact, and nothing is said.
    settings.SEARCH_RESULT_CAP = 10
    searched, page = _page(client, users_by_role["secretariat"], kind="minute")
    assert not searched.capped and 'id="search-count">7 results' in page and "search-capped" not in page


def test_a_capped_count_never_counts_a_hidden_record(client, users_by_role, world, settings):
    # Seven minutes match; an inspector may open four: below a cap of five, exactly four, not "more than".
    settings.SEARCH_RESULT_CAP = 5
    searched, page = _page(client, users_by_role["inspector"], kind="minute")
    assert not searched.capped and searched.total == 4
    assert 'id="search-count">4 results' in page and "search-capped" not in page
    assert {r.pk for r in searched.results} == set(
        AgendaItem.objects.filter(meeting=world["agreed"]).values_list("pk", flat=True)
    )
    searched, page = _page(client, users_by_role["secretariat"], kind="minute")
    assert searched.capped and 'id="search-count">More than 5 results' in page


def test_pages_stay_within_the_bounded_set(client, users_by_role, world, settings, monkeypatch):
    settings.SEARCH_RESULT_CAP = 3
    monkeypatch.setattr(selectors, "RESULTS_PER_PAGE", 2)
    user = users_by_role["inspector"]
    seen = []
    for number in ("1", "2", "3"):
        searched, page = _page(client, user, kind="minute", sort="date", page=number)
        assert searched.page.paginator.num_pages == 2 and 'id="search-count">More than 3 results' in page
        seen.append([(r.kind, r.pk) for r in searched.results])
    assert "These are the latest 3 results" in page
    assert [len(results) for results in seen] == [2, 1, 1]  # a page past the end is the last page
    assert seen[2] == seen[1]
    # The newest three the inspector may open: the agreed meeting's (the draft's are newer, but hidden).
    agreed = set(AgendaItem.objects.filter(meeting=world["agreed"]).values_list("pk", flat=True))
    assert {pk for _kind, pk in seen[0] + seen[1]} < agreed


def test_filter_counts_are_capped_and_exact_below_the_cap(client, users_by_role, world, settings):
    settings.SEARCH_RESULT_CAP = 6  # the best 30 matches: all 28
    searched, page = _page(client, users_by_role["inspector"], kind="action")
    counts = {o.value: (o.count, o.capped) for o in searched.facets["kind"]}
    # The kind filter's own counts are the other kinds' candidates: still only what an inspector may open.
    assert counts["minute"] == (4, False) and counts["action"] == (4, False)
    assert counts["agenda_item"] == (6, True)  # seven items, everyone's: more than six
    assert "Agenda items (more than 6)" in page and "Actions (4)" in page


def test_on_postgresql_a_word_in_very_many_records_is_ranked_among_its_newest_matches(secretariat_user, monkeypatch):
    from django.db import connection

    from search import engines
    from tests.search.test_index import _item

    if connection.vendor != "postgresql":
        pytest.skip("the ranking window is PostgreSQL's (SQLite's FTS5 ranks every match with bm25)")
    monkeypatch.setattr(engines, "RANK_WINDOW", 2)
    old_in_title = _item(_meeting(Meeting.Status.HELD, date(2016, 2, 16)), "Lighthouse review")
    newer = _item(_meeting(Meeting.Status.HELD, date(2017, 2, 16)), "Any other business", narrative="A lighthouse.")
    newest_in_title = _item(_meeting(Meeting.Status.HELD, date(2017, 6, 8)), "Lighthouse keepers")

    results = selectors.search(secretariat_user, "lighthouse").results
    # The two newest matches, the better ranked first (a title above a narrative); the older one left out.
    assert [(r.kind, r.pk) for r in results] == [("agenda_item", newest_in_title.pk), ("minute", newer.pk)]
    assert old_in_title.pk not in [r.pk for r in results]
    # By date, every match is read newest first, whatever the window.
    by_date = selectors.search(secretariat_user, "lighthouse", sort="date").results
    assert [r.pk for r in by_date][-1] == old_in_title.pk


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_ticked_filter_lists_the_unfiltered_results_of_its_kinds_in_the_same_order(
    client, users_by_role, world, settings, sort
):
    # Every match read (the kind filter's own read holds them all, so the results are taken from it).
    settings.SEARCH_RESULT_CAP = 50
    user = users_by_role["inspector"]
    everything, _page_text = _page(client, user, sort=sort)
    kinds = ["agenda_item", "minute", "action_update"]
    searched, _page_text = _page(client, user, sort=sort, kind=kinds)
    expected = [(r.kind, r.pk) for r in everything.results if r.kind in kinds]
    assert [(r.kind, r.pk) for r in searched.results] == expected and len(expected) == 7 + 4 + 4
    # Few candidates (a cap of 2: the best 10), so the filter's own read is not every match: the index is asked
    # for the filtered results themselves, and gives the same first two.
    settings.SEARCH_RESULT_CAP = 2
    searched, page = _page(client, user, sort=sort, kind=kinds)
    assert [(r.kind, r.pk) for r in searched.results] == expected[:2]
    assert 'id="search-count">More than 2 results' in page
