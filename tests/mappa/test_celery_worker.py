"""A real Celery worker takes the service's tasks from the broker and can reach the database.

Runs only with a broker (CI's second pass sets CELERY_BROKER_URL to Redis); without
one, tasks run in-process and there is no worker to test.
"""

import uuid

import pytest
from celery.result import EagerResult
from django.conf import settings

from mappa.tasks import ping
from tests.plugins.celery_workers import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="CELERY_BROKER_URL is not set: tasks run in-process, so there is no worker to test",
    ),
]


def test_a_worker_answers_a_ping_with_the_database_reachable(celery_worker):
    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token], queue=celery_worker.queue)
    assert not isinstance(result, EagerResult)  # it went through the broker, not in-process
    assert result.get(timeout=60) == {"token": token, "database": True}
    # The worker's own log shows it took the task (it writes "succeeded" just after storing the result).
    wait_for(
        lambda: f"Task mappa.ping[{result.id}] succeeded" in celery_worker.log.read_text(),
        "the worker to log the ping",
        timeout=10,
        logs=[celery_worker.log],
    )
    assert f"Task mappa.ping[{result.id}] received" in celery_worker.log.read_text()
