"""The service reads its configuration from environment variables and refuses values it cannot use.

Each case starts Django in a fresh process with a clean environment, as a
deployment would, so nothing from the test run leaks in.
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "database_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "email_backend": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "email_port": getattr(settings, "EMAIL_PORT", None),
    "email_user": getattr(settings, "EMAIL_HOST_USER", None),
    "email_tls": getattr(settings, "EMAIL_USE_TLS", None),
    "session_age": settings.SESSION_COOKIE_AGE,
    "demo_data": "demo" in settings.INSTALLED_APPS,
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def clean_env(**variables):
    """Only what a process needs to run, plus the variables under test."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **variables,
    }


def start_django(**variables):
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=PROJECT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**variables):
    result = start_django(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refusal(**variables):
    """The configuration error that stops Django starting, as its last line of output."""
    result = start_django(**variables)
    assert result.returncode != 0, f"Django started with {variables}"
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("mappa.config.ConfigError: "), result.stderr
    return last_line


KEY = "k" * 50


def test_production_without_a_secret_key_refuses_to_start():
    assert "SECRET_KEY must be set" in refusal()
    assert "SECRET_KEY must be set" in refusal(DEBUG="false")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "bogus://x"),
        ("DATABASE_URL", "mysql://u@db/mappa"),
        ("CELERY_BROKER_URL", "amqp://x"),
        ("CACHE_URL", "memcached://x"),
        ("SESSION_IDLE_MINUTES", "abc"),
        ("SESSION_IDLE_MINUTES", "0"),
        ("LOGIN_FAILURE_LIMIT", "lots"),
        ("EMAIL_URL", "bogus://x"),
    ],
)
def test_a_value_the_service_cannot_use_stops_it_naming_the_variable(variable, value):
    message = refusal(SECRET_KEY=KEY, **{variable: value})
    assert message.startswith(f"mappa.config.ConfigError: {variable} ")
    assert value in message or variable == "EMAIL_URL"


def test_the_defaults_need_nothing_else_installed():
    values = settings_with(SECRET_KEY=KEY)
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["session_age"] == 30 * 60
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_sqlite_writers_queue_for_each_other_instead_of_failing_with_database_is_locked():
    # Issue 11: `make run` serves SQLite from several threads (tests/meetings/test_concurrent_saves.py).
    options = settings_with(SECRET_KEY=KEY)["database_options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert options["init_command"] == "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    # Options given in the URL win.
    options = settings_with(SECRET_KEY=KEY, DATABASE_URL="sqlite:////tmp/x.sqlite3?timeout=60")["database_options"]
    assert options["timeout"] == 60
    assert options["transaction_mode"] == "IMMEDIATE"


def test_debug_needs_no_secret_key():
    assert settings_with(DEBUG="true")["debug"] is True


def test_postgres_and_redis_urls_are_accepted():
    values = settings_with(
        SECRET_KEY=KEY, DATABASE_URL="postgres://mappa@db.internal:5432/mappa", CELERY_BROKER_URL="redis://q:6379/0"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"  # one process: no CACHE_URL needed
    shared = settings_with(SECRET_KEY=KEY, CACHE_URL="redis://cache:6379/1")
    assert shared["cache"] == "django.core.cache.backends.redis.RedisCache"
    # The JIT compiler would spend seconds compiling the dashboard's aggregates (README, "Scale").
    assert values["database_options"]["options"] == "-c jit=off"


def test_postgres_options_given_in_the_url_are_kept_beside_jit_off():
    values = settings_with(SECRET_KEY=KEY, DATABASE_URL="postgres://mappa@db/mappa?options=-c%20work_mem%3D32MB")
    assert values["database_options"]["options"] == "-c work_mem=32MB -c jit=off"


def test_the_session_idle_limit_is_set_in_minutes():
    assert settings_with(SECRET_KEY=KEY, SESSION_IDLE_MINUTES="45")["session_age"] == 45 * 60


def test_an_smtp_url_with_tls_sends_real_email():
    values = settings_with(SECRET_KEY=KEY, EMAIL_URL="smtp+tls://u:p@mail.example:587")
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "mail.example"
    assert values["email_port"] == 587
    assert values["email_user"] == "u"
    assert values["email_tls"] is True


def test_the_production_settings_pass_djangos_deployment_checks():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    secret_key = "".join(secrets.choice(alphabet) for _ in range(60))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=clean_env(DEBUG="false", SECRET_KEY=secret_key, ALLOWED_HOSTS="mappa.example.gov.scot"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_demo_world_and_scale_dataset_are_for_development_only():
    # Production does not load them, so `seed_demo` and `seed_scale` do not exist there.
    assert settings_with(SECRET_KEY=KEY)["demo_data"] is False
    assert settings_with(DEBUG="true")["demo_data"] is True
    # A staging copy may ask for them with DEBUG off, and a laptop may leave them out.
    assert settings_with(SECRET_KEY=KEY, DEMO_DATA="true")["demo_data"] is True
    assert settings_with(DEBUG="true", DEMO_DATA="false")["demo_data"] is False


def test_make_run_takes_a_port_and_links_point_at_it(tmp_path):
    # A stand-in for the venv's python that says what it was asked to do and which address
    # the service would put in e-mails and calendar invitations.
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$SITE_URL $*"\n')
    fake.chmod(0o755)

    def run(**variables):
        result = subprocess.run(
            ["make", "--no-print-directory", "-s", "run", f"BIN={tmp_path}", "PORT=8001"],
            cwd=PROJECT,
            env=clean_env(**variables),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    lines = run()
    assert "Serving MAPPA Governance at http://127.0.0.1:8001 (Ctrl+C to stop)" in lines
    assert lines[-1] == "http://127.0.0.1:8001 manage.py runserver 127.0.0.1:8001"
    # Where the service says it is, that address wins.
    assert run(SITE_URL="https://mappa.example.gov.scot")[-1] == (
        "https://mappa.example.gov.scot manage.py runserver 127.0.0.1:8001"
    )
