"""/healthz tells a load balancer whether the database and the task broker answer."""

import pytest
from django.db import OperationalError

from config.celery import app as celery_app
from mappa import views

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Point the service (and its Celery app) at a Redis port where nothing listens."""
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    # Celery prefers the environment variable to its configuration, when it is set.
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT_BROKER)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    assert celery_app.conf.broker_write_url == CLOSED_PORT_BROKER
    yield
    celery_app.conf.broker_url = previous


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


def test_healthz_answers_anyone_with_ok_when_everything_is_up(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    if settings.CELERY_BROKER_URL:
        assert body["broker"] == "ok"
    else:
        assert body["broker"] == "ok (no broker: tasks run in-process)"
    # A load balancer must never see a cached answer.
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_broker_does_not_answer(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(views, "connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "error: OperationalError"
    assert body["broker"].startswith("ok")


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_redirected_to_https(client, settings):
    # Load balancers probe it over plain HTTP inside the network.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
