"""Signed-in sessions: their absolute lifetime, and ending them ("Sign out of all other sessions").

Each sign-in records its session key (SignedInSession) and the time in the session itself. The idle
timeout is Django's: SESSION_COOKIE_AGE (SESSION_IDLE_MINUTES), renewed by every request
(SESSION_SAVE_EVERY_REQUEST). The absolute lifetime (SESSION_ABSOLUTE_HOURS) is checked by
accounts.middleware.SessionPolicyMiddleware against SIGNED_IN_AT.
"""

import time

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string

from accounts.models import SignedInSession

SIGNED_IN_AT = "signed_in_at"


def session_store():
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def signed_in(sender, request, user, **kwargs):
    session = request.session
    session[SIGNED_IN_AT] = int(time.time())
    if session.session_key is None:
        session.save()
    SignedInSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def signed_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


def connect():
    user_logged_in.connect(signed_in, dispatch_uid="accounts.sessions.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="accounts.sessions.signed_out")


def expired(session: SessionBase):
    """Whether the session was signed in longer ago than SESSION_ABSOLUTE_HOURS."""
    started = session.get(SIGNED_IN_AT)
    if started is None:
        return False
    return time.time() - started > settings.SESSION_ABSOLUTE_HOURS * 3600


def end_sessions(user, *, keep=None):
    """End every signed-in session of ``user`` but the one with key ``keep``; returns how many ended."""
    store = session_store()
    ended = 0
    for record in SignedInSession.objects.filter(user=user).exclude(session_key=keep or ""):
        store(session_key=record.session_key).delete()
        record.delete()
        ended += 1
    return ended


def other_sessions(user, current_key):
    return SignedInSession.objects.filter(user=user).exclude(session_key=current_key or "").count()
