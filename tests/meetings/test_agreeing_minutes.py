"""The secretariat agrees circulated draft minutes at the next meeting, at its item 2 (issue 13, point 1).

The draft-circulated meeting's page says where the minutes are agreed and why no meeting
can be chosen yet; undecided comments are named before agreeing, and agreeing over them
needs a confirmation; once agreed, the home page asks nothing more about those comments.
"""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from docx import Document

from meetings.models import AgendaItem, Meeting, MinuteComment
from tests import html
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


@pytest.fixture
def november():
    """The 8 November 2017 NSG meeting, its draft out for comment."""
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27))
    AgendaItemFactory(meeting=meeting, position=1, title="Thematic Inspection Action Plan")
    return meeting


def next_meeting(november, status, **kwargs):
    """The next NSG meeting, 21 February 2018, with its item 2 (previous minutes)."""
    meeting = MeetingFactory(body=november.body, date=date(2018, 2, 21), status=status, **kwargs)
    AgendaItemFactory(meeting=meeting, position=1, kind=AgendaItem.Kind.WELCOME, title="Welcome")
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        title="Minutes of the previous meeting and matters arising",
    )
    return meeting


def comment_on(meeting, author, text="Please say which four."):
    return MinuteComment.objects.create(
        meeting=meeting, agenda_item=meeting.agenda_items.first(), author=author, text=text
    )


def assert_refused_keeping_what_was_typed(response, meeting, error):
    """A GOV.UK error (400) saying ``error``, the amendment typed still in its box, the minutes not agreed."""
    assert response.status_code == 400
    page = html.page(response)
    assert html.texts(page, '//*[contains(@class, "govuk-error-summary__list")]//a') == [error]
    assert html.one(page, '//textarea[@name="subject_to"]').text.strip() == "the Glasgow update"
    meeting.refresh_from_db()
    assert meeting.status == S.DRAFT_CIRCULATED
    return page


def next_step(page):
    return html.one(page, '//div[@class="app-panel"][h2[starts-with(., "Next step")]]')


def test_with_the_next_meeting_not_yet_held_the_page_says_why_no_meeting_can_be_chosen(
    client, secretariat_user, november
):
    february = next_meeting(november, S.AGENDA_ISSUED)
    client.force_login(secretariat_user)

    step = next_step(html.page(client.get(november.get_absolute_url())))

    explanation = html.text(html.one(step, './/*[@id="no-meeting-to-agree-at"]'))
    assert "minutes can only be agreed at a later meeting of the group that has been marked as held" in explanation
    assert "The next meeting, on 21 February 2018, is “Agenda issued”." in explanation
    assert "mark it as held on its page; then agree these minutes at its item 2" in explanation
    assert step.xpath(".//a[. = '21 February 2018']/@href") == [february.get_absolute_url()]
    # No empty list to choose from, nor a button that can only fail.
    assert not step.xpath('.//select[@name="agreed_at"]')
    assert not step.xpath('.//button[contains(., "Minutes agreed")]')


def test_with_no_next_meeting_planned_the_page_offers_to_plan_it(client, secretariat_user, november):
    client.force_login(secretariat_user)

    step = next_step(html.page(client.get(november.get_absolute_url())))

    assert "No later meeting of the group is planned." in html.text(step)
    assert step.xpath(".//a[. = 'Plan the next meeting']/@href") == ["/meetings/new/"]


def test_submitting_with_no_held_meeting_to_choose_says_what_to_do(client, secretariat_user, november):
    next_meeting(november, S.AGENDA_ISSUED)
    client.force_login(secretariat_user)

    response = client.post(
        f"/meetings/{november.pk}/advance/", {"to_status": "minutes_agreed", "subject_to": "the Glasgow update"}
    )

    assert_refused_keeping_what_was_typed(
        response,
        november,
        "No later meeting of the NSG has been marked as held, so there is no meeting to choose: mark the next "
        "meeting as held, then agree these minutes at its item 2",
    )


def test_once_the_next_meeting_is_held_the_page_offers_its_item_2(client, secretariat_user, november):
    february = next_meeting(november, S.HELD)
    item_two = february.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    client.force_login(secretariat_user)

    step = next_step(html.page(client.get(november.get_absolute_url())))

    link = html.one(step, './/a[contains(@class, "govuk-button")]')
    assert html.text(link) == "Agree these minutes at item 2 of the meeting of 21 February 2018"
    assert link.get("href") == f"/meetings/{february.pk}/minutes/{item_two.pk}/"
    # Recording another meeting is still possible, from the list of held ones.
    assert html.texts(step, './/select[@name="agreed_at"]/option[@value != ""]') == ["NSG, 21 February 2018"]


@time_machine.travel(date(2018, 2, 21))
def test_undecided_comments_are_named_and_agreeing_over_them_needs_confirming(
    client, secretariat_user, member_user, november
):
    february = next_meeting(november, S.HELD)
    item_two = february.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    for text in ("Please say which four.", "Add the RMA's offer."):
        comment_on(november, member_user, text)
    client.force_login(secretariat_user)
    editor_url = f"/meetings/{february.pk}/minutes/{item_two.pk}/"

    panel = html.one(html.page(client.get(editor_url)), '//section[@aria-labelledby="previous-minutes-heading"]')
    warning = html.text(html.one(panel, './/*[@class="govuk-warning-text"]'))
    assert "2 comments on that draft have not been decided." in warning
    assert panel.xpath(".//a[. = 'Decide the comments']/@href") == [f"/meetings/{november.pk}/comments/"]

    # Agreeing without confirming is refused, and what was typed stays.
    refused = client.post(f"/meetings/{february.pk}/agree-previous-minutes/", {"subject_to": "the Glasgow update"})
    page = assert_refused_keeping_what_was_typed(
        refused,
        november,
        "2 comments on these draft minutes have not been decided: decide them first, or confirm that the "
        "minutes are agreed without deciding them",
    )

    # Confirmed, the minutes are agreed.
    box = html.one(page, '//input[@name="confirm_undecided"]')
    assert html.text(html.one(page, f'//label[@for="{box.get("id")}"]')).startswith(
        "Agree the minutes without deciding the 2 comments"
    )
    agreed = client.post(
        f"/meetings/{february.pk}/agree-previous-minutes/",
        {"subject_to": "the Glasgow update", "confirm_undecided": "on"},
        follow=True,
    )
    assert "The minutes of 8 November 2017 are agreed as a true record." in html.text(html.page(agreed))
    november.refresh_from_db()
    assert (november.status, november.agreed_at) == (S.MINUTES_AGREED, february)


@time_machine.travel(date(2018, 2, 21))
def test_the_meeting_page_also_asks_to_confirm_agreeing_over_undecided_comments(
    client, secretariat_user, member_user, november
):
    february = next_meeting(november, S.HELD)
    comment_on(november, member_user)
    client.force_login(secretariat_user)

    step = next_step(html.page(client.get(november.get_absolute_url())))
    assert "1 comment on these draft minutes has not been decided." in html.text(step)

    data = {"to_status": "minutes_agreed", "agreed_at": february.pk, "subject_to": ""}
    refused = client.post(f"/meetings/{november.pk}/advance/", data)
    assert refused.status_code == 400
    assert "1 comment on these draft minutes has not been decided: decide it first" in html.text(html.page(refused))
    client.post(f"/meetings/{november.pk}/advance/", {**data, "confirm_undecided": "on"})
    november.refresh_from_db()
    assert november.status == S.MINUTES_AGREED


def test_no_home_page_prompt_points_at_comments_on_agreed_minutes(client, secretariat_user, member_user, november):
    february = next_meeting(november, S.HELD)
    comment_on(november, member_user)
    Meeting.objects.filter(pk=november.pk).update(status=S.MINUTES_AGREED, agreed_at=february)
    client.force_login(secretariat_user)

    page = html.page(client.get("/"))

    assert "comment on the draft minutes of NSG, 8 November 2017" not in html.text(page)
    assert not page.xpath(f'//a[@href="/meetings/{november.pk}/comments/"]')
    # On the comments page, the comment says it was never decided, and no decision can be recorded.
    comments = html.page(client.get(f"/meetings/{november.pk}/comments/"))
    assert "Not decided The minutes were agreed without a decision on this comment." in html.text(comments)
    assert not comments.xpath('//button[. = "Record decision"]')


# ----------------------------------------------------------------------------------------------
# Item 2 prints the agreement once (issue 13, point 2).
# ----------------------------------------------------------------------------------------------


@time_machine.travel(date(2018, 2, 21))
def test_item_2_shows_the_sentence_the_minute_prints_so_it_is_not_typed_twice(client, secretariat_user, november):
    february = next_meeting(november, S.HELD)
    item_two = february.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    client.force_login(secretariat_user)
    editor_url = f"/meetings/{february.pk}/minutes/{item_two.pk}/"

    before = html.one(html.page(client.get(editor_url)), '//section[@aria-labelledby="previous-minutes-heading"]')
    assert (
        "Once agreed, this item starts with “The minute of the meeting held on 8 November 2017 was agreed as a "
        "true record.”" in html.text(before)
    )
    client.post(
        f"/meetings/{february.pk}/agree-previous-minutes/",
        {"subject_to": "the Glasgow SOG update noting 3 initial ICRs"},
    )

    after = html.one(html.page(client.get(editor_url)), '//section[@aria-labelledby="previous-minutes-heading"]')
    assert "The minute prints this at the start of this item, so you do not need to write it below:" in html.text(after)
    # The "subject to" clause ends with a full stop, on the editor, the meeting page and the minute.
    sentence = (
        "The minute of the meeting held on 8 November 2017 was agreed as a true record, subject to the Glasgow "
        "SOG update noting 3 initial ICRs."
    )
    assert html.texts(after, ".//blockquote") == [sentence]
    status = html.one(html.page(client.get(november.get_absolute_url())), '//dd[.//strong[contains(@class, "tag")]]')
    assert html.text(status).endswith(
        "Agreed as a true record at the meeting of 21 February 2018, subject to the Glasgow SOG update noting 3 "
        "initial ICRs."
    )
    docx = Document(BytesIO(client.get(f"/meetings/{february.pk}/minutes.docx").content))
    assert [p.text for p in docx.paragraphs].count(sentence) == 1


def test_an_amendment_that_ends_its_own_sentence_gets_no_second_full_stop():
    meeting = Meeting(date=date(2017, 5, 31), agreed_subject_to="the Glasgow SOG update (page 9).")
    assert meeting.agreement_ending == ", subject to the Glasgow SOG update (page 9)."
    assert Meeting(date=date(2017, 5, 31)).agreement_ending == "."
