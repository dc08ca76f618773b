"""A paper, and a new version of one, is added once, however often its form is sent (issue 11).

Uploads go as the browser sends them, a fresh file each time; the same file twice
is the same content, another file is other content (tests/double_submit.py's checks).
"""

import pytest

from meetings.models import Meeting
from papers.models import Paper, PaperVersion
from tests import double_submit
from tests.double_submit import Form
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.papers.test_papers import add_paper, docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def item(db):
    return AgendaItemFactory(
        meeting=MeetingFactory(status=Meeting.Status.AGENDA_ISSUED), position=2, title="MAPPA Coordinator role"
    )


@pytest.fixture
def signed_in(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def new_paper(client, item):
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/papers/new/"
    return Form(
        client,
        url,
        url,
        lambda: {"title": "Coordinator role: SWS paper", "file": upload("role v3.pdf", pdf_bytes(2))},
        Paper.objects.count,
        other=lambda: {"title": "Coordinator role: annex", "file": upload("annex.pdf", pdf_bytes(3))},
        wrong=lambda: {"title": "  ", "file": upload("role v3.pdf", pdf_bytes(2))},
    )


def new_version(client, item, by):
    paper = add_paper(item, by)
    url = f"/meetings/{item.meeting_id}/papers/{paper.pk}/replace/"
    return Form(
        client,
        url,
        url,
        lambda: {"file": upload("standards-final.docx", docx_bytes())},
        PaperVersion.objects.filter(paper=paper).count,
        other=lambda: {"file": upload("standards-final-v2.pdf", pdf_bytes(2))},
        wrong={},
    )


@pytest.fixture(params=["new paper", "new version"])
def paper_form(request, signed_in, item, secretariat_user):
    return (
        new_paper(signed_in, item) if request.param == "new paper" else new_version(signed_in, item, secretariat_user)
    )


def test_sent_twice_it_saves_once_and_lands_on_the_first(paper_form):
    double_submit.sent_twice_saves_once(paper_form)


def test_the_same_page_sent_with_another_file_saves_again(paper_form):
    double_submit.other_content_saves_again(paper_form)


def test_a_form_with_errors_does_not_use_up_its_token(paper_form):
    double_submit.errors_keep_the_token(paper_form)


def test_sent_twice_at_the_same_moment_it_saves_once(transactional_db, paper_form):
    double_submit.at_once_saves_once(paper_form)


def test_the_same_title_with_another_file_is_other_content(signed_in, item):
    form = new_paper(signed_in, item)
    form.other = lambda: {"title": "Coordinator role: SWS paper", "file": upload("role v3.pdf", pdf_bytes(4))}
    double_submit.other_content_saves_again(form)
