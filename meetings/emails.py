"""The draft minutes e-mail: queued in the outbox with the step that circulates them, written when sent."""

from django.conf import settings
from django.urls import reverse

from mappa.emails import templated_email
from meetings.documents import draft_minutes_pdf
from meetings.models import Meeting
from meetings.selectors.circulation import circulation_list
from meetings.selectors.documents import meeting_documents
from outbox import services as outbox
from outbox.registry import EmailKind

DRAFT_MINUTES = "draft_minutes"


def queue_draft_minutes(meeting, transition):
    """One e-mail to each current member of the body with an address (in the circulating step's transaction)."""
    recipients = [(person, person.email) for person in circulation_list(meeting)]
    return outbox.queue(
        kind=DRAFT_MINUTES, key=f"draft-minutes:{transition.pk}", subject_id=meeting.pk, recipients=recipients
    )


def build_draft_minutes(email, cache):
    """The member's e-mail: a link, the comment deadline and the draft as a PDF (made once per batch)."""
    if ("draft-minutes", email.subject_id) not in cache:
        docs = meeting_documents(email.subject_id)
        cache["draft-minutes", email.subject_id] = (docs.meeting, draft_minutes_pdf(docs))
    meeting, pdf = cache["draft-minutes", email.subject_id]
    link = settings.SITE_URL + reverse("meetings:comments", kwargs={"pk": meeting.pk})
    message = templated_email(
        "meetings/email/draft_minutes", {"meeting": meeting, "person": email.recipient, "link": link}, to=[email.to]
    )
    message.attach(f"{meeting.body.slug}-minutes-{meeting.date:%Y-%m-%d}-draft.pdf", pdf, "application/pdf")
    return message


def describe_meetings(meeting_ids):
    meetings = Meeting.objects.select_related("body").in_bulk(meeting_ids)
    return {pk: (f"Draft minutes of {meeting}", meeting.get_absolute_url()) for pk, meeting in meetings.items()}


EMAIL_KINDS = [EmailKind(DRAFT_MINUTES, "Draft minutes for comment", build_draft_minutes, describe_meetings)]
