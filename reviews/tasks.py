"""Celery tasks for returns: telling the submitter a return has come back for amendment; chasing returns."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from reminders.tasks import CHASE_TASK_OPTIONS, run_chase
from reviews import chasing
from reviews.models import ReturnTransition
from reviews.rules import SECTIONS_BY_SLUG

logger = logging.getLogger(__name__)


def _address(user):
    person = getattr(user, "person", None)
    return (person.email if person else "") or user.email


@shared_task(name="reviews.send_return_for_amendment")
def send_return_for_amendment(transition_id):
    """E-mail the person who last submitted the return: it was returned (or reopened), with each comment.

    Returns the number of messages sent (0 when no one has an address).
    """
    transition = (ReturnTransition.objects
                  .select_related("quarterly_return__area", "quarterly_return__period",
                                  "quarterly_return__submitted_by__person", "by__person")
                  .prefetch_related("section_comments")
                  .get(pk=transition_id))
    ret = transition.quarterly_return
    submitter = ret.submitted_by
    address = _address(submitter) if submitter else ""
    if not address:
        logger.warning("Return %s was returned for amendment but has no submitter to e-mail", ret)
        return 0
    comments = [(SECTIONS_BY_SLUG[c.section], c.text) for c in transition.section_comments.all()]
    comments.sort(key=lambda pair: pair[0].number)
    person = getattr(submitter, "person", None)
    context = {
        "ret": ret, "transition": transition, "comments": comments,
        "name": person.name if person else submitter.get_username(),
        "link": settings.SITE_URL + ret.get_absolute_url(),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("reviews/email/returned_subject.txt", context).strip(),
        body=render_to_string("reviews/email/returned.txt", context),
        to=[address],
    )
    message.attach_alternative(render_to_string("reviews/email/returned.html", context), "text/html")
    message.send()
    logger.info("Return %s: amendment request sent to %s", ret, address)
    return 1


@shared_task(name="reviews.chase_late_returns", **CHASE_TASK_OPTIONS)
def chase_late_returns(self, on=None):
    """Claim today's return reminders (``on``: a YYYY-MM-DD date, default today), then queue their sends.

    Chairs and coordinators 7 days before the due date, on it and weekly after it;
    the secretariat's weekly list of late returns (reviews.chasing). See
    reminders.tasks.run_chase: safe to run any number of times, by any number of workers.
    """
    return run_chase(self, chasing.chase_late_returns, on, "Return reminders")
