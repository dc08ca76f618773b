"""The broker taken away: Celery pointed at a closed port, as when Redis is down."""

import pytest

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once


def _forget_connections(app):
    """Drop the app's pooled broker connections, so the next task opens one to the broker now configured.

    Not closed: kombu keeps the producer pool in a global registry, and a closed one would be found again.
    """
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks really go to a broker (not in-process), and the broker is unreachable, until ``back()`` is called.

    Celery reads CELERY_BROKER_URL from the environment before its own settings,
    so both are changed.
    """
    from config.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}

    class Broker:
        def back(self):
            """The broker is back: tasks run as before (in-process, or on a real worker in worker tests)."""
            monkeypatch.undo()
            app.conf.broker_url = saved["broker_url"]
            app.conf.task_always_eager = saved["task_always_eager"]
            _forget_connections(app)

    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)
    app.conf.broker_url = CLOSED_PORT
    app.conf.task_always_eager = False
    _forget_connections(app)
    broker = Broker()
    yield broker
    broker.back()
