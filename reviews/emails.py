"""The e-mail telling a return's submitter it came back for amendment: queued with the step, written when sent."""

from django.conf import settings

from mappa.emails import templated_email
from outbox import services as outbox
from outbox.registry import EmailKind
from reviews.models import ReturnTransition
from reviews.rules import SECTIONS_BY_SLUG

RETURNED_FOR_AMENDMENT = "return_for_amendment"


def _address(user):
    person = getattr(user, "person", None)
    return (person.email if person else "") or user.email


def queue_return_for_amendment(transition):
    """E-mail the person who last submitted the return (in the returning step's transaction); none if nobody did."""
    submitter = transition.quarterly_return.submitted_by
    if submitter is None:
        return []
    person = getattr(submitter, "person", None)
    return outbox.queue(
        kind=RETURNED_FOR_AMENDMENT,
        key=f"return-for-amendment:{transition.pk}",
        subject_id=transition.pk,
        recipients=[(person, _address(submitter))],
    )


def build_return_for_amendment(email, cache):
    """The submitter's e-mail: the return was returned (or reopened), with each section's comment."""
    transition = (
        ReturnTransition.objects.select_related(
            "quarterly_return__area", "quarterly_return__period", "quarterly_return__submitted_by__person", "by__person"
        )
        .prefetch_related("section_comments")
        .get(pk=email.subject_id)
    )
    ret = transition.quarterly_return
    comments = sorted(
        ((SECTIONS_BY_SLUG[c.section], c.text) for c in transition.section_comments.all()),
        key=lambda pair: pair[0].number,
    )
    submitter = ret.submitted_by
    context = {
        "ret": ret,
        "transition": transition,
        "comments": comments,
        "name": email.recipient.name if email.recipient else (submitter.get_username() if submitter else ""),
        "link": settings.SITE_URL + ret.get_absolute_url(),
    }
    return templated_email("reviews/email/returned", context, to=[email.to])


def describe_transitions(transition_ids):
    transitions = ReturnTransition.objects.select_related("quarterly_return__area", "quarterly_return__period").in_bulk(
        transition_ids
    )
    return {
        pk: (
            f"{t.quarterly_return.area.name} return for {t.quarterly_return.period.label}",
            t.quarterly_return.get_absolute_url(),
        )
        for pk, t in transitions.items()
    }


EMAIL_KINDS = [
    EmailKind(
        RETURNED_FOR_AMENDMENT,
        "Return sent back for amendment (to its submitter)",
        build_return_for_amendment,
        describe_transitions,
    ),
]
