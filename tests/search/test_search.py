"""Search is permission-exact (issue 16): one unusual word seeded into every kind of record searched, in
every state that matters, and for each role exactly the results it may open, with counts that match.

Runs on both engines: SQLite (substring) by default, PostgreSQL full-text with DATABASE_URL.
"""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from meetings.models import AgendaItem, Meeting
from meetings.rules import may_read_minutes
from papers.models import Paper
from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate
from reviews.models import QuarterlyReturn
from search import selectors
from search.engines import parse_query
from search.snippets import snippet
from search.sources import SOURCES
from tests.factories import NsgFactory
from tests.reviews.factories import CaseReviewFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

WORD = "zanzibarite"


def _meeting(status, day, venue="Saughton House"):
    return Meeting.objects.create(
        body=NsgFactory(), date=day, start_time=time(10), end_time=time(12), venue=venue, status=status
    )


def _item_with_minute_and_action(meeting, label, author):
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=AgendaItem.objects.filter(meeting=meeting).count() + 1,
        title=f"{label} {WORD} item",
        narrative=f"The {label} narrative about {WORD}.",
        decisions="",
    )
    action = Action.objects.create(
        meeting=meeting,
        agenda_item=item,
        number=Action.objects.filter(meeting=meeting).count() + 1,
        text=f"{label} action on {WORD}",
        due_date=meeting.date,
        original_due_date=meeting.date,
        created_by=author,
    )
    ActionUpdate.objects.create(action=action, author=author, text=f"{label} update on {WORD}")
    return item, action


def _return(area, period, status, author, text):
    now = timezone.now()
    extra = {}
    if status != QuarterlyReturn.Status.DRAFT:
        extra.update(submitted_at=now, first_submitted_at=now, submitted_by=author)
    if status == QuarterlyReturn.Status.APPROVED:
        extra.update(approved_at=now, approved_by=author)
    return QuarterlyReturn.objects.create(area=area, period=period, status=status, narrative=text, **extra)


@pytest.fixture
def seeded(users_by_role, fife, glasgow):
    author = users_by_role["secretariat"]
    agreed = _meeting(Meeting.Status.MINUTES_AGREED, date(2017, 2, 16), venue=f"{WORD} hall")
    draft = _meeting(Meeting.Status.DRAFT_CIRCULATED, date(2017, 6, 8))
    agreed_item, agreed_action = _item_with_minute_and_action(agreed, "Agreed", author)
    draft_item, draft_action = _item_with_minute_and_action(draft, "Draft", author)
    agreed_paper = Paper.objects.create(
        agenda_item=agreed_item, title=f"Agreed {WORD} paper", position=1, created_by=author
    )
    draft_paper = Paper.objects.create(
        agenda_item=draft_item, title=f"Draft {WORD} paper", position=1, created_by=author, not_for_publication=True
    )
    inspection = Inspection.objects.create(title="Joint Thematic Review", published_on=date(2015, 11, 26))
    rec = Recommendation.objects.create(inspection=inspection, number=1, short_title="ERA", text=f"ERA {WORD}.")
    update = StatusUpdate.objects.create(
        recommendation=rec,
        as_of=date(2017, 3, 1),
        narrative=f"Progress on {WORD}.",
        status=StatusUpdate.Status.ON_TARGET,
        progress=StatusUpdate.Progress.values[0],
        recorded_by=author,
    )
    assessment = Assessment.objects.create(
        recommendation=rec,
        review=inspection,
        as_of=date(2017, 4, 1),
        grade=Assessment.Grade.values[0],
        summary=f"Inspectors on {WORD}.",
        recorded_by=author,
    )
    period = ReportingPeriodFactory(year=2017, quarter=1)
    returns = {
        "fife_approved": _return(fife, period, QuarterlyReturn.Status.APPROVED, author, f"Fife {WORD} approved"),
        "glasgow_draft": _return(glasgow, period, QuarterlyReturn.Status.DRAFT, author, f"Glasgow {WORD} draft"),
        "fife_draft": _return(
            fife, ReportingPeriodFactory(year=2017, quarter=2), QuarterlyReturn.Status.DRAFT, author, f"Fife {WORD}"
        ),
        "glasgow_approved": _return(
            glasgow,
            ReportingPeriodFactory(year=2017, quarter=2),
            QuarterlyReturn.Status.APPROVED,
            author,
            f"Glasgow {WORD} approved",
        ),
    }
    # Case review records: Fife's learning shared with the SG, Glasgow's not yet.
    fife_review = CaseReviewFactory(
        area=fife, learning_summary=f"Fife {WORD} learning", shared_with_sg_on=date(2017, 9, 1), created_by=author
    )
    glasgow_review = CaseReviewFactory(area=glasgow, learning_summary=f"Glasgow {WORD} learning", created_by=author)
    return {
        "fife_review": ("case_review", fife_review.pk),
        "glasgow_review": ("case_review", glasgow_review.pk),
        "meeting": ("meeting", agreed.pk),
        "agreed_item": ("agenda_item", agreed_item.pk),
        "draft_item": ("agenda_item", draft_item.pk),
        "agreed_minute": ("minute", agreed_item.pk),
        "draft_minute": ("minute", draft_item.pk),
        "agreed_action": ("action", agreed_action.pk),
        "draft_action": ("action", draft_action.pk),
        "agreed_update": ("action_update", agreed_action.updates.get().pk),
        "draft_update": ("action_update", draft_action.updates.get().pk),
        "agreed_paper": ("paper", agreed_paper.pk),
        "draft_paper": ("paper", draft_paper.pk),
        "recommendation": ("recommendation", rec.pk),
        "status_update": ("status_update", update.pk),
        "assessment": ("assessment", assessment.pk),
        **{name: ("return", ret.pk) for name, ret in returns.items()},
    }


EVERY_ROLE_SEES = {
    "meeting",
    "agreed_item",
    "draft_item",
    "agreed_minute",
    "agreed_action",
    "agreed_update",
    "agreed_paper",
    "recommendation",
    "status_update",
    "assessment",
}
# Inspectors see a meeting's minutes, actions and papers once its minutes are agreed.
DRAFT_MINUTES = {"draft_minute", "draft_action", "draft_update", "draft_paper"}
EVERY_RETURN_AND_REVIEW = {"fife_approved", "glasgow_draft", "fife_draft", "glasgow_approved"} | {
    "fife_review",
    "glasgow_review",
}
EXPECTED = {
    "secretariat": EVERY_ROLE_SEES | DRAFT_MINUTES | EVERY_RETURN_AND_REVIEW,
    "administrator": EVERY_ROLE_SEES | DRAFT_MINUTES | EVERY_RETURN_AND_REVIEW,
    # A Fife chair: every Fife return (any state) and case review (shared or not), nothing of Glasgow's
    # (as the return and case review pages: 404 for another area).
    "sog_chair": EVERY_ROLE_SEES | DRAFT_MINUTES | {"fife_approved", "fife_draft", "fife_review"},
    "nsg_member": EVERY_ROLE_SEES | DRAFT_MINUTES | {"fife_approved", "glasgow_approved", "fife_review"},
    # Inspectors: agreed minutes (and their actions) only; approved returns only; shared case reviews.
    "inspector": EVERY_ROLE_SEES | {"fife_approved", "glasgow_approved", "fife_review"},
}


def _found(user):
    found = selectors.search(user, WORD)
    return found, {(r.kind, _pk(r)) for r in found.results}


def _pk(result):
    return result.pk


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_finds_exactly_what_it_may_open(role, users_by_role, seeded, client):
    user = users_by_role[role]
    found = selectors.search(user, WORD)
    got = {(r.kind, r.pk) for r in found.results}
    assert got == {seeded[name] for name in EXPECTED[role]}
    # The counts by kind obey the same rule: they add up to what is listed, kind by kind.
    by_kind = {}
    for kind, _pk in got:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert {k: n for k, _, n in found.counts if n} == by_kind
    assert found.total == len(got)
    # And every result opens for the user: its own page answers 200.
    client.force_login(user)
    for result in found.results:
        assert client.get(result.url).status_code == 200, (role, result.kind, result.url)
    # Minutes follow meetings.rules.may_read_minutes exactly.
    for name in ("agreed_minute", "draft_minute"):
        item = AgendaItem.objects.select_related("meeting").get(pk=seeded[name][1])
        assert (seeded[name] in got) == may_read_minutes(user, item.meeting)


def test_the_page_lists_results_and_counts(users_by_role, seeded, client):
    client.force_login(users_by_role["inspector"])
    page = client.get(reverse("search:search"), {"q": WORD}).content.decode()
    assert f"{len(EXPECTED['inspector'])} results" in page
    assert "Draft zanzibarite item" in page  # the agenda of a draft minute is everyone's
    assert "Draft narrative" not in page and "Draft action" not in page
    assert "Glasgow <mark>zanzibarite</mark> approved" in page
    # Filtered by kind: only that kind, the counts unchanged.
    page = client.get(reverse("search:search"), {"q": WORD, "kind": "return"}).content.decode()
    assert "2 results" in page and "Quarterly returns (2)" in page and "Minutes (1)" in page


def test_a_hidden_record_is_not_revealed_by_a_count(users_by_role, seeded, client):
    client.force_login(users_by_role["inspector"])
    page = client.get(reverse("search:search"), {"q": "Draft narrative"}).content.decode()
    assert "There are no matching results" in page
    assert "Minutes (0)" in page


def test_snippets_escape_the_record(users_by_role, seeded):
    item = AgendaItem.objects.get(pk=seeded["agreed_minute"][1])
    item.narrative = f"<script>alert(1)</script> {WORD} <b>bold</b>"
    item.save()
    found = selectors.search(users_by_role["secretariat"], WORD, kind="minute")
    (result,) = [r for r in found.results if r.pk == item.pk]
    assert "<script>" not in result.snippet and "<b>" not in result.snippet
    assert "&lt;script&gt;" in result.snippet and f"<mark>{WORD}</mark>" in result.snippet


def test_exclusion_and_phrases(users_by_role, seeded):
    user = users_by_role["secretariat"]
    kinds = lambda q: {(r.kind, r.pk) for r in selectors.search(user, q).results}  # noqa: E731
    everything = kinds(WORD)
    glasgow = {seeded["glasgow_draft"], seeded["glasgow_approved"], seeded["glasgow_review"]}
    assert kinds(f"{WORD} -Glasgow") == everything - glasgow
    assert kinds(f'"Glasgow {WORD} draft"') == {seeded["glasgow_draft"]}
    assert kinds(f'"{WORD} Glasgow"') == set()
    assert kinds(f"Glasgow {WORD} approved") == {seeded["glasgow_approved"]}
    # "or" joins the terms either side of it: zanzibarite and (Glasgow or Fife), without "draft".
    assert kinds(f"{WORD} Glasgow or Fife -draft") == {
        seeded["glasgow_approved"],
        seeded["fife_approved"],
        seeded["fife_draft"],  # its text says "Fife zanzibarite": a return's state is not searched
        seeded["fife_review"],
        seeded["glasgow_review"],
    }


def test_parse_query():
    query = parse_query('risk "environmental  assessment" -draft a or b -"not this"')
    assert query.clauses == (("risk",), ("environmental assessment",), ("a", "b"))
    assert query.excluded == ("draft", "not this")
    assert parse_query("-only").is_empty


def test_snippet_marks_words_from_their_start():
    assert str(snippet(["Risk assessments & more"], ["assessment"])) == "Risk <mark>assessments</mark> &amp; more"


def test_queries_stay_bounded_as_the_data_grows(users_by_role, seeded):
    user = users_by_role["nsg_member"]
    with CaptureQueriesContext(connection) as before:
        selectors.search(user, WORD)
    meeting = Meeting.objects.get(pk=seeded["meeting"][1])
    for n in range(30):
        _item_with_minute_and_action(meeting, f"More {n}", users_by_role["secretariat"])
    with CaptureQueriesContext(connection) as after:
        found = selectors.search(user, WORD)
    assert found.total > 90
    assert len(after) <= len(before) + 3  # the kinds on the page, not the rows
    assert len(after) <= 2 * len(SOURCES) + 4


def test_sixty_results_take_two_pages(users_by_role, seeded, client):
    meeting = Meeting.objects.get(pk=seeded["meeting"][1])
    for n in range(10):
        _item_with_minute_and_action(meeting, f"More {n}", users_by_role["secretariat"])
    client.force_login(users_by_role["secretariat"])
    first = client.get(reverse("search:search"), {"q": WORD})
    assert len(first.context["searched"].results) == 50
    second = client.get(reverse("search:search"), {"q": WORD, "page": "2"})
    assert len(second.context["searched"].results) == first.context["searched"].total - 50
    assert 'aria-label="Pagination"' in first.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "Search terms must be 200 characters or fewer"),
        ({"q": "-only"}, "not only words to leave out"),
        ({"q": WORD, "kind": "nope"}, "Select a kind of record from the list"),
    ],
)
def test_bad_queries_are_gov_uk_errors(users_by_role, client, params, message):
    client.force_login(users_by_role["nsg_member"])
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page and "<title>Error:" in page


def test_the_header_offers_search_to_the_signed_in(users_by_role, client):
    client.force_login(users_by_role["inspector"])
    assert 'id="app-header-search-q"' in client.get(reverse("home")).content.decode()
