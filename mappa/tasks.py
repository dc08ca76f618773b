"""Core Celery tasks."""

from celery import shared_task
from django.db import connection


@shared_task(name="mappa.ping")
def ping(token):
    """Answer a liveness probe: proves a worker took the task and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"token": token, "database": one == 1}
