"""One-time submission tokens (mappa.submissions, issue 11 "Double submits"): the kit itself.

A small page of its own (this module is the URLconf of its tests) adds an
organisation named as posted, and answers as the service's views do: a redirect
on success, a 400 with errors, a redirect saying why it refused, an exception.
Each app's tests/<app>/test_double_submit.py checks the service's own forms.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as service_patterns
from mappa import submissions
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.models import Organisation, Person, Submission
from mappa.submissions import ALREADY_SENT, LIFETIME, TOKEN_FIELD, submitted_once
from tests import double_submit, html
from tests.double_submit import Form

PAGE = Template(
    '{% load submissions %}<form method="post" action="/add/">{% csrf_token %}{% submission_token %}'
    "<button>Add</button></form>"
)


@allow(read=EVERYONE, write=SECRETARIAT | {Person.AccessRole.NSG_MEMBER})
@submitted_once
def add(request):
    if request.method != "POST":
        return HttpResponse(PAGE.render(Context({"csrf_token": "x"})))
    name = request.POST.get("name", "").strip()
    if not name:
        return HttpResponse("There is a problem: enter a name", status=400)
    if name.startswith("refuse"):
        level = messages.INFO if name == "refuse-info" else messages.ERROR
        messages.add_message(request, level, "Refused: this cannot be added now.")
        return redirect("/done/")
    organisation = Organisation.objects.create(name=f"{name} {uuid.uuid4().hex[:8]}", kind="partner")
    if name == "explode":
        raise RuntimeError("the view failed after saving")
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"/done/?pk={organisation.pk}"
        return response
    messages.success(request, f"{organisation.name} added.")
    return redirect(f"/done/?pk={organisation.pk}")


@allow(read=EVERYONE)
def done(request):
    """The landing page: the service's own base template, with its messages."""
    return render(request, "base.html", {})


urlpatterns = [path("add/", add), path("done/", done), *service_patterns]  # the base template links to the service


@pytest.fixture
def kit(settings, client, member_user):
    settings.ROOT_URLCONF = __name__
    client.force_login(member_user)
    return client


def added(name="Circulate"):
    return Organisation.objects.filter(name__startswith=f"{name} ").count()


def form(client, **changes):
    fields = {
        "client": client,
        "page": "/add/",
        "url": "/add/",
        "data": {"name": "Circulate"},
        "count": added,
        "other": {"name": "Circulate again"},
        "wrong": {"name": ""},
    }
    return Form(**{**fields, **changes})


# --- The token ---------------------------------------------------------------------------------


def test_each_form_and_each_drawing_of_it_has_a_token_of_its_own():
    twice = Template("{% load submissions %}{% submission_token %}{% submission_token %}").render(Context())
    tokens = html.page(twice).xpath('//input[@type="hidden"][@name="submission_token"]/@value')
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert all(str(uuid.UUID(token)) == token for token in tokens)


# --- Sent twice --------------------------------------------------------------------------------


def test_sent_twice_it_saves_once_and_the_second_lands_where_the_first_went(kit):
    double_submit.sent_twice_saves_once(form(kit))
    assert Submission.objects.count() == 1


def test_the_same_page_sent_with_different_content_saves_again(kit):
    double_submit.other_content_saves_again(form(kit))
    assert added("Circulate again") == 1


def test_another_person_with_the_same_token_is_not_a_duplicate(kit, client, secretariat_user):
    token = form(kit).token()
    assert kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}).status_code == 302
    other = Client()
    other.force_login(secretariat_user)
    assert other.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}).status_code == 302
    assert added() == 2


# --- What does not use the token up ------------------------------------------------------------


def test_a_form_with_errors_does_not_use_up_its_token(kit):
    double_submit.errors_keep_the_token(form(kit))


@pytest.mark.parametrize("name", ["refuse", "refuse-info"])
def test_a_refusal_that_redirects_saying_why_does_not_use_up_the_token(kit, name):
    double_submit.errors_keep_the_token(form(kit, wrong={"name": name}))
    assert Submission.objects.get().result_url.startswith("/done/?pk=")


def test_a_view_that_fails_saves_nothing_and_does_not_use_up_the_token(kit):
    token = form(kit).token()
    with pytest.raises(RuntimeError):
        kit.post("/add/", {"name": "explode", TOKEN_FIELD: token})
    assert added("explode") == 0 and not Submission.objects.exists()
    assert kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}).status_code == 302
    assert added() == 1


# --- Without a token, the view is as it was ----------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "not-a-uuid", "' OR 1=1 --", "\x00"])
def test_a_post_without_a_token_or_with_a_bad_one_runs_the_view_as_before(kit, token):
    data = {"name": "Circulate"} if token is None else {"name": "Circulate", TOKEN_FIELD: token}
    assert kit.post("/add/", data).status_code == 302
    assert kit.post("/add/", data).status_code == 302
    assert added() == 2 and not Submission.objects.exists()


# --- htmx --------------------------------------------------------------------------------------


def test_htmx_success_is_an_htmx_redirect_and_a_second_sending_is_sent_there_whole(kit):
    token = form(kit).token()
    first = kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}, HTTP_HX_REQUEST="true")
    second = kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}, HTTP_HX_REQUEST="true")
    assert first.status_code == 204 and first["HX-Redirect"].startswith("/done/?pk=")
    assert second.status_code == 204 and second["HX-Redirect"] == first["HX-Redirect"]
    assert added() == 1
    assert ALREADY_SENT in kit.get(second["HX-Redirect"]).content.decode()


# --- Uploads -----------------------------------------------------------------------------------


def _upload_request(content, name="paper.pdf", title="Paper"):
    request = RequestFactory().post(
        "/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            TOKEN_FIELD: str(uuid.uuid4()),
            "csrfmiddlewaretoken": "x",
        },
    )
    request.user = type("User", (), {"pk": 1})()
    return request


def test_an_upload_is_part_of_the_content_by_its_bytes_and_is_still_readable_after():
    same = [submissions._fingerprint(_upload_request(b"%PDF-1.7 one")) for _ in range(2)]
    other_bytes = submissions._fingerprint(_upload_request(b"%PDF-1.7 two"))
    other_title = submissions._fingerprint(_upload_request(b"%PDF-1.7 one", title="Another paper"))
    assert same[0] == same[1]  # the tokens and the CSRF token are not content
    assert other_bytes != same[0] and other_title != same[0]
    request = _upload_request(b"%PDF-1.7 one")
    submissions._fingerprint(request)
    assert request.FILES["file"].read() == b"%PDF-1.7 one"


# --- Two at the same time ----------------------------------------------------------------------


def test_two_sent_at_the_same_moment_save_once(transactional_db, kit):
    double_submit.at_once_saves_once(form(kit))


# --- Old claims are forgotten ------------------------------------------------------------------


def test_claims_older_than_a_day_are_forgotten_by_the_daily_task(kit, member_user):
    from config.celery import app
    from mappa.tasks import forget_old_submissions

    now = timezone.now()
    for age in (LIFETIME + timedelta(minutes=1), LIFETIME - timedelta(minutes=1), timedelta(0)):
        Submission.objects.create(
            token=uuid.uuid4(),
            fingerprint=uuid.uuid4().hex,
            user=member_user,
            path="/add/",
            result_url="/done/",
            created_at=now - age,
        )
    assert forget_old_submissions.apply().get() == 1
    assert Submission.objects.count() == 2
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert "mappa.forget_old_submissions" in schedule
    assert (schedule["mappa.forget_old_submissions"].hour, schedule["mappa.forget_old_submissions"].minute) == (
        {3},
        {30},
    )


def test_a_page_sent_again_after_its_claim_is_forgotten_saves_anew(kit):
    token = form(kit).token()
    assert kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}).status_code == 302
    Submission.objects.update(created_at=timezone.now() - LIFETIME - timedelta(hours=1))  # a day and more ago
    again = kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token})
    assert again.status_code == 302 and added() == 1  # remembered still: saved once
    assert submissions.forget_old_submissions() == 1
    assert kit.post("/add/", {"name": "Circulate", TOKEN_FIELD: token}).status_code == 302
    assert added() == 2
