"""A service's "this cannot be done", and putting it on the form the user sent.

Services (``<app>/services.py``) check who may take a step and when; a step that
is not allowed now raises a ``Refused`` (each app's own ``*Refused`` derives from
it), with messages for the fields they concern where they concern one. A step
someone's role never allows raises ``PermissionDenied`` instead
(``require_secretariat``), which the middleware answers with 403. Views put a
refusal on their form with ``refusal_onto``, so it shows as a GOV.UK error
(summary and field) beside what the user typed.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from mappa import access


class Refused(ValidationError):
    """A step that cannot be taken now: a ValidationError (a message, a list, or a dict by field name)."""


def refusal_onto(form, refusal):
    """Put ``refusal`` on ``form``: on the fields it names where the form has them, otherwise on the whole form."""
    if hasattr(refusal, "error_dict"):
        for name, problems in refusal.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, refusal.messages)


def require_secretariat(user, what="do this"):
    """Raise PermissionDenied unless ``user`` is the NSG secretariat (or an administrator)."""
    if not access.has_role(user, *access.SECRETARIAT):
        raise PermissionDenied(f"Only the NSG secretariat can {what}.")
