"""Signing in and out, resetting and changing a password, and the protections around them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import html

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
ADDRESS = "192.0.2.10"  # django-axes counts failures per username and address


def sign_in(client, username, password, address=ADDRESS):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    """Whether the home page opens (rather than sending the visitor to sign in)."""
    return client.get(reverse("home")).status_code == 200


# --- Signing in -------------------------------------------------------------------------------


def test_signing_in_with_the_right_password_opens_the_home_page(client, secretariat_user):
    response = sign_in(client, "t-secretariat", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client)


def test_signing_in_takes_the_user_back_to_the_page_they_asked_for(client, secretariat_user):
    asked_for = reverse("body-list")
    login_page = client.get(asked_for)
    assert login_page["Location"] == f"{reverse('login')}?next={asked_for}"
    response = client.post(
        login_page["Location"], {"username": "t-secretariat", "password": PASSWORD, "next": asked_for}
    )
    assert response["Location"] == asked_for


def test_a_wrong_password_shows_the_error_summary_and_the_error_at_the_field(client, secretariat_user):
    response = sign_in(client, "t-secretariat", "not-my-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    message = "Enter a correct username and password. Both are case-sensitive."
    # Listed in the summary, linking to the field that shows it...
    assert f'<a href="#id_password">{message}</a>' in page
    # ...and shown at that field.
    assert html.texts(html.page(page), '//*[contains(@class, "govuk-error-message")]') == [f"Error: {message}"]
    # What the user typed as their username is kept; the password is not.
    assert 'name="username" value="t-secretariat"' in page
    assert "not-my-password" not in page
    assert not signed_in(client)


def test_an_empty_sign_in_form_asks_for_both_fields(client, db):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert page.count("Enter your username") == 2  # in the summary and at the field
    assert page.count("Enter your password") == 2


def test_the_sign_in_page_has_exactly_one_form_with_one_csrf_token(client, db):
    page = client.get(reverse("login")).content.decode()
    assert page.count("<form") == 1
    assert page.count('name="csrfmiddlewaretoken"') == 1


def test_after_too_many_failures_even_the_right_password_is_refused(client, secretariat_user):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit):
        sign_in(client, "t-secretariat", "guess")
    response = sign_in(client, "t-secretariat", PASSWORD)
    assert "Too many failed attempts to sign in" in response.content.decode()
    assert response.status_code != 302
    assert not signed_in(client)
    # Someone else, or the same user from another address, can still sign in.
    assert sign_in(Client(), "t-secretariat", PASSWORD, address="192.0.2.99").status_code == 302


def test_one_failure_fewer_than_the_limit_still_lets_the_user_in(client, secretariat_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "t-secretariat", "guess")
    response = sign_in(client, "t-secretariat", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_signing_out_ends_the_session(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert not signed_in(client)


# --- Passwords --------------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_the_link_in_an_email(
    client, secretariat_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "t-secretariat@test.example"})
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["t-secretariat@test.example"]
    assert "t-secretariat" in email.body
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/password/reset/\S+/)", email.body).group(1)

    # The link leads to a form for the new password (Django moves the token out of the URL first).
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-brand-new-passphrase-2017"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == reverse("password_reset_complete")

    assert sign_in(Client(), "t-secretariat", PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(client, "t-secretariat", new_password).status_code == 302
    assert signed_in(client)
    # The link works once.
    used = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in used


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_signed_in_user_changes_their_password(client, member_user):
    client.force_login(member_user)
    new_password = "another-long-passphrase-2017"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_change_done")
    member_user.refresh_from_db()
    assert member_user.check_password(new_password)
    assert signed_in(client)  # changing the password keeps this session


def test_a_password_change_with_the_wrong_current_password_is_refused(client, member_user):
    client.force_login(member_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Your old password was entered incorrectly" in page
    member_user.refresh_from_db()
    assert member_user.check_password(PASSWORD)


def test_a_short_new_password_is_refused(client, member_user):
    client.force_login(member_user)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short-pw", "new_password2": "short-pw"}
    )
    assert "at least 12 characters" in response.content.decode()


# --- Sessions ---------------------------------------------------------------------------------


def test_a_session_lasts_as_long_as_the_idle_limit():
    import os

    idle_minutes = int(os.environ.get("SESSION_IDLE_MINUTES") or 30)
    assert settings.SESSION_COOKIE_AGE == idle_minutes * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_renews_the_session_so_only_idleness_ends_it(client, secretariat_user):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = datetime(2017, 6, 8, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(secretariat_user)
        first_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        # Busy for longer than the idle limit, with gaps shorter than it: still signed in.
        for _ in range(3):
            clock.shift(idle - timedelta(minutes=1))
            response = client.get(reverse("home"))
            assert response.status_code == 200
            assert settings.SESSION_COOKIE_NAME in response.cookies  # the cookie is sent again each time
        assert client.cookies[settings.SESSION_COOKIE_NAME].value == first_key
        # Then away for longer than the limit: signed out.
        clock.shift(idle + timedelta(minutes=1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Browser protections ----------------------------------------------------------------------


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    # The one inline script (GOV.UK Frontend's js-enabled switch) carries this response's nonce.
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_form_posted_without_its_csrf_token_is_refused(secretariat_user):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(reverse("login"), {"username": "t-secretariat", "password": PASSWORD})
    assert refused.status_code == 403
    # The same form posted with the token from the page works.
    browser.get(reverse("login"))
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = browser.post(
        reverse("login"), {"username": "t-secretariat", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
