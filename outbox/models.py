"""The outbox: one row per e-mail that a step of the service must send.

Why a table and not just a Celery task: a task is queued on the broker, and a
broker that is down when the step commits would lose the e-mail for good (the
step is done, so nobody can take it again). Instead the step writes a row here
in its own transaction, so the e-mail exists exactly when the step does. After
the commit the service asks Celery to send it; if the broker is down that is
only logged, and the sweep (outbox.sweep_unsent_emails, every few minutes from
the beat) sends whatever is still waiting.

Exactly once, by the same design as the reminder log (reminders.models): the
sending transaction first updates the row while it is still unsent (taking its
row lock on PostgreSQL, the write lock on SQLite), sends, and marks it sent
before committing. A second attempt (a retry, the sweep, a redelivered task)
waits on that lock and then finds it sent. The one gap no database closes: the
mail server accepts the message and the process dies before the commit; the
next attempt sends it again with the same Message-ID.

``key`` names the cause ("draft-minutes:<transition>:<person>"), unique, so the
same step can never queue the same e-mail twice. The row does not hold the
message itself: its kind's builder (outbox.registry) writes it at send time
from the record it is about (``subject_id``), as the chasing digests are.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember
from mappa.models import Person


class Email(models.Model):
    class State(StatusChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NOT_SENT = "not_sent", "Not sent"  # rightly: nobody to send it to (outbox.registry.NotSent)

        colours = nonmember({"queued": "blue", "sent": "green", "failed": "red", "not_sent": "grey"})

    # States a send may still deliver.
    UNSENT = (State.QUEUED, State.FAILED)

    kind = models.CharField(max_length=60, help_text="Which kind of e-mail (outbox.registry): its builder and label.")
    key = models.CharField(max_length=200, unique=True, help_text="The step that caused it; one e-mail per key.")
    subject_id = models.PositiveBigIntegerField(help_text="The record the e-mail is about, as its kind reads it.")
    recipient = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    to = models.EmailField(max_length=254, help_text="The address, as it was when the e-mail was queued.")
    subject_line = models.CharField(max_length=300, blank=True, help_text="The e-mail's subject, once written.")
    message_id = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="One Message-ID for every attempt, so mail systems can spot a copy.",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="The last error while sending, or why it was not sent.")
    copy_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="A copy the secretariat asked for of an e-mail already sent.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for this copy.",
    )

    class Meta:
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="a_sent_email_has_a_sent_time"
            ),
            models.CheckConstraint(condition=~Q(to=""), name="an_email_has_an_address"),
        ]
        indexes = [models.Index(fields=["state", "queued_at"], name="email_state_queued")]

    def __str__(self):
        return f"{self.kind} to {self.to} ({self.get_state_display()})"
