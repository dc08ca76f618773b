"""Celery tasks for meetings: e-mailing the draft minutes to the group's members."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import selectors

logger = logging.getLogger(__name__)


@shared_task(name="meetings.send_draft_minutes")
def send_draft_minutes(meeting_id):
    """E-mail each current member of the body the draft minute (PDF attached), a link and the comment deadline.

    One message per member, so no one sees another's address. Returns how many were sent.
    """
    from meetings.document_selectors import meeting_documents
    from meetings.documents import draft_minutes_pdf

    docs = meeting_documents(meeting_id)
    meeting = docs.meeting
    recipients = selectors.circulation_list(meeting)
    pdf = draft_minutes_pdf(docs)
    link = settings.SITE_URL + reverse("meetings:comments", kwargs={"pk": meeting.pk})
    filename = f"{meeting.body.slug}-minutes-{meeting.date:%Y-%m-%d}-draft.pdf"
    sent = 0
    for person in recipients:
        context = {"meeting": meeting, "person": person, "link": link}
        message = EmailMultiAlternatives(
            subject=render_to_string("meetings/email/draft_minutes_subject.txt", context).strip(),
            body=render_to_string("meetings/email/draft_minutes.txt", context),
            to=[person.email],
        )
        message.attach_alternative(render_to_string("meetings/email/draft_minutes.html", context), "text/html")
        message.attach(filename, pdf, "application/pdf")
        message.send()
        sent += 1
    logger.info("Draft minutes of %s sent to %d members", meeting, sent)
    return sent
