"""The stored search index (issue 16): written with each record, in its transaction; rebuilt by a command.

Runs on both engines: SQLite's FTS5 by default, PostgreSQL's stored tsvector with DATABASE_URL.
"""

from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import transaction

from meetings.models import AgendaItem, Meeting
from search import selectors
from search.models import SearchEntry
from tests.factories import NsgFactory

pytestmark = pytest.mark.django_db


def _meeting(day=date(2017, 2, 16), venue="Saughton House"):
    return Meeting.objects.create(
        body=NsgFactory(), date=day, start_time=time(10), end_time=time(12), venue=venue, status=Meeting.Status.HELD
    )


def _item(meeting, title, narrative=""):
    return AgendaItem.objects.create(
        meeting=meeting,
        position=AgendaItem.objects.filter(meeting=meeting).count() + 1,
        title=title,
        narrative=narrative,
    )


def found(user, text, **kwargs):
    return {(r.kind, r.pk) for r in selectors.search(user, text, **kwargs).results}


def test_an_edit_is_found_at_once_and_the_old_words_no_longer(secretariat_user):
    item = _item(_meeting(), "Housing", narrative="Members discussed tenancy sustainment.")
    assert found(secretariat_user, "tenancy") == {("minute", item.pk)}
    item.narrative = "Members discussed accommodation."
    item.save()
    assert found(secretariat_user, "tenancy") == set()
    assert found(secretariat_user, "accommodation") == {("minute", item.pk)}


def test_a_deleted_record_leaves_the_index(secretariat_user):
    item = _item(_meeting(), "Lighthouse keepers")
    item.delete()
    assert found(secretariat_user, "lighthouse") == set()
    assert not SearchEntry.objects.filter(kind__in=["agenda_item", "minute"], object_id=item.pk).exists()


def test_a_save_rolled_back_leaves_no_entry(secretariat_user):
    meeting = _meeting()
    with pytest.raises(RuntimeError), transaction.atomic():
        _item(meeting, "Abandoned heading")
        raise RuntimeError
    assert found(secretariat_user, "abandoned") == set()


@pytest.mark.parametrize(("written", "searched"), [("assessments", "assessment"), ("assessment", "assessments")])
def test_words_are_stemmed_both_ways(secretariat_user, written, searched):
    item = _item(_meeting(), f"Environmental risk {written}")
    assert found(secretariat_user, searched) == {("agenda_item", item.pk)}
    assert found(secretariat_user, f'"environmental risk {searched}"') == {("agenda_item", item.pk)}


def test_a_meeting_moved_to_another_day_moves_its_items_in_the_date_filter(secretariat_user):
    meeting = _meeting(day=date(2017, 2, 16))
    item = _item(meeting, "Tayside bridges")
    meeting.date = date(2017, 11, 23)
    meeting.save()
    assert SearchEntry.objects.get(kind="agenda_item", object_id=item.pk).date == date(2017, 11, 23)


def test_a_title_word_ranks_above_the_same_word_in_a_narrative(secretariat_user):
    meeting = _meeting()
    in_narrative = _item(meeting, "Any other business", narrative="A note on the Skye ferry.")
    in_title = _item(meeting, "Skye ferry")
    kinds = [(r.kind, r.pk) for r in selectors.search(secretariat_user, "skye").results]
    assert kinds == [("agenda_item", in_title.pk), ("minute", in_narrative.pk)]


def test_the_command_rebuilds_what_bulk_writes_left_behind(secretariat_user, capsys):
    meeting = _meeting()
    kept = _item(meeting, "Kept heading")
    changed = _item(meeting, "Original heading")
    AgendaItem.objects.filter(pk=changed.pk).update(title="Renamed heading")  # no save(): no signal
    SearchEntry.objects.filter(kind="meeting").delete()
    SearchEntry.objects.create(kind="agenda_item", object_id=999_999, title="Orphan heading")
    assert found(secretariat_user, "renamed") == set()

    call_command("rebuild_search_index")

    out = capsys.readouterr().out
    assert "Search index rebuilt:" in out and "[####" in out
    assert found(secretariat_user, "renamed") == {("agenda_item", changed.pk)}
    assert found(secretariat_user, "original") == set()
    assert found(secretariat_user, "orphan") == set()
    assert found(secretariat_user, "kept") == {("agenda_item", kept.pk)}
    assert found(secretariat_user, "saughton") == {("meeting", meeting.pk)}
    assert not SearchEntry.objects.filter(object_id=999_999).exists()


def test_erased_personal_data_stops_finding_the_record_in_the_erasures_own_transaction(secretariat_user):
    from erasure.services import erase_text

    item = _item(_meeting(), "Housing", narrative="Jane Doerty-Smithson attended for item 4.")
    assert found(secretariat_user, "Doerty-Smithson") == {("minute", item.pk)}
    erase_text(text="Jane Doerty-Smithson", reason="Typed in by mistake", by=secretariat_user)
    assert found(secretariat_user, "Doerty-Smithson") == set()
    assert found(secretariat_user, '"personal data"') == {("minute", item.pk)}


@pytest.mark.parametrize(("text", "finds"), [("the", False), ("not lighthouse", True), ('"', False), ("…", False)])
def test_stop_words_and_punctuation_are_read_alike_on_both_databases(secretariat_user, text, finds):
    # PostgreSQL's full-text search leaves out English stop words; SQLite's FTS5 engine follows it.
    item = _item(_meeting(), "The lighthouse and the keepers")
    assert found(secretariat_user, text) == ({("agenda_item", item.pk)} if finds else set())


def test_loading_meetings_with_fields_left_out_costs_no_query_each(secretariat_user, django_assert_num_queries):
    for day in (1, 2, 3):
        _meeting(day=date(2017, 3, day))
    with django_assert_num_queries(1):
        list(Meeting.objects.only("pk", "status"))


def test_the_same_search_again_reads_no_match_until_something_is_saved(secretariat_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = _meeting()
    first = _item(meeting, "Lighthouse keepers")
    assert found(secretariat_user, "lighthouse") == {("agenda_item", first.pk)}

    # Asked again (or for its next page): the matches are kept, only who may open them is asked again.
    with CaptureQueriesContext(connection) as again:
        assert found(secretariat_user, "lighthouse") == {("agenda_item", first.pk)}
    assert not [q for q in again.captured_queries if "search_searchentry" in q["sql"]]

    second = _item(meeting, "Lighthouse boards")
    assert found(secretariat_user, "lighthouse") == {("agenda_item", first.pk), ("agenda_item", second.pk)}
