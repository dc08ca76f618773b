"""Core Celery tasks."""

from celery import shared_task
from django.db import connection

from mappa import submissions


@shared_task(name="mappa.ping")
def ping(token):
    """Answer a liveness probe: proves a worker took the task and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"token": token, "database": one == 1}


@shared_task(name="mappa.forget_old_submissions")
def forget_old_submissions():
    """Delete the claims of one-time form tokens older than 24 hours (mappa.submissions); returns how many."""
    return submissions.forget_old_submissions()
