"""Preparing a progress report: the Celery worker's part (dashboard.tasks.build_report runs ``run``).

Asking for one and finding one ready are dashboard.reports'. The worker claims the build, counts and draws the
asker's dashboard for the filters asked for, lays it out (WeasyPrint), stores the file and marks it ready,
recording each step for the report's page; a build whose worker was lost for STALE is taken over.
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from dashboard import exports
from dashboard.cache import audience
from dashboard.filters import filter_form
from dashboard.models import ReportBuild
from dashboard.selectors.board import dashboard
from mappa.pdf import laid_out

logger = logging.getLogger(__name__)

Status, Step = ReportBuild.Status, ReportBuild.Step

STALE = timedelta(minutes=10)  # a build under way this long has lost its worker: it may be asked for again

WENT_WRONG = "Something went wrong on the server while preparing the report. Try again."
AUDIENCE_CHANGED = "What you may see changed after you asked (your role or areas), so it was not prepared. Try again."
FILTERS_GONE = "The filters no longer match the dashboard's quarters, areas or groups. Go back to the dashboard."


class ReportFailed(Exception):
    """The report cannot be prepared; the message says why, in plain words."""


def fail(build_id, message, claim=None):
    """Record that a build failed, unless it has finished already (or another worker has claimed it since)."""
    builds = ReportBuild.objects.filter(pk=build_id, status__in=[Status.QUEUED, Status.BUILDING])
    if claim is not None:
        builds = builds.filter(started_at=claim)
    builds.update(status=Status.FAILED, message=message, finished_at=timezone.now())


def run(build_id):
    """Prepare the report (the Celery task's body). Safe to run again: a build ready, failed, or under way
    with another worker is left alone; one whose worker was lost (STALE) is taken over."""
    claim = timezone.now()
    claimed = (
        ReportBuild.objects.filter(pk=build_id)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.BUILDING, started_at__lt=claim - STALE))
        .update(status=Status.BUILDING, step=Step.COUNTING, started_at=claim)
    )
    if not claimed:
        return
    build = ReportBuild.objects.select_related("asked_by").get(pk=build_id)
    try:
        _prepare(build, partial(_step, build_id, claim))
    except ReportFailed as failure:
        fail(build_id, str(failure), claim)
    except Exception:
        logger.exception("Dashboard report %s failed", build_id)
        fail(build_id, WENT_WRONG, claim)


def _step(build_id, claim, step):
    ReportBuild.objects.filter(pk=build_id, status=Status.BUILDING, started_at=claim).update(step=step)


def _prepare(build, step):
    user = build.asked_by
    if not user.is_active or audience(user) != build.audience:
        # The file would be offered to the audience in the key: it must hold what that audience may see.
        raise ReportFailed(AUDIENCE_CHANGED)
    form = filter_form(QueryDict(build.query))
    if not form.mark_errors():
        raise ReportFailed(FILTERS_GONE)
    board = dashboard(user, form.scope())  # Step.COUNTING, claimed with it
    step(Step.CHARTS)
    board.render_charts(nonce=None)
    step(Step.LAYOUT)
    document = laid_out(exports.report_html(board))
    step(Step.WRITING)
    content = document.write_pdf(pdf_tags=True)
    _keep(build, content, page_count=len(document.pages))


def _keep(build, content, *, page_count):
    """Store the file and mark the build ready; if another worker has taken it over meanwhile, drop the file."""
    field = ReportBuild._meta.get_field("file")
    name = field.storage.save(field.generate_filename(build, build.filename), ContentFile(content))
    marked = ReportBuild.objects.filter(pk=build.pk, status=Status.BUILDING, started_at=build.started_at).update(
        status=Status.READY, file=name, page_count=page_count, size=len(content), finished_at=timezone.now()
    )
    if not marked:
        field.storage.delete(name)
