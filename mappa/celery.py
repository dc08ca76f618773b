"""The Celery app. Run workers with `celery -A mappa worker` and one `celery -A mappa beat`.

With CELERY_BROKER_URL unset, settings make every task run eagerly in-process.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mappa.settings")

app = Celery("mappa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs are defined here, in code, so every deployment runs the same ones.
# Later phases add their chasing jobs (late returns, review dates) beside the overdue actions.
app.conf.beat_schedule = {
    # Each owner's digest of overdue and soon-due actions, and the secretariat's of long-overdue
    # ones: every day at 07:00 UK time (CELERY_TIMEZONE is Europe/London). Safe to run again.
    "chase-overdue-actions": {
        "task": "actions.chase_overdue_actions",
        "schedule": crontab(hour=7, minute=0),
    },
}
