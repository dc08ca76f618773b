"""One record per form, however often it is sent: one-time submission tokens (issue 11, "Double submits").

A double click, or a form sent again (reload, Back then send, a slow network
retried), must not make two actions, two comments or two papers. So:

* Every form that creates something carries ``{% submission_token %}`` (the
  ``submissions`` template library): a hidden ``submission_token`` field with a
  fresh random token, one per form each time a page is drawn.
* Its view is decorated ``@submitted_once``. A POST that carries a token first
  *claims* it, an INSERT of a ``mappa.models.Submission`` row, unique on (token,
  fingerprint), and then runs the view, all in one transaction. If the view
  succeeds (it redirects, saying no refusal: see below), the claim records where it
  redirected and commits together with what the view created. Otherwise (the
  form has errors, a service refused, an exception) the claim is dropped, so
  the form can be corrected and sent again.
* The same form sent again finds the claim taken and is answered, without
  running the view, with a redirect to where the first one's success went. Two
  requests at once: the second's INSERT waits on the unique index until the
  first transaction ends (PostgreSQL), then either finds the first one's claim
  (committed) or goes ahead itself (the first one failed and rolled back).
* The fingerprint (the user, the address, every field and uploaded file except
  the CSRF token and the submission token) makes the claim about *this*
  content: the same page sent again with different content (Back, change a
  word, send) is a new submission, not a duplicate to drop silently.
* A POST without a token (a page opened before this was deployed, a script)
  runs the view as before. So does one whose token is not a UUID.
* Tokens are remembered for ``LIFETIME`` (24 hours) at least:
  ``forget_old_submissions`` (the ``mappa.forget_old_submissions`` Celery task,
  daily from beat) deletes older claims. A page sent again after that creates
  anew, as a page without a token would.

Success is a redirect (Post/Redirect/Get) with no new message other than a
success one: views that refuse and redirect say why with an error, warning or
info message, and then the claim is dropped. A view that answered 200 on
success would have its claim dropped every time and so get no protection:
every view below redirects on success. htmx: an htmx request counts as a
success when it answers with ``HX-Redirect`` or ``HX-Location``, and one sent
again is answered with ``HX-Redirect`` to the first one's result (so the whole
page goes there, rather than that page being swapped into a fragment).

The race depends on the claim's INSERT being the first statement of the
transaction, so that a second request waiting on it holds no lock the first
needs. PostgreSQL (READ COMMITTED, its default) makes the second wait on the
unique index. SQLite makes it wait for the database's one write lock (taken at
BEGIN or at the INSERT, see DATABASES in settings), up to the busy timeout;
"database is locked" after that.

Views decorated ``@submitted_once``, each with ``{% submission_token %}`` in
every form that posts to it:

* actions: ``action_update`` (a progress update on an action's page).
* meetings: ``meeting_create``; ``action_create`` (an action, from the minute
  editor); ``minute_comments`` (a member's comment on an item, one form per
  item); ``matter_arising`` (an update on an earlier action, from the previous
  minutes panel); ``agenda_item_add``; ``agenda_propose``; ``proposal_decide``
  (accepting puts an item on the agenda); ``agenda_item_move`` (not a
  creation, but not idempotent: a double click would move an item two places).
* papers: ``paper_upload``; ``paper_replace`` (a new version).
* recommendations: ``update_create``; ``assessment_create``.
* reviews: ``case_review_create``; ``period_create``; ``return_edit`` and
  ``return_nil`` (a section of a return, or a nil return: the first save
  creates the return, and two at once would break its one-per-area-and-period
  constraint; a second sending would also be a second version in its
  history); ``case_review_table_attach`` (a paper, or a new version of it);
  ``sog_updates_add`` (the areas' updates into a minute).
* outbox: ``send_again`` (a sent e-mail is sent again as a new copy).

Left without, on purpose, because sending them twice changes nothing more
than sending them once (edits that set values, and steps that check the
current state and refuse the second time): ``action_edit``, ``minute_edit``
(its version check refuses a second save as a conflict; autosave is htmx),
``agenda_item_edit``, ``agenda_item_remove``, ``attendance_record``,
``attendance_add`` (one record per person, which a second sending replaces
with the same: update_or_create, safe at once too), ``attendance_remove``,
``meeting_advance``, ``comment_decide``, ``agree_previous_minutes``,
``paper_publication``, ``case_review_edit``, ``period_edit``,
``return_submit``, ``return_send_back``, ``return_approve``,
``return_reopen``, ``reminders.send_now`` (sends only a digest not yet sent),
and the account pages (sign in, passwords). An edit sent twice may leave a
second, identical version in a history (django-simple-history): nothing the
service shows as a second record.

Why not a library: django-idempotency-key (and djangorestframework-idempotency-key
and drf-idempotency) read an ``Idempotency-Key`` request *header* sent by an
API client and replay a stored response. An HTML form cannot send a header;
they need Django REST framework (and django-redis for locking), the first
supports Django only up to 4.2, and their lock is not the database's, so the
claim could not commit or roll back with the record the form creates. Nothing
maintained does this for server-rendered forms, hence this small kit.
"""

import functools
import hashlib
import json
import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from mappa.models import Submission

TOKEN_FIELD = "submission_token"
LIFETIME = timedelta(hours=24)
ALREADY_SENT = "This form had already been sent, so it has been saved once, not twice."
_NOT_CONTENT = frozenset({"csrfmiddlewaretoken", TOKEN_FIELD})


def new_token():
    return str(uuid.uuid4())


def submitted_once(view):
    """Decorate a view whose successful POST creates something: an identical second POST lands on the first's result."""

    @functools.wraps(view)
    def once(request, *args, **kwargs):
        token = _token_of(request)
        if token is None:
            return view(request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            claim = _claim(request, token, fingerprint)
            if claim is None:
                return _already_sent(request, token, fingerprint)
            refusals_before = _refusals(request)
            response = view(request, *args, **kwargs)
            result_url = _redirect_of(response)
            if result_url and _refusals(request) == refusals_before:
                claim.result_url = result_url
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
            return response

    return once


def forget_old_submissions(now=None):
    """Delete claims older than LIFETIME; returns how many."""
    cutoff = (now or timezone.now()) - LIFETIME
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _token_of(request):
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


def _fingerprint(request):
    """SHA-256 of the user, the address and the form's content (uploads by name, size and bytes)."""
    digest = hashlib.sha256()
    fields = {key: request.POST.getlist(key) for key in request.POST if key not in _NOT_CONTENT}
    digest.update(json.dumps([request.user.pk, request.path, fields], sort_keys=True).encode())
    for key in sorted(request.FILES):
        for upload in request.FILES.getlist(key):
            digest.update(json.dumps([key, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _claim(request, token, fingerprint):
    """The new claim, or None when this token and content were claimed already (after that transaction ended)."""
    try:
        with transaction.atomic():
            return Submission.objects.create(
                token=token, fingerprint=fingerprint, user=request.user, path=request.path[:500]
            )
    except IntegrityError:
        return None


def _already_sent(request, token, fingerprint):
    earlier = Submission.objects.filter(token=token, fingerprint=fingerprint).first()
    messages.info(request, ALREADY_SENT)
    url = earlier.result_url if earlier and earlier.result_url else request.get_full_path()
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _redirect_of(response):
    """Where a successful response sends the user: its Location, or an htmx redirect's; else None."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    if 200 <= response.status_code < 300:
        if response.has_header("HX-Redirect"):
            return response["HX-Redirect"]
        if response.has_header("HX-Location"):
            location = response["HX-Location"]
            return json.loads(location).get("path", "") if location.startswith("{") else location
    return None


def _refusals(request):
    """How many refusal messages (info, warning, error) the request has queued.

    Views that fail and redirect say why with one; success is said with messages.success.
    """
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", ())
    return sum(message.level >= messages.INFO and message.level != messages.SUCCESS for message in queued)
