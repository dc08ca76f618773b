"""The reminder log: one row per thing chased, per person, per run.

Every chasing job (overdue actions, passed review dates of recommendations,
quarterly returns due or late) records what it means to send *before* sending it. A row is a line of a digest
e-mail: "this subject, to this person, on this run". Rows that go out in one
e-mail share a ``digest_id``.

Exactly once, by construction:

* A run claims its rows in one transaction (state ``claimed``). The unique
  constraint on (kind, recipient, subject, period) makes a second claim of the
  same line on the same run date impossible, whoever tries: the same task run
  twice, two workers at once, or a task redelivered after its worker died.
* The digest is then sent by a task that takes only the digest's id, locks its
  unsent rows (by updating them first), sends, and marks them ``sent`` in the
  same transaction. A retry or a redelivery finds the rows already ``sent`` and
  sends nothing; one that died before the commit finds them still unsent and
  sends them.
* A failed send marks the rows ``failed`` with the error, for the secretariat to
  see on /actions/reminders/; the task retries SMTP errors with backoff, and
  each daily run sends again any digest of the last interval still unsent. A
  line that a later run has claimed again is never sent from the older digest
  (``superseded``).

Why the "not more than once in N days" rule is a check under a lock and not a
period bucket: a fixed 7-day bucket (period = the week's start) would let a
line claimed on the last day of one bucket be claimed again the next day, in
the next bucket. So ``period`` is the run date, and the claim, inside its
transaction, first locks the recipients' Person rows (SELECT ... FOR UPDATE, in
primary-key order) and then looks for any row of the same kind, recipient and
subject within the interval before inserting. Two runs that overlap in time
queue on those locks, and the later one sees what the earlier one claimed. The
unique constraint stays as the backstop (SQLite has no row locks; there the
database's single writer serialises the claims).

Some kinds are sent once per occasion rather than once per interval: a passed
review date, a return's "7 days before", "due today" and each week late. Their
subject key names the occasion ("recommendation:4:review:2018-03-01",
"return:12-3:late-week-2"), and the same check under the same lock looks for
that key at any date, not only within the interval (each kind's ReminderKind in
reminders.registry says whether it is such a kind, and whether it goes out at most
once a week to each person).

Each row names its subject, so the log can link to it: an action, a
recommendation, or a return. A return is named by its area and reporting period,
as its page is: a return not started yet has no row of its own to point at.

Imports run one way: reminders is generic infrastructure, below the domain apps,
and none of its modules imports one. What is particular to a kind (its templates,
the function that builds a digest's context, how the log describes a line, the
"once"/"weekly" rules) is registered by the app that chases it, from its
``AppConfig.ready()`` (reminders.registry; actions, recommendations and reviews
register theirs in their ``reminder_kinds`` modules).

Why the subject stays as typed foreign keys here, named by app label ("actions.Action")
rather than imported, and not a generic key with a per-kind loader: the typed keys
are what hold the log to the truth. The check constraints below hold every row of a
kind to its subject; ON DELETE CASCADE drops a deleted action's lines with it; and
the log page reads each line's subject with select_related, four queries whatever
the page. A generic (type, id) pair would give up all three (no foreign key, no
cascade, one loader query per kind), and would need a migration moving the data of
a table whose unique constraint carries the exactly-once guarantee, for no change
of behaviour. A lazy reference by label is no Python import: loading this module
loads no domain app, and only the migration graph (which must create those tables
first) and the app registry know of them. The cost: a new kind of subject still
means a new nullable foreign key, check constraint and migration here, beside the
new Reminder.Kind choice; the rest of the kind lives in its own app.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember
from mappa.models import Person


class Reminder(models.Model):
    class Kind(models.TextChoices):
        ACTION_DIGEST = "action_digest", "Actions overdue or due soon (to owners)"
        SECRETARIAT_OVERDUE_DIGEST = (
            "secretariat_overdue_digest",
            "Actions overdue by more than 28 days (to the secretariat)",
        )
        REVIEW_DATE_PASSED = "review_date_passed", "Recommendations past their review date (to policy leads)"
        SECRETARIAT_REVIEW_DATES = (
            "secretariat_review_dates",
            "Recommendations past their review date (to the secretariat)",
        )
        RETURN_DUE = "return_due", "Quarterly returns due or late (to SOG chairs and coordinators)"
        SECRETARIAT_LATE_RETURNS = "secretariat_late_returns", "Late quarterly returns, weekly (to the secretariat)"

    # Which subject each kind names (a check constraint holds every row to it).
    ACTION_KINDS = (Kind.ACTION_DIGEST, Kind.SECRETARIAT_OVERDUE_DIGEST)
    RECOMMENDATION_KINDS = (Kind.REVIEW_DATE_PASSED, Kind.SECRETARIAT_REVIEW_DATES)
    RETURN_KINDS = (Kind.RETURN_DUE, Kind.SECRETARIAT_LATE_RETURNS)

    class State(StatusChoices):
        CLAIMED = "claimed", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Not sent: chased again later"

        colours = nonmember({"claimed": "blue", "sent": "green", "failed": "red", "superseded": "grey"})

    # Rows a send may still deliver: claimed and not yet sent, or failed and to be retried.
    UNSENT = (State.CLAIMED, State.FAILED)

    kind = models.CharField(max_length=40, choices=Kind.choices)
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reminders")
    subject_key = models.CharField(
        max_length=120, help_text='What is chased, e.g. "action:17"; the unit of the once-per-interval rule.'
    )
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    # A return, by its area and period (see the module docstring).
    area = models.ForeignKey("mappa.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    reporting_period = models.ForeignKey(
        "reviews.ReportingPeriod", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.DateField(help_text="The date of the run that claimed this line.")
    digest_id = models.UUIDField(default=uuid.uuid4, db_index=True, help_text="Lines of one e-mail share it.")
    via = models.CharField(max_length=300, blank=True, help_text="Why this person gets it: owner, contact, member.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.CLAIMED)
    claimed_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="The last error while sending, if any.")

    class Meta:
        ordering = ["-claimed_at", "digest_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_key", "period"],
                name="one_reminder_per_kind_recipient_subject_and_period",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="a_sent_reminder_has_a_sent_time",
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False) | ~Q(kind__in=["action_digest", "secretariat_overdue_digest"]),
                name="an_action_reminder_names_its_action",
            ),
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False)
                | ~Q(kind__in=["review_date_passed", "secretariat_review_dates"]),
                name="a_review_date_reminder_names_its_recommendation",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=False, reporting_period__isnull=False)
                | ~Q(kind__in=["return_due", "secretariat_late_returns"]),
                name="a_return_reminder_names_its_area_and_period",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "period"], name="reminder_kind_period"),
            models.Index(fields=["state", "period"], name="reminder_state_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient_id} for {self.subject_key} ({self.period})"
