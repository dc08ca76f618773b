"""Signing in, failing to and signing out each leave one line: who, when, from where, which request."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.audit.helpers import ADDRESS, Kind, lines, only_line

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def test_signing_in_is_recorded_with_who_when_where_and_the_request_id(client, secretariat_user):
    before = timezone.now()
    response = sign_in(client, "t-secretariat", PASSWORD)
    assert response.status_code == 302

    line = only_line(Kind.SIGN_IN)
    assert line.user == secretariat_user
    assert line.username == "t-secretariat"
    assert line.ip_address == ADDRESS
    assert before <= line.at <= timezone.now()
    # The id the response carries, so a line of the log finds its line in the web server's log.
    assert line.request_id == response["X-Request-ID"]
    assert len(line.request_id) == 32


def test_a_wrong_password_is_one_failed_sign_in_naming_the_account(client, secretariat_user):
    sign_in(client, "t-secretariat", "not-my-password")

    line = only_line(Kind.SIGN_IN_FAILED)
    assert (line.user, line.username, line.ip_address) == (secretariat_user, "t-secretariat", ADDRESS)
    assert line.details == {}
    assert lines(Kind.SIGN_IN) == []


def test_a_username_no_account_has_is_recorded_as_typed(client):
    sign_in(client, "nobody-here", "whatever-they-try")

    line = only_line(Kind.SIGN_IN_FAILED)
    assert (line.user, line.username) == (None, "nobody-here")


def test_a_sign_in_refused_by_the_lock_out_is_one_line_marked_locked_out(client, secretariat_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "t-secretariat", "not-my-password")
    assert len(lines(Kind.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT

    sign_in(client, "t-secretariat", PASSWORD)  # the right password, too late

    failed = lines(Kind.SIGN_IN_FAILED)
    assert len(failed) == settings.AXES_FAILURE_LIMIT + 1
    assert failed[-1].details == {"locked_out": True}
    assert lines(Kind.SIGN_IN) == []


def test_signing_out_is_recorded(client, secretariat_user):
    sign_in(client, "t-secretariat", PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)

    line = only_line(Kind.SIGN_OUT)
    assert (line.user, line.ip_address) == (secretariat_user, ADDRESS)


def test_signing_out_when_not_signed_in_records_nothing(client):
    client.post(reverse("logout"))
    assert lines(Kind.SIGN_OUT) == []


def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client, secretariat_user):
    response = client.post(
        reverse("login"),
        {"username": "t-secretariat", "password": PASSWORD},
        HTTP_X_REQUEST_ID="lb-7f3a9c21-0001",
    )
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"
    assert only_line(Kind.SIGN_IN).request_id == "lb-7f3a9c21-0001"

    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="bad id\r\nInjected: yes")
    assert response["X-Request-ID"] != "bad id\r\nInjected: yes"
    assert len(response["X-Request-ID"]) == 32


def test_a_forwarded_for_header_is_not_taken_as_the_client_address(client, secretariat_user):
    client.post(
        reverse("login"),
        {"username": "t-secretariat", "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert only_line(Kind.SIGN_IN).ip_address == ADDRESS
