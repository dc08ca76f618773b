"""The password reset e-mail: queued for every request, written (or not) when it is sent.

Writing it decides whether there is anything to send: a request refused for
being one too many, or for an address no active account has, is marked "not
sent" with the reason (outbox.registry.NotSent). The link's token is made here,
so it is valid for PASSWORD_RESET_TIMEOUT from when the e-mail goes.
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import PasswordResetRequest
from mappa.emails import templated_email
from outbox import services as outbox
from outbox.registry import EmailKind, NotSent

PASSWORD_RESET = "password_reset"


def queue_password_reset(reset):
    return outbox.queue(
        kind=PASSWORD_RESET, key=f"password-reset:{reset.pk}", subject_id=reset.pk, recipients=[(None, reset.address)]
    )


def build_password_reset(email, cache):
    """One message to the address, with a link for each active account that has it (almost always one)."""
    reset = PasswordResetRequest.objects.get(pk=email.subject_id)
    if reset.outcome != PasswordResetRequest.Outcome.ACCEPTED:
        raise NotSent(reset.get_outcome_display())
    accounts = [
        {
            "username": user.get_username(),
            "link": settings.SITE_URL
            + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            ),
        }
        for user in PasswordResetForm().get_users(reset.address)
    ]
    if not accounts:
        raise NotSent("No active account has this address")
    return templated_email("accounts/email/password_reset", {"accounts": accounts}, to=[email.to])


def describe_requests(request_ids):
    requests = PasswordResetRequest.objects.in_bulk(request_ids)
    return {
        pk: (f"Asked for {r.requested_at:%-d %b %Y %H:%M}" + (f" from {r.client}" if r.client else ""), "")
        for pk, r in requests.items()
    }


ACCOUNT_DEACTIVATED = "account_deactivated"


def queue_deactivation_notice(deactivation):
    person = deactivation.person
    return outbox.queue(
        kind=ACCOUNT_DEACTIVATED,
        key=f"account-deactivated:{deactivation.pk}",
        subject_id=deactivation.pk,
        recipients=[(person, person.email)],
    )


def build_deactivation_notice(email, cache):
    from accounts.models import Deactivation

    deactivation = Deactivation.objects.select_related("person", "user").get(pk=email.subject_id)
    return templated_email(
        "accounts/email/account_deactivated",
        {"deactivation": deactivation, "person": deactivation.person, "username": deactivation.user.get_username()},
        to=[email.to],
    )


def describe_deactivations(ids):
    from accounts.models import Deactivation

    return {
        pk: (f"{d.person}: account switched off", reverse("deactivated_accounts"))
        for pk, d in Deactivation.objects.select_related("person").in_bulk(ids).items()
    }


EMAIL_KINDS = [
    EmailKind(PASSWORD_RESET, "Password reset link", build_password_reset, describe_requests),
    EmailKind(ACCOUNT_DEACTIVATED, "Account switched off", build_deactivation_notice, describe_deactivations),
]
