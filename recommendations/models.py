"""The Joint Thematic Review's recommendations and the Scottish Government's action plan.

Two tracks are kept apart on purpose and never merged into one field:
the government's dated status updates (its action plan) and the inspectorates'
assessments (their grades). Where they disagree, the divergence view shows it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember
from mappa.models import Organisation, Person


class Inspection(models.Model):
    """An inspection report, or a follow-up review of one."""

    title = models.CharField(max_length=300)
    inspectorates = models.ManyToManyField(Organisation, related_name="inspections")
    published_on = models.DateField()
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups")

    class Meta:
        ordering = ["published_on"]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        AREA_FOR_DEVELOPMENT = "area_for_development", "Area for development"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.RECOMMENDATION)
    number = models.PositiveIntegerField()
    text = models.TextField()
    short_title = models.CharField(max_length=120, help_text='As the minutes say it: "ERA standards", "ViSOR".')
    directed_at = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="recommendations_directed_at",
        help_text="Who the recommendation is directed at.",
    )
    policy_directorate = models.CharField(max_length=200, blank=True, help_text="SG policy lead: directorate.")
    policy_lead = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations_led",
        help_text="SG policy lead: person.",
    )
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem",
        blank=True,
        related_name="recommendations",
        help_text="Meeting items where it was discussed.",
    )
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="recommendations", help_text="Actions that serve it."
    )

    class Meta:
        ordering = ["inspection", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "number"], name="one_number_per_kind_and_inspection"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self):
        return reverse("recommendations:detail", kwargs={"pk": self.pk})


class StatusUpdate(models.Model):
    """The government's dated update on a recommendation, as in its action plan."""

    class Status(StatusChoices):
        MET = "met", "Objective successfully met"
        NOT_MET = "not_met", "Objective not met"
        ON_HOLD = "on_hold", "Objective on hold/on-going"
        ON_TARGET = "on_target", "On target for completion within timescale"
        OUT_OF_TARGET = "out_of_target", "Out with target for completion within timescale"
        NO_CHANGE = "no_change", "No change"

        colours = nonmember(
            {
                "met": "green",
                "not_met": "red",
                "on_hold": "grey",
                "on_target": "blue",
                "out_of_target": "orange",
                "no_change": "purple",
            }
        )

    class Progress(models.TextChoices):
        COMPLETE = "complete", "Complete"
        SIGNIFICANT = "significant", "Significant progress"
        SOME = "some", "Some progress"
        NOT_STARTED = "not_started", "Not yet started"

    class Source(models.TextChoices):
        MEETING_ITEM = "meeting_item", "NSG meeting item"
        ACTION_PLAN = "action_plan", "Action plan version"
        OTHER = "other", "Other"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="status_updates")
    as_of = models.DateField(help_text="The date the update describes.")
    narrative = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices)
    progress = models.CharField(max_length=16, choices=Progress.choices)
    review_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.OTHER)
    source_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendation_updates"
    )
    source_note = models.CharField(max_length=200, blank=True, help_text='E.g. "Action plan, October 2017".')
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation", "as_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="met") | Q(completion_date__isnull=False),
                name="a_met_objective_has_a_completion_date",
            ),
            models.CheckConstraint(
                condition=~Q(source="meeting_item") | Q(source_item__isnull=False),
                name="a_meeting_source_names_the_item",
            ),
        ]
        indexes = [models.Index(fields=["recommendation", "as_of"])]

    def __str__(self):
        return f"{self.recommendation}: {self.get_status_display()} ({self.as_of:%-d %B %Y})"


class Assessment(models.Model):
    """The inspectorates' grade of a recommendation in a review."""

    class Grade(StatusChoices):
        FULLY_MET = "fully_met", "Fully met"
        PARTIALLY_MET = "partially_met", "Partially met"
        NOT_MET = "not_met", "Not met"

        colours = nonmember({"fully_met": "green", "partially_met": "yellow", "not_met": "red"})

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="assessments")
    review = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="assessments")
    as_of = models.DateField()
    grade = models.CharField(max_length=16, choices=Grade.choices)
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation", "as_of", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "review"], name="one_grade_per_review"),
        ]

    def __str__(self):
        return f"{self.recommendation}: {self.get_grade_display()} ({self.review})"
