"""One action: its page, a progress update, the secretariat's edit.

Who may add an update is actions.selectors.visibility.may_update, enforced again by actions.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions import services
from actions.forms import ActionEditForm, ProgressUpdateForm
from actions.selectors.action import action_page, get_action, meetings_for_noting
from actions.selectors.visibility import UPDATER_ROLES
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.refusals import refusal_onto
from mappa.submissions import submitted_once

read_or_post = require_http_methods(["GET", "HEAD", "POST"])


def _update_form(page, data=None):
    meetings = meetings_for_noting(page.action) if page.can_edit else None
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
    return _render_detail(request, action_page(pk, request.user))


@allow(read=EVERYONE, write=UPDATER_ROLES)
@read_or_post
@submitted_once
def action_update(request, pk):
    """Add a progress update (POST). Only the action's owners and the secretariat may; others get 403."""
    if request.method != "POST":
        return redirect(reverse("actions:detail", kwargs={"pk": pk}) + "#add-update")
    page = action_page(pk, request.user)
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
    action = get_action(pk, request.user)
    meetings = meetings_for_noting(action)
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
