"""The accounts' daily job, run by the beat (config/celery.py)."""

from celery import shared_task


@shared_task(name="accounts.deactivate_leavers")
def deactivate_leavers():
    """Switch off the accounts of people whose last membership has ended (accounts.deactivation); how many."""
    from accounts.deactivation import deactivate_leavers as deactivate

    return len(deactivate())
