"""Meetings of a body, their agendas, attendance and lifecycle.

A meeting moves through a fixed lifecycle (planned → agenda issued → held →
draft minutes circulated → minutes agreed → published). Each step is taken by
the secretariat through meetings.services.advance_meeting, which checks the
order and the step's own conditions, and records who took it and when.
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mappa.choices import StatusChoices, nonmember
from mappa.models import Body, Organisation, Person


class Meeting(models.Model):
    class Status(StatusChoices):
        PLANNED = "planned", "Planned"
        AGENDA_ISSUED = "agenda_issued", "Agenda issued"
        HELD = "held", "Held"
        DRAFT_CIRCULATED = "draft_circulated", "Draft minutes circulated"
        MINUTES_AGREED = "minutes_agreed", "Minutes agreed"
        PUBLISHED = "published", "Published"

        colours = nonmember(
            {
                "planned": "grey",
                "agenda_issued": "blue",
                "held": "purple",
                "draft_circulated": "yellow",
                "minutes_agreed": "green",
                "published": "turquoise",
            }
        )

    # The only order the lifecycle may follow: each status has exactly one next step.
    LIFECYCLE = [
        Status.PLANNED,
        Status.AGENDA_ISSUED,
        Status.HELD,
        Status.DRAFT_CIRCULATED,
        Status.MINUTES_AGREED,
        Status.PUBLISHED,
    ]

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    venue = models.CharField(max_length=300)
    chair = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_chaired")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda_items_deadline = models.DateField(
        null=True, blank=True, help_text="Members may propose agenda items until this date."
    )
    comment_deadline = models.DateField(
        null=True, blank=True, help_text="Members may comment on the draft minutes until this date."
    )
    agreed_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_agreed_here",
        help_text="The later meeting at which these minutes were agreed.",
    )
    agreed_subject_to = models.TextField(
        blank=True, help_text='The amendment, if the minutes were agreed "subject to" one.'
    )

    class Meta:
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="meeting_ends_after_it_starts"),
            models.UniqueConstraint(fields=["body", "date", "start_time"], name="one_meeting_per_body_and_time"),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | ~Q(agreed_at=F("id")),
                name="minutes_not_agreed_at_their_own_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "date"]),
            # Lists of meetings come newest first (the meetings page, the register's meeting filter): read in
            # order from this index, a page of 5,000 meetings needs no sort of them all.
            models.Index(fields=["-date", "-start_time"], name="meeting_newest_first_idx"),
        ]

    def __str__(self):
        return f"{self.body.short_name or self.body.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def next_status(self):
        """The one status this meeting may move to next, or None at the end."""
        position = self.LIFECYCLE.index(self.status)
        return self.LIFECYCLE[position + 1] if position + 1 < len(self.LIFECYCLE) else None

    @classmethod
    def statuses_from(cls, status):
        """``status`` and every status after it in the lifecycle: ``statuses_from(HELD)`` = the meetings that took place."""
        return cls.LIFECYCLE[cls.LIFECYCLE.index(status) :]

    @classmethod
    def statuses_before(cls, status):
        """Every status before ``status`` in the lifecycle."""
        return cls.LIFECYCLE[: cls.LIFECYCLE.index(status)]

    @property
    def minutes_are_agreed(self):
        return self.LIFECYCLE.index(self.status) >= self.LIFECYCLE.index(self.Status.MINUTES_AGREED)

    @property
    def agreement_ending(self):
        """How "agreed as a true record" ends: "." or ", subject to <the amendment>." (one full stop)."""
        amendment = " ".join(self.agreed_subject_to.split())
        if not amendment:
            return "."
        ends_a_sentence = amendment.rstrip("”’\"')")[-1:] in (".", "!", "?")
        return f", subject to {amendment}{'' if ends_a_sentence else '.'}"

    @property
    def agreement_sentence(self):
        """What item 2 of the meeting that agreed this minute prints about it (the secretariat need not type it)."""
        return f"The minute of the meeting held on {self.date:%-d %B %Y} was agreed as a true record{self.agreement_ending}"


class MeetingTransition(models.Model):
    """One step of a meeting's lifecycle: who took it, when, with what details."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Meeting.Status.choices)
    to_status = models.CharField(max_length=20, choices=Meeting.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.meeting}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class StandingAgendaItem(models.Model):
    """An item every new meeting of a body starts with (welcome, previous minutes, AOB...)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="standing_agenda")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["body", "position"]
        constraints = [models.UniqueConstraint(fields=["body", "position"], name="one_standing_item_per_position")]

    def __str__(self):
        return f"{self.body}: {self.position}. {self.title}"


class AgendaItem(models.Model):
    """A numbered item on a meeting's agenda; sub-items (4.1, 4.2) have a parent."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", "Welcome and apologies"
        PREVIOUS_MINUTES = "previous_minutes", "Previous minutes and matters arising"
        TOPIC = "topic", "Topic"
        SOG_UPDATES = "sog_updates", "SOG chairs' updates"
        AOB = "aob", "Any other business"
        NEXT_MEETING = "next_meeting", "Date of next meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_items")
    position = models.PositiveIntegerField(help_text="Order among its siblings; the number shown is derived from it.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_allotted = models.PositiveIntegerField(null=True, blank=True)
    # The minute of this item, drafted in the browser.
    narrative = models.TextField(blank=True, help_text="What was discussed (Markdown).")
    decisions = models.TextField(blank=True, help_text='What was agreed ("It was agreed that ...").')
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, to refuse stale edits.")
    # Every saved version of the item (and so of its minute) is kept, with its author and time.
    history = HistoricalRecords(excluded_fields=["meeting", "parent"])

    class Meta:
        ordering = ["meeting", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], condition=Q(parent__isnull=True), name="one_top_item_per_position"
            ),
            models.UniqueConstraint(
                fields=["parent", "position"], condition=Q(parent__isnull=False), name="one_sub_item_per_position"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def lead_label(self):
        if self.lead_person_id:
            return self.lead_person.described
        if self.lead_organisation_id:
            return self.lead_organisation.label
        return ""


class Attendance(models.Model):
    """Who was present, who sent apologies, who attended for one item, who represented whom."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        IN_ATTENDANCE = "in_attendance", "In attendance"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=16, choices=Status.choices)
    for_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For someone in attendance for one item only.",
    )
    representing = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_by",
        help_text="The member this person stood in for.",
    )

    class Meta:
        ordering = ["meeting", "status", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_record_per_person"),
            models.CheckConstraint(
                condition=Q(for_item__isnull=True) | Q(status="in_attendance"),
                name="only_attendees_for_an_item_name_the_item",
            ),
            models.CheckConstraint(
                condition=Q(representing__isnull=True) | ~Q(status="apologies"),
                name="apologies_represent_nobody",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_status_display()}"


class MinuteComment(models.Model):
    """A member's comment on one item of circulated draft minutes, and the secretariat's decision on it."""

    class Decision(StatusChoices):
        PENDING = "pending", "Awaiting the secretariat"
        ACCEPTED = "accepted", "Accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

        colours = nonmember({"pending": "yellow", "accepted": "green", "not_accepted": "red"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minute_comments")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    change_made = models.TextField(blank=True, help_text="What was changed in the minute, or why not.")

    class Meta:
        ordering = ["agenda_item__position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False)),
                name="a_decided_comment_has_a_decision_time",
            ),
        ]

    def __str__(self):
        return f"Comment on {self.agenda_item} by {self.author}"


class MinutesSnapshot(models.Model):
    """The whole minute as it stood when circulated in draft, and as agreed (frozen)."""

    class Kind(models.TextChoices):
        CIRCULATED = "circulated", "Draft as circulated"
        AGREED = "agreed", "Agreed minute"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(help_text="Each item: number, title, narrative, decisions, actions.")

    class Meta:
        ordering = ["meeting", "taken_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="one_snapshot_of_each_kind")]

    def __str__(self):
        return f"{self.meeting}: {self.get_kind_display()}"


class AgendaProposal(models.Model):
    """A member's proposal for an agenda item, sent in answer to the call for agenda items.

    Members propose until the meeting's agenda_items_deadline; the secretariat then
    accepts one (it becomes an AgendaItem led by the proposer) or declines it with a reason.
    """

    class Status(StatusChoices):
        PENDING = "pending", "Awaiting the secretariat"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

        colours = nonmember({"pending": "yellow", "accepted": "green", "declined": "red"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    accepted_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="The agenda item it became, if accepted.",
    )

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="a_decided_proposal_has_a_decision_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="a_declined_proposal_says_why",
            ),
        ]

    def __str__(self):
        return f"Proposed for {self.meeting}: {self.title}"


def stored_document_upload_to(instance, filename):
    """meetings/documents/2017/11/<random>.pdf: beside the papers in storage, a name nobody can guess."""
    return f"{timezone.now():meetings/documents/%Y/%m/}{uuid.uuid4().hex}.pdf"


class StoredDocument(models.Model):
    """A meeting's PDF rendered once it can no longer change, kept in storage and served as it is.

    Rendering a minute takes a fifth of a second of a web worker, and an agreed minute is read many times.
    The agreed minute is rendered when the minutes are agreed and removed only if the secretariat reopens
    them; the agenda and the agenda pack are kept from the first download once the meeting is held, the
    pack for as long as its papers are those it was made from (``source``).
    """

    class Kind(models.TextChoices):
        MINUTES = "minutes", "Agreed minute"
        AGENDA = "agenda", "Agenda"
        PACK = "pack", "Agenda pack"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="stored_documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(
        max_length=64, blank=True, help_text="What it was made from (the pack: a digest of its papers' versions)."
    )
    file = models.FileField(upload_to=stored_document_upload_to, max_length=255)
    stored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="one_stored_document_of_each_kind")]

    def __str__(self):
        return f"{self.meeting}: {self.get_kind_display()} (stored)"


@receiver(post_delete, sender=StoredDocument)
def remove_file_of_deleted_document(sender, instance, using, **kwargs):
    """A kept document deleted with its meeting (retention, an administrator) takes its file with it, once committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), using=using)
