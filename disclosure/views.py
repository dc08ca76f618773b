"""/disclosure/: the secretariat's requests register, a request (scope, review, jobs, packs) and the
disclosure log that everyone signed in may read.

Every step is a POST to its own address that redirects back to the request's page (or the review page),
so a refresh never repeats it; a step refused now shows as a GOV.UK error with what was typed kept.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from disclosure import rules, selectors
from disclosure.documents.scope import documents_in_scope, unpublished_papers
from disclosure.forms import DecisionForm, IncludePaperForm, RequestForm, ReviewFilterParams, ScopeForm, TermForm
from disclosure.models import DisclosureRequest, Job, Pack, Proposal
from disclosure.services import jobs, release, review
from disclosure.services import requests as request_services
from disclosure.services.requests import DisclosureRefused
from mappa.access import EVERYONE, SECRETARIAT, allow, has_role
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once
from papers.models import Paper


def _request_or_404(pk):
    return get_object_or_404(DisclosureRequest.objects.select_related("handler", "created_by"), pk=pk)


def _back(disclosure_request, anchor=""):
    return redirect(reverse("disclosure:request", args=[disclosure_request.pk]) + anchor)


def _refused(http_request, refusal):
    for message in refusal.messages:
        messages.error(http_request, message)


@allow(read=SECRETARIAT)
@require_GET
def register(request):
    requests = selectors.with_deadlines(list(DisclosureRequest.objects.select_related("handler")))
    return render(request, "disclosure/register.html", {"requests": requests})


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["GET", "POST"])
@submitted_once
def new_request(request):
    form = RequestForm(request.POST or None, initial={"handler": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            created = request_services.log_request(by=request.user, **form.cleaned_data)
        except DisclosureRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"{created.reference} is in the register, due {created.due_on:%-d %B %Y}.")
            return _back(created)
    return render(request, "disclosure/request_form.html", {"form": form}, status=400 if form.errors else 200)


def _request_page(http_request, disclosure_request, *, include_form=None, include_paper=None, status=200):
    active = selectors.active_job(disclosure_request)
    latest = selectors.latest_job(disclosure_request)
    counts = selectors.decision_counts(disclosure_request)
    undecided = counts[Proposal.Decision.PROPOSED]
    included = {included.paper_id: included for included in disclosure_request.included_papers.all()}
    packs = list(disclosure_request.packs.select_related("reviewed_by", "approved_by"))
    for pack in packs:
        pack.why_not_approve = rules.why_not_approve(pack, http_request.user) if pack == packs[0] else ""
    context = {
        "disclosure_request": disclosure_request,
        "deadline": selectors.deadline(disclosure_request),
        "documents": documents_in_scope(disclosure_request),
        "unpublished": [(paper, included.get(paper.pk)) for paper in unpublished_papers(disclosure_request)],
        "include_form": include_form or IncludePaperForm(),
        "include_paper": include_paper,
        "active_job": active,
        "latest_job": latest,
        "counts": counts,
        "undecided": undecided,
        "why_not_find": rules.why_not_find(disclosure_request, active_job=active),
        "why_not_build": rules.why_not_build(
            disclosure_request, active_job=active, undecided=undecided, found=disclosure_request.found_at is not None
        ),
        "packs": packs,
        "reviewable": rules.may_review(disclosure_request),
    }
    return render(http_request, "disclosure/request.html", context, status=status)


@allow(read=SECRETARIAT)
@require_GET
def request_page(request, pk):
    return _request_page(request, _request_or_404(pk))


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["GET", "POST"])
def scope(request, pk):
    disclosure_request = _request_or_404(pk)
    initial = {
        "bodies": list(disclosure_request.bodies.all()),
        "scope_from": disclosure_request.scope_from,
        "scope_to": disclosure_request.scope_to,
        "kinds": disclosure_request.kinds,
        "keep_organisation_names": disclosure_request.keep_organisation_names,
        "keep_chairs": disclosure_request.keep_chairs,
        "kept_people": list(disclosure_request.kept_people.all()),
    }
    form = ScopeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            request_services.set_scope(request=disclosure_request, by=request.user, **form.cleaned_data)
        except DisclosureRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, "Scope saved. Find the personal data in the documents next.")
            return _back(disclosure_request)
    return render(
        request,
        "disclosure/scope.html",
        {"form": form, "disclosure_request": disclosure_request},
        status=400 if form.errors else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def include_paper(request, pk, paper_pk):
    disclosure_request = _request_or_404(pk)
    paper = get_object_or_404(Paper, pk=paper_pk, not_for_publication=True)
    form = IncludePaperForm(request.POST)
    if form.is_valid():
        try:
            request_services.include_paper(
                request=disclosure_request, by=request.user, paper=paper, reason=form.cleaned_data["reason"]
            )
        except DisclosureRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"“{paper.title}” is included. Find the personal data again before building.")
            return _back(disclosure_request, "#unpublished")
    return _request_page(request, disclosure_request, include_form=form, include_paper=paper, status=400)


def _step(http_request, disclosure_request, anchor, step, **arguments):
    """Take a step on the request (a service taking ``by``), its refusal shown as a message; back to the request."""
    try:
        step(by=http_request.user, **arguments)
    except DisclosureRefused as refusal:
        _refused(http_request, refusal)
    return _back(disclosure_request, anchor)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def leave_out_paper(request, pk, paper_pk):
    disclosure_request = _request_or_404(pk)
    paper = get_object_or_404(Paper, pk=paper_pk)
    return _step(
        request,
        disclosure_request,
        "#unpublished",
        request_services.leave_out_paper,
        request=disclosure_request,
        paper=paper,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def find(request, pk):
    disclosure_request = _request_or_404(pk)
    return _step(request, disclosure_request, "#progress", jobs.start_finding, request=disclosure_request)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def build(request, pk):
    disclosure_request = _request_or_404(pk)
    return _step(request, disclosure_request, "#progress", jobs.start_building, request=disclosure_request)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def cancel_job(request, pk, job_pk):
    job = get_object_or_404(Job.objects.select_related("request"), pk=job_pk, request_id=pk)
    return _step(request, job.request, "#progress", jobs.cancel, job=job)


@allow(read=SECRETARIAT)
@require_GET
def progress(request, pk):
    """The progress panel alone: what the request's page fetches (htmx) while a job runs."""
    disclosure_request = _request_or_404(pk)
    if not request.headers.get("HX-Request"):
        # Opened by itself, not fetched by the request's page: a panel with no page round it (no title,
        # no language), so the request's page instead.
        return _back(disclosure_request, "#progress")
    active = selectors.active_job(disclosure_request)
    if active is None:
        # Finished: the whole page changes (proposals found, a pack built), so htmx reloads it.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "disclosure/includes/progress.html",
        {
            "disclosure_request": disclosure_request,
            "active_job": active,
            "latest_job": selectors.latest_job(disclosure_request),
        },
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def close(request, pk):
    disclosure_request = _request_or_404(pk)
    try:
        request_services.close_request(request=disclosure_request, by=request.user)
    except DisclosureRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"{disclosure_request.reference} is closed.")
    return _back(disclosure_request)


# --- The review ----------------------------------------------------------------------------------------


def _review_page(http_request, disclosure_request, *, decision_form=None, term_form=None, status=200):
    wanted = ReviewFilterParams.cleaned(http_request.GET)["decision"]
    groups, counts = selectors.review(disclosure_request)
    if wanted:
        groups = [group for group in groups if group.counts[wanted]]
        for group in groups:
            group.shown = [proposal for proposal in group.proposals if proposal.decision == wanted]
    else:
        for group in groups:
            group.shown = group.proposals
    return render(
        http_request,
        "disclosure/review.html",
        {
            "disclosure_request": disclosure_request,
            "groups": groups,
            "counts": counts,
            "total": sum(counts.values()),
            "wanted": wanted,
            "tabs": [(decision, counts[decision]) for decision in Proposal.Decision],
            "exemptions": DecisionForm().fields["exemption"].queryset,
            "default_exemption": selectors.default_exemption(),
            "decision_form": decision_form,
            "term_form": term_form or TermForm(),
            "terms": disclosure_request.added_terms.all(),
            "reviewable": rules.may_review(disclosure_request),
        },
        status=status,
    )


@allow(read=SECRETARIAT)
@require_GET
def review_page(request, pk):
    return _review_page(request, _request_or_404(pk))


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def decide(request, pk):
    disclosure_request = _request_or_404(pk)
    form = DecisionForm(request.POST, request=disclosure_request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["every_one"]:
                count = review.decide_term(
                    request=disclosure_request,
                    by=request.user,
                    term=data["term"],
                    decision=data["decision"],
                    exemption=data["exemption"],
                )
            else:
                count = review.decide(
                    request=disclosure_request,
                    by=request.user,
                    proposal_ids=[proposal.pk for proposal in data["proposals"]],
                    decision=data["decision"],
                    exemption=data["exemption"],
                )
        except DisclosureRefused as refusal:
            refusal_onto(form, refusal)
        else:
            verb = "redacted" if data["decision"] == Proposal.Decision.ACCEPTED else "kept"
            about = f" of “{data['term']}”"
            messages.success(request, f"{count} occurrence{'s' if count != 1 else ''}{about} to be {verb}.")
            return redirect(
                reverse("disclosure:review", args=[pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
            )
    return _review_page(request, disclosure_request, decision_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def add_term(request, pk):
    disclosure_request = _request_or_404(pk)
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            added = review.add_term(request=disclosure_request, by=request.user, term=form.cleaned_data["term"])
        except DisclosureRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"“{added.term}” added: find the personal data again to see where it occurs.")
            return redirect("disclosure:review", pk=pk)
    return _review_page(request, disclosure_request, term_form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def remove_term(request, pk, term_pk):
    disclosure_request = _request_or_404(pk)
    try:
        review.remove_term(request=disclosure_request, by=request.user, term_id=term_pk)
    except DisclosureRefused as refusal:
        _refused(request, refusal)
    return redirect("disclosure:review", pk=pk)


# --- Packs ---------------------------------------------------------------------------------------------


def _pack_or_404(pk, version):
    return get_object_or_404(Pack.objects.select_related("request"), request_id=pk, version=version)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def approve(request, pk, version):
    pack = _pack_or_404(pk, version)
    try:
        release.approve(pack=pack, by=request.user)
    except DisclosureRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"Pack version {version} approved: {pack.request.reference} is released.")
    return _back(pack.request, "#packs")


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def publish(request, pk, version):
    pack = _pack_or_404(pk, version)
    try:
        release.publish(pack=pack, by=request.user)
    except DisclosureRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, "The pack is on the disclosure log.")
    return _back(pack.request, "#packs")


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_POST
def withdraw(request, pk, version):
    pack = _pack_or_404(pk, version)
    release.withdraw(pack=pack, by=request.user)
    messages.success(request, "The pack is no longer on the disclosure log.")
    return _back(pack.request, "#packs")


def _serve(request, pk, version, field, content_type):
    pack = _pack_or_404(pk, version)
    # A published pack is anyone's to read; the secretariat reads every version of every request.
    if pack.published_at is None and not has_role(request.user, *SECRETARIAT):
        raise Http404("No such pack")
    audit_subject(request, label=f"Disclosure pack {pack.request.reference} version {version}")
    stored = getattr(pack, field)
    name = f"{pack.request.reference.replace('/', '-')}-pack-v{version}.{field}"
    return FileResponse(stored.open("rb"), content_type=content_type, as_attachment=field == "zip", filename=name)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
@require_GET
def pack_pdf(request, pk, version):
    return _serve(request, pk, version, "pdf", "application/pdf")


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="zip")
@require_GET
def pack_zip(request, pk, version):
    return _serve(request, pk, version, "zip", "application/zip")


@allow(read=EVERYONE)
@require_GET
def disclosure_log(request):
    return render(request, "disclosure/log.html", {"packs": selectors.disclosure_log()})
