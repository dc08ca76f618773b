"""Two-step sign-in through the test client: set-up, codes, recovery codes, lock-out, reset, sessions.

MFA_REQUIRED is off for the rest of the suite (config/test_settings.py, for client.force_login);
every test here turns it on. Codes are computed from the device's secret as the app would
(django_otp.oath.TOTP); time_machine moves the clock to the next 30-second step where a test needs
a fresh code.
"""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_step
from accounts.models import Deactivation, SignedInSession
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
ADDRESS = "192.0.2.20"


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True
    # Real waits between wrong codes would slow the tests; the throttle has its own test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(key_hex_or_device, *, steps_ahead=0):
    key = key_hex_or_device.bin_key if isinstance(key_hex_or_device, TOTPDevice) else key_hex_or_device
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=ADDRESS)


def enter(client, url, code):
    return client.post(url, {"code": code}, REMOTE_ADDR=ADDRESS)


def signed_in(client):
    return client.get(reverse("home")).status_code == 200


def enrol(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    two_step.make_recovery_codes(user)
    return device


def secret_on_page(page):
    secret = re.search(r'<code class="app-secret" id="secret">([A-Z2-7 ]+)</code>', page).group(1)
    return b32decode(secret.replace(" ", ""))


# --- The whole journey --------------------------------------------------------------------------


def test_first_sign_in_sets_up_the_app_then_signing_in_needs_password_and_code(client, member_user):
    response = password_step(client, "t-member")
    assert response["Location"] == reverse("two_step_set_up")
    assert not signed_in(client)  # the password alone signs no one in

    page = client.get(reverse("two_step_set_up")).content.decode()
    assert "Set up your authenticator app" in page
    assert "<svg" in page and "QR code for your authenticator app" in page  # drawn here, no image service
    key = secret_on_page(page)
    assert "otpauth" not in page.split("<svg")[0]

    # A wrong first code: the error summary and the field, and not signed in.
    wrong = enter(client, reverse("two_step_set_up"), "000000" if code_for(key) != "000000" else "111111")
    assert "There is a problem" in wrong.content.decode()
    assert not signed_in(client)

    response = enter(client, reverse("two_step_set_up"), code_for(key))
    assert response["Location"] == reverse("recovery_codes")
    page = client.get(reverse("recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page)
    assert len(codes) == 10
    download = client.get(reverse("recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    # Shown once: after "I have saved them", neither the page nor the download has them.
    assert client.post(reverse("recovery_codes"))["Location"] == reverse("home")
    assert codes[0] not in client.get(reverse("recovery_codes"), follow=True).content.decode()
    assert client.get(reverse("recovery_codes_download"))["Location"] == reverse("account")
    assert signed_in(client)

    client.post(reverse("logout"))
    assert not signed_in(client)

    # Next time: password, then the code page (not set-up), then in; the code in the next step.
    again = Client()
    assert password_step(again, "t-member")["Location"] == reverse("two_step")
    assert "Enter the 6-digit code from your authenticator app" in again.get(reverse("two_step")).content.decode()
    assert enter(again, reverse("two_step"), code_for(key, steps_ahead=1))["Location"] == reverse("home")
    assert signed_in(again)


def test_the_sign_in_takes_the_user_to_the_page_they_asked_for(client, member_user):
    device = enrol(member_user)
    password_step(client, "t-member", next="/groups/")
    assert enter(client, reverse("two_step"), code_for(device))["Location"] == "/groups/"


def test_a_code_cannot_be_used_twice(member_user):
    device = enrol(member_user)
    code = code_for(device)
    first = Client()
    password_step(first, "t-member")
    assert enter(first, reverse("two_step"), code).status_code == 302
    second = Client()
    password_step(second, "t-member")
    refused = enter(second, reverse("two_step"), code)
    assert refused.status_code == 200
    assert "The code is not right or has already been used" in refused.content.decode()
    assert not signed_in(second)


def test_a_recovery_code_signs_in_once(client, member_user):
    enrol(member_user)
    code = two_step.format_recovery_code(StaticToken.objects.filter(device__user=member_user).first().token)
    password_step(client, "t-member")
    assert enter(client, reverse("two_step_recovery"), code.upper())["Location"] == reverse("home")
    assert signed_in(client)
    assert two_step.recovery_codes_left(member_user) == 9

    again = Client()
    password_step(again, "t-member")
    page = enter(again, reverse("two_step_recovery"), code).content.decode()
    assert "The recovery code is not right or has already been used" in page
    assert not signed_in(again)


def test_the_code_pages_send_anyone_who_has_not_given_a_password_to_sign_in(client, member_user):
    enrol(member_user)
    for name in ("two_step", "two_step_recovery", "two_step_set_up"):
        assert client.get(reverse(name))["Location"] == reverse("login")
    # The password step is remembered for 10 minutes only.
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "t-member")
        clock.shift(timedelta(minutes=11))
        assert client.get(reverse("two_step"))["Location"] == reverse("login")


def test_a_user_with_an_authenticator_cannot_be_shown_a_new_secret_after_the_password_alone(client, member_user):
    enrol(member_user)
    password_step(client, "t-member")
    assert client.get(reverse("two_step_set_up"))["Location"] == reverse("two_step")


# --- Wrong codes are throttled and locked out like passwords ------------------------------------


def test_wrong_codes_lock_the_account_as_wrong_passwords_do(client, member_user):
    device = enrol(member_user)
    password_step(client, "t-member")
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = enter(client, reverse("two_step"), "000000" if code_for(device) != "000000" else "111111")
        assert "There is a problem" in response.content.decode()
    locked = enter(client, reverse("two_step"), "000000" if code_for(device) != "000000" else "111111")
    assert "Too many failed attempts to sign in" in locked.content.decode()
    # Locked for passwords too: even the right password and code are refused from this address...
    assert "Too many failed attempts" in password_step(Client(), "t-member").content.decode()
    # ...and giving the password again does not reset the count of wrong codes (it signs no one in).
    other = Client()
    assert password_step(other, "t-member", password="wrong").status_code != 302


def test_the_password_step_does_not_reset_the_count_of_wrong_codes(client, member_user):
    device = enrol(member_user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, "t-member")
        enter(client, reverse("two_step"), wrong)
    password_step(client, "t-member")
    assert "Too many failed attempts" in enter(client, reverse("two_step"), wrong).content.decode()


def test_a_wrong_code_makes_the_next_try_wait(client, member_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = enrol(member_user)
    password_step(client, "t-member")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        enter(client, reverse("two_step"), "000000" if code_for(device) != "000000" else "111111")
        page = enter(client, reverse("two_step"), code_for(device)).content.decode()
        assert "Wait a few seconds" in page
        clock.shift(timedelta(seconds=2))
        assert enter(client, reverse("two_step"), code_for(device))["Location"] == reverse("home")


def test_the_right_code_after_fewer_wrong_ones_than_the_limit_signs_in(client, member_user):
    device = enrol(member_user)
    password_step(client, "t-member")
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        enter(client, reverse("two_step"), "000000" if code_for(device) != "000000" else "111111")
    assert enter(client, reverse("two_step"), code_for(device))["Location"] == reverse("home")


# --- MFA_REQUIRED -------------------------------------------------------------------------------


def test_with_mfa_off_the_password_signs_in_and_the_page_says_two_step_is_off(client, member_user, settings):
    settings.MFA_REQUIRED = False
    assert "Two-step sign-in is off in this demo" in client.get(reverse("login")).content.decode()
    assert password_step(client, "t-member")["Location"] == reverse("home")
    assert signed_in(client)


def test_with_mfa_on_the_sign_in_page_describes_the_two_steps(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Two-step sign-in is off" not in page
    assert "a code from the authenticator app" in page


def test_a_session_no_code_verified_is_signed_out(client, member_user):
    client.force_login(member_user)  # as a session from before two-step sign-in
    assert not signed_in(client)


def test_the_admin_sign_in_form_leads_to_the_two_step_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response["Location"].startswith(reverse("login"))


# --- Your account: replacing the app, new recovery codes ----------------------------------------


def sign_in_fully(client, user, device):
    password_step(client, user.get_username())
    assert enter(client, reverse("two_step"), code_for(device)).status_code == 302


def test_replacing_the_authenticator_needs_a_current_code(client, member_user):
    old = enrol(member_user)
    sign_in_fully(client, member_user, old)
    assert "Authenticator app" in client.get(reverse("account")).content.decode()

    # Without a current code nothing happens.
    assert client.get(reverse("two_step_set_up"))["Location"] == reverse("account")
    refused = enter(client, reverse("two_step_replace"), "not-a-code")
    assert "There is a problem" in refused.content.decode()

    # With one, a new QR code; the old app works until the new one is confirmed.
    assert enter(client, reverse("two_step_replace"), code_for(old, steps_ahead=1))["Location"] == reverse(
        "two_step_set_up"
    )
    key = secret_on_page(client.get(reverse("two_step_set_up")).content.decode())
    assert two_step.authenticator(member_user) == old
    assert enter(client, reverse("two_step_set_up"), code_for(key))["Location"] == reverse("recovery_codes")
    assert TOTPDevice.objects.filter(user=member_user).count() == 1
    assert two_step.authenticator(member_user).bin_key == key
    assert signed_in(client)  # this session stays verified, with the new device
    assert client.post(reverse("recovery_codes"))["Location"] == reverse("account")


def test_replacing_with_a_recovery_code(client, member_user):
    device = enrol(member_user)
    sign_in_fully(client, member_user, device)
    token = StaticToken.objects.filter(device__user=member_user).first().token
    assert enter(client, reverse("two_step_replace"), token)["Location"] == reverse("two_step_set_up")


def test_new_recovery_codes_replace_the_old_ones(client, member_user):
    device = enrol(member_user)
    old = set(StaticToken.objects.filter(device__user=member_user).values_list("token", flat=True))
    sign_in_fully(client, member_user, device)
    assert enter(client, reverse("recovery_codes_regenerate"), code_for(device, steps_ahead=1))["Location"] == reverse(
        "recovery_codes"
    )
    new = set(StaticToken.objects.filter(device__user=member_user).values_list("token", flat=True))
    assert len(new) == 10 and not old & new


# --- The administrator's reset ------------------------------------------------------------------


def test_an_administrator_resets_an_authenticator_and_it_is_recorded(client, member_user, administrator_user, caplog):
    device = enrol(member_user)
    member = Client()
    sign_in_fully(member, member_user, device)
    administrator_device = enrol(administrator_user)
    sign_in_fully(client, administrator_user, administrator_device)

    changelist = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Two-step sign-in" in changelist and "Set up" in changelist

    with caplog.at_level("INFO"):
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "reset_authenticator", "_selected_action": [member_user.pk]},
        )
    assert response.status_code == 302
    assert not two_step.has_two_step(member_user)
    assert not signed_in(member)  # their sessions ended
    from django.apps import apps

    if apps.is_installed("audit"):
        from audit.models import AuditEvent

        assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_RESET, object_id=str(member_user.pk)).exists()
    else:
        assert "MFA_RESET" in caplog.text
    # Next sign-in: set up again.
    assert password_step(Client(), "t-member")["Location"] == reverse("two_step_set_up")


# --- Sessions -----------------------------------------------------------------------------------


def test_sign_out_of_all_other_sessions(member_user):
    device = enrol(member_user)
    here, elsewhere = Client(), Client()
    sign_in_fully(here, member_user, device)
    password_step(elsewhere, "t-member")
    enter(elsewhere, reverse("two_step"), code_for(device, steps_ahead=1))
    assert signed_in(elsewhere)
    assert "also signed in 1 other time" in here.get(reverse("account")).content.decode()

    response = here.post(reverse("sign_out_other_sessions"), follow=True)
    assert "signed out of every other session" in response.content.decode()
    assert not signed_in(elsewhere)
    assert signed_in(here)
    assert SignedInSession.objects.filter(user=member_user).count() == 1


def test_a_session_ends_after_the_absolute_lifetime_however_busy(client, member_user, settings):
    settings.MFA_REQUIRED = False
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        password_step(client, "t-member")
        for _ in range(settings.SESSION_ABSOLUTE_HOURS * 3 - 1):  # 11 hours 40 minutes, busy all along
            clock.shift(timedelta(minutes=20))
            assert signed_in(client)
        clock.shift(timedelta(minutes=21))
        response = client.get(reverse("home"))
        assert response["Location"].startswith(reverse("login"))
        assert "signed in more than 12 hours ago" in client.get(response["Location"]).content.decode()


def test_a_session_ends_after_the_idle_timeout(client, member_user, settings):
    settings.MFA_REQUIRED = False
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "t-member")
        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert signed_in(client)
        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        assert not signed_in(client)


def test_stay_signed_in_renews_the_session(client, member_user, settings):
    settings.MFA_REQUIRED = False
    password_step(client, "t-member")
    assert client.get(reverse("session_keep_alive")).status_code == 204
    assert 'data-idle-seconds="1800"' in client.get(reverse("home")).content.decode()


# --- Leavers' accounts --------------------------------------------------------------------------


def test_the_daily_job_switches_off_leavers_tells_them_and_lists_them(
    client, member_user, secretariat_user, inspector_user, django_capture_on_commit_callbacks, settings
):
    from datetime import date

    from accounts.tasks import deactivate_leavers
    from mappa.models import Body, Membership

    settings.MFA_REQUIRED = False
    nsg = Body.objects.create(name="Test NSG", slug="test-nsg", kind="nsg")
    Membership.objects.create(person=member_user.person, body=nsg, ended_on=date(2017, 3, 31))
    # The secretariat and inspectors keep their role without a membership.
    Membership.objects.create(person=inspector_user.person, body=nsg, ended_on=date(2017, 3, 31))
    stayer = user_with_role("nsg_member", username="t-stayer")
    Membership.objects.create(person=stayer.person, body=nsg, ended_on=date(2017, 3, 31))
    Membership.objects.create(person=stayer.person, body=nsg, role="deputy")

    with django_capture_on_commit_callbacks(execute=True):
        assert deactivate_leavers.delay().get() == 1
    member_user.refresh_from_db()
    assert not member_user.is_active
    inspector_user.refresh_from_db()
    stayer.refresh_from_db()
    assert inspector_user.is_active and stayer.is_active
    assert [m.to for m in mail.outbox] == [[member_user.person.email]]
    assert "switched off" in mail.outbox[0].subject

    assert deactivate_leavers.delay().get() == 0  # once
    client.force_login(secretariat_user)
    page = client.get(reverse("deactivated_accounts")).content.decode()
    assert member_user.person.name in page
    assert Deactivation.objects.count() == 1
