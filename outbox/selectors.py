"""Reads for the e-mail log (/emails/) and the secretariat's home page."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mappa import access
from mappa.emails import RETRY_FAILED_AFTER
from mappa.pagination import page_of
from mappa.selectors import AttentionItem
from outbox import registry
from outbox.models import Email

PAGE_SIZE = 50


@dataclass
class EmailRow:
    email: Email
    kind_label: str
    about_label: str
    about_url: str


def _rows(emails):
    """Each e-mail with its kind's label and what it is about: one ``describe`` per kind on the page."""
    ids_by_kind = defaultdict(set)
    for email in emails:
        ids_by_kind[email.kind].add(email.subject_id)
    about = {}
    for kind_name, ids in ids_by_kind.items():
        for subject_id, described in registry.kind(kind_name).describe(ids).items():
            about[(kind_name, subject_id)] = described
    return [
        EmailRow(email, registry.kind(email.kind).label, *about.get((email.kind, email.subject_id), ("", "")))
        for email in emails
    ]


def email_log(filterset, page_number):
    """The filtered e-mails, newest first, 50 a page, and counts by state of all of them."""
    page = page_of(filterset.qs.select_related("recipient", "copy_of", "requested_by__person"), page_number, PAGE_SIZE)
    counts = dict.fromkeys(Email.State.values, 0)
    counts.update(Email.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {"page": page, "rows": _rows(list(page.object_list)), "counts": counts}


def stuck():
    """How many e-mails failed, and how many have waited longer than a sweep or two should take."""
    late = timezone.now() - RETRY_FAILED_AFTER
    return Email.objects.aggregate(
        failed=Count("pk", filter=Q(state=Email.State.FAILED)),
        waiting=Count("pk", filter=Q(state=Email.State.QUEUED, queued_at__lt=late)),
    )


def attention_for(user):
    """For the secretariat's home page: e-mails that failed or have been waiting too long."""
    if not access.has_role(user, *access.SECRETARIAT):
        return []
    counts = stuck()
    items = []
    if counts["failed"]:
        n = counts["failed"]
        items.append(
            AttentionItem(
                f"{n} e-mail{'s' if n != 1 else ''} could not be sent",
                "The service tries again every few minutes; you can send one again yourself.",
                reverse("outbox:log") + "?state=failed",
            )
        )
    if counts["waiting"]:
        n = counts["waiting"]
        items.append(
            AttentionItem(
                f"{n} e-mail{'s' if n != 1 else ''} waiting to be sent for over 15 minutes",
                "The task queue may be down: they go out as soon as it is back.",
                reverse("outbox:log") + "?state=queued",
            )
        )
    return items
