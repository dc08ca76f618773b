"""The reminder log: what chasing e-mails went to whom and when, and which failed (secretariat only)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access import SECRETARIAT, allow
from reminders import selectors, tasks
from reminders.filters import ReminderFilter
from reminders.models import Reminder


@allow(read=SECRETARIAT)
@require_http_methods(["GET", "HEAD"])
def reminder_log(request):
    filterset = ReminderFilter(request.GET, queryset=Reminder.objects.all())
    log = selectors.reminder_log(filterset, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reminders/reminder_log.html",
        {
            **log,
            "filter": filterset,
            "filtered": bool(filterset.chosen()),
            "filter_query": query.urlencode(),
            "interval_days": settings.ACTION_REMINDER_INTERVAL_DAYS,
        },
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["POST"])
def send_now(request, digest_id):
    """Send a waiting or failed digest now rather than at the next sweep."""
    rows = Reminder.objects.filter(digest_id=digest_id).select_related("recipient")
    first = rows.first()
    if first is None:
        raise Http404("No such reminder e-mail")
    if rows.filter(state__in=Reminder.UNSENT).exists():
        tasks.send_soon(digest_id)
        messages.success(request, f"The reminder to {first.recipient.email} will be sent in a moment.")
    else:
        messages.info(request, f"The reminder to {first.recipient.email} has already been sent.")
    return redirect(reverse("reminders:log") + f"#digest-{digest_id}")
