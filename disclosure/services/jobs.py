"""Starting and cancelling the jobs that find personal data and build the pack (what they do: disclosure.work).

Starting a job records it and hands it to a worker once the transaction commits; the
request's page shows its progress (a bar, refreshed by itself without JavaScript) and can
cancel it. A job the broker would not take is marked failed at once with a plain reason, so
nobody waits for it.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from disclosure import rules, selectors, tasks
from disclosure.models import DisclosureRequest, Job
from disclosure.services.requests import DisclosureRefused
from disclosure.work import finish
from mappa.refusals import require_secretariat

logger = logging.getLogger(__name__)


# --- Starting and cancelling -------------------------------------------------------------------------


def _start(request, *, by, kind, reason):
    if reason:
        raise DisclosureRefused(reason)
    job = Job.objects.create(request=request, kind=kind, started_by=by)
    transaction.on_commit(partial(_hand_over, job.pk))
    return job


@transaction.atomic
def start_finding(*, request, by):
    """Look for personal data in every document in scope (a job)."""
    require_secretariat(by, "look for personal data")
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    reason = rules.why_not_find(request, active_job=selectors.active_job(request))
    return _start(request, by=by, kind=Job.Kind.FIND, reason=reason)


@transaction.atomic
def start_building(*, request, by):
    """Build the pack from the decisions made (a job); the builder is its reviewer."""
    require_secretariat(by, "build a pack")
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    reason = rules.why_not_build(
        request,
        active_job=selectors.active_job(request),
        undecided=selectors.undecided_count(request),
        found=request.found_at is not None,
    )
    return _start(request, by=by, kind=Job.Kind.BUILD, reason=reason)


@transaction.atomic
def cancel(*, job, by):
    require_secretariat(by, "cancel a job")
    # Stopped at once, so a new job may start; a worker still running it stops at its next document,
    # and writes nothing (it checks again before it writes).
    updated = Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
        cancel_asked=True,
        status=Job.Status.CANCELLED,
        message="Cancelled: nothing was changed.",
        finished_at=timezone.now(),
    )
    if not updated:
        raise DisclosureRefused("It has already finished.")


def _hand_over(job_id):
    try:
        tasks.run_job.apply_async(args=[job_id], retry=False, ignore_result=True)
    except Exception:
        logger.exception("Disclosure job %s not handed to a worker", job_id)
        finish(
            job_id,
            Job.Status.FAILED,
            "The service's task queue did not answer, so it has not started. Nothing was changed: try again "
            "in a few minutes.",
        )
