"""Freedom-of-information requests and what answers them.

A DisclosureRequest is one request under FOISA: its reference, when it came, its
wording, the statutory date it must be answered by, and its scope (groups, dates,
kinds of document). Finding personal data in the documents in scope makes
Proposals: one per occurrence, each accepted (redacted under an Exemption) or
rejected by the reviewer. Building makes a Pack: the redacted documents as one
PDF and a ZIP, a new version each time; a second member of the secretariat
approves it, and it may then be published to the disclosure log.

Finding and building run as Jobs (Celery tasks) whose progress the request's page shows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mappa.choices import StatusChoices, nonmember
from mappa.models import Body, Person
from papers.models import Paper


class Exemption(models.Model):
    """A FOISA exemption a redaction may be made under: the short list the administrator keeps."""

    section = models.CharField(max_length=40, unique=True, help_text='As cited, e.g. "s.38(1)(b)".')
    title = models.CharField(max_length=200, help_text='What it covers, e.g. "Personal data".')
    is_default = models.BooleanField(
        default=False, help_text="Proposed for every redaction found (there is one default)."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop offering it; redactions made keep it.")

    class Meta:
        ordering = ["section"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_exemption"),
        ]

    def __str__(self):
        return f"{self.section} {self.title.lower()}"


class DocumentKind(models.TextChoices):
    """The kinds of document a request's scope may take in."""

    AGENDAS = "agendas", "Agendas"
    MINUTES = "minutes", "Agreed minutes"
    PAPERS = "papers", "Papers"
    ACTION_LOG = "action_log", "The action log"
    ACTION_PLAN = "action_plan", "The action plan"
    RETURNS = "returns", "Approved returns' narratives"


class DisclosureRequest(models.Model):
    class Status(StatusChoices):
        OPEN = "open", "Open"
        IN_REVIEW = "in_review", "Pack in review"
        RELEASED = "released", "Released"
        CLOSED = "closed", "Closed"

        colours = nonmember({"open": "blue", "in_review": "yellow", "released": "green", "closed": "grey"})

    reference = models.CharField(max_length=40, unique=True, help_text="For example, FOI/202700123.")
    received_on = models.DateField()
    wording = models.TextField(help_text="What the requester asked for, as they put it.")
    requester = models.CharField(
        max_length=200,
        help_text='Who asked, as a label ("a journalist", "a member of the public"): no contact details.',
    )
    due_on = models.DateField(help_text="The statutory date: the 20th working day after receipt.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosure_requests_handled"
    )

    # The scope: what the request is answered from.
    bodies = models.ManyToManyField(Body, blank=True, related_name="+", verbose_name="groups")
    scope_from = models.DateField(null=True, blank=True)
    scope_to = models.DateField(null=True, blank=True)
    kinds = models.JSONField(default=list, blank=True, help_text="DocumentKind values.")
    keep_organisation_names = models.BooleanField(default=True)
    keep_chairs = models.BooleanField(
        default=False, help_text="Keep the names of the chairs of the groups in scope (named in their public role)."
    )
    kept_people = models.ManyToManyField(Person, blank=True, related_name="+")
    # What the proposals were found in and by (documents in scope, terms, keep rules): a build checks it is
    # still so, since a pack redacted from proposals made for another scope could leave names in.
    found_for = models.CharField(max_length=64, blank=True)
    found_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-reference"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("received_on")), name="request_due_after_receipt"),
            models.CheckConstraint(
                condition=Q(scope_from__isnull=True) | Q(scope_to__isnull=True) | Q(scope_to__gte=F("scope_from")),
                name="request_scope_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def kind_labels(self):
        return [DocumentKind(kind).label for kind in DocumentKind.values if kind in self.kinds]

    @property
    def has_scope(self):
        return bool(self.kinds and self.bodies.exists() and self.scope_from and self.scope_to)

    @property
    def current_pack(self):
        return self.packs.order_by("-version").first()


class IncludedPaper(models.Model):
    """A paper marked "not for publication" that the reviewer chose to include, and why."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="included_papers")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    included_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    included_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "paper"], name="paper_included_once")]

    def __str__(self):
        return f"{self.paper} (included: {self.reason})"


class AddedTerm(models.Model):
    """A word or phrase the reviewer asked to redact wherever it occurs."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="added_terms")
    term = models.CharField(max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["request", "term"], name="term_added_once")]

    def __str__(self):
        return self.term


class Proposal(models.Model):
    """One occurrence of personal data found in a document in scope, and the reviewer's decision."""

    class Decision(StatusChoices):
        PROPOSED = "proposed", "To decide"
        ACCEPTED = "accepted", "Redact"
        REJECTED = "rejected", "Keep"

        colours = nonmember({"proposed": "yellow", "accepted": "red", "rejected": "grey"})

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="proposals")
    # Which document: "minutes:12", "agenda:12", "paper:45" (a paper's current version), "action-log",
    # "action-plan", "return:77" (disclosure.documents names them).
    document = models.CharField(max_length=60)
    document_title = models.CharField(max_length=300)
    occurrence = models.PositiveIntegerField(help_text="Its place among the document's occurrences, from 0.")
    page = models.PositiveIntegerField(help_text="The page of the document it is on, from 1.")
    text = models.CharField(max_length=300, help_text="The words as they stand in the document.")
    kind = models.CharField(max_length=20)
    term = models.CharField(max_length=300, help_text="What it is an occurrence of: decided together in bulk.")
    context = models.TextField(blank=True)
    # Where it is on an uploaded paper's page, in PDF points: [[left, bottom, right, top], ...].
    boxes = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PROPOSED)
    exemption = models.ForeignKey(Exemption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "occurrence"]
        constraints = [
            models.UniqueConstraint(fields=["request", "document", "occurrence"], name="one_proposal_per_occurrence"),
            models.CheckConstraint(
                condition=~Q(decision="accepted") | Q(exemption__isnull=False), name="redaction_has_exemption"
            ),
        ]
        indexes = [models.Index(fields=["request", "term"])]

    def __str__(self):
        return f"{self.text} ({self.document_title}, page {self.page})"


class Job(models.Model):
    """Finding personal data, or building a pack: a Celery task whose progress the request's page shows."""

    class Kind(models.TextChoices):
        FIND = "find", "Finding personal data"
        BUILD = "build", "Building the pack"

    class Status(StatusChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

        colours = nonmember(
            {"queued": "grey", "running": "blue", "done": "green", "failed": "red", "cancelled": "orange"}
        )

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why it failed, in plain words.")
    cancel_asked = models.BooleanField(default=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=["queued", "running"]), name="one_job_at_a_time"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.request}: {self.get_status_display()}"

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0


def pack_upload_to(instance, filename):
    return f"disclosure/{instance.request_id}/{instance.version}/{filename}"


class Pack(models.Model):
    """One build of the request's pack. Read-only once approved; building again makes a new version."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="packs")
    version = models.PositiveIntegerField()
    pdf = models.FileField(upload_to=pack_upload_to, max_length=255)
    zip = models.FileField(upload_to=pack_upload_to, max_length=255)
    page_count = models.PositiveIntegerField()
    document_count = models.PositiveIntegerField()
    redaction_count = models.PositiveIntegerField()
    schedule = models.JSONField(default=list, help_text="The schedule of redactions, as in the pack.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it was put on the disclosure log.")

    class Meta:
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="one_pack_per_version"),
            # Two people: whoever reviewed the redactions cannot also approve the pack.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("reviewed_by")),
                name="pack_approved_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(approved_at__isnull=False),
                name="only_approved_packs_are_published",
            ),
        ]

    def __str__(self):
        return f"{self.request}, pack version {self.version}"

    @property
    def is_approved(self):
        return self.approved_at is not None
