"""The e-mail log (/emails/, secretariat only): every e-mail a step of the service sent, and sending one again."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access import SECRETARIAT, allow
from mappa.pagination import govuk_pagination
from mappa.submissions import submitted_once
from outbox import selectors, services
from outbox.filters import EmailFilter
from outbox.models import Email


@allow(read=SECRETARIAT)
@require_http_methods(["GET", "HEAD"])
def email_log(request):
    filterset = EmailFilter(request.GET, queryset=Email.objects.all())
    log = selectors.email_log(filterset, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outbox/email_log.html",
        {
            **log,
            "filter": filterset,
            "filtered": any(filterset.form.cleaned_data.values()) if filterset.is_valid() else bool(query),
            "pagination": govuk_pagination(log["page"], query),
        },
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["POST"])
@submitted_once  # a sent e-mail goes again as a new copy: once per click
def send_again(request, pk):
    email = get_object_or_404(Email, pk=pk)
    going = services.send_again(email, by=request.user)
    if going.state == Email.State.NOT_SENT:
        messages.info(request, f"That e-mail was not sent ({going.error}), so there is nothing to send again.")
    elif going.pk == email.pk:
        messages.success(request, f"The e-mail to {email.to} will be sent again in a moment.")
    else:
        messages.success(request, f"A copy of the e-mail will be sent to {going.to} in a moment.")
    return redirect(reverse("outbox:log") + f"#email-{going.pk}")
