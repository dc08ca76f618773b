"""Actions: promises made at meetings, with owners and a due date.

An action is written inline in the minute of an agenda item. Its owner may be
one or more people, organisations ("SG", "RMA") or whole bodies ("All NSG
members"). Minutes cite it as "Action 1 from 16 February 2017 meeting": the
number is its place among that meeting's actions.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, DateField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember
from mappa.models import Body, Organisation, Person


class ActionQuerySet(models.QuerySet):
    def as_on(self, day):
        """These actions with ``status_then`` and ``due_then``: as they stood at the end of ``day`` (state_on)."""
        return self.annotate(**state_on(day))


class Action(models.Model):
    class Status(StatusChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        DROPPED = "dropped", "Dropped or superseded"

        colours = nonmember({"open": "blue", "in_progress": "light-blue", "complete": "green", "dropped": "grey"})

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveIntegerField(help_text="Its number among the meeting's actions (Action 1, Action 2...).")
    text = models.TextField()
    owner_people = models.ManyToManyField(Person, blank=True, related_name="actions")
    owner_organisations = models.ManyToManyField(Organisation, blank=True, related_name="actions")
    owner_bodies = models.ManyToManyField(
        Body, blank=True, related_name="actions", help_text='A whole group, e.g. "All NSG members".'
    )
    due_date = models.DateField()
    original_due_date = models.DateField(help_text="The due date first set; kept when the date moves.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_action_number_per_meeting"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The register's default order is by due date: with this index PostgreSQL reads the first
            # page of 200,000 actions from the index instead of sorting them all (0.2 ms, not 90 ms).
            models.Index(fields=["due_date"], name="action_due_date_idx"),
        ]

    def __str__(self):
        return f"Action {self.number} from {self.meeting.date:%-d %B %Y} meeting"

    @property
    def citation(self):
        """How minutes cite it: "Action 1 from 16 February 2017 meeting"."""
        return str(self)

    @property
    def owner_label(self):
        """Owners as minutes write them: "SG; RMA", "All NSG members", or people's names.

        Uses prefetched owners when present, so listing many actions stays cheap.
        """
        parts = [f"All {body.short_name or body.name} members" for body in self.owner_bodies.all()]
        parts += [org.label for org in self.owner_organisations.all()]
        parts += [person.name for person in self.owner_people.all()]
        return "; ".join(parts)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class ActionUpdate(models.Model):
    """A dated entry in an action's timeline: progress, a status change, or a new due date."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    new_status = models.CharField(max_length=16, choices=Action.Status.choices, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the due date moved or the action closed.")
    noted_at = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_updates_noted",
        help_text="The meeting at which this update was noted (matters arising).",
    )

    class Meta:
        ordering = ["action", "at", "id"]
        indexes = [
            # An action's latest change up to a day (the dashboard's "as at" figures): one index probe.
            models.Index(fields=["action", "at"], name="action_update_timeline_idx"),
            # The updates made after a day: few, read once for the whole dashboard.
            models.Index(fields=["at"], name="action_update_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="", new_status="", new_due_date__isnull=True),
                name="an_update_says_something",
            ),
            models.CheckConstraint(
                condition=Q(new_due_date__isnull=True) | ~Q(reason=""),
                name="a_new_due_date_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.action}: update of {self.at:%-d %B %Y}"


def state_on(day, *, ref="pk", prefix=""):
    """Annotations ``status_then`` and ``due_then``: an action's status and due date at the end of ``day``.

    ``ref`` and ``prefix`` say where the action is: "pk" and "" on an Action query,
    "action_id" and "action__" on a query of its owners. Every change of status or due
    date leaves an update (actions.services), so an action that has not changed since
    ``day`` stood then as it stands now; only the few that have (none when ``day`` is
    today) are read from their updates: the latest change up to ``day``, or as first
    raised (open, due on its original date) if all their changes came later. The
    actions that changed later are one uncorrelated subquery (read once, not per action).
    """
    # The first moment after ``day``: updates before it had been made by the end of that day.
    cutoff = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    timeline = ActionUpdate.objects.filter(action=OuterRef(ref), at__lt=cutoff).order_by("-at", "-id")
    later = ActionUpdate.objects.filter(at__gte=cutoff)
    changed_later = Q(**{f"{ref}__in": later.exclude(new_status="").values("action_id")})
    moved_later = Q(**{f"{ref}__in": later.filter(new_due_date__isnull=False).values("action_id")})
    return {
        "status_then": Case(
            When(
                changed_later,
                then=Coalesce(
                    Subquery(timeline.exclude(new_status="").values("new_status")[:1]), Value(Action.Status.OPEN)
                ),
            ),
            default=F(f"{prefix}status"),
            output_field=CharField(),
        ),
        "due_then": Case(
            When(
                moved_later,
                then=Coalesce(
                    Subquery(timeline.filter(new_due_date__isnull=False).values("new_due_date")[:1]),
                    F(f"{prefix}original_due_date"),
                ),
            ),
            default=F(f"{prefix}due_date"),
            output_field=DateField(),
        ),
    }
