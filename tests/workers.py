"""Helpers for tests that start real Celery workers (the ``celery_workers`` fixture in tests/conftest.py)."""

import os
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


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
