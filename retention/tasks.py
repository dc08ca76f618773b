"""The monthly retention job (config/celery.py): the schedule applied, as `manage.py apply_retention` does."""

from celery import shared_task

from retention import services


@shared_task(name="retention.apply_retention", acks_late=True, reject_on_worker_lost=True)
def apply_retention():
    """Delete what the retention schedule says has been kept long enough; returns the counts by kind.

    Safe to run again, or twice at once: what one run deleted the next no longer finds.
    """
    return services.apply_retention(dry_run=False).counts()
