"""Settings for the Celery workers that tests/reminders/test_worker.py starts.

The test settings, with the worker's mail written to files in TEST_MAIL_DIR (by
tests.reminders.mail.PausingFileBackend, which can pause the first send so the
test can kill the worker mid-send), and Redis's visibility timeout (how long an
unacknowledged task waits before another worker takes it again; 1 hour by
default) set from TEST_VISIBILITY_TIMEOUT, looked for every second rather than
every 100.
"""

import os

from config.test_settings import *  # noqa: F403

EMAIL_BACKEND = "tests.reminders.mail.PausingFileBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
