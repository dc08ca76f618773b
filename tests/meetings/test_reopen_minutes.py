"""The secretariat reopens agreed minutes from the browser to correct them, saying why.

The meeting page offers "Reopen the minutes" to the secretariat once the minutes are agreed; the page
behind it says what happens and asks why. Reopened, the minutes are a circulated draft again, the
agreed version and its kept PDF are let go (tests/meetings/test_stored_documents.py), and the
meeting's history shows the reason. Nobody else may, and minutes that are not agreed have nothing
to reopen.
"""

from datetime import date

import pytest

from meetings.models import AgendaItem, Meeting, MinutesSnapshot, StoredDocument
from meetings.services.meetings import advance_meeting
from tests import html
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status
REASON = "Item 1 named the wrong area: it was Fife, not Falkirk."


@pytest.fixture
def november(secretariat_user):
    """The 8 November 2017 NSG meeting, its minutes agreed at the meeting of 21 February 2018 (PDF kept)."""
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27))
    AgendaItemFactory(meeting=meeting, position=1, title="Thematic Inspection Action Plan", narrative="Discussed.")
    february = MeetingFactory(body=meeting.body, date=date(2018, 2, 21), status=S.HELD)
    AgendaItemFactory(meeting=february, position=1, kind=AgendaItem.Kind.PREVIOUS_MINUTES, title="Minutes")
    return advance_meeting(meeting, S.MINUTES_AGREED, by=secretariat_user, agreed_at=february)


def reopen_url(meeting):
    return f"/meetings/{meeting.pk}/minutes/reopen/"


def reopen_button(page):
    return page.xpath('//a[contains(@class, "govuk-button")][normalize-space(.) = "Reopen the minutes"]')


def status_of(page):
    row = html.one(page, '//div[@class="govuk-summary-list__row"][dt = "Status"]')
    return html.text(html.one(row, './/strong[contains(@class, "govuk-tag")]'))


def assert_still_agreed(meeting):
    meeting.refresh_from_db()
    assert meeting.status == S.MINUTES_AGREED and meeting.agreed_at is not None
    assert meeting.transitions.last().to_status == S.MINUTES_AGREED
    assert MinutesSnapshot.objects.filter(meeting=meeting, kind=MinutesSnapshot.Kind.AGREED).exists()
    assert StoredDocument.objects.filter(meeting=meeting, kind=StoredDocument.Kind.MINUTES).exists()


def test_the_secretariat_reopens_agreed_minutes_with_a_reason(
    client, secretariat_user, november, django_capture_on_commit_callbacks
):
    kept = StoredDocument.objects.get(meeting=november, kind=StoredDocument.Kind.MINUTES)
    storage, name = kept.file.storage, kept.file.name
    assert storage.exists(name)
    client.force_login(secretariat_user)

    # The meeting page offers to reopen the agreed minutes.
    page = html.page(client.get(november.get_absolute_url()))
    assert status_of(page) == "Minutes agreed"
    (button,) = reopen_button(page)
    assert button.get("href") == reopen_url(november)
    assert "govuk-button--secondary" in button.get("class")

    # The page behind it says what happens, and asks why.
    response = client.get(reopen_url(november))
    assert response.status_code == 200
    page = html.page(response)
    assert html.text(html.one(page, "//h1")) == "Reopen the agreed minutes"
    main = html.text(html.one(page, "//main"))
    assert "These minutes were agreed as a true record at the meeting of 21 February 2018." in main
    assert "they go back to “Draft minutes circulated”" in main
    assert "the agreed version and its PDF are let go: they are made again when the minutes are agreed again" in main
    assert "members see that the minutes are a draft again" in main
    box = html.one(page, '//textarea[@name="reason"]')
    assert html.text(html.one(page, f'//label[@for="{box.get("id")}"]')) == "Why are the minutes being reopened?"
    assert html.texts(page, '//form//button[contains(@class, "govuk-button--warning")]') == ["Reopen the minutes"]
    assert page.xpath('//form//a[. = "Cancel"]/@href') == [november.get_absolute_url()]

    # Reopened: back on the meeting page, a circulated draft again, with a banner and the reason in the history.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reopen_url(november), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == november.get_absolute_url()
    page = html.page(client.get(response["Location"]))
    banner = html.one(page, '//div[@data-module="govuk-notification-banner"]')
    assert "govuk-notification-banner--success" in banner.get("class")
    assert html.text(banner).startswith("Success Minutes reopened: the minutes of 8 November 2017 are a circulated")
    assert status_of(page) == "Draft minutes circulated"
    assert "Agreed as a true record" not in html.text(html.one(page, "//dl"))
    history = page.xpath('//div[@class="moj-timeline"]/div[@class="moj-timeline__item"]')
    latest = html.text(history[0])
    assert latest.startswith("Draft minutes circulated by ")
    assert f"Reopened: {REASON}" in latest
    assert not reopen_button(page)

    november.refresh_from_db()
    assert (november.status, november.agreed_at, november.agreed_subject_to) == (S.DRAFT_CIRCULATED, None, "")
    step = november.transitions.last()
    assert (step.from_status, step.to_status, step.by, step.note) == (
        S.MINUTES_AGREED,
        S.DRAFT_CIRCULATED,
        secretariat_user,
        f"Reopened: {REASON}",
    )
    # The agreed version and its kept PDF are let go: the row, and its file with it.
    assert not MinutesSnapshot.objects.filter(meeting=november, kind=MinutesSnapshot.Kind.AGREED).exists()
    assert not StoredDocument.objects.filter(meeting=november, kind=StoredDocument.Kind.MINUTES).exists()
    assert not storage.exists(name)


def test_without_a_reason_the_page_says_so_and_nothing_changes(client, secretariat_user, november):
    client.force_login(secretariat_user)

    for sent in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(reopen_url(november), sent)

        assert response.status_code == 400
        page = html.page(response)
        assert html.text(html.one(page, "//title")).startswith("Error: Reopen the agreed minutes")
        assert html.texts(page, '//*[contains(@class, "govuk-error-summary__list")]//a') == [
            "Enter why the minutes are being reopened"
        ]
        assert html.text(html.one(page, '//*[contains(@class, "govuk-error-message")]')) == (
            "Error: Enter why the minutes are being reopened"
        )
        assert_still_agreed(november)


def test_a_reason_too_long_is_kept_in_its_box_with_the_error(client, secretariat_user, november):
    client.force_login(secretariat_user)
    typed = "The wrong area was named. " * 80  # over 2,000 characters

    response = client.post(reopen_url(november), {"reason": typed})

    assert response.status_code == 400
    page = html.page(response)
    assert html.texts(page, '//*[contains(@class, "govuk-error-summary__list")]//a') == [
        "The reason must be 2,000 characters or fewer"
    ]
    assert html.one(page, '//textarea[@name="reason"]').text.strip() == typed.strip()
    assert_still_agreed(november)


@pytest.mark.parametrize("who", ["inspector_user", "chair_user", "member_user"])
def test_nobody_but_the_secretariat_may_reopen_the_minutes(client, request, who, november):
    client.force_login(request.getfixturevalue(who))

    # No button on the meeting page, and the page itself is refused.
    assert not reopen_button(html.page(client.get(november.get_absolute_url())))
    assert client.get(reopen_url(november)).status_code == 403
    response = client.post(reopen_url(november), {"reason": REASON})

    assert response.status_code == 403
    assert "Reopened" not in response.content.decode()
    assert_still_agreed(november)


@pytest.mark.parametrize("status", [S.HELD, S.DRAFT_CIRCULATED])
def test_minutes_not_agreed_have_nothing_to_reopen(client, secretariat_user, status):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=status, comment_deadline=date(2017, 11, 27))
    client.force_login(secretariat_user)

    # No button on the meeting page.
    assert not reopen_button(html.page(client.get(meeting.get_absolute_url())))
    # Opened anyway (an old tab, a link kept), or sent: back to the meeting, which says why.
    for response in (
        client.get(reopen_url(meeting), follow=True),
        client.post(reopen_url(meeting), {"reason": REASON}, follow=True),
    ):
        assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
        assert response.status_code == 200
        banner = html.one(html.page(response), '//div[@data-module="govuk-notification-banner"]')
        assert "These minutes are not agreed, so there is nothing to reopen" in html.text(banner)

    meeting.refresh_from_db()
    assert meeting.status == status
    assert not meeting.transitions.exists()


def test_minutes_reopened_meanwhile_are_not_reopened_twice(client, secretariat_user, november):
    """Two tabs: the second sends its reason after the first reopened the minutes."""
    client.force_login(secretariat_user)
    client.post(reopen_url(november), {"reason": REASON})

    response = client.post(reopen_url(november), {"reason": "Another reason."}, follow=True)

    assert response.redirect_chain == [(november.get_absolute_url(), 302)]
    assert "These minutes are not agreed, so there is nothing to reopen" in response.content.decode()
    assert list(november.transitions.filter(note__startswith="Reopened").values_list("note", flat=True)) == [
        f"Reopened: {REASON}"
    ]


def test_published_minutes_are_agreed_and_can_be_reopened_too(client, secretariat_user, november):
    advance_meeting(november, S.PUBLISHED, by=secretariat_user)
    client.force_login(secretariat_user)

    assert reopen_button(html.page(client.get(november.get_absolute_url())))
    client.post(reopen_url(november), {"reason": REASON})

    november.refresh_from_db()
    assert november.status == S.DRAFT_CIRCULATED


def test_the_page_answers_get_and_post_only_and_no_meeting_is_not_found(client, secretariat_user, november):
    client.force_login(secretariat_user)

    assert client.put(reopen_url(november)).status_code == 405
    assert client.delete(reopen_url(november)).status_code == 405
    assert client.get(reopen_url(Meeting(pk=987654))).status_code == 404
    assert client.post(reopen_url(Meeting(pk=987654)), {"reason": REASON}).status_code == 404
    assert_still_agreed(november)


def test_minutes_unagreed_between_the_check_and_the_step_send_back_to_the_meeting(
    client, secretariat_user, monkeypatch
):
    """The service checks again in its transaction: its refusal is a message on the meeting page, not a 500."""
    from meetings.views import minutes as views

    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27))
    monkeypatch.setattr(views, "may_reopen_minutes", lambda user, meeting: True)
    client.force_login(secretariat_user)

    response = client.post(reopen_url(meeting), {"reason": REASON}, follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert "Only agreed minutes can be reopened." in response.content.decode()
    assert not meeting.transitions.exists()
