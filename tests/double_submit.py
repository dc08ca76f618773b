"""Sending a form twice, as a double click or a resent page does (issue 11): helpers for the double-submit tests.

The token is read from the page as the browser gets it, so each test also proves
the form carries one. Then the same form, token and content go twice.

Each app's tests/<app>/test_double_submit.py describes its creating forms as
``Form``s and runs the same four checks on each (``sent_twice_saves_once``,
``other_content_saves_again``, ``errors_keep_the_token``, ``at_once_saves_once``).
"""

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models.signals import post_save
from django.test import Client
from lxml import html as lxml_html

from mappa.submissions import ALREADY_SENT, TOKEN_FIELD
from tests import html


def token_from(client, page, *, action=None, within=None):
    """The one-time token of the one form on ``page`` that posts to ``action`` (and contains ``within``)."""
    response = client.get(page)
    assert response.status_code == 200, f"GET {page} answered {response.status_code}"
    forms = html.page(response).xpath("//form")
    if action is not None:
        forms = [form for form in forms if form.get("action") == action]
    if within is not None:
        forms = [form for form in forms if within in lxml_html.tostring(form, encoding="unicode")]
    tokens = [token for form in forms for token in form.xpath(f'.//input[@name="{TOKEN_FIELD}"]/@value')]
    assert len(tokens) == 1, f"expected one form with a submission token on {page}, found {len(tokens)}"
    return tokens[0]


def send_twice(client, url, data, *, page=None, within=None):
    """POST ``data`` to ``url`` twice with the token of the form on ``page`` (``url`` itself by default).

    ``data`` may be a function returning the data, for uploads (a file can be read only once).
    """
    token = token_from(client, page or url, action=url if page else None, within=within)
    fresh = data if callable(data) else (lambda: data)
    first = client.post(url, {**fresh(), TOKEN_FIELD: token})
    second = client.post(url, {**fresh(), TOKEN_FIELD: token})
    return first, second


def assert_landed_on_the_first(client, first, second):
    """Both answered with a redirect to the same place; following the second says it was saved once."""
    assert first.status_code == 302, f"the first POST answered {first.status_code}"
    assert second.status_code == 302, f"the second POST answered {second.status_code}, not a redirect"
    assert second["Location"] == first["Location"]
    landing = client.get(second["Location"])
    assert landing.status_code == 200
    banners = html.texts(html.page(landing), '//div[contains(@class, "govuk-notification-banner")]')
    assert any(ALREADY_SENT in banner for banner in banners), "the landing page does not say it was sent already"


# ----------------------------------------------------------------------------------------------
# One creating form, and the four checks every one of them passes
# ----------------------------------------------------------------------------------------------


def _fresh(data):
    return data if callable(data) else (lambda: data)


@dataclass
class Form:
    """A form that creates something, as a signed-in ``client`` finds it on ``page`` and sends it to ``url``.

    ``data`` is a valid sending (or a function giving one, for uploads); ``count()`` says
    how many records it has made so far. ``other`` is different content sent from the same
    page (a second record); ``wrong`` content with an error (nothing saved). ``within``
    picks the form when ``page`` has several posting to ``url``.
    """

    client: Client
    page: str
    url: str
    data: Any
    count: Callable[[], int]
    other: Any = None
    wrong: Any = None
    within: str | None = None

    def token(self):
        # A form on its own page posts there with no action; one on another page names its action.
        return token_from(
            self.client, self.page, action=self.url if self.page != self.url else None, within=self.within
        )

    def post(self, data, token, client=None):
        return (client or self.client).post(self.url, {**_fresh(data)(), TOKEN_FIELD: token})


def signed_in(request, user="secretariat_user"):
    """The test's client, signed in as the user fixture named (for Form builders given the test's ``request``)."""
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue(user))
    return client


def sent_twice_saves_once(form):
    """The same form sent twice makes one record; the second lands on the first's result, saying so."""
    before = form.count()
    token = form.token()
    first = form.post(form.data, token)
    second = form.post(form.data, token)
    assert form.count() == before + 1, f"sent twice, {form.count() - before} records made"
    assert_landed_on_the_first(form.client, first, second)


def other_content_saves_again(form):
    """The same page sent again with different content (Back, change something, send) is a new record."""
    before = form.count()
    token = form.token()
    first = form.post(form.data, token)
    second = form.post(form.other, token)
    assert first.status_code == second.status_code == 302, (first.status_code, second.status_code)
    assert form.count() == before + 2


def errors_keep_the_token(form):
    """A form with errors saves nothing and does not use up its token: corrected and sent, it saves."""
    before = form.count()
    token = form.token()
    refused = form.post(form.wrong, token)
    assert form.count() == before, f"the wrong form answered {refused.status_code} and saved"
    corrected = form.post(form.data, token)
    assert corrected.status_code == 302, f"the corrected form answered {corrected.status_code}"
    assert form.count() == before + 1


def _slow_first_save(seconds):
    """While active, each thread's first save of anything pauses: its request holds its transaction open."""
    paused = threading.local()

    def pause(**kwargs):
        if threading.current_thread() is not threading.main_thread() and not getattr(paused, "done", False):
            paused.done = True
            time.sleep(seconds)

    return pause


def at_once_saves_once(form, *, pause=0.5):
    """Two identical sendings at the same moment (two threads, a barrier) make one record.

    Each request, once it has saved its first row, holds its transaction open for
    ``pause`` seconds, so the other certainly arrives while it is still working.
    Needs ``transactional_db``: the threads have connections of their own.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's in-memory test database is one shared cache: a second connection writing while "
            "another holds a write is refused at once (SQLITE_LOCKED), not made to wait, so two requests "
            "cannot overlap here. config.test_settings gives SQLite a test database file; on PostgreSQL "
            "(DATABASE_URL=postgres://...) the second request waits on the claim's unique index."
        )
    before = form.count()
    token = form.token()
    clients = [form.client]
    second = Client()
    second.cookies = copy.deepcopy(form.client.cookies)  # the same browser: the same session
    clients.append(second)
    barrier = threading.Barrier(2)
    responses, failures = [None, None], []

    def send(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = form.post(form.data, token, client=clients[index])
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()

    hold = _slow_first_save(pause)
    post_save.connect(hold, weak=False)
    try:
        threads = [threading.Thread(target=send, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        post_save.disconnect(hold)
    assert not failures, f"a request failed: {failures!r}"
    assert form.count() == before + 1, f"sent at once, {form.count() - before} records made"
    statuses = [response.status_code for response in responses]
    assert statuses == [302, 302], f"sent at once, answered {statuses}"
    locations = [response["Location"] for response in responses]
    assert locations[0] == locations[1], f"sent at once, sent to {locations}"
