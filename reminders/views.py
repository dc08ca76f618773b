"""The reminder log: what chasing e-mails went to whom and when, and which failed (secretariat only)."""

from django.conf import settings
from django.shortcuts import render

from mappa.access import SECRETARIAT, allow
from reminders import selectors
from reminders.models import Reminder


@allow(read=SECRETARIAT)
def reminder_log(request):
    state = request.GET.get("state") if request.GET.get("state") in Reminder.State.values else ""
    kind = request.GET.get("kind") if request.GET.get("kind") in Reminder.Kind.values else ""
    log = selectors.reminder_log(state=state or None, kind=kind or None, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reminders/reminder_log.html", {
        **log,
        "state": state,
        "kind": kind,
        "states": Reminder.State.choices,
        "kinds": Reminder.Kind.choices,
        "filter_query": query.urlencode(),
        "interval_days": settings.ACTION_REMINDER_INTERVAL_DAYS,
    })
