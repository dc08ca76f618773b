"""Every request to reset a password, known address or not: what rate-limits them, and the record of them."""

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
