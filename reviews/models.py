"""Quarterly SOG returns and case review records.

Every quarter each MAPPA area's Strategic Oversight Group (SOG) sends the NSG a
structured return: its case review figures, Category 3 referrals, the update
its chair would give at the meeting, and learning and issues to escalate. A
return moves through a guarded workflow (reviews.services.returns): not started →
draft → submitted → returned for amendment → resubmitted → approved, and only
the secretariat can reopen an approved return. Every saved version is kept
(django-simple-history) and every step is a ReturnTransition.

Case review records are the SCR Initial Notification Reports: one per initial
ICR, full ICR or SCR, referenced by area code and sequence ("FIF-2017-003").
Neither holds anything about an offender or a victim.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mappa.choices import StatusChoices, nonmember
from mappa.models import Area

# ----------------------------------------------------------------------------------------------
# Themes, shared by returns and case review records
# ----------------------------------------------------------------------------------------------

# (field suffix, label): a return or a case review carries one boolean per theme.
THEMES = [
    ("internet_offending", "Internet offending"),
    ("contact_offending", "Contact offending"),
    ("mental_health", "Mental health"),
    ("adult_protection", "Adult protection"),
    ("housing", "Housing"),
    ("missing_persons", "Missing persons"),
    ("young_people", "Young people"),
    ("other", "Other"),
]
THEME_FIELDS = [f"theme_{key}" for key, _label in THEMES]


def _any_theme():
    condition = Q()
    for name in THEME_FIELDS:
        condition |= Q(**{name: True})
    return condition


class Themes(models.Model):
    """The themes a case review (or a quarter's case reviews) touched on."""

    theme_internet_offending = models.BooleanField("Internet offending", default=False)
    theme_contact_offending = models.BooleanField("Contact offending", default=False)
    theme_mental_health = models.BooleanField("Mental health", default=False)
    theme_adult_protection = models.BooleanField("Adult protection", default=False)
    theme_housing = models.BooleanField("Housing", default=False)
    theme_missing_persons = models.BooleanField("Missing persons", default=False)
    theme_young_people = models.BooleanField("Young people", default=False)
    theme_other = models.BooleanField("Other", default=False)
    theme_other_text = models.CharField("Other theme", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def theme_keys(self):
        return [key for key, _label in THEMES if getattr(self, f"theme_{key}")]

    @property
    def theme_labels(self):
        labels = [label for key, label in THEMES if key != "other" and getattr(self, f"theme_{key}")]
        if self.theme_other:
            labels.append(f"Other: {self.theme_other_text}" if self.theme_other_text else "Other")
        return labels


# ----------------------------------------------------------------------------------------------
# Reporting periods
# ----------------------------------------------------------------------------------------------


def _add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (31 March + 1 month = 30 April)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReportingPeriodQuerySet(models.QuerySet):
    def by_slug(self, slug):
        """The period named by a URL slug such as "2017-18-q1"; DoesNotExist if none or malformed."""
        year, quarter = ReportingPeriod.parse_slug(slug)
        if year is None:
            raise ReportingPeriod.DoesNotExist(f"No reporting period {slug!r}")
        return self.get(year=year, quarter=quarter)


class ReportingPeriod(models.Model):
    """A financial quarter for which every active area owes a return (2017-18 Q1 = April to June 2017)."""

    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2017 for 2017-18.")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    starts_on = models.DateField(blank=True, help_text="First day of the quarter (filled in from year and quarter).")
    ends_on = models.DateField(blank=True, help_text="Last day of the quarter (filled in from year and quarter).")
    opens_on = models.DateField(
        blank=True, help_text="When areas can start their returns (default: the quarter's start)."
    )
    due_on = models.DateField(blank=True, help_text="When returns are due (default: one month after the quarter ends).")

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_reporting_period_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_is_1_to_4"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="period_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(due_on__gte=F("opens_on")), name="period_due_after_it_opens"),
            models.CheckConstraint(condition=Q(due_on__gte=F("ends_on")), name="period_due_after_quarter_ends"),
        ]

    def __str__(self):
        return self.label

    @staticmethod
    def quarter_dates(year, quarter):
        """(first day, last day) of financial quarter ``quarter`` of the year starting April ``year``."""
        first_month = 4 + 3 * (quarter - 1)
        start = date(year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
        end = _add_months(start, 3) - timedelta(days=1)
        return start, end

    @staticmethod
    def parse_slug(slug):
        """(year, quarter) from "2017-18-q1", or (None, None) if it is not one."""
        try:
            years, q = slug.rsplit("-q", 1)
            start, end = years.split("-")
            year, quarter = int(start), int(q)
        except (ValueError, AttributeError):
            return None, None
        if len(start) != 4 or end != f"{(year + 1) % 100:02d}" or not 1 <= quarter <= 4:
            return None, None
        return year, quarter

    @property
    def financial_year(self):
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def label(self):
        return f"{self.financial_year} Q{self.quarter}"

    @property
    def slug(self):
        return f"{self.financial_year}-q{self.quarter}"

    @property
    def months(self):
        """ "April to June 2017" """
        return f"{self.starts_on:%B} to {self.ends_on:%B %Y}"

    def fill_dates(self):
        """Dates left empty take their defaults from the year and quarter."""
        if self.year is None or self.quarter not in (1, 2, 3, 4):
            return
        start, end = self.quarter_dates(self.year, self.quarter)
        self.starts_on = self.starts_on or start
        self.ends_on = self.ends_on or end
        self.opens_on = self.opens_on or self.starts_on
        self.due_on = self.due_on or _add_months(self.ends_on, 1)

    def clean(self):
        self.fill_dates()

    def save(self, *args, **kwargs):  # noqa: DJ012 - beside fill_dates and clean, which it shares a purpose with
        self.fill_dates()
        super().save(*args, **kwargs)

    def expects(self, area):
        """Whether ``area`` owes a return for this period: it was active at some point during it."""
        if area.started_on and area.started_on > self.ends_on:
            return False
        if area.ended_on:
            return area.ended_on >= self.starts_on
        return area.active

    def is_open(self, today=None):
        return (today or timezone.localdate()) >= self.opens_on


# ----------------------------------------------------------------------------------------------
# Quarterly returns
# ----------------------------------------------------------------------------------------------

# The figures a return reports, in form order, with the words used about them.
CASE_REVIEW_FIGURES = [
    "initial_icrs_processed",
    "progressed_to_full_icr",
    "scrs_commissioned",
    "scrs_completed",
    "icrs_from_proactive_policing",
]
CATEGORY3_FIGURES = ["category3_received", "category3_accepted", "category3_declined"]
FIGURES = CASE_REVIEW_FIGURES + CATEGORY3_FIGURES
TEXT_LIMITS = {
    "theme_other_text": 200,
    "category3_decline_reasons": 2000,
    "narrative": 5000,
    "learning": 3000,
    "escalations": 3000,
}


class QuarterlyReturn(Themes):
    """One area's return for one reporting period."""

    class Status(StatusChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for amendment"
        RESUBMITTED = "resubmitted", "Resubmitted"
        APPROVED = "approved", "Approved"

        colours = nonmember(
            {
                "not_started": "grey",
                "draft": "light-blue",
                "submitted": "blue",
                "returned": "orange",
                "resubmitted": "purple",
                "approved": "green",
            }
        )

    # The area can change the return only in these statuses.
    EDITABLE = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)
    # The secretariat checks a return in these statuses (it returns or approves it).
    AWAITING_CHECK = (Status.SUBMITTED, Status.RESUBMITTED)
    # Every step a return may take (reviews.services.returns enforces it).
    TRANSITIONS = {
        Status.NOT_STARTED: (Status.DRAFT,),
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.RETURNED, Status.APPROVED),
        Status.RETURNED: (Status.RESUBMITTED,),
        Status.RESUBMITTED: (Status.RETURNED, Status.APPROVED),
        Status.APPROVED: (Status.RETURNED,),  # reopened by the secretariat, with a reason
    }

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    is_nil_return = models.BooleanField(
        "Nil return", default=False, help_text="Nothing to report this quarter: every figure is 0."
    )

    # 1. Case reviews
    initial_icrs_processed = models.IntegerField("Initial ICRs processed", null=True, blank=True)
    progressed_to_full_icr = models.IntegerField("Progressed to full ICR", null=True, blank=True)
    scrs_commissioned = models.IntegerField("SCRs commissioned", null=True, blank=True)
    scrs_completed = models.IntegerField("SCRs completed", null=True, blank=True)
    icrs_from_proactive_policing = models.IntegerField("ICRs arising from proactive policing", null=True, blank=True)
    # 2. Category 3 (risk of serious harm) referrals
    category3_received = models.IntegerField("Category 3 referrals received", null=True, blank=True)
    category3_accepted = models.IntegerField("Category 3 referrals accepted", null=True, blank=True)
    category3_declined = models.IntegerField("Category 3 referrals declined", null=True, blank=True)
    category3_decline_reasons = models.TextField("Main reasons for declining", blank=True)
    # 3. The update for the NSG
    narrative = models.TextField("Update for the NSG", blank=True)
    # 4. Learning and issues to escalate
    learning = models.TextField("Learning and good practice to share nationally", blank=True)
    escalations = models.TextField("Issues to escalate to the NSG", blank=True)

    # Which sections have been saved at least once (section slugs), and which warnings
    # ("a figure more than doubled", "looks like personal data") the area has confirmed.
    sections_saved = models.JSONField(default=list, blank=True)
    confirmed_warnings = models.JSONField(default=list, blank=True)

    first_submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the area first submitted it: counts for the on-time rate."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Every saved version, with who saved it (reviews.services sets _history_user).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["period", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "period"], name="one_return_per_area_and_period"),
            models.CheckConstraint(
                condition=Q(*[Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}) for name in FIGURES]),
                name="return_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(progressed_to_full_icr__isnull=True)
                | Q(initial_icrs_processed__isnull=True)
                | Q(progressed_to_full_icr__lte=F("initial_icrs_processed")),
                name="return_full_icrs_within_initial_icrs",
            ),
            models.CheckConstraint(
                condition=Q(scrs_commissioned__isnull=True)
                | Q(progressed_to_full_icr__isnull=True)
                | Q(initial_icrs_processed__isnull=True)
                | Q(scrs_commissioned__lte=F("progressed_to_full_icr") + F("initial_icrs_processed")),
                name="return_scrs_within_icrs",
            ),
            models.CheckConstraint(
                condition=Q(icrs_from_proactive_policing__isnull=True)
                | Q(initial_icrs_processed__isnull=True)
                | Q(icrs_from_proactive_policing__lte=F("initial_icrs_processed")),
                name="return_proactive_icrs_within_initial_icrs",
            ),
            models.CheckConstraint(
                condition=Q(category3_received__isnull=True)
                | Q(category3_accepted__isnull=True)
                | Q(category3_declined__isnull=True)
                | Q(category3_received__gte=F("category3_accepted") + F("category3_declined")),
                name="return_category3_decisions_within_received",
            ),
            models.CheckConstraint(
                condition=~_any_theme()
                | Q(initial_icrs_processed__gt=0)
                | Q(progressed_to_full_icr__gt=0)
                | Q(scrs_commissioned__gt=0)
                | Q(scrs_completed__gt=0),
                name="return_themes_need_case_reviews",
            ),
            models.CheckConstraint(
                condition=Q(is_nil_return=False) | (Q(**dict.fromkeys(FIGURES, 0)) & ~_any_theme()),
                name="nil_return_reports_nothing",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "returned", "resubmitted", "approved"])
                | Q(submitted_at__isnull=False, first_submitted_at__isnull=False),
                name="submitted_return_has_submission_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="approved_return_has_approver",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.area.name}, {self.period.label}"

    def get_absolute_url(self):
        return reverse("reviews:return-detail", kwargs={"period": self.period.slug, "area": self.area.slug})

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED

    @property
    def has_been_submitted(self):
        return self.first_submitted_at is not None

    def submitted_on_time(self):
        """True/False once submitted (first submission by the due date); None before."""
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.period.due_on

    def is_late(self, today=None):
        """Not yet submitted and past its due date."""
        return self.first_submitted_at is None and (today or timezone.localdate()) > self.period.due_on


class ReturnTransition(models.Model):
    """One step of a return's workflow: who took it, when, from and to which status, and why."""

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=QuarterlyReturn.Status.choices)
    to_status = models.CharField(max_length=16, choices=QuarterlyReturn.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="return_transition_changes_status"),
        ]

    def __str__(self):
        return f"{self.quarterly_return}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class SectionComment(models.Model):
    """The secretariat's comment on one section of a return, made when returning it for amendment."""

    class Section(models.TextChoices):
        CASE_REVIEWS = "case-reviews", "Case reviews"
        CATEGORY_3 = "category-3", "Category 3 referrals"
        NARRATIVE = "narrative", "Update for the NSG"
        LEARNING = "learning", "Learning and issues to escalate"

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="section_comments")
    transition = models.ForeignKey(ReturnTransition, on_delete=models.CASCADE, related_name="section_comments")
    section = models.CharField(max_length=16, choices=Section.choices)
    text = models.TextField()

    class Meta:
        ordering = ["transition", "section"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "section"], name="one_comment_per_section_per_return_step"),
        ]

    def __str__(self):
        return f"{self.quarterly_return}, {self.get_section_display()}"


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------


class CaseReview(Themes):
    """One initial ICR, full ICR or SCR notified by an area. Referenced by area code and sequence only."""

    class Type(models.TextChoices):
        INITIAL_ICR = "initial_icr", "Initial case review (initial ICR)"
        FULL_ICR = "full_icr", "Full initial case review (full ICR)"
        SCR = "scr", "Significant case review (SCR)"

    class Stage(models.TextChoices):
        NOTIFIED = "notified", "Notified"
        SCOPING = "scoping", "Scoping and commissioning"
        UNDER_REVIEW = "under_review", "Review under way"
        FACTUAL_ACCURACY = "factual_accuracy", "Factual accuracy check"
        REPORTED = "reported", "Report complete"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROGRESSED = "progressed", "Progressed to a further review"
        NO_FURTHER_ACTION = "no_further_action", "Closed: no further review needed"
        COMPLETED = "completed", "Completed"

    CATEGORIES = [
        (1, "Category 1: registered sex offender"),
        (2, "Category 2: restricted patient"),
        (3, "Category 3: other risk of serious harm"),
    ]
    LEVELS = [
        (1, "Level 1: routine single-agency management"),
        (2, "Level 2: multi-agency management"),
        (3, "Level 3: MAPPP, the highest level"),
    ]

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="case_reviews")
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the reference (when commissioned).")
    sequence = models.PositiveIntegerField(help_text="Its number among the area's reviews of that year.")
    reference = models.CharField(max_length=24, unique=True, editable=False)
    review_type = models.CharField("Type", max_length=16, choices=Type.choices)
    mappa_category = models.PositiveSmallIntegerField("MAPPA category", choices=CATEGORIES)
    mappa_level = models.PositiveSmallIntegerField("MAPPA level", choices=LEVELS)
    commissioned_on = models.DateField("Date commissioned")
    from_proactive_policing = models.BooleanField("Arose from proactive policing", default=False)
    progressed_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progressed_to",
        help_text="The earlier review this one follows (a full ICR after an initial ICR, an SCR after a full ICR).",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NOTIFIED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField("Date completed", null=True, blank=True)
    learning_summary = models.TextField(blank=True)
    shared_with_sg_on = models.DateField("Date learning shared with the SG", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-commissioned_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "sequence"], name="one_case_review_per_reference"),
            models.CheckConstraint(
                condition=Q(mappa_category__gte=1, mappa_category__lte=3), name="case_review_category_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(mappa_level__gte=1, mappa_level__lte=3), name="case_review_level_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("commissioned_on")),
                name="case_review_completed_after_commissioned",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="case_review_sequence_from_1"),
        ]
        indexes = [models.Index(fields=["area", "commissioned_on"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("case_reviews:detail", kwargs={"pk": self.pk})

    @staticmethod
    def make_reference(area, year, sequence):
        return f"{area.code}-{year}-{sequence:03d}"


# What a person records of a case review, and may change later (its area and reference stay as they are).
CASE_REVIEW_FIELDS = [
    "review_type",
    "mappa_category",
    "mappa_level",
    "commissioned_on",
    "from_proactive_policing",
    "progressed_from",
    "stage",
    "status",
    "completed_on",
    "learning_summary",
    "shared_with_sg_on",
    *THEME_FIELDS,
    "theme_other_text",
]
