"""Ending sessions that may not go on: not verified by a second step, or past their absolute lifetime.

Runs after django-otp's OTPMiddleware and before LoginRequiredMiddleware. With MFA_REQUIRED, a
signed-in session that no authenticator code verified (one from before two-step sign-in, or whose
authenticator an administrator has reset) is signed out; so is any session signed in more than
SESSION_ABSOLUTE_HOURS ago. The visitor is then anonymous, so LoginRequiredMiddleware sends them to
sign in (public pages, static files and /healthz go on as for anyone). The half-signed-in state of
the two steps is not a signed-in session at all (accounts.two_step.PENDING), so no page needs
letting through here.
"""

from django.conf import settings
from django.contrib.auth import logout

from accounts import sessions

SIGNED_OUT_REASON = "signed_out_reason"


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if sessions.expired(request.session):
                logout(request)
                # The sign-in page says why (MessageMiddleware has not run yet, so not a message).
                request.session[SIGNED_OUT_REASON] = "lifetime"
            elif settings.MFA_REQUIRED and not user.is_verified():
                logout(request)
        return self.get_response(request)
