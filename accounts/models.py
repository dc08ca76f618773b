"""Every request to reset a password, known address or not: what rate-limits them, and the record of them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember


class PasswordResetRequest(models.Model):
    class Outcome(StatusChoices):
        ACCEPTED = "accepted", "Accepted"
        TOO_MANY_FOR_ADDRESS = "too_many_for_address", "Refused: too many requests for this address"
        TOO_MANY_FROM_CLIENT = "too_many_from_client", "Refused: too many requests from this client"

        colours = nonmember({"accepted": "green", "too_many_for_address": "orange", "too_many_from_client": "orange"})

    address = models.EmailField(max_length=254, help_text="The address typed in, lower-cased.")
    client = models.GenericIPAddressField(null=True, blank=True, help_text="Where the request came from.")
    requested_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["address", "requested_at"], name="reset_request_address"),
            models.Index(fields=["client", "requested_at"], name="reset_request_client"),
        ]

    def __str__(self):
        return f"{self.address} from {self.client} ({self.get_outcome_display()})"


class SignedInSession(models.Model):
    """One signed-in session of a user: what "Sign out of all other sessions" and an authenticator reset end.

    Written when someone signs in (accounts.signals), deleted when they sign out. Ending a session
    deletes it from the session store by its key, so it works whatever SESSION_ENGINE is, and costs
    nothing on other requests (unlike checking a per-user token on every request).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self):
        return f"{self.user} since {self.signed_in_at:%-d %b %Y %H:%M}"


class Deactivation(models.Model):
    """An account switched off by the daily job because its holder's last current membership ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deactivations")
    person = models.ForeignKey("mappa.Person", on_delete=models.CASCADE, related_name="deactivations")
    deactivated_at = models.DateTimeField(default=timezone.now)
    last_membership_ended_on = models.DateField()

    class Meta:
        ordering = ["-deactivated_at", "-pk"]

    def __str__(self):
        return f"{self.person} ({self.deactivated_at:%-d %b %Y})"
