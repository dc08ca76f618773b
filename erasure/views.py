"""/erasure/: the secretariat finds a piece of personal data, sees where it is, and erases it.

Three steps on one address, each a POST so the text never goes into an address (server logs,
browser history): 1. the text; 2. where it occurs (nothing changed yet); 3. the reason and the
confirmation. The text travels between the steps in a hidden field, and the pages are not
cached. After the erasure, /erasure/done/ shows the counts (kept in the session: counts only).
"""

from django import forms
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from erasure.forms import ConfirmForm, TextForm
from erasure.locations import PLACES_BY_KEY
from erasure.services import ErasureRefused, erase_text, find_text, replacement_for
from mappa.access import SECRETARIAT, allow
from mappa.forms import ParamsForm
from mappa.submissions import submitted_once

DONE_KEY = "erasure_done"


class StepParams(ParamsForm):
    step = forms.ChoiceField(choices=[("find", "find"), ("confirm", "confirm"), ("erase", "erase")])


def _counts(findings):
    return [(PLACES_BY_KEY[key].label, count) for key, count in findings.counts.items()]


def _text_page(request, form):
    return render(request, "erasure/text.html", {"form": form}, status=400 if form.errors else 200)


def _confirm_page(request, form, findings):
    return render(
        request,
        "erasure/confirm.html",
        {"form": form, "counts": _counts(findings), "findings": findings, "replacement": replacement_for()},
        status=400 if form.errors else 200,
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@require_http_methods(["GET", "POST"])
@never_cache
@submitted_once
def erase(request):
    if request.method == "GET":
        return _text_page(request, TextForm())
    step = StepParams.cleaned(request.POST)["step"]
    if step in ("find", "confirm"):
        form = TextForm(request.POST)
        if not form.is_valid():
            return _text_page(request, form)
        text = form.cleaned_data["text"]
        findings = find_text(text=text, by=request.user)
        if step == "find" or not findings.total:
            return render(
                request,
                "erasure/preview.html",
                {"text": text, "findings": findings, "counts": _counts(findings), "replacement": replacement_for()},
            )
        return _confirm_page(request, ConfirmForm(initial={"text": text}), findings)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            findings = erase_text(text=data["text"], reason=data["reason"], by=request.user)
        except ErasureRefused as refusal:
            for name, problems in refusal.message_dict.items():
                form.add_error("reason" if name == "reason" else None, problems)
        else:
            request.session[DONE_KEY] = {
                "counts": _counts(findings),
                "total": findings.total,
                "records": findings.records,
                "replacement": replacement_for(),
            }
            return redirect("erasure:done")
    text = form.cleaned_data.get("text") or ""
    try:
        findings = find_text(text=text, by=request.user)
    except ErasureRefused:
        return _text_page(request, TextForm(request.POST))
    return _confirm_page(request, form, findings)


@allow(read=SECRETARIAT)
@require_GET
@never_cache
def done(request):
    result = request.session.get(DONE_KEY)
    if result is None:
        return redirect("erasure:erase")
    return render(request, "erasure/done.html", {"result": result})
