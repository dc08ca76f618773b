"""Settings for the test suite: the real settings, with test-only defaults.

DATABASE_URL and CELERY_BROKER_URL from the environment still apply, so the
same suite runs on SQLite and on PostgreSQL with Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# The suite loads the demo world (tests/mappa/test_seed_demo.py, the browser tests).
os.environ.setdefault("DEMO_DATA", "true")
# Tests sign in with client.force_login, which has no second step: two-step sign-in is off unless a
# test turns it on (settings.MFA_REQUIRED = True, as tests/accounts and the browser sign-in tests do).
os.environ.setdefault("MFA_REQUIRED", "false")

from config.settings import *  # noqa: F403

# Hashing passwords slowly is a production virtue and a test-suite cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Tests serve static files from their sources, as in DEBUG.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, with the service's SQLite settings (WAL, busy timeout, BEGIN
    # IMMEDIATE), rather than Django's default in-memory one: that is a shared-cache database with
    # table locks of its own, so threads writing to it at once (tests/meetings/test_concurrent_saves.py)
    # would not behave as the service's SQLite file does under a threaded server. One file per
    # test run, so runs side by side in one checkout never share it; Django deletes it at the end.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        **DATABASES["default"].get("TEST", {}),  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"mappa-test-{os.getpid()}.sqlite3"),
    }
