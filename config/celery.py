"""The Celery app. Run workers with `celery -A config worker` and one `celery -A config beat`.

With CELERY_BROKER_URL unset, settings make every task run eagerly in-process.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mappa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs are defined here, in code, so every deployment runs the same ones.
app.conf.beat_schedule = {
    # E-mails that steps of the service queued (draft minutes, returns sent back) and that are still
    # waiting or failed, e.g. because the broker was down when the step committed: every 5 minutes.
    "sweep-unsent-emails": {
        "task": "outbox.sweep_unsent_emails",
        "schedule": 5 * 60,
    },
    # The same for the chasing jobs' reminder digests claimed but not yet sent.
    "sweep-unsent-reminders": {
        "task": "reminders.sweep_unsent_reminders",
        "schedule": 5 * 60,
    },
    # Each owner's digest of overdue and soon-due actions, and the secretariat's of long-overdue
    # ones: every day at 07:00 UK time (CELERY_TIMEZONE is Europe/London). Safe to run again.
    "chase-overdue-actions": {
        "task": "actions.chase_overdue_actions",
        "schedule": crontab(hour=7, minute=0),
    },
    # Policy leads (and the secretariat, in one digest) of recommendations past their review date
    # with no update since: once per review date. Daily at 07:05 UK time.
    "remind-review-dates": {
        "task": "recommendations.remind_review_dates",
        "schedule": crontab(hour=7, minute=5),
    },
    # Areas' chairs and coordinators of returns due in 7 days, due today, and weekly when late; the
    # secretariat's weekly list of late returns (first run of each week, normally Monday's). Daily at 07:10.
    "chase-late-returns": {
        "task": "reviews.chase_late_returns",
        "schedule": crontab(hour=7, minute=10),
    },
    # Switch off the accounts of people whose last membership has ended (accounts/deactivation.py), e-mail
    # them, and list them for the secretariat. Daily at 06:30 UK time. Safe to run again.
    "deactivate-leavers": {
        "task": "accounts.deactivate_leavers",
        "schedule": crontab(hour=6, minute=30),
    },
    # Forget the one-time tokens of forms sent more than 24 hours ago (mappa.submissions). Daily at 03:30.
    "forget-old-submissions": {
        "task": "mappa.forget_old_submissions",
        "schedule": crontab(hour=3, minute=30),
    },
    # The retention schedule (retention/schedule.py): delete what has been kept long enough. Monthly, on
    # the 1st at 03:45 UK time; a missed month is caught up by the next run.
    "apply-retention": {
        "task": "retention.apply_retention",
        "schedule": crontab(day_of_month=1, hour=3, minute=45),
    },
}
