"""The review, step by step, where it can go wrong: a paper not for publication included only with a reason,
decisions kept when the documents are searched again, a build refused when the scope changed after the
search, a job cancelled, a queue that does not answer, an added term found everywhere."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import work
from disclosure.documents.scope import documents_in_scope
from disclosure.models import DisclosureRequest, Job, Proposal
from disclosure.services import jobs, review
from disclosure.services import requests as request_services
from meetings.models import Meeting
from papers.services import add_paper
from tests.disclosure.factories import scoped_request
from tests.disclosure.test_request_story import paper_pdf
from tests.factories import PersonFactory
from tests.html import page, texts
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
Decision = Proposal.Decision


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def request_in_scope(secretariat_user):
    PersonFactory(name="Fiona Reid", email="fiona.reid@rma.example")
    meeting = MeetingFactory(date=date(2017, 2, 28), status=Meeting.Status.MINUTES_AGREED)
    item = AgendaItemFactory(meeting=meeting, title="Standards", narrative="Ms Reid presented the standards paper.")
    add_paper(
        item,
        by=secretariat_user,
        title="Restricted annex",
        upload=SimpleUploadedFile("annex.pdf", paper_pdf("Prepared by Fiona Reid."), "application/pdf"),
        not_for_publication=True,
    )
    return scoped_request(secretariat_user, bodies=[meeting.body], kinds=["minutes", "papers"])


def find(request, user, capture):
    with capture(execute=True):
        job = jobs.start_finding(request=request, by=user)
    job.refresh_from_db()
    return job


def test_a_paper_not_for_publication_is_left_out_until_included_with_a_reason(
    client, secretariat_user, request_in_scope
):
    paper = request_in_scope.bodies.get().meetings.get().agenda_items.get().papers.get()
    assert [document.kind for document in documents_in_scope(request_in_scope)] == ["Agreed minutes"]

    client.force_login(secretariat_user)
    url = f"/disclosure/{request_in_scope.pk}/papers/{paper.pk}/include/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why this paper, marked not for publication, is released" in response.content.decode()

    client.post(url, {"reason": "the requester asked for it by name and it holds nothing sensitive"})
    included = [document for document in documents_in_scope(request_in_scope) if document.kind == "Papers"]
    assert [document.title for document in included] == ["Paper: Restricted annex"]
    assert included[0].note.startswith("Not for publication; included because the requester asked")


def test_searching_again_keeps_the_decisions_made(
    secretariat_user, request_in_scope, django_capture_on_commit_callbacks
):
    find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks)
    review.decide_term(request=request_in_scope, by=secretariat_user, term="Fiona Reid", decision=Decision.REJECTED)
    review.add_term(request=request_in_scope, by=secretariat_user, term="standards paper")

    job = find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE
    decisions = dict(request_in_scope.proposals.values_list("text", "decision"))
    assert decisions == {"Ms Reid": Decision.REJECTED, "standards paper": Decision.PROPOSED}


def test_a_build_is_refused_when_the_scope_changed_after_the_search(
    secretariat_user, request_in_scope, django_capture_on_commit_callbacks
):
    find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks)
    review.decide_term(
        request=request_in_scope,
        by=secretariat_user,
        term="Fiona Reid",
        decision=Decision.ACCEPTED,
        exemption=request_in_scope.proposals.first().exemption,
    )
    paper = request_in_scope.bodies.get().meetings.get().agenda_items.get().papers.get()
    request_services.include_paper(request=request_in_scope, by=secretariat_user, paper=paper, reason="asked for")

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_building(request=request_in_scope, by=secretariat_user)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "find it again" in job.message
    assert not request_in_scope.packs.exists()


def test_the_pack_cannot_be_built_with_proposals_undecided(client, secretariat_user, request_in_scope):
    client.force_login(secretariat_user)
    # No search yet, then a search with one proposal undecided.
    response = client.post(f"/disclosure/{request_in_scope.pk}/build/", follow=True)
    assert "Find the personal data in the documents first." in response.content.decode()


def test_a_cancelled_job_changes_nothing_and_frees_the_request(
    client, secretariat_user, request_in_scope, django_capture_on_commit_callbacks
):
    job = Job.objects.create(request=request_in_scope, kind=Job.Kind.FIND, started_by=secretariat_user)
    client.force_login(secretariat_user)
    markup = client.get(f"/disclosure/{request_in_scope.pk}/").content.decode()
    # Without JavaScript, the page reloads itself every 3 seconds (its own address, without the #progress).
    assert f'<meta http-equiv="refresh" content="3; url=/disclosure/{request_in_scope.pk}/">' in markup
    assert "Waiting to start" in markup

    client.post(f"/disclosure/{request_in_scope.pk}/jobs/{job.pk}/cancel/")
    work.run_job(job.pk)  # a worker that picks it up afterwards does nothing
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert not request_in_scope.proposals.exists()
    assert find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks).status == Job.Status.DONE


def test_a_job_the_queue_does_not_take_fails_at_once_with_a_plain_reason(
    monkeypatch, secretariat_user, request_in_scope, django_capture_on_commit_callbacks
):
    from disclosure import tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.run_job, "apply_async", refuse)
    job = find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("The service's task queue did not answer")


def test_ticking_nothing_says_what_to_do(
    client, secretariat_user, request_in_scope, django_capture_on_commit_callbacks
):
    find(request_in_scope, secretariat_user, django_capture_on_commit_callbacks)
    client.force_login(secretariat_user)
    response = client.post(
        f"/disclosure/{request_in_scope.pk}/review/decide/", {"term": "Fiona Reid", "choice": "rejected-ticked"}
    )
    assert response.status_code == 400
    summary = texts(page(response.content.decode()), "//div[contains(@class, 'govuk-error-summary')]//li")
    assert summary == ["Tick the occurrences to decide, or decide them all"]
    assert request_in_scope.proposals.get().decision == Decision.PROPOSED


def test_nothing_changes_once_the_pack_is_approved(secretariat_user, request_in_scope):
    DisclosureRequest.objects.filter(pk=request_in_scope.pk).update(status=DisclosureRequest.Status.RELEASED)
    request_in_scope.refresh_from_db()
    with pytest.raises(request_services.DisclosureRefused, match="nothing in it can change"):
        review.add_term(request=request_in_scope, by=secretariat_user, term="Standards")
