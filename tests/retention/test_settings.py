"""The retention periods come from the settings, each overridable by its own environment variable
(RETENTION_<KIND>_YEARS), and a value the service cannot use stops it, naming the variable."""

import json
import subprocess
import sys

import pytest

from tests.mappa.test_config import KEY, PROJECT, clean_env, refusal

SHOW_RETENTION = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps(settings.RETENTION_YEARS))
"""


def retention_years(**variables):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_RETENTION],
        cwd=PROJECT,
        env=clean_env(SECRET_KEY=KEY, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_schedule():
    assert retention_years() == {"papers": 10, "returns": 7, "case_reviews": 7, "reminders": 2, "emails": 2, "audit": 7}


def test_each_period_can_be_set_on_its_own():
    years = retention_years(RETENTION_PAPERS_YEARS="12", RETENTION_CASE_REVIEWS_YEARS="8", RETENTION_AUDIT_YEARS="3")
    assert years == {"papers": 12, "returns": 7, "case_reviews": 8, "reminders": 2, "emails": 2, "audit": 3}


@pytest.mark.parametrize("value", ["0", "ten", "-1"])
def test_a_period_the_service_cannot_use_stops_it(value):
    message = refusal(SECRET_KEY=KEY, RETENTION_EMAILS_YEARS=value)
    assert message.startswith("mappa.config.ConfigError: RETENTION_EMAILS_YEARS ")
