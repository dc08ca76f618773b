"""Snippets mark the words the engine matched (issue 16): on PostgreSQL ts_headline writes them, on SQLite
search.snippets.snippet; the same tests run on both (DATABASE_URL for PostgreSQL). A record's text is
always escaped, whatever it holds, and a page's snippets cost one query at most."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.engines import engine, parse_query
from search.selectors import RESULTS_PER_PAGE
from search.snippets import SNIPPET_CHARS
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

WORD = "zanzibarite"


def snippet(query, *texts):
    (html,) = engine().snippets(parse_query(query), [texts])
    return str(html)


def marked(html):
    """The words marked, in order (a phrase marked as one mark or a mark a word: the same words)."""
    return [word for mark in re.findall(r"<mark>(.*?)</mark>", html) for word in mark.split()]


def test_a_stemmed_word_is_marked():
    html = snippet("assessments", "The environmental risk assessment was carried out")
    assert marked(html) == ["assessment"]
    assert html == "The environmental risk <mark>assessment</mark> was carried out"


def test_a_phrase_is_marked_where_its_words_are_together():
    html = snippet('"environmental risk"', "Risk first. The environmental risk assessment; environmental issues")
    assert marked(html) == ["environmental", "risk"]
    assert "Risk first" in html and "; environmental issues" in html  # the phrase's words on their own: not


def test_an_excluded_word_is_not_marked():
    assert marked(snippet(f"{WORD} -glasgow", f"Glasgow {WORD} approved")) == [WORD]
    assert marked(snippet(f'{WORD} -"glasgow draft"', f"Glasgow {WORD} approved")) == [WORD]


def test_or_marks_both_alternatives():
    html = snippet("risk internet or online", "Online risk is high, and internet use grows; offline too")
    assert marked(html) == ["Online", "risk", "internet"]


def test_the_record_is_escaped_and_the_word_marked():
    html = snippet(WORD, f"<script>alert(1)</script> {WORD} <b>bold</b> &amp; \x02not a mark\x03")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert marked(html) == [WORD]
    assert "\x02" not in html and "\x03" not in html


def test_a_long_text_gives_a_short_snippet_around_the_words():
    text = " ".join(["Early narrative of the meeting."] * 40 + [f"The {WORD} was agreed."] + ["Later business."] * 40)
    html = snippet(WORD, text)
    assert marked(html) == [WORD]
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 2 * SNIPPET_CHARS


def test_no_words_left_gives_no_snippet():
    assert engine().snippets(parse_query(WORD), [(), ("",)]) == ["", ""]


def test_a_pages_snippets_cost_one_query_at_most():
    texts = [(f"Record {n} on {WORD}", "and more") for n in range(RESULTS_PER_PAGE)]
    with CaptureQueriesContext(connection) as queries:
        found = engine().snippets(parse_query(WORD), texts)
    assert len(queries) <= 1
    assert all(marked(html) == [WORD] for html in found)


def test_the_results_page_shows_the_escaped_record_with_the_word_marked(users_by_role, client):
    item = AgendaItemFactory(position=1, narrative=f"<script>alert(1)</script> The {WORD} plan")
    client.force_login(users_by_role["secretariat"])
    response = client.get(reverse("search:search"), {"q": WORD, "kind": "minute"})
    assert [r.pk for r in response.context["searched"].results] == [item.pk]
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert f"&lt;script&gt;alert(1)&lt;/script&gt; The <mark>{WORD}</mark> plan" in page
