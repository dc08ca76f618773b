"""The Celery task that runs a disclosure job (disclosure.work: finding personal data, building a pack)."""

from celery import shared_task

from disclosure import work


@shared_task(name="disclosure.run_job", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_job(job_id):
    """Run the job; a worker lost mid-way hands it to another, which starts it again only if still queued."""
    work.run_job(job_id)
