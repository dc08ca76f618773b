"""An agreed minute can no longer change: its PDF is rendered once, when the minutes are agreed, kept in
storage and served from there; reopening the minutes lets it go. A held meeting's agenda is kept from its
first download (issue 17)."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from meetings import documents
from meetings.models import AgendaItem, Meeting, StoredDocument
from meetings.selectors.documents import meeting_documents
from meetings.services.meetings import MeetingStepRefused, advance_meeting, reopen_minutes
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


@pytest.fixture
def november():
    """The 8 November 2017 NSG meeting, its draft out for comment, and the meeting of 21 February 2018 (held)."""
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27))
    AgendaItemFactory(meeting=meeting, position=1, title="Thematic Inspection Action Plan", narrative="Discussed.")
    february = MeetingFactory(body=meeting.body, date=date(2018, 2, 21), status=S.HELD)
    AgendaItemFactory(meeting=february, position=1, kind=AgendaItem.Kind.PREVIOUS_MINUTES, title="Minutes")
    return meeting


def text_of(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def agreed(meeting, by):
    february = Meeting.objects.get(body=meeting.body, date=date(2018, 2, 21))
    return advance_meeting(meeting, S.MINUTES_AGREED, by=by, agreed_at=february)


def test_agreeing_the_minutes_keeps_their_pdf_and_the_download_serves_it(
    client, secretariat_user, member_user, november, monkeypatch
):
    agreed(november, secretariat_user)

    (stored,) = StoredDocument.objects.filter(meeting=november)
    assert stored.kind == StoredDocument.Kind.MINUTES
    kept = stored.file.read()
    # What is kept is what the minute renders as now: agreed, no DRAFT.
    rendered = documents.minutes_pdf(meeting_documents(november.pk))
    assert kept == rendered
    assert "Agreed as a true record at the meeting of 21 February 2018." in text_of(kept)
    assert "DRAFT" not in text_of(kept)

    # Served from storage: nothing is rendered.
    def no_rendering(docs):
        raise AssertionError("the agreed minute was rendered again")

    monkeypatch.setattr(documents, "minutes_pdf", no_rendering)
    client.force_login(member_user)
    response = client.get(f"/meetings/{november.pk}/minutes.pdf")
    assert response.status_code == 200
    assert response.content == kept
    assert response["Content-Disposition"] == f'inline; filename="{november.body.slug}-minutes-2017-11-08.pdf"'


def test_reopening_the_minutes_lets_the_kept_pdf_go_and_the_draft_is_rendered_again(
    client, secretariat_user, member_user, november, django_capture_on_commit_callbacks
):
    agreed(november, secretariat_user)
    stored = StoredDocument.objects.get(meeting=november)
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        reopen_minutes(november, by=secretariat_user, reason="Item 1 named the wrong area.")

    november.refresh_from_db()
    assert november.status == S.DRAFT_CIRCULATED and november.agreed_at is None
    assert not StoredDocument.objects.filter(meeting=november).exists()
    assert not storage.exists(name)
    assert november.transitions.last().note == "Reopened: Item 1 named the wrong area."
    client.force_login(member_user)
    assert "DRAFT" in text_of(client.get(f"/meetings/{november.pk}/minutes.pdf").content)

    # Agreed again: kept again.
    agreed(november, secretariat_user)
    assert StoredDocument.objects.filter(meeting=november, kind=StoredDocument.Kind.MINUTES).count() == 1


def test_only_agreed_minutes_can_be_reopened_and_only_with_a_reason(secretariat_user, november):
    with pytest.raises(MeetingStepRefused):
        reopen_minutes(november, by=secretariat_user, reason="Typo.")
    agreed(november, secretariat_user)
    with pytest.raises(MeetingStepRefused):
        reopen_minutes(november, by=secretariat_user, reason="  ")


def test_minutes_agreed_before_pdfs_were_kept_are_kept_at_their_first_download(client, member_user, november):
    Meeting.objects.filter(pk=november.pk).update(status=S.MINUTES_AGREED)
    client.force_login(member_user)

    first = client.get(f"/meetings/{november.pk}/minutes.pdf").content

    assert StoredDocument.objects.get(meeting=november).file.read() == first
    assert client.get(f"/meetings/{november.pk}/minutes.pdf").content == first


def test_a_held_meetings_agenda_is_kept_from_its_first_download_a_planned_ones_is_not(
    client, member_user, november, monkeypatch
):
    planned = MeetingFactory(body=november.body, date=date(2018, 5, 30), status=S.AGENDA_ISSUED)
    AgendaItemFactory(meeting=planned, position=1, title="Welcome")
    client.force_login(member_user)

    assert client.get(f"/meetings/{planned.pk}/agenda.pdf").status_code == 200
    assert not StoredDocument.objects.filter(meeting=planned).exists()

    first = client.get(f"/meetings/{november.pk}/agenda.pdf").content
    assert StoredDocument.objects.get(meeting=november, kind=StoredDocument.Kind.AGENDA).file.read() == first
    monkeypatch.setattr(documents, "agenda_pdf", lambda docs: pytest.fail("the held meeting's agenda was rendered"))
    assert client.get(f"/meetings/{november.pk}/agenda.pdf").content == first


def test_an_erasure_lets_the_kept_minute_go_and_the_next_download_shows_the_text_erased(
    client, secretariat_user, member_user, november, django_capture_on_commit_callbacks
):
    from erasure.services import erase_text

    item = november.agenda_items.get(position=1)
    item.narrative = "Discussed. DOB 12/03/1985 was typed here by mistake."
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        agreed(november, secretariat_user)
    kept = StoredDocument.objects.get(meeting=november)
    name = kept.file.name
    assert "12/03/1985" in text_of(kept.file.read())

    with django_capture_on_commit_callbacks(execute=True):
        erase_text(text="DOB 12/03/1985", reason="A date of birth typed by mistake", by=secretariat_user)
    assert not StoredDocument.objects.filter(meeting=november).exists()
    assert not kept.file.storage.exists(name)

    client.force_login(member_user)
    served = client.get(f"/meetings/{november.pk}/minutes.pdf").content
    assert "12/03/1985" not in text_of(served)
    assert "personal data" in text_of(served)


def test_a_meeting_deleted_takes_its_kept_files_with_it(secretariat_user, november, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agreed(november, secretariat_user)
    kept = StoredDocument.objects.get(meeting=november)
    storage, name = kept.file.storage, kept.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    assert not storage.exists(name)
