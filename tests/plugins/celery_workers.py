"""Real Celery workers for tests marked ``worker``: the fixtures that start them, and helpers to wait on them.

Fixtures: ``celery_workers`` starts as many workers as a test needs (each a
``celery -A config worker`` subprocess); ``celery_worker`` starts one. They need
CELERY_BROKER_URL (CI's second pass sets it to Redis); without one they skip.
``celery_eager`` (autouse) runs tasks in-process, even with a broker, in every
other test.

Helpers: ``worker_env`` (a worker whose mail goes to files), ``wait_for`` (wait
for a state the workers reach) and ``wait_until_idle`` (wait until the workers
have finished every task they were given, to prove that nothing more happens).

Loaded by ``pytest_plugins`` in tests/conftest.py.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

PROJECT = Path(__file__).resolve().parent.parent.parent

# "Task reminders.send_reminder_digest[<id>] received", "... succeeded in 0.1s: 2", "... retry: ...",
# "... raised unexpected: ...": every line a worker writes about a task, in order.
TASK_LINE = re.compile(r"Task [\w.]+\[([0-9a-f-]+)\] (\w+)")


def worker_env(mail_dir, **extra):
    """A worker on tests/reminders/worker_settings.py: its mail goes to files in ``mail_dir``."""
    return {
        "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
        "TEST_MAIL_DIR": str(mail_dir),
        **extra,
    }


def wait_for(condition, what, timeout=90, logs=()):
    """Wait until ``condition()`` is true (a state the workers reach), failing with their logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.\n" + "\n".join(Path(log).read_text() for log in logs))
        time.sleep(0.2)


def unfinished_tasks(log_text):
    """The ids of the tasks a worker's log shows it received and has not yet finished (succeeded, failed, retried)."""
    last = {}
    for task_id, event in TASK_LINE.findall(log_text):
        last[task_id] = event
    return {task_id for task_id, event in last.items() if event == "received"}


def messages_held(queue):
    """How many of ``queue``'s messages the broker (Redis) holds: waiting, or delivered and not yet acknowledged."""
    from kombu.exceptions import ChannelError

    from config.celery import app

    with app.connection_for_read() as connection:
        channel = connection.default_channel
        try:
            waiting = channel.queue_declare(queue=queue, passive=True).message_count
        except ChannelError:  # Redis keeps no key for an empty queue
            waiting = 0
        unacked = channel.client.hvals(channel.unacked_key)
        delivered = sum(1 for raw in unacked if json.loads(raw)[2] == queue)
    return waiting + delivered


def is_idle(workers):
    """True when nothing is left for ``workers``: every live one has finished each task it received, and the
    broker holds no message of their queues, waiting or unacknowledged (acks_late tasks are acknowledged when done).
    """
    live = [worker for worker in workers if worker.process.poll() is None]
    if any(unfinished_tasks(worker.log.read_text(errors="replace")) for worker in live):
        return False
    return not any(messages_held(queue) for queue in {worker.queue for worker in workers})


def wait_until_idle(*workers, timeout=90):
    """Wait until the workers have finished every task they were given and none is waiting for them.

    What a test asserts after this ("still one e-mail each") no task still in
    flight can change: a second send would have happened by now.
    """
    wait_for(
        lambda: is_idle(workers),
        "the workers to finish every task they received",
        timeout=timeout,
        logs=[worker.log for worker in workers],
    )


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
    """Start real Celery workers (``celery -A config worker``) with ``start(...)``; all are stopped after the test.

    ``start(queue=None, *, pool="solo", env=None)`` starts one worker on ``queue`` (a
    new queue of its own by default) and returns it once ready, as a namespace with
    ``.queue``, ``.name`` (its node name, for the control API), ``.log`` (its log
    file) and ``.process`` (its Popen, to kill it). ``env`` adds or overrides
    environment variables of the worker (e.g. EMAIL_URL, DJANGO_SETTINGS_MODULE).
    Several workers may share a queue.

    The workers are other processes, so they reach the test database through
    DATABASE_URL; transactional_db makes what the test writes visible to them.
    Send tasks with ``task.apply_async(..., queue=worker.queue)``.
    """
    from django.conf import settings
    from django.db import connection

    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set, so there is no broker for a worker to use")

    celery = Path(sys.executable).with_name("celery")
    if not celery.exists():
        celery = PROJECT / ".venv" / "bin" / "celery"
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
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
            "config",
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
                command, cwd=PROJECT, env={**base_env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
            )
        worker = SimpleNamespace(queue=queue, name=f"{hostname}@{socket.gethostname()}", log=log_path, process=process)
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
    """Start `celery -A config worker` on a queue of its own; yield it (``.queue``, ``.log``); stop it after.

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
    from config.celery import app

    if {"celery_worker", "celery_workers"} & set(request.fixturenames):
        yield
        return

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
