"""Two of the secretariat save the same minute at the same moment (issue 11, part 3).

One save wins and the other gets the 409 side-by-side merge page, on SQLite (`make run`'s
threaded server) as on PostgreSQL: never a 500 "database is locked". Each editor is a thread
with its own database connection, against the real test database (on SQLite a file, with the
service's connection settings: config/test_settings.py).
"""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from mappa.models import Person
from meetings.models import AgendaItem, Meeting
from meetings.services import minutes as minute_services
from tests.factories import user_with_role
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

# Safety net only: how long one editor waits for the other to reach the database before the test
# reports that they never met. The editors meet through events, not by sleeping.
MEETING_TIMEOUT = 30

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's connection settings")


def queues_behind_a_writer(sql):
    """A statement that waits for another writer's commit (SQLite's BEGIN IMMEDIATE, SELECT ... FOR UPDATE)."""
    sql = sql.lstrip().upper()
    return sql.startswith(("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")) or "FOR UPDATE" in sql


class Rendezvous:
    """Make two save_minute calls overlap in the database, whatever the connection settings.

    Each editor's save "arrives" once it holds its first lock in the save's transaction (its
    first statement has run: on SQLite with a deferred BEGIN, the read of the item), or is
    about to queue for one (a statement that waits for another writer). Neither writes the
    item until the other has arrived. With deferred transactions that means both have read
    version 1 before either writes: the interleaving that made SQLite say "database is locked".
    """

    def __init__(self, editors):
        self.arrived = {name: threading.Event() for name in editors}
        self.missed = []

    def other_than(self, name):
        return next(other for other in self.arrived if other != name)

    def hook(self, name):
        arrived = self.arrived[name]

        def execute(run, sql, params, many, context):
            if not arrived.is_set() and queues_behind_a_writer(sql):
                arrived.set()  # about to wait for the other's commit: let it go on
            if sql.lstrip().upper().startswith("UPDATE"):
                other = self.other_than(name)
                if not self.arrived[other].wait(MEETING_TIMEOUT):
                    self.missed.append(f"{name} waited {MEETING_TIMEOUT} s for {other} to reach the database")
            result = run(sql, params, many, context)
            if not arrived.is_set() and sql.strip().upper() not in ("BEGIN", "BEGIN DEFERRED"):
                arrived.set()  # holds its read lock (or row lock) now
            return result

        return execute


def save_at_once(posts, monkeypatch):
    """POST each (client, url, data) in a thread of its own, released together; return the responses."""
    names = [f"editor-{number}" for number in range(1, len(posts) + 1)]
    rendezvous = Rendezvous(names)
    real_save_minute = minute_services.save_minute

    def save_minute(*args, **kwargs):
        with connection.execute_wrapper(rendezvous.hook(threading.current_thread().name)):
            return real_save_minute(*args, **kwargs)

    monkeypatch.setattr(minute_services, "save_minute", save_minute)
    start = threading.Barrier(len(posts))
    responses, errors = {}, []

    def post(name, client, url, data):
        try:
            start.wait(MEETING_TIMEOUT)
            responses[name] = client.post(url, data)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=post, name=name, args=(name, *request)) for name, request in zip(names, posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(MEETING_TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "an editor's save never finished"
    assert not errors, errors
    assert not rendezvous.missed, rendezvous.missed
    return [responses[name] for name in names]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(1, 4))
def test_two_editors_saving_the_same_minute_at_once_get_one_save_and_one_merge_page(monkeypatch, round_number):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=meeting, position=3, title="MAPPA: Thematic Inspection Action Plan")
    url = f"/meetings/{meeting.pk}/minutes/{item.pk}/"
    texts = {}
    posts = []
    for number in (1, 2):
        client = Client()
        client.force_login(user_with_role(Person.AccessRole.SECRETARIAT, username=f"secretariat-{number}"))
        texts[number] = f"Editor {number}'s minute, round {round_number}."
        posts.append((client, url, {"narrative": texts[number], "decisions": "", "version": 1}))

    responses = save_at_once(posts, monkeypatch)

    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [302, 409], statuses  # not 500/503 "database is locked"
    saved_by, merged_by = (1, 2) if statuses[0] == 302 else (2, 1)
    page = responses[merged_by - 1].content.decode()
    assert "Someone else changed this item while you were editing" in page
    assert texts[saved_by].replace("'", "&#x27;") in page  # the saved version, beside...
    assert texts[merged_by].replace("'", "&#x27;") in page  # ...what this editor typed, kept
    assert 'name="version" value="2"' in page
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.narrative, item.version) == (texts[saved_by], 2)
    assert item.history.count() == 2  # created, then the one save


@sqlite_only
@pytest.mark.django_db
def test_the_sqlite_connection_waits_for_writers_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000  # milliseconds
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    assert connection.transaction_mode == "IMMEDIATE"
