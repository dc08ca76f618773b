"""The Celery task that prepares a progress report (dashboard.preparing: what it does)."""

from celery import shared_task

from dashboard.preparing import run


@shared_task(name="dashboard.build_report", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def build_report(build_id):
    """Prepare the report; run twice (a worker lost mid-way hands it to another), the second run does nothing
    unless the first's worker was lost."""
    run(build_id)
