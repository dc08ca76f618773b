"""The pages of two-step sign-in, of "Your account", and the session keep-alive (see accounts/two_step.py).

The code, recovery-code and set-up pages are public (login_not_required, reviewed in
tests/mappa/test_url_permissions.py's PUBLIC): whoever opens them has passed the password step in
this session (two_step.pending_user) or is sent back to sign in. Every other page here is the
signed-in person's own account (mappa.access.own_account), or the secretariat's list.
"""

import time

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import sessions, two_step
from accounts.forms import CodeForm, CodeOrRecoveryCodeForm, RecoveryCodeForm, code_label_for_set_up
from accounts.middleware import SIGNED_OUT_REASON
from accounts.models import Deactivation
from mappa import forms as mappa_forms
from mappa.access import EVERYONE, SECRETARIAT, allow, own_account, roles_of

WAIT_MESSAGE = "You entered a wrong code a moment ago. Wait a few seconds, then enter the code your app shows now"


def _locked(request, user):
    two_step.forget_password_step(request)
    return get_lockout_response(request, None, {"username": user.get_username()})


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """Step one: the password. With MFA_REQUIRED, it leads to the code (or set-up) page, not in."""

    authentication_form = mappa_forms.LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "mfa_required": settings.MFA_REQUIRED,
            "signed_out_reason": self.request.session.pop(SIGNED_OUT_REASON, None),
            "absolute_hours": settings.SESSION_ABSOLUTE_HOURS,
        }

    def form_valid(self, form):
        if not settings.MFA_REQUIRED:
            return super().form_valid(form)
        user = form.get_user()
        two_step.remember_password_step(self.request, user, self.get_redirect_url())
        if two_step.has_two_step(user):
            return HttpResponseRedirect(reverse("two_step"))
        return HttpResponseRedirect(reverse("two_step_set_up"))


sign_in = SignInView.as_view()


def _pending_or_sign_in(request):
    user = two_step.pending_user(request)
    if user is None:
        messages.info(request, "Sign in with your username and password first.")
    return user


@login_not_required
@never_cache
def code(request):
    """Step two: the code from the authenticator app."""
    user = _pending_or_sign_in(request)
    if user is None:
        return redirect("login")
    if not two_step.has_two_step(user):
        return redirect("two_step_set_up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step.verify_code(request, user, form.cleaned_data["code"])
        except two_step.Locked:
            return _locked(request, user)
        except two_step.Wait:
            form.wrong(WAIT_MESSAGE)
        else:
            if device is not None:
                next_url = two_step.complete_sign_in(request, user, device)
                return HttpResponseRedirect(_safe_next(request, next_url))
            form.wrong()
    return render(request, "accounts/two_step_code.html", {"form": form})


@login_not_required
@never_cache
def recovery_code(request):
    """Step two without the app: one of the ten recovery codes, each good once."""
    user = _pending_or_sign_in(request)
    if user is None:
        return redirect("login")
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step.verify_recovery_code(request, user, form.cleaned_data["code"])
        except two_step.Locked:
            return _locked(request, user)
        except two_step.Wait:
            form.add_error("code", "You entered a wrong code a moment ago. Wait a few seconds, then try again")
        else:
            if device is not None:
                next_url = two_step.complete_sign_in(request, user, device)
                left = two_step.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code. You have {left} left: "
                    "if you have lost your authenticator app, replace it from Your account.",
                )
                return HttpResponseRedirect(_safe_next(request, next_url))
            form.wrong()
    return render(request, "accounts/two_step_recovery.html", {"form": form})


def _setting_up(request):
    """(user, replacing): who is setting up an authenticator on this page, or (None, False)."""
    if request.user.is_authenticated:
        started = request.session.get(two_step.REPLACING)
        if started and time.time() - started <= two_step.PENDING_SECONDS:
            return request.user, True
        return None, False
    user = two_step.pending_user(request)
    if user is not None and not two_step.has_two_step(user):
        return user, False
    return None, False


@login_not_required
@never_cache
def set_up(request):
    """Setting up the authenticator app: the QR code and the secret, confirmed with a first code."""
    user, replacing = _setting_up(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect("account")
        if two_step.pending_user(request) is not None:
            return redirect("two_step")
        messages.info(request, "Sign in with your username and password first.")
        return redirect("login")
    device = two_step.unconfirmed_authenticator(user)
    if device is None or request.method == "GET":
        # A new secret each time the page is opened (so a secret shown to anyone before is never the
        # one confirmed); the one shown stays while codes are tried against it.
        device = two_step.new_authenticator(user)
    form = code_label_for_set_up(CodeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = two_step.verify_first_code(request, user, device, form.cleaned_data["code"])
        except two_step.Locked:
            return _locked(request, user)
        except two_step.Wait:
            form.wrong(WAIT_MESSAGE)
        else:
            if confirmed:
                two_step.confirm_authenticator(request, user, device, replacing=replacing)
                if replacing:
                    request.session.pop(two_step.REPLACING, None)
                    two_step.mark_verified(request, device)
                    request.session["recovery_codes_next"] = reverse("account")
                else:
                    request.session["recovery_codes_next"] = _safe_next(
                        request, request.session.get(two_step.PENDING, {}).get("next")
                    )
                    two_step.complete_sign_in(request, user, device)
                return redirect("recovery_codes")
            form.add_error(
                "code", "The code is not right. Check the app shows MAPPA Governance, then enter the code it shows now"
            )
    return render(
        request,
        "accounts/two_step_set_up.html",
        {
            "form": form,
            "replacing": replacing,
            "qr_code": two_step.qr_code_svg(device),
            "secret": two_step.secret_text(device),
        },
    )


@own_account
@never_cache
def recovery_codes(request):
    """The new recovery codes, shown once: after "Continue" they are gone from the session."""
    codes = request.session.get(two_step.NEW_RECOVERY_CODES)
    next_url = request.session.get("recovery_codes_next") or reverse("home")
    if not codes:
        return redirect(next_url)
    if request.method == "POST":
        request.session.pop(two_step.NEW_RECOVERY_CODES, None)
        request.session.pop("recovery_codes_next", None)
        return HttpResponseRedirect(next_url)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@own_account
@never_cache
def recovery_codes_download(request):
    codes = request.session.get(two_step.NEW_RECOVERY_CODES)
    if not codes:
        return redirect("account")
    text = (
        f"MAPPA Governance recovery codes for {request.user.get_username()}\n"
        "Each code works once, instead of a code from your authenticator app.\n\n" + "\n".join(codes) + "\n"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mappa-governance-recovery-codes.txt"'
    return response


@own_account
@never_cache
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "mfa_required": settings.MFA_REQUIRED,
            "has_two_step": two_step.has_two_step(user),
            "recovery_codes_left": two_step.recovery_codes_left(user),
            "other_sessions": sessions.other_sessions(user, request.session.session_key),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_HOURS,
            "is_secretariat": bool(roles_of(user) & SECRETARIAT),
            # The navigation offers the audit log to administrators; anyone else given the right, here.
            "reads_audit_log": not user.is_superuser and user.has_perm("audit.view_auditevent"),
        },
    )


def _proved(request, form):
    """Whether the form's code is a current authenticator code or a recovery code of the signed-in user."""
    user = request.user
    code = form.cleaned_data["code"]
    try:
        if two_step.normalise(code).isdigit():
            return two_step.verify_code(request, user, code) is not None
        return two_step.verify_recovery_code(request, user, code) is not None
    except two_step.Wait:
        return False


def _with_code(request, template, on_proof):
    if not two_step.has_two_step(request.user):
        return redirect("account")
    form = CodeOrRecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proved = _proved(request, form)
        except two_step.Locked:
            from django.contrib.auth import logout

            user = request.user
            logout(request)
            return _locked(request, user)
        if proved:
            return on_proof()
        form.wrong()
    return render(request, template, {"form": form})


@own_account
@never_cache
def replace_authenticator(request):
    """Replacing one's own authenticator needs a current code from it, or a recovery code."""

    def start():
        request.session[two_step.REPLACING] = int(time.time())
        return redirect("two_step_set_up")

    return _with_code(request, "accounts/replace_authenticator.html", start)


@own_account
@never_cache
def regenerate_recovery_codes(request):
    """New recovery codes (the old ones stop working), after a current code."""

    def regenerate():
        request.session[two_step.NEW_RECOVERY_CODES] = two_step.make_recovery_codes(request.user)
        request.session["recovery_codes_next"] = reverse("account")
        return redirect("recovery_codes")

    return _with_code(request, "accounts/regenerate_recovery_codes.html", regenerate)


@own_account
@require_POST
def sign_out_other_sessions(request):
    ended = sessions.end_sessions(request.user, keep=request.session.session_key)
    messages.success(
        request, "You have been signed out of every other session." if ended else "You had no other sessions."
    )
    return redirect("account")


@allow(read=EVERYONE)
@never_cache
def keep_alive(request):
    """ "Stay signed in" (static/js/session-timeout.mjs): any request renews the session; this one says nothing."""
    return HttpResponse(status=204)


@allow(read=SECRETARIAT)
def deactivated_accounts(request):
    """The accounts the daily job switched off (accounts.deactivation), newest first."""
    return render(
        request,
        "accounts/deactivated.html",
        {"deactivations": Deactivation.objects.select_related("person", "user")[:200]},
    )
