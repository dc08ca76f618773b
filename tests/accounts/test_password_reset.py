"""Asking for a password reset link: limited per address and per client, and the same work whoever asks.

An attacker must learn nothing from the page (always "Check your e-mail") nor
from how long it takes: the request does the same database work for an address
with an account, one without, and one over its limit. The e-mail is decided when
it is written, and the secretariat's e-mail log shows what was not sent and why.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import PasswordResetRequest
from outbox.models import Email

pytestmark = pytest.mark.django_db

KNOWN = "t-secretariat@test.example"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a reset link from the page, from ``client_address``; the e-mail is sent as the step commits."""

    def ask(address, client_address="192.0.2.1"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=client_address)
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        return response

    return ask


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_fourth_request_for_one_address_within_the_hour_sends_nothing_and_says_nothing_different(
    ask, secretariat_user, client
):
    for _ in range(4):
        ask(KNOWN)

    assert len(sent_to(KNOWN)) == 3
    refused = Email.objects.get(state=Email.State.NOT_SENT)
    assert refused.error == "Refused: too many requests for this address"
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "If the address you entered belongs to an account, we have sent it a link" in page

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        ask(KNOWN)
    assert len(sent_to(KNOWN)) == 4


def test_the_limit_per_address_ignores_case_and_spaces(ask, secretariat_user):
    for address in (KNOWN, KNOWN.upper(), f" {KNOWN} ", KNOWN.title()):
        ask(address)

    assert len(sent_to(KNOWN)) == 3


def test_one_client_asking_for_many_addresses_is_refused_after_ten_in_the_hour(ask, secretariat_user):
    for n in range(10):
        ask(f"guess{n}@test.example", client_address="198.51.100.7")

    ask(KNOWN, client_address="198.51.100.7")
    assert sent_to(KNOWN) == []
    assert PasswordResetRequest.objects.latest("pk").outcome == PasswordResetRequest.Outcome.TOO_MANY_FROM_CLIENT

    ask(KNOWN, client_address="203.0.113.9")  # someone else, elsewhere
    assert len(sent_to(KNOWN)) == 1


def _statements(client, address, client_address):
    """The SQL the request runs (not the send after its commit), with the values taken out."""
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=client_address)
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries.captured_queries]


def test_known_unknown_and_refused_addresses_do_the_same_work_in_the_request(
    ask, client, secretariat_user, member_user
):
    for _ in range(3):
        ask(KNOWN, "192.0.2.50")  # KNOWN is now at its limit

    sent_before = len(mail.outbox)

    known = _statements(client, "t-member@test.example", "192.0.2.51")
    unknown = _statements(client, "nobody@test.example", "192.0.2.52")
    refused = _statements(client, KNOWN, "192.0.2.53")

    # No e-mail is written or sent while the page waits (that would take longer for a known address).
    assert len(mail.outbox) == sent_before
    assert known == unknown == refused
    assert any("INSERT" in sql and "accounts_passwordresetrequest" in sql for sql in known)
    assert any("INSERT" in sql and "outbox_email" in sql for sql in known)


def test_the_secretariat_sees_every_request_in_the_e_mail_log_with_why_it_was_not_sent(ask, client, secretariat_user):
    ask("nobody@test.example", client_address="192.0.2.77")
    client.force_login(secretariat_user)

    page = client.get("/emails/?kind=password_reset").content.decode()

    assert "Password reset link" in page and "nobody@test.example" in page
    assert "No active account has this address" in page
    assert "from 192.0.2.77" in page
    assert 'action="/emails/' not in page  # nothing to send again
