"""The core domain shared by every part of the service: who is who in MAPPA.

Areas, organisations, people and the bodies they sit on. The service never
holds offenders' or victims' details: people here are staff and members.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Area(models.Model):
    """A MAPPA area, overseen by one Strategic Oversight Group (SOG)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    code = models.CharField(
        max_length=8,
        unique=True,
        help_text="Short code used in case review references, e.g. FIF.",
    )
    active = models.BooleanField(default=True)
    started_on = models.DateField(null=True, blank=True, help_text="When the area began, if known.")
    ended_on = models.DateField(null=True, blank=True, help_text="When the area ceased, if it has.")
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        help_text="Areas that took over from this one (Northern was split into Grampian and Highland and Islands).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="area_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(active=True, ended_on__isnull=True) | Q(active=False),
                name="active_area_has_no_end_date",
            ),
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A Responsible Authority, partner, government division or inspectorate."""

    class Kind(models.TextChoices):
        RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
        PARTNER = "partner", "Partner"
        GOVERNMENT = "government", "Government"
        INSPECTORATE = "inspectorate", "Inspectorate"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text='As minutes write it, e.g. "SG", "RMA".')
    kind = models.CharField(max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="divisions",
        help_text="For a division, the organisation it belongs to (SG, CSU belongs to SG).",
    )
    contacts = models.ManyToManyField(
        "Person",
        blank=True,
        related_name="contact_for",
        help_text="Named contacts: they receive reminders for, and may update, actions owned by the organisation.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """How minutes name it: "SG, CSU" for a division, else the short name."""
        own = self.short_name or self.name
        if self.parent_id:
            return f"{self.parent.short_name or self.parent.name}, {own}"
        return own


class Person(models.Model):
    """A member of staff who sits on a body or uses the service."""

    class AccessRole(models.TextChoices):
        SECRETARIAT = "secretariat", "NSG secretariat"
        SOG_CHAIR = "sog_chair", "SOG chair or MAPPA coordinator"
        NSG_MEMBER = "nsg_member", "NSG member"
        INSPECTOR = "inspector", "Inspector"

    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    email = models.EmailField(unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login account, if this person uses the service.",
    )
    access_role = models.CharField(
        max_length=32,
        choices=AccessRole.choices,
        blank=True,
        help_text="What this person may do in the service. SOG chairs and coordinators "
        "act for the areas of the SOGs where they hold that membership.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Untick when they leave: they are no longer offered as an owner of new actions or as a "
        "policy lead; the records that name them keep showing them.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(access_role="") | Q(user__isnull=False),
                name="access_role_needs_login",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def described(self):
        """Name with organisation, as a minute's Present list shows people."""
        return f"{self.name} ({self.organisation.label})"


class Body(models.Model):
    """A group that meets: the NSG, the MAPPA Development Group, a SOG, a working group."""

    class Kind(models.TextChoices):
        NATIONAL_STRATEGIC_GROUP = "nsg", "National Strategic Group"
        DEVELOPMENT_GROUP = "mdg", "MAPPA Development Group"
        TRIPARTITE_GROUP = "tripartite", "Tripartite Group"
        STRATEGIC_OVERSIGHT_GROUP = "sog", "Strategic Oversight Group"
        WORKING_GROUP = "slwg", "Short life working group"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    area = models.OneToOneField(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversight_group",
        help_text="For a SOG, the MAPPA area it oversees.",
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reporting_bodies"
    )
    active = models.BooleanField(default=True)
    remit = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="sog", area__isnull=False) | (~Q(kind="sog") & Q(area__isnull=True))),
                name="only_a_sog_has_an_area",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("body-detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=on)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Membership(models.Model):
    """A person's seat on a body, with their role there and its dates."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        DEPUTY = "deputy", "Deputy chair"
        MEMBER = "member", "Member"
        SECRETARIAT = "secretariat", "Secretariat"
        COORDINATOR = "coordinator", "MAPPA coordinator"

    # Roles that let a person act for a SOG's area (its returns, its case reviews).
    AREA_ROLES = (Role.CHAIR, Role.DEPUTY, Role.COORDINATOR)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    representing = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation this seat represents, if not the person's own.",
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "body", "role", "started_on"], name="one_seat_per_role_and_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.body}"


class Submission(models.Model):
    """A form that created something, sent with a one-time token: the claim that stops it being sent twice.

    The claim is written in the same transaction as what the form creates, so two
    identical requests cannot both make a record; see mappa.submissions.
    """

    token = models.UUIDField(help_text="The one-time token the form carried.")
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of who sent it, where, and what the form held (files included)."
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500, help_text="The address the form was sent to.")
    result_url = models.CharField(
        max_length=2000, blank=True, help_text="Where the first request's success sent the user."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "fingerprint"], name="one_submission_per_token_and_content"),
        ]

    def __str__(self):
        return f"{self.path} ({self.created_at:%Y-%m-%d %H:%M})"
