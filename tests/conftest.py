"""Fixtures shared by the whole suite: a user for each role, and the demo world."""

import pytest

from mappa.models import Person
from tests.factories import AreaFactory, user_with_role

Role = Person.AccessRole


@pytest.fixture
def fife(db):
    return AreaFactory(name="Fife", slug="fife", code="FIF")


@pytest.fixture
def glasgow(db):
    return AreaFactory(name="Glasgow", slug="glasgow", code="GLA")


@pytest.fixture
def secretariat_user(db):
    return user_with_role(Role.SECRETARIAT, username="t-secretariat")


@pytest.fixture
def chair_user(fife):
    return user_with_role(Role.SOG_CHAIR, username="t-chair-fife", areas=[fife])


@pytest.fixture
def member_user(db):
    return user_with_role(Role.NSG_MEMBER, username="t-member")


@pytest.fixture
def inspector_user(db):
    return user_with_role(Role.INSPECTOR, username="t-inspector")


@pytest.fixture
def administrator_user(db):
    return user_with_role("", username="t-admin", superuser=True)


@pytest.fixture
def users_by_role(secretariat_user, chair_user, member_user, inspector_user, administrator_user):
    """One signed-in user for every role, keyed by role name."""
    return {
        "secretariat": secretariat_user,
        "sog_chair": chair_user,
        "nsg_member": member_user,
        "inspector": inspector_user,
        "administrator": administrator_user,
    }


@pytest.fixture
def demo_world(db):
    from mappa import demo

    return demo.seed_core()


# ----------------------------------------------------------------------------------------------
# celery_worker: a real Celery worker in a subprocess, for tests marked `worker` (celery_workers
# starts as many as a test needs). It needs CELERY_BROKER_URL (CI's second pass sets it to
# Redis); without one it skips. celery_eager runs tasks in-process even with a broker.
# ----------------------------------------------------------------------------------------------


def _worker_database_url(settings_dict, tmp_path):
    """DATABASE_URL for the worker: the test database this run created (not the configured one)."""
    from urllib.parse import quote

    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "localhost"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"
    name = str(settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        # Another process cannot open this run's in-memory SQLite database; give the
        # worker a file of its own (tasks that only need a connection still prove it).
        name = str(tmp_path / "worker.sqlite3")
    return f"sqlite:///{name}"


@pytest.fixture
def celery_workers(transactional_db, tmp_path):
    """Start real Celery workers (``celery -A mappa worker``) with ``start(...)``; all are stopped after the test.

    ``start(queue=None, *, pool="solo", env=None)`` starts one worker on ``queue`` (a
    new queue of its own by default) and returns it once ready, as a namespace with
    ``.queue``, ``.log`` (its log file) and ``.process`` (its Popen, to kill it).
    ``env`` adds or overrides environment variables of the worker (e.g. EMAIL_URL,
    DJANGO_SETTINGS_MODULE). Several workers may share a queue.

    The workers are other processes, so they reach the test database through
    DATABASE_URL; transactional_db makes what the test writes visible to them.
    Send tasks with ``task.apply_async(..., queue=worker.queue)``.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path
    from types import SimpleNamespace

    from django.conf import settings
    from django.db import connection

    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set, so there is no broker for a worker to use")

    project = Path(__file__).resolve().parent.parent
    celery = Path(sys.executable).with_name("celery")
    if not celery.exists():
        celery = project / ".venv" / "bin" / "celery"
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mappa.test_settings",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DATABASE_URL": _worker_database_url(connection.settings_dict, tmp_path),
    }
    if settings.CELERY_RESULT_BACKEND:
        base_env["CELERY_RESULT_BACKEND"] = settings.CELERY_RESULT_BACKEND
    started = []

    def start(queue=None, *, pool="solo", env=None):
        queue = queue or f"test-worker-{uuid.uuid4().hex[:12]}"
        number = len(started) + 1
        log_path = tmp_path / ("celery-worker.log" if number == 1 else f"celery-worker-{number}.log")
        hostname = queue if number == 1 else f"{queue}-{number}"
        command = [
            str(celery),
            "-A",
            "mappa",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            f"--hostname={hostname}@%h",
            "--loglevel=INFO",
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=project, env={**base_env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
            )
        worker = SimpleNamespace(queue=queue, log=log_path, process=process)
        started.append(worker)
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None:
                pytest.fail(f"The Celery worker exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"The Celery worker was not ready within 60 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.process.terminate()  # a warm shutdown: the worker finishes its task and closes its connections
            try:
                worker.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


@pytest.fixture
def celery_worker(celery_workers):
    """Start `celery -A mappa worker` on a queue of its own; yield it (``.queue``, ``.log``); stop it after.

    The worker is another process, so it reaches the test database through
    DATABASE_URL; transactional_db makes what the test writes visible to it.
    Send tasks with ``task.apply_async(..., queue=celery_worker.queue)``.
    """
    return celery_workers()


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run Celery tasks in-process, even when CELERY_BROKER_URL is set (CI's second pass).

    With a broker, ``task.delay()`` would otherwise put the task on the queue, where no
    worker takes it. Tests that start a real worker (celery_worker, celery_workers) keep
    the broker.
    """
    from mappa.celery import app

    if {"celery_worker", "celery_workers"} & set(request.fixturenames):
        yield
        return

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
