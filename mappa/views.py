"""Core pages: home, the groups directory, and the health check."""

from celery import current_app as celery_app  # the project's app (config/celery.py), loaded with Django
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mappa import selectors
from mappa.access import EVERYONE, allow
from mappa.models import Body


@allow(read=EVERYONE)
def home(request):
    return render(request, "mappa/home.html", {"page": selectors.home_page(request.user)})


@allow(read=EVERYONE)
def body_list(request):
    return render(request, "mappa/body_list.html", {"bodies": selectors.body_directory()})


@allow(read=EVERYONE)
def body_detail(request, slug):
    try:
        body, current, past = selectors.body_detail(slug)
    except Body.DoesNotExist:
        raise Http404("No such group") from None
    return render(request, "mappa/body_detail.html", {"body": body, "current": current, "past": past})


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure means "down" to a load balancer
        return f"error: {exc.__class__.__name__}"


def _broker_status():
    if not settings.CELERY_BROKER_URL:
        return "ok (no broker: tasks run in-process)"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and broker status for load balancers: 200 when both answer, else 503."""
    status = {"database": _database_status(), "broker": _broker_status()}
    healthy = all(value.startswith("ok") for value in status.values())
    status["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)


def bad_request(request, exception):
    """400 Bad Request (a value in the address or a form that no page of the service sends): templates/400.html."""
    return render(request, "400.html", status=400)
