"""The returns page, and one return's pages: its page, a section's form, check your answers, each
workflow step (submit, nil, return for amendment, approve, reopen) and its history.

Every look-up of a return goes through reviews.selectors, which applies the area
rule (reviews.selectors.visibility): another area's return is 404 for a SOG chair,
and a return that is not approved is 404 for inspectors and NSG members.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.pagination import govuk_pagination, page_of
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from reviews import rules
from reviews.forms import SECTION_FORMS, ReopenForm, SendBackForm, SubmitForm
from reviews.models import QuarterlyReturn
from reviews.selectors import history
from reviews.selectors.case_reviews import figures_from_case_reviews
from reviews.selectors.matrix import APPROVED_PER_PAGE, approved_returns, area_returns, matrix_page
from reviews.selectors.returns import find_return, return_page
from reviews.selectors.visibility import EDITORS, acts_for_areas, is_secretariat
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


def not_allowed():
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
    """The secretariat's completeness matrix (a year of quarters a page); a chair's own returns; approved returns
    for everyone else."""
    user = request.user
    context = {"is_secretariat": is_secretariat(user)}
    if context["is_secretariat"]:
        context["matrix"], quarters = matrix_page(request.GET.get("page"))
        context["pagination"] = govuk_pagination(quarters, request.GET)
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
        return not_allowed()
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
        return not_allowed()
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
        return not_allowed()
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
        return not_allowed()
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
        return not_allowed()
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
        return not_allowed()
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
