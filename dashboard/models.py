"""The dashboard's progress report (PDF), prepared by a Celery worker rather than in the request.

Laying the report out takes WeasyPrint 9 to 18 seconds at national scale, too long for a web
request. A ReportBuild is one asking for it: who asked, the board it is of (dashboard.cache's key:
the data's generation, the day, the audience, the filters), its progress by step, and, once ready,
the PDF in storage (dashboard/reports/). dashboard.reports starts and serves them, dashboard.preparing runs them; nothing
else reads or writes them. They are not records of the service: they are deleted a day after they
were asked for (dashboard.reports.KEPT), their files with them.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember


def report_upload_to(instance, filename):
    return f"dashboard/reports/{instance.pk}/{filename}"


class ReportBuild(models.Model):
    """The progress report of one board (an audience's dashboard for some filters on a day), asked for by someone."""

    class Status(StatusChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

        colours = nonmember({"queued": "grey", "building": "blue", "ready": "green", "failed": "red"})

    class Step(models.TextChoices):
        """What the worker is doing, in order; the progress shown is the steps done of all four."""

        COUNTING = "counting", "Counting the figures"
        CHARTS = "charts", "Drawing the charts"
        LAYOUT = "layout", "Laying out the pages"
        WRITING = "writing", "Writing the PDF"

    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(
        max_length=100,
        db_index=True,
        help_text="The board's key in dashboard.cache: the data's generation, the day, the audience, the filters.",
    )
    audience = models.CharField(
        max_length=1000, help_text="The asker's roles and, for a SOG chair, areas, as in the key (checked again)."
    )
    query = models.TextField(blank=True, help_text="The filters, as the dashboard's query string.")
    filename = models.CharField(max_length=200, help_text="The name the file downloads as.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=10, choices=Step.choices, blank=True)
    file = models.FileField(upload_to=report_upload_to, max_length=255, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="In bytes.")
    message = models.TextField(blank=True, help_text="Why it failed, in plain words.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took it (its claim).")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Asked for twice (two people of one audience, a double click), a board's report is prepared once.
            models.UniqueConstraint(
                fields=["key"], condition=Q(status__in=["queued", "building"]), name="one_report_build_per_board"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="a_ready_report_has_its_file",
            ),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(message=""), name="a_failed_report_says_why"),
        ]

    def __str__(self):
        return f"Progress report {self.filename} for {self.asked_by}: {self.get_status_display()}"

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def step_number(self):
        """The step under way, from 1 (0 while waiting for a worker)."""
        return list(self.Step.values).index(self.step) + 1 if self.step else 0

    @property
    def step_count(self):
        return len(self.Step.values)

    @property
    def progress_label(self):
        if not self.step:
            return "Waiting for the service to start it"
        return f"Step {self.step_number} of {self.step_count}: {self.get_step_display()}"

    @property
    def percent(self):
        """The steps done, in per cent: honest about what is known (not time: the layout takes longest)."""
        if self.is_ready:
            return 100
        return int(100 * max(self.step_number - 1, 0) / self.step_count)


@receiver(post_delete, sender=ReportBuild)
def remove_file_of_deleted_report(sender, instance, using, **kwargs):
    """A report deleted (housekeeping, its asker's account deleted) takes its file with it, once committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), using=using)
