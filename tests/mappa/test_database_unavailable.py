"""While the database is down, pages answer 503 "try again shortly" with Retry-After, not 500 (issue 11).

The database is made really unreachable: the connection is closed and pointed where no database
answers (PostgreSQL: a closed port; SQLite: a file that cannot be opened), so the next query
fails to connect, as after a database restart or a network cut.
"""

import logging

import pytest
from django.db import ProgrammingError, connection
from django.test import Client

from mappa import middleware
from mappa.models import Person
from tests.factories import UserFactory, user_with_role

UNAVAILABLE = "Sorry, the service is unavailable"


@pytest.fixture
def database_down(transactional_db):
    """Call it to take the database away; it is back (and the test database flushed) after the test."""
    saved = dict(connection.settings_dict)

    def go_down():
        connection.close()
        if connection.vendor == "postgresql":
            connection.settings_dict.update(
                HOST="127.0.0.1", PORT="1", OPTIONS={**saved["OPTIONS"], "connect_timeout": 5}
            )
        else:
            connection.settings_dict["NAME"] = "/nonexistent-directory/mappa.sqlite3"
        with pytest.raises(Exception):  # noqa: B017 - whichever the driver raises, it is down
            connection.ensure_connection()

    yield go_down
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def assert_unavailable_page(response):
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert f"<title>{UNAVAILABLE} – MAPPA Governance</title>" in page
    assert f'<h1 class="govuk-heading-l">{UNAVAILABLE}</h1>' in page
    assert "Try again shortly." in page
    assert "govuk-footer" in page  # the service's own layout...
    assert "Sign out" not in page  # ...without anything that needs the database


def test_a_signed_in_page_is_503_with_retry_after_while_the_database_is_down(database_down):
    # The session and the user are loaded by middleware, before the view: the handler500 path.
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Person.AccessRole.SECRETARIAT, username="t-secretariat"))
    assert client.get("/").status_code == 200
    database_down()
    for path in ("/", "/meetings/", "/actions/"):
        assert_unavailable_page(client.get(path))


def test_signing_in_while_the_database_is_down_is_503_and_logged(database_down, caplog):
    # Nobody is signed in, so the view is the first to need the database: process_exception.
    UserFactory(username="t-someone")
    client = Client()  # would raise here if the view's exception escaped
    database_down()
    with caplog.at_level(logging.ERROR, logger="mappa.middleware"):
        response = client.post(
            "/accounts/login/", {"username": "t-someone", "password": "correct-horse-battery-staple"}
        )
    assert_unavailable_page(response)
    logged = [record for record in caplog.records if record.name == "mappa.middleware"]
    assert [record.getMessage() for record in logged] == [
        "The database did not answer POST /accounts/login/; answered 503."
    ]
    assert logged[0].exc_info[0].__name__ == "OperationalError"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error", [ValueError("a bug"), ProgrammingError("relation does not exist")], ids=["ValueError", "ProgrammingError"]
)
def test_a_programming_error_is_still_a_500(monkeypatch, error):
    from mappa import selectors

    def broken(user):
        raise error

    monkeypatch.setattr(selectors, "home_page", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Person.AccessRole.SECRETARIAT, username="t-secretariat"))
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert UNAVAILABLE not in page


def test_the_unavailable_page_renders_without_touching_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = middleware.service_unavailable()
    assert_unavailable_page(response)
