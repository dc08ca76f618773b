"""The action register: the list with its filters, an action's page, updates, the secretariat's edit, exports.

Views parse the request, call a selector or service, and render. Who may read
an action is actions.selectors.visible_actions; who may add an update is
actions.selectors.may_update, enforced again by actions.services.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from actions import exports, selectors, services
from actions.filters import ActionFilter
from actions.forms import ActionEditForm, ProgressUpdateForm
from actions.models import Action
from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.pagination import govuk_pagination
from mappa.pdf import PDF_CONTENT_TYPE
from mappa.refusals import refusal_onto
from mappa.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from mappa.submissions import submitted_once

read_or_post = require_http_methods(["GET", "HEAD", "POST"])

# Parameters that are not filters: kept in links, but not in the "Selected filters" panel.
NOT_FILTERS = ("sort", "page")


# ----------------------------------------------------------------------------------------------
# Query strings: every link on the register keeps the filters in force.
# ----------------------------------------------------------------------------------------------


def _query(params, *, drop=(), **changes):
    """``params`` (a QueryDict) as "?a=1&b=2", without the keys in ``drop``, with ``changes`` set."""
    query = params.copy()
    for key in drop:
        query.pop(key, None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif isinstance(value, (list, tuple)):
            query.setlist(key, list(value))
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without(params, key, value):
    """The query string with one value of one filter removed (and the page reset)."""
    query = params.copy()
    query.pop("page", None)
    query.setlist(key, [v for v in query.getlist(key) if v != value])
    if key in ("due", "due_days"):  # together they make one filter
        query.pop("due", None)
        query.pop("due_days", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _filter_data(request):
    """The filters from the query string; the user's own checks ("overdue" etc.) pass through unchanged."""
    data = request.GET.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    return data


def _filterset(request):
    return ActionFilter(_filter_data(request), queryset=selectors.visible_actions(request.user), request=request)


def _export_filterset(request):
    """The filters of an export; a wrong one is a 400 (a file has no page to show the error on)."""
    filterset = _filterset(request)
    if not filterset.form.is_valid():
        raise BadRequest("Invalid filter: " + ", ".join(sorted(filterset.form.errors)))
    return filterset


def _sort_headers(params, current):
    """Each sortable column: its label, aria-sort, and the link that sorts by it (or reverses it)."""
    key, descending = current.removeprefix("-"), current.startswith("-")
    headers = {}
    for name, (label, _) in selectors.SORTS.items():
        if name == key:
            aria = "descending" if descending else "ascending"
            target = name if descending else f"-{name}"
        else:
            aria, target = "none", name
        headers[name] = {"label": label, "aria_sort": aria, "href": _query(params, drop=("page",), sort=target)}
    return headers


# ----------------------------------------------------------------------------------------------
# The register
# ----------------------------------------------------------------------------------------------


@allow(read=EVERYONE)
def action_list(request):
    """Every action the user may read, filtered, sorted and counted, 50 to a page."""
    filterset = _filterset(request)
    register = selectors.register_page(
        filterset.qs, sort=request.GET.get("sort"), page_number=request.GET.get("page"), today=filterset.today
    )
    params = request.GET
    filters_only = _query(params, drop=NOT_FILTERS)
    selected = [
        {
            "heading": heading,
            "items": [{"label": label, "href": _without(params, key, value)} for key, value, label in items],
        }
        for heading, items in filterset.selected()
    ]
    counts = register.counts
    chosen = set(params.getlist("status"))

    def statuses(wanted):
        return [str(s) for s in wanted if not chosen or str(s) in chosen]

    # Each count links to the actions it counts: the current filter narrowed (no link when there are none).
    count_links = [
        (counts.open, "open", _query(params, drop=("page",), status=statuses(Action.OPEN_STATUSES))),
        (counts.overdue, "overdue", _query(params, drop=("page",), overdue="yes")),
        (counts.due_soon, "due in the next 7 days", _query(params, drop=("page", "due_days"), due="7")),
        (counts.complete, "complete", _query(params, drop=("page",), status=statuses([Action.Status.COMPLETE]))),
    ]
    count_links = [(number, label, href if number else None) for number, label, href in count_links]
    export_query = _query(params, drop=("page",))
    form = filterset.checked_form
    return render(
        request,
        "actions/action_list.html",
        {
            "filter": filterset,
            "filter_form": form,
            # base.html shows the GOV.UK error summary for `form` (a filter the query string got wrong).
            "form": form if form.errors else None,
            "register": register,
            "page": register.page,
            "counts": counts,
            "count_links": count_links,
            "selected": selected,
            "clear_href": _query(params, drop=[k for k in params if k != "sort"]),
            "headers": _sort_headers(params, register.sort),
            "pagination": govuk_pagination(register.page, params),
            "export_query": "" if export_query == "?" else export_query,
            "filters_query": filters_only,
            "sort": register.sort,
            "sort_label": selectors.sort_label(register.sort),
            "can_filter_mine": selectors.person_of(request.user) is not None,
        },
        status=400 if form.errors else 200,
    )


# ----------------------------------------------------------------------------------------------
# One action: its page, an update, the secretariat's edit
# ----------------------------------------------------------------------------------------------


def _update_form(page, data=None):
    meetings = selectors.meetings_for_noting(page.action) if page.can_edit else None
    return ProgressUpdateForm(data, action=page.action, secretariat=page.can_edit, meetings=meetings)


def _render_detail(request, page, form=None, status=200):
    if form is None and page.can_update:
        form = _update_form(page)
    return render(
        request,
        "actions/action_detail.html",
        {
            "page": page,
            "action": page.action,
            "update_form": form,
            "form": form if form is not None and form.errors else None,
            "back_href": reverse("actions:list"),
        },
        status=status,
    )


@allow(read=EVERYONE)
def action_detail(request, pk):
    """An action: what, who, when, its status and its timeline; owners and the secretariat add updates here."""
    return _render_detail(request, selectors.action_page(pk, request.user))


@allow(read=EVERYONE, write=selectors.UPDATER_ROLES)
@read_or_post
@submitted_once
def action_update(request, pk):
    """Add a progress update (POST). Only the action's owners and the secretariat may; others get 403."""
    if request.method != "POST":
        return redirect(reverse("actions:detail", kwargs={"pk": pk}) + "#add-update")
    page = selectors.action_page(pk, request.user)
    if not page.can_update:
        raise PermissionDenied("Only the action's owners and the NSG secretariat may update it.")
    form = _update_form(page, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_progress_update(
                page.action,
                by=request.user,
                text=data["text"],
                new_status=data["new_status"],
                reason=data["reason"],
                noted_at=data.get("noted_at"),
            )
        except services.ActionChangeRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"Update added to {page.action.citation}.")
            return redirect(reverse("actions:detail", kwargs={"pk": pk}) + "#timeline")
    return _render_detail(request, page, form=form, status=400)


@allow(read=SECRETARIAT, write=SECRETARIAT)
@read_or_post
def action_edit(request, pk):
    """The secretariat changes an action: text, owners, due date (with a reason), status (with a reason)."""
    action = selectors.get_action(pk, request.user)
    meetings = selectors.meetings_for_noting(action)
    form = ActionEditForm(request.POST or None, action=action, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_action(
                action,
                by=request.user,
                text=data["text"],
                due_date=data["due_date"],
                status=data["status"],
                reason=data["reason"],
                noted_at=data["noted_at"],
                people=data["people"],
                organisations=data["organisations"],
                bodies=data["bodies"],
            )
        except services.ActionChangeRefused as refusal:
            refusal_onto(form, refusal)
        else:
            messages.success(request, f"{action.citation} saved.")
            return redirect("actions:detail", pk=pk)
    return render(
        request, "actions/action_edit.html", {"action": action, "form": form}, status=400 if form.errors else 200
    )


# ----------------------------------------------------------------------------------------------
# Exports of the current filter (routed in config/urls.py as /actions.pdf, /actions.xlsx, /actions.csv)
# ----------------------------------------------------------------------------------------------


def _export(content, content_type, name):
    response = download(content, name, content_type)
    add_never_cache_headers(response)
    return response


def _export_rows(request):
    filterset = _export_filterset(request)
    return filterset, selectors.export_rows(filterset.qs, sort=request.GET.get("sort"), today=filterset.today)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="csv")
def actions_csv(request):
    audit_subject(request, label="Action log")
    _, rows = _export_rows(request)
    return _export(
        exports.actions_csv(rows, site_url=settings.SITE_URL.rstrip("/")),
        CSV_CONTENT_TYPE,
        exports.filename("csv"),
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="xlsx")
def actions_xlsx(request):
    audit_subject(request, label="Action log")
    filterset, rows = _export_rows(request)
    content = exports.actions_xlsx(rows, site_url=settings.SITE_URL.rstrip("/"), description=filterset.description())
    return _export(content, XLSX_CONTENT_TYPE, exports.filename("xlsx"))


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def actions_pdf(request):
    audit_subject(request, label="Action log")
    filterset = _export_filterset(request)
    pdf = exports.actions_pdf(filterset.qs, description=filterset.description(), today=filterset.today)
    response = _export(pdf, PDF_CONTENT_TYPE, exports.filename("pdf"))
    response["Content-Disposition"] = f'inline; filename="{exports.filename("pdf")}"'
    return response
