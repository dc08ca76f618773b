"""The progress report (PDF) prepared by a Celery worker: asking for it, preparing it, finding it ready.

At national scale WeasyPrint takes 9 to 18 seconds to lay the report out, too long for a web
request. So asking for it records a ReportBuild and hands it to a worker once the transaction
commits (dashboard.tasks.build_report); the report's page shows its progress, refreshing itself,
and offers the file when it is ready. Without a broker (make run, the tests) the task runs in the
request, and the page opens on a ready report. A build the broker would not take is marked
failed at once, with a plain reason, so nobody waits for it.

A report is of one *board*: dashboard.cache's key of the asker's dashboard (the data's
generation, the day, the audience: roles and a chair's areas, the filters). Anyone whose key is
the same (the same audience, filters and day, the data unchanged) is shown the same report,
ready or under way, so it is prepared once; anyone else has another key and never sees it. A
ready report is offered for FRESH seconds at most (as long as the dashboard itself is kept:
writes that send no signal do not change the key), and every report is deleted, with its file,
a day after it was asked for (KEPT): when someone next asks for one.

Inspectors ask for it like everyone else: asking changes no record of the service
(mappa.access.AccessRule.asks_for_a_document).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from dashboard import exports, tasks
from dashboard.cache import TIMEOUT, audience, key
from dashboard.models import ReportBuild
from dashboard.preparing import STALE, fail
from mappa import access

logger = logging.getLogger(__name__)

Status, Step = ReportBuild.Status, ReportBuild.Step

FRESH = timedelta(seconds=TIMEOUT)  # a ready report is offered this long
KEPT = timedelta(days=1)  # then it goes, file and all

NOT_HANDED_OVER = (
    "The service's task queue did not answer, so the report has not been started. Try again in a few minutes."
)
TOOK_TOO_LONG = "It took too long and was stopped. Try again."


def may_ask(user):
    """Whether ``user`` may ask for a report to be prepared: every signed-in role, inspectors too (asking
    changes no record: mappa.access.AccessRule.asks_for_a_document)."""
    return bool(access.roles_of(user) & access.EVERYONE)


# --- Finding one ----------------------------------------------------------------------------------------


def is_stale(build, now=None):
    """Under way for longer than any report takes: its worker was lost."""
    return build.is_active and build.created_at < (now or timezone.now()) - STALE


def current(user, scope):
    """The report to show ``user`` for ``scope``: the newest of their board's, if it is under way, failed,
    or ready and fresh; None if there is none (or only an old one): then it may be asked for."""
    now = timezone.now()
    build = ReportBuild.objects.filter(key=key(user, scope), created_at__gte=now - KEPT).first()
    if build is None or (build.is_ready and build.finished_at < now - FRESH):
        return None
    if build.is_ready and not build.file.storage.exists(build.file.name):
        logger.warning("Dashboard report %s is ready but its file %s is missing", build.pk, build.file.name)
        return None  # gone from storage (restored from a backup, another host's media): prepared again
    if is_stale(build, now):
        # Shown as it will be recorded when someone asks again (this is a read: nothing is written here).
        build.status, build.message = Status.FAILED, TOOK_TOO_LONG
    return build


def ready(user, scope):
    """The ready, fresh report of ``user``'s board for ``scope``, or None."""
    build = current(user, scope)
    return build if build is not None and build.is_ready else None


# --- Asking for one -------------------------------------------------------------------------------------


def ask(*, user, scope):
    """The report of ``user``'s board for ``scope``: the one ready or under way, or a new one handed to a worker."""
    if not may_ask(user):
        raise PermissionError("Only someone signed in with a role may ask for a report.")
    _clear_old()
    board_key = key(user, scope)
    with transaction.atomic():
        found = current(user, scope)
        if found is not None and (found.is_ready or found.is_active):
            return found
        # One lost by its worker is recorded as failed, so that a new one may start.
        ReportBuild.objects.filter(
            key=board_key, status__in=[Status.QUEUED, Status.BUILDING], created_at__lt=timezone.now() - STALE
        ).update(status=Status.FAILED, message=TOOK_TOO_LONG, finished_at=timezone.now())
        try:
            with transaction.atomic():
                build = ReportBuild.objects.create(
                    asked_by=user,
                    key=board_key,
                    audience=audience(user),
                    query=scope.query,
                    filename=exports.filename(scope, "pdf"),
                )
        except IntegrityError:
            # Someone of the same audience asked for the same board a moment ago: theirs is this one.
            return ReportBuild.objects.get(key=board_key, status__in=[Status.QUEUED, Status.BUILDING])
        transaction.on_commit(partial(_hand_over, build.pk))
    return build


def _hand_over(build_id):
    try:
        tasks.build_report.apply_async(args=[build_id], retry=False, ignore_result=True)
    except Exception:
        logger.exception("Dashboard report %s not handed to a worker", build_id)
        fail(build_id, NOT_HANDED_OVER)


def forget_every_report():
    """Delete every report and its file: an erasure of personal data may have changed what any of them shows
    (they are prepared again, from the records as they now are, when next asked for)."""
    for build in ReportBuild.objects.all():
        build.delete()


def _clear_old():
    """Delete the reports asked for more than KEPT ago, and their files (ReportBuild's post_delete)."""
    for build in ReportBuild.objects.filter(created_at__lt=timezone.now() - KEPT):
        build.delete()
