"""The secretariat's reporting periods: the list, adding a period, and moving its due date."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mappa.access import SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from reviews.forms import DueDateForm, PeriodForm
from reviews.models import ReportingPeriod
from reviews.selectors import periods
from reviews.services.periods import change_due_date, create_period
from reviews.services.returns import ReturnRefused
from reviews.views.returns import not_allowed


def period_or_404(slug):
    try:
        return ReportingPeriod.objects.by_slug(slug)
    except ReportingPeriod.DoesNotExist:
        raise Http404("No such reporting period") from None


@allow(read=SECRETARIAT)
def period_list(request):
    return render(request, "reviews/periods.html", {"rows": periods.period_list()})


def _period_page(request, form, period, change):
    """The period form; a valid POST makes the change (a service call giving the message) and goes to the list."""
    if request.method == "POST" and form.is_valid():
        try:
            message = change(form.cleaned_data)
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, message)
            return redirect("reviews:period-list")
    return render(
        request, "reviews/period_form.html", {"form": form, "period": period}, status=400 if form.errors else 200
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["GET", "POST"])
@submitted_once
def period_create(request):
    if request.method == "POST":
        form = PeriodForm(request.POST)
    else:
        year, quarter = periods.next_period_to_add()
        form = PeriodForm(initial={"year": year, "quarter": quarter})

    def create(data):
        period = create_period(by=request.user, **data)
        return (
            f"{period.label} added: returns open on {period.opens_on:%-d %B %Y} and are due by "
            f"{period.due_on:%-d %B %Y}."
        )

    return _period_page(request, form, None, create)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def period_edit(request, period):
    """Change a period's due date."""
    period = period_or_404(period)
    if request.method not in ("GET", "POST"):
        return not_allowed()
    form = DueDateForm(request.POST) if request.method == "POST" else DueDateForm(initial={"due_on": period.due_on})

    def change(data):
        changed = change_due_date(period, by=request.user, due_on=data["due_on"])
        return f"Returns for {changed.label} are now due by {changed.due_on:%-d %B %Y}."

    return _period_page(request, form, period, change)
