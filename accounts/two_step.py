"""Two-step sign-in: a password, then a 6-digit code from an authenticator app (TOTP, RFC 6238).

The flow (accounts/views.py):

1. The sign-in page checks the password (django-axes counts failures). With MFA_REQUIRED the user
   is *not* signed in yet: the session only remembers who passed the first step (``PENDING``), for
   ``PENDING_SECONDS``.
2. Someone with an authenticator enters its code (or one of their recovery codes); someone without
   one sets it up: a QR code (drawn here as SVG by segno) and the secret as text, confirmed with a
   first code, then ten single-use recovery codes, shown once and downloadable.
3. Only then does django.contrib.auth's ``login`` run, with django-otp's ``login`` marking the
   session verified: so the sign-in signals (django-axes' reset of failures, the audit log) fire
   once, for a whole sign-in, and a password alone never resets the count of wrong codes.

Devices are django-otp's: a ``TOTPDevice`` (one confirmed per user) and a ``StaticDevice`` holding
the recovery codes, each deleted as it is used. A TOTP code is refused a second time (django-otp
keeps the last time step used, ``last_t``), and a wrong one makes the next try wait 1, 2, 4, ...
seconds (django-otp's throttle) *and* counts as a failed sign-in for django-axes, so
``LOGIN_FAILURE_LIMIT`` wrong codes lock the account from that address as wrong passwords do.
"""

import io
import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model, user_login_failed
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit

# Who passed the password step, waiting for their code: {"user": pk, "backend": ..., "at": epoch seconds}.
PENDING = "two_step_pending"
PENDING_SECONDS = 10 * 60
# A signed-in user replacing their authenticator, having given a current code (epoch seconds).
REPLACING = "two_step_replacing"
# Recovery codes just made, shown (and downloadable) until the user says they have saved them.
NEW_RECOVERY_CODES = "two_step_recovery_codes"

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


# --- The password step's memory ----------------------------------------------------------------


def remember_password_step(request, user, next_url=""):
    """The password was right: remember who, in a new session key (no fixation), until the code."""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": int(time.time()), "next": next_url}


def pending_user(request):
    """The user who passed the password step in this session in the last PENDING_SECONDS, or None."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def forget_password_step(request):
    request.session.pop(PENDING, None)


# --- Devices -----------------------------------------------------------------------------------


def authenticator(user):
    """The user's confirmed authenticator (TOTP device), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_two_step(user):
    return authenticator(user) is not None


def new_authenticator(user):
    """An unconfirmed device with a fresh secret, to show as a QR code; confirmed by its first code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def unconfirmed_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def secret_text(device):
    """The secret as the app asks for it when typed: base32, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The device's otpauth:// address as a QR code, an SVG drawn here (no image service)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out,
        kind="svg",
        scale=5,
        border=4,
        xmldecl=False,
        svgclass="app-qr-code",
        title="QR code for your authenticator app",
        dark="#0b0c0c",
        light="#ffffff",
    )
    return out.getvalue().decode()


def normalise(code):
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def format_recovery_code(token):
    return f"{token[:4]}-{token[4:]}"


@transaction.atomic
def make_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones, and return them (to show once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_recovery_code(t) for t in tokens]


@transaction.atomic
def confirm_authenticator(request, user, device, *, replacing=False):
    """The first code was right: this device becomes the user's only authenticator, with new recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = make_recovery_codes(user)
    request.session[NEW_RECOVERY_CODES] = codes
    audit.record(
        "MFA_SET_UP", request=request, user=user, target=user, details={"replaced": True} if replacing else None
    )
    return codes


@transaction.atomic
def reset(user, *, request=None):
    """Remove the user's authenticator and recovery codes and end their sessions (an administrator's reset).

    They set up a new authenticator the next time they sign in with their password.
    """
    from accounts import sessions

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions.end_sessions(user)
    audit.record("MFA_RESET", request=request, target=user)


# --- Checking a code ---------------------------------------------------------------------------


class Locked(Exception):
    """Too many failed sign-ins for this username from this address (django-axes)."""


class Wait(Exception):
    """django-otp's throttle: the last wrong code was too recent to try again yet."""


def _credentials(user):
    return {"username": user.get_username()}


def check_allowed(request, user):
    if not AxesProxyHandler.is_allowed(request, _credentials(user)):
        raise Locked


def _failed(request, user, step):
    """A wrong code is a failed sign-in: django-axes counts it (and locks at the limit); the audit log has it."""
    credentials = {**_credentials(user), "second_step": step}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        raise Locked


def verify_code(request, user, code):
    """The authenticator device whose code this is (now, unused), or None; counts a wrong code."""
    check_allowed(request, user)
    device = authenticator(user)
    if device is None:
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise Wait
    if device.verify_token(normalise(code)):
        return device
    _failed(request, user, "code")
    return None


def verify_first_code(request, user, device, code):
    """The first code of a device being set up (throttled and counted like any other)."""
    check_allowed(request, user)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise Wait
    if device.verify_token(normalise(code)):
        return True
    _failed(request, user, "set-up code")
    return False


def verify_recovery_code(request, user, code):
    """The recovery device if ``code`` is one of the user's recovery codes (then used up), or None."""
    check_allowed(request, user)
    device = recovery_device(user)
    if device is None:
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise Wait
    if device.verify_token(normalise(code)):
        return device
    _failed(request, user, "recovery code")
    return None


def complete_sign_in(request, user, device):
    """Both steps done: sign in (Django), mark the session verified (django-otp)."""
    from django.contrib.auth import login

    next_url = request.session.get(PENDING, {}).get("next")
    login(request, user, backend=user.backend)
    from django_otp import login as otp_login

    otp_login(request, device)
    forget_password_step(request)
    return next_url


def mark_verified(request, device):
    """A signed-in user has just shown a device (replacing theirs): the session stays verified with it."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user.otp_device = device


def required():
    return settings.MFA_REQUIRED
