"""Returns and case review pages. Views parse the request, call a selector or service, and render.

Every look-up of a return or a record goes through reviews.selectors, which
applies the area rule (reviews.selectors.visibility): another area's return is
404 for a SOG chair, and a return that is not approved is 404 for inspectors
and NSG members.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.pagination import govuk_pagination, page_of
from mappa.refusals import refusal_onto
from mappa.selectors import areas_for
from mappa.submissions import submitted_once
from meetings.models import AgendaItem, Meeting
from meetings.selectors.minutes import minute_editor
from meetings.services.meetings import MeetingStepRefused
from meetings.services.minutes import EditConflict
from reviews import rules
from reviews.filters import CaseReviewFilter
from reviews.forms import (
    SECTION_FORMS,
    AttachTableForm,
    CaseReviewForm,
    DueDateForm,
    PeriodForm,
    ReopenForm,
    SendBackForm,
    SogUpdatesForm,
    SubmitForm,
)
from reviews.models import QuarterlyReturn, ReportingPeriod
from reviews.selectors import history, periods
from reviews.selectors.case_reviews import case_review_for, case_reviews_for, figures_from_case_reviews
from reviews.selectors.matrix import APPROVED_PER_PAGE, approved_returns, area_returns, returns_matrix
from reviews.selectors.nsg_meeting import (
    approved_by_area,
    case_review_table,
    meetings_for_papers,
    periods_with_approved_returns,
)
from reviews.selectors.returns import find_return, return_page
from reviews.selectors.visibility import EDITORS, acts_for_areas, is_secretariat
from reviews.services.case_reviews import create_case_review, update_case_review
from reviews.services.nsg_meeting import add_sog_updates_to_minute, attach_case_review_table
from reviews.services.periods import change_due_date, create_period
from reviews.services.returns import (
    ReturnRefused,
    approve_return,
    make_nil_return,
    reopen_return,
    save_section,
    send_back,
    submit_return,
)

Status = QuarterlyReturn.Status


def _not_allowed():
    """405 for a view that looks its object up first: a missing one answers 404 to every method its rule allows (see
    tests/mappa/test_url_permissions.py), so these cannot take require_http_methods, which answers first."""
    return HttpResponseNotAllowed(["GET", "POST"])


def _return_or_404(request, period, area):
    try:
        return find_return(request.user, period, area)
    except ObjectDoesNotExist:
        raise Http404("No such return") from None


def _page_or_404(request, period, area):
    try:
        return return_page(request.user, period, area)
    except ObjectDoesNotExist:
        raise Http404("No such return") from None


# ----------------------------------------------------------------------------------------------
# The returns page
# ----------------------------------------------------------------------------------------------


@allow(read=EVERYONE)
def returns(request):
    """The secretariat's completeness matrix; a chair's own returns; approved returns for everyone else."""
    user = request.user
    context = {"is_secretariat": is_secretariat(user)}
    if context["is_secretariat"]:
        context["matrix"] = returns_matrix()
    elif acts_for_areas(user):
        context["area_returns"] = area_returns(user)
    else:
        context["approved"] = page_of(approved_returns(), request.GET.get("page"), APPROVED_PER_PAGE)
        context["pagination"] = govuk_pagination(context["approved"], request.GET)
    return render(request, "reviews/returns.html", context)


# ----------------------------------------------------------------------------------------------
# One return
# ----------------------------------------------------------------------------------------------


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.VIEW)
def return_detail(request, period, area):
    page = _page_or_404(request, period, area)
    audit_subject(request, page.ret if page.ret.pk else None, label=str(page.ret), page="return")
    return render(request, "reviews/return_detail.html", {"page": page, "ret": page.ret})


@allow(read=EDITORS, write=EDITORS)
@submitted_once  # the first save, a section or a nil return, creates the return
def return_edit(request, period, area, section):
    """One section of the return: save and continue to the next (or back to check your answers)."""
    page = _page_or_404(request, period, area)
    ret = page.ret
    if section not in rules.SECTIONS_BY_SLUG:
        raise Http404("No such section")
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    if not ret.is_editable or not ret.period.is_open():
        messages.info(
            request,
            "This return cannot be changed now."
            if ret.period.is_open()
            else f"Returns for {ret.period.label} open on {ret.period.opens_on:%-d %B %Y}.",
        )
        return redirect(ret)
    form_class = SECTION_FORMS[section]
    previous = page.previous
    back_to_check = request.GET.get("return_to") == "check"
    prefill = None
    if request.method == "POST":
        form = form_class(request.POST, ret=ret, previous=previous)
        if form.is_valid():
            try:
                save_section(ret, section, form.values(), by=request.user, confirmed_warnings=form.confirmed_keys)
            except ReturnRefused as refusal:
                refusal_onto(form, refusal)
            else:
                following = rules.next_section(section)
                if back_to_check or following is None:
                    return redirect("reviews:return-check", period=period, area=area)
                return redirect("reviews:return-edit", period=period, area=area, section=following.slug)
    else:
        initial = form_class.initial_from(ret)
        if section == rules.S.CASE_REVIEWS and request.GET.get("from") == "records":
            prefill = figures_from_case_reviews(ret.area, ret.period)
            initial.update(prefill.values)
        form = form_class(initial=initial, ret=ret, previous=previous)
    return render(
        request,
        "reviews/section_form.html",
        {
            "page": page,
            "ret": ret,
            "form": form,
            "section": rules.SECTIONS_BY_SLUG[section],
            "comment": page.comments.get(section),
            "prefill": prefill,
            "back_to_check": back_to_check,
            "previous": previous,
        },
    )


@allow(read=EDITORS)
def return_check(request, period, area):
    """Check your answers: every section with Change links, then submit."""
    page = _page_or_404(request, period, area)
    if page.ret.status not in (Status.DRAFT, Status.RETURNED):
        return redirect(page.ret)
    form = SubmitForm()
    if page.warnings:
        form.fields["confirm"].label = rules.confirmation_label(page.warnings)
    return render(request, "reviews/check.html", {"page": page, "ret": page.ret, "submit_form": form})


@allow(read=EDITORS, write=EDITORS)
def return_submit(request, period, area):
    ret = _return_or_404(request, period, area)
    if request.method == "GET":
        return redirect("reviews:return-check", period=period, area=area)
    if request.method != "POST":
        return _not_allowed()
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        ret = submit_return(ret, by=request.user, confirmed=form.cleaned_data.get("confirm", False))
    except ReturnRefused as refusal:
        refusal_onto(form, refusal)
        page = _page_or_404(request, period, area)
        if page.warnings:
            form.fields["confirm"].label = rules.confirmation_label(page.warnings)
        return render(
            request,
            "reviews/check.html",
            {"page": page, "ret": page.ret, "submit_form": form, "form": form},
            status=400,
        )
    word = "resubmitted" if ret.status == Status.RESUBMITTED else "submitted"
    messages.success(
        request, f"The {ret.area.name} return for {ret.period.label} has been {word} to the NSG secretariat."
    )
    return redirect(ret)


@allow(read=EDITORS, write=EDITORS)
@submitted_once  # the first save, a nil one or a section, creates the return
def return_nil(request, period, area):
    """Nothing to report this quarter: fill every figure with 0, then check and submit."""
    ret = _return_or_404(request, period, area)
    if request.method == "GET":
        return redirect(ret)
    if request.method != "POST":
        return _not_allowed()
    try:
        make_nil_return(ret, by=request.user)
    except ReturnRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(ret)
    return redirect("reviews:return-check", period=period, area=area)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def return_send_back(request, period, area):
    """The secretariat returns a submitted return for amendment, with a comment per section."""
    page = _page_or_404(request, period, area)
    ret = page.ret
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    if ret.status not in QuarterlyReturn.AWAITING_CHECK:
        messages.info(request, "Only a submitted return can be returned for amendment.")
        return redirect(ret)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            send_back(ret, by=request.user, comments=form.comments(), note=form.cleaned_data["note"])
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(
                request,
                f"The {ret.area.name} return for {ret.period.label} has been returned for "
                "amendment. An e-mail telling the submitter is on its way.",
            )
            return redirect(ret)
    return render(request, "reviews/send_back.html", {"page": page, "ret": ret, "form": form})


@allow(read=SECRETARIAT, write=SECRETARIAT)
def return_approve(request, period, area):
    ret = _return_or_404(request, period, area)
    if request.method == "GET":
        return redirect(ret)
    if request.method != "POST":
        return _not_allowed()
    try:
        approve_return(ret, by=request.user)
    except ReturnRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The {ret.area.name} return for {ret.period.label} is approved.")
    return redirect(ret)


@allow(read=SECRETARIAT, write=SECRETARIAT)
def return_reopen(request, period, area):
    page = _page_or_404(request, period, area)
    ret = page.ret
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    if ret.status != Status.APPROVED:
        messages.info(request, "Only an approved return can be reopened.")
        return redirect(ret)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopen_return(ret, by=request.user, reason=form.cleaned_data["reason"])
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(
                request,
                f"The {ret.area.name} return for {ret.period.label} is reopened for "
                "amendment. An e-mail telling the submitter is on its way.",
            )
            return redirect(ret)
    return render(request, "reviews/reopen.html", {"page": page, "ret": ret, "form": form})


@allow(read=EDITORS)
@audited(AuditEvent.Kind.VIEW)
def return_history(request, period, area):
    """Every saved version of the return with what changed, and every workflow step."""
    page = _page_or_404(request, period, area)
    audit_subject(request, page.ret if page.ret.pk else None, label=str(page.ret), page="history")
    versions = history.return_history(page.ret) if page.ret.pk else []
    return render(
        request, "reviews/history.html", {"page": page, "ret": page.ret, "versions": list(reversed(versions))}
    )


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------


@allow(read=EVERYONE)
def case_review_list(request):
    """The case review records the user may see, filtered by area and type (reviews.filters)."""
    filterset = CaseReviewFilter(request.GET, queryset=case_reviews_for(request.user), user=request.user)
    if not filterset.is_valid():
        # No link or form of the service sends a value its field refuses: 400 (templates/400.html).
        raise BadRequest("Invalid value for " + ", ".join(sorted(filterset.errors)))
    return render(
        request,
        "reviews/case_review_list.html",
        {
            "reviews": list(filterset.qs.order_by("-commissioned_on", "reference")),
            "filter": filterset,
            "can_create": acts_for_areas(request.user),
        },
    )


@allow(read=EDITORS, write=EDITORS)
@submitted_once
def case_review_create(request):
    areas = areas_for(request.user).order_by("name")
    form = CaseReviewForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        area = values.pop("area")
        try:
            review = create_case_review(by=request.user, area=area, **values)
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Case review {review.reference} recorded.")
            return redirect(review)
    return render(request, "reviews/case_review_form.html", {"form": form, "review": None})


def _case_review_or_404(request, pk):
    try:
        return case_review_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404("No such case review") from None


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.VIEW)
def case_review_detail(request, pk):
    review = _case_review_or_404(request, pk)
    audit_subject(request, review, page="case review")
    return render(
        request,
        "reviews/case_review_detail.html",
        {
            "review": review,
            "can_edit": acts_for_areas(request.user),
            "followed_by": list(review.progressed_to.order_by("reference")),
        },
    )


@allow(read=EDITORS, write=EDITORS)
def case_review_edit(request, pk):
    review = _case_review_or_404(request, pk)
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    areas = areas_for(request.user)
    if request.method == "POST":
        form = CaseReviewForm(request.POST, areas=areas, review=review)
    else:
        form = CaseReviewForm(initial=CaseReviewForm.initial_from(review), areas=areas, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            update_case_review(review, by=request.user, **form.values())
        except ReturnRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Case review {review.reference} updated.")
            return redirect(reverse("case_reviews:detail", kwargs={"pk": review.pk}))
    return render(request, "reviews/case_review_form.html", {"form": form, "review": review})


# ----------------------------------------------------------------------------------------------
# Reporting periods (the secretariat)
# ----------------------------------------------------------------------------------------------


def _period_or_404(slug):
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
    period = _period_or_404(period)
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    form = DueDateForm(request.POST) if request.method == "POST" else DueDateForm(initial={"due_on": period.due_on})

    def change(data):
        changed = change_due_date(period, by=request.user, due_on=data["due_on"])
        return f"Returns for {changed.label} are now due by {changed.due_on:%-d %B %Y}."

    return _period_page(request, form, period, change)


# ----------------------------------------------------------------------------------------------
# The NSG meeting: the national case review table into a meeting's papers; the areas' updates
# into the SOG chairs' updates minute
# ----------------------------------------------------------------------------------------------


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def case_review_table_attach(request, period):
    """The period's table of case review figures, and putting it (as PDF) into a meeting's papers."""
    period = _period_or_404(period)
    if request.method not in ("GET", "POST"):
        return _not_allowed()
    meetings = meetings_for_papers()
    if request.method == "POST":
        form = AttachTableForm(request.POST, meetings=meetings)
        if form.is_valid():
            meeting = form.cleaned_data["meeting"]
            try:
                paper, number = attach_case_review_table(period, meeting, by=request.user)
            except ReturnRefused as refusal:
                refusal_onto(form, refusal)
            else:
                what = "added to the papers" if number == 1 else f"version {number} added to the papers"
                messages.success(request, f"{paper.title}: {what} of {meeting}.")
                return redirect(
                    reverse("meetings:detail", kwargs={"pk": meeting.pk}) + f"#papers-{paper.agenda_item_id}"
                )
    else:
        form = AttachTableForm(meetings=meetings, initial={"meeting": meetings[0].pk if meetings else None})
    return render(
        request,
        "reviews/case_review_table.html",
        {
            "table": case_review_table(period),
            "form": form,
            "meetings": meetings,
        },
        status=400 if form.errors else 200,
    )


def _sog_updates_item_or_404(pk, item_pk):
    try:
        editor = minute_editor(pk, item_pk)
    except (Meeting.DoesNotExist, AgendaItem.DoesNotExist):
        raise Http404("No such agenda item") from None
    if editor.item.kind != AgendaItem.Kind.SOG_UPDATES:
        raise Http404("Areas' updates go only into the SOG chairs' updates item")
    return editor


def _render_sog_updates(request, editor, form, period, *, status=200):
    return render(
        request,
        "reviews/sog_updates.html",
        {
            "editor": editor,
            "form": form,
            "period": period,
            "updates": approved_by_area(period) if period else [],
        },
        status=status,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@submitted_once
def sog_updates_add(request, pk, item_pk):
    """Put each area's approved update into the SOG chairs' updates minute (from the minute editor's form).

    An empty minute is written at once; a minute with text is first shown with the
    updates to come, to choose between adding them after it and replacing it.
    """
    editor = _sog_updates_item_or_404(pk, item_pk)
    editor_url = reverse("meetings:minute-edit", kwargs={"pk": pk, "item_pk": item_pk})
    if request.method == "GET":
        return redirect(editor_url)
    if request.method != "POST":
        return _not_allowed()
    form = SogUpdatesForm(request.POST, periods=periods_with_approved_returns())
    if not form.is_valid():
        return _render_sog_updates(request, editor, form, None, status=400)
    data = form.cleaned_data
    period = data["period"]
    if editor.item.narrative.strip() and not data["mode"]:
        if request.POST.get("confirming"):
            form.add_error("mode", "Select whether to add the updates after the text or replace it")
            return _render_sog_updates(request, editor, form, period, status=400)
        form = SogUpdatesForm(
            initial={**request.POST.dict(), "mode": SogUpdatesForm.APPEND}, periods=form.periods.values()
        )
        return _render_sog_updates(request, editor, form, period)
    try:
        item, updates = add_sog_updates_to_minute(
            editor.item,
            by=request.user,
            period=period,
            base_version=data["version"],
            replace=data["mode"] == SogUpdatesForm.REPLACE,
        )
    except EditConflict as conflict:
        # Offer the latest text to check, and let the person try again on top of it.
        editor.item = conflict.current
        form = SogUpdatesForm(
            {**request.POST.dict(), "version": conflict.current.version}, periods=form.periods.values()
        )
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this item's minute since you opened it, so nothing was added. "
            "Check its latest text below, then add the updates again.",
        )
        return _render_sog_updates(request, editor, form, period, status=409)
    except MeetingStepRefused as refusal:
        refusal_onto(form, refusal)
        return _render_sog_updates(request, editor, form, period, status=400)
    missing = sum(entry.ret is None for entry in updates)
    approved = len(updates) - missing
    note = (
        f" {missing} area{'s' if missing != 1 else ''} with no approved return {'are' if missing != 1 else 'is'} "
        "listed as such."
        if missing
        else ""
    )
    areas = "areas'" if approved != 1 else "area's"
    messages.success(
        request,
        f"Updates from {approved} {areas} approved returns for {period.label} added to item "
        f"{editor.number} (version {item.version}).{note} You can edit them below.",
    )
    return redirect(editor_url)
