"""Search's Celery task: rebuilding the whole index in the background (search.index.rebuild)."""

import logging

from celery import shared_task

from search import index

logger = logging.getLogger(__name__)


@shared_task(name="search.rebuild_index", ignore_result=True, acks_late=True)
def rebuild_index():
    """Rewrite every entry; safe beside the service (see search.index): after bulk writes that bypassed save()."""
    written = index.rebuild()
    logger.info("Search index rebuilt: %d entries", written)
    return written
