"""Minutes, in a real browser: drafting, edit conflicts, circulating, comments, agreement and reopening.

Each test is a user story played by the demo's people (secretariat, member-rma,
inspector) against pytest-django's live server. Meetings are built with the ORM
and dated relative to today, so every deadline lies in the future and no clock
needs faking. Every app page a test visits is checked with axe-core.
"""

import re
from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from demo import world as demo_world
from mappa.models import Person
from meetings.models import AgendaItem, Meeting, MinuteComment
from meetings.services import meetings as services
from meetings.services.minutes import save_minute
from tests.browser.conftest import sign_in, sign_in_to
from tests.factories import user_with_role

pytestmark = pytest.mark.browser

S = Meeting.Status
# The NSG's standing agenda (services.DEFAULT_STANDING_AGENDA): item 2 is the previous minutes, item 3 a topic.
TOPIC_NUMBER = "3"
TOPIC_TITLE = "MAPPA: Thematic Inspection Action Plan"
FACTORY_PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's


def long_date(day):
    """A date as the app writes it: 8 November 2017."""
    return f"{day:%-d %B %Y}"


# ----------------------------------------------------------------------------------------------
# The world: the demo's people and groups, and NSG meetings dated around today.
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def world(transactional_db):
    return demo_world.seed_core()


@pytest.fixture
def secretariat(world):
    return get_user_model().objects.get(username="secretariat")


def nsg_meeting(world, secretariat, *, days_ago, status):
    """An NSG meeting ``days_ago`` days before today, with the NSG's standing agenda, at ``status``."""
    meeting = services.create_meeting(
        by=secretariat,
        body=world.bodies["nsg"],
        date=timezone.localdate() - timedelta(days=days_ago),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="St Andrew's House, Regent Road, Edinburgh",
        chair=world.people["nsg-chair"],
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting


def item(meeting, kind=None, title=TOPIC_TITLE):
    items = meeting.agenda_items.all()
    return items.get(kind=kind) if kind else items.get(title=title)


@pytest.fixture
def held_meeting(world, secretariat):
    return nsg_meeting(world, secretariat, days_ago=3, status=S.HELD)


# ----------------------------------------------------------------------------------------------
# Steps shared by the stories.
# ----------------------------------------------------------------------------------------------


def open_meeting(page, meeting, username, assert_accessible, password=None):
    sign_in_to(page, meeting.get_absolute_url(), username, assert_accessible, password)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{meeting.date:%A %-d %B %Y}")
    assert_accessible(page)


def status_row(page):
    return page.locator(".govuk-summary-list__row").filter(has=page.locator("dt", has_text="Status"))


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def open_minute_editor(page, number, title, assert_accessible):
    """From the meeting page, "Draft minute" for one item."""
    page.get_by_role("link", name=f"Draft minute for item {number}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Item {number}: {title}")
    assert_accessible(page)


def minute_box(page):
    return page.get_by_label("Minute", exact=True)


def save_button(page):
    return page.get_by_role("button", name="Save", exact=True)


# ----------------------------------------------------------------------------------------------
# 1. Drafting an item, with autosave, and recording an action under it.
# ----------------------------------------------------------------------------------------------


def test_the_secretariat_drafts_an_item_which_autosaves_and_adds_an_action(page, assert_accessible, held_meeting):
    topic = item(held_meeting)
    open_meeting(page, held_meeting, "secretariat", assert_accessible)
    expect(status_row(page)).to_contain_text("Held")
    open_minute_editor(page, TOPIC_NUMBER, TOPIC_TITLE, assert_accessible)
    status = page.locator("#autosave-status")
    expect(status).to_have_text("Not yet drafted.")

    text = "The Chair summarised progress on the thematic inspection action plan."
    minute_box(page).fill(text)
    # No Save pressed: htmx saves a moment after the typing stops and says so.
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d:\d\d \(version 2\)\.\s*$"))
    assert_accessible(page)
    topic.refresh_from_db()
    assert (topic.narrative, topic.version) == (text, 2)

    # Typing on saves again, from the version the last autosave returned (no false conflict).
    minute_box(page).press("End")
    minute_box(page).press_sequentially(" Members noted it.")
    expect(status).to_have_text(re.compile(r"^Saved at .* \(version 3\)\.\s*$"))

    page.reload()
    expect(minute_box(page)).to_have_value(text + " Members noted it.")
    expect(status).to_have_text("Version 3 saved.")
    assert_accessible(page)

    # An action under the item: SG to act within two weeks of the meeting.
    due = held_meeting.date + timedelta(days=14)
    expect(page.get_by_role("main")).to_contain_text("No actions yet.")
    page.get_by_label("Action", exact=True).fill("Circulate the updated action plan to members.")
    owners = page.get_by_role("combobox", name="Owners")
    owners.press_sequentially("Scottish Gov")
    page.get_by_role("option", name="SG (Scottish Government)").click()
    owners.press("Escape")
    # Nothing is planned after this meeting, so "By the next meeting" is not offered.
    expect(page.get_by_label(re.compile(r"^By the next meeting"))).to_have_count(0)
    page.get_by_label(f"Within 2 weeks ({long_date(due)})", exact=True).check()
    page.get_by_role("button", name="Add action").click()

    expect(success_banner(page)).to_contain_text(
        f"Action 1 from {long_date(held_meeting.date)} meeting added: SG, due {long_date(due)}."
    )
    expect(page).to_have_url(re.compile(r"#actions$"))
    listed = page.locator("#actions + ul > li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Action 1: SG")
    expect(listed).to_contain_text("Circulate the updated action plan to members.")
    expect(listed).to_contain_text(f"Due {long_date(due)}")
    # The minute typed earlier is still there beside the new action.
    expect(minute_box(page)).to_have_value(text + " Members noted it.")
    assert_accessible(page)

    action = topic.actions.get()
    assert (action.number, action.due_date, action.owner_label) == (1, due, "SG")


# ----------------------------------------------------------------------------------------------
# 2. Two of the secretariat edit the same item: the second save is refused, nothing is lost.
# ----------------------------------------------------------------------------------------------


def test_a_second_editor_is_shown_both_versions_instead_of_overwriting_the_first(
    page, new_page, assert_accessible, held_meeting
):
    # A second secretariat login (tests.factories' password), at another desk.
    user_with_role(Person.AccessRole.SECRETARIAT, username="secretariat-2")
    topic = item(held_meeting)
    first, second = page, new_page()
    open_meeting(first, held_meeting, "secretariat", assert_accessible)
    open_minute_editor(first, TOPIC_NUMBER, TOPIC_TITLE, assert_accessible)
    open_meeting(second, held_meeting, "secretariat-2", assert_accessible, FACTORY_PASSWORD)
    open_minute_editor(second, TOPIC_NUMBER, TOPIC_TITLE, assert_accessible)

    # Both opened version 1. The first types and saves with the Save button.
    theirs = "First draft: the action plan is on track."
    minute_box(first).fill(theirs)
    save_button(first).click()
    expect(success_banner(first)).to_contain_text(f"Item {TOPIC_NUMBER} saved.")
    expect(minute_box(first)).to_have_value(theirs)
    assert_accessible(first)

    # The second, still on version 1, types something else and saves.
    mine = "Second draft: two recommendations are not yet met."
    minute_box(second).fill(mine)
    with second.expect_response(
        lambda r: r.request.method == "POST" and not r.request.headers.get("hx-request")
    ) as posted:
        save_button(second).click()
    assert posted.value.status == 409

    alert = second.get_by_role("alert").filter(has_text="Someone else changed this item while you were editing")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Your text has not been saved and nothing has been lost.")
    conflict = second.locator(".app-conflict")
    yours = conflict.locator(".govuk-grid-column-one-half").nth(0)
    saved = conflict.locator(".govuk-grid-column-one-half").nth(1)
    expect(yours.get_by_role("heading", level=2)).to_have_text("Your version (not saved)")
    expect(yours).to_contain_text(mine)
    expect(saved.get_by_role("heading", level=2)).to_have_text("Saved version 2")
    expect(saved).to_contain_text(f"Saved by {demo_world.NAME_OF['secretariat'].full}")
    expect(saved).to_contain_text(theirs)
    # The form still holds what the second person typed, ready to merge.
    expect(minute_box(second)).to_have_value(mine)
    assert_accessible(second)

    topic.refresh_from_db()
    assert (topic.narrative, topic.version) == (theirs, 2)

    # Having compared the two, the second merges and saves again, on purpose: now it sticks.
    merged = f"{theirs} {mine}"
    minute_box(second).fill(merged)
    save_button(second).click()
    expect(success_banner(second)).to_contain_text(f"Item {TOPIC_NUMBER} saved.")
    expect(second.get_by_text("Someone else changed this item")).to_have_count(0)
    expect(minute_box(second)).to_have_value(merged)
    assert_accessible(second)

    topic.refresh_from_db()
    assert (topic.narrative, topic.version) == (merged, 3)
    assert topic.history.latest("history_date").history_user.username == "secretariat-2"


def test_an_autosave_that_meets_someone_elses_save_says_it_did_not_save(
    page, assert_accessible, held_meeting, secretariat
):
    topic = item(held_meeting)
    editor = f"/meetings/{held_meeting.pk}/minutes/{topic.pk}/"
    sign_in_to(page, editor, "secretariat", assert_accessible)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Item {TOPIC_NUMBER}: {TOPIC_TITLE}")
    assert_accessible(page)

    # Meanwhile a colleague at another desk saves the same item.
    save_minute(topic, by=secretariat, narrative="A colleague's text.", decisions="", base_version=1)

    with page.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request")) as saved:
        minute_box(page).fill("My own text.")
    assert saved.value.status == 409
    topic.refresh_from_db()
    assert (topic.narrative, topic.version) == ("A colleague's text.", 2)
    # The person typing must be told their text is not saved.
    expect(page.locator("#autosave-status")).to_contain_text(
        "Not saved: someone else saved version 2 of this item.", timeout=1_000
    )


def test_an_autosave_the_service_does_not_answer_says_it_did_not_save(page, assert_accessible, held_meeting):
    topic = item(held_meeting)
    editor = f"/meetings/{held_meeting.pk}/minutes/{topic.pk}/"
    sign_in_to(page, editor, "secretariat", assert_accessible)
    expect(page.locator("#autosave-status")).to_have_text("Not yet drafted.")

    # The database is down: the service answers 503, as mappa.middleware does.
    page.route(f"**{editor}", lambda route: route.fulfill(status=503, body="Sorry, the service is unavailable"))
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        minute_box(page).fill("Text typed while the service was down.")
    assert refused.value.status == 503
    expect(page.locator("#autosave-status")).to_contain_text("Not saved: the service did not answer.")
    expect(minute_box(page)).to_have_value("Text typed while the service was down.")
    topic.refresh_from_db()
    assert topic.version == 1

    # Back up: the next keystroke saves.
    page.unroute(f"**{editor}")
    minute_box(page).press("End")
    minute_box(page).type(" Saved.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at .* \(version 2\)\.\s*$"))


# ----------------------------------------------------------------------------------------------
# 3. Circulating the draft minutes for comment, by e-mail.
# ----------------------------------------------------------------------------------------------


def test_the_secretariat_circulates_the_draft_minutes_for_comment(page, assert_accessible, held_meeting, mailoutbox):
    topic = item(held_meeting)
    topic.narrative = "The Chair summarised progress."
    topic.save()
    deadline = timezone.localdate() + timedelta(days=14)
    open_meeting(page, held_meeting, "secretariat", assert_accessible)

    step = page.locator(".app-panel").filter(has=page.get_by_role("heading", name="Next step"))
    expect(step.get_by_role("heading", level=2)).to_have_text("Next step: Draft minutes circulated")
    date_input = step.get_by_role("group", name="Comment deadline")
    date_input.get_by_label("Day").fill(str(deadline.day))
    date_input.get_by_label("Month").fill(str(deadline.month))
    date_input.get_by_label("Year").fill(str(deadline.year))
    step.get_by_role("button", name="Mark as “Draft minutes circulated”").click()

    expect(success_banner(page)).to_contain_text(f"{held_meeting}: Draft minutes circulated.")
    expect(status_row(page)).to_contain_text("Draft minutes circulated")
    expect(status_row(page)).to_contain_text(f"Comments on the draft minutes by {long_date(deadline)}")
    expect(page.get_by_role("link", name=re.compile(r"^Comment on the draft minutes"))).to_contain_text(
        f"(until {long_date(deadline)})"
    )
    expect(page.locator(".moj-timeline")).to_contain_text(f"Comments invited by {long_date(deadline)}.")
    assert_accessible(page)

    held_meeting.refresh_from_db()
    assert (held_meeting.status, held_meeting.comment_deadline) == (S.DRAFT_CIRCULATED, deadline)
    # Each current NSG member with an e-mail address gets their own message, with the draft attached.
    members = {p.email for p in Person.objects.filter(memberships__body=held_meeting.body).distinct()}
    rma = Person.objects.get(user__username="member-rma").email
    assert rma in members
    assert mailoutbox, "no e-mail was sent"
    assert all(len(message.to) == 1 for message in mailoutbox)
    sent_to = {message.to[0] for message in mailoutbox}
    assert rma in sent_to
    assert sent_to <= members
    to_rma = next(m for m in mailoutbox if m.to == [rma])
    assert f"/meetings/{held_meeting.pk}/comments/" in to_rma.body
    assert [a[2] for a in to_rma.attachments] == ["application/pdf"]


# ----------------------------------------------------------------------------------------------
# 4. A member comments on the draft; the secretariat accepts the comment; the member sees so.
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def circulated_meeting(held_meeting, secretariat):
    topic = item(held_meeting)
    save_minute(
        topic,
        by=secretariat,
        narrative="The Chair summarised progress on the plan.",
        decisions="",
        base_version=topic.version,
    )
    return services.advance_meeting(
        held_meeting, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=timezone.localdate() + timedelta(days=14)
    )


def test_a_member_comments_on_the_draft_and_sees_the_secretariat_accept_it(
    page, new_page, assert_accessible, circulated_meeting
):
    meeting = circulated_meeting
    region_name = f"Item {TOPIC_NUMBER} {TOPIC_TITLE}"
    member = page
    open_meeting(member, meeting, "member-rma", assert_accessible)
    # A member cannot draft, only comment.
    expect(member.get_by_role("link", name=re.compile(r"^Draft minute"))).to_have_count(0)
    member.get_by_role("link", name=re.compile(r"^Comment on the draft minutes")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(f"Draft minutes of {long_date(meeting.date)}")
    expect(member.locator(".govuk-inset-text")).to_contain_text(
        f"Comments are open until {meeting.comment_deadline:%A %-d %B %Y}"
    )
    assert_accessible(member)

    comment = "Please record that the RMA offered to review the risk assessment section."
    section = member.get_by_role("region", name=region_name)
    expect(section).to_contain_text("The Chair summarised progress on the plan.")
    section.get_by_label("Your comment").fill(comment)
    section.get_by_role("button", name=f"Send comment on item {TOPIC_NUMBER}").click()

    expect(success_banner(member)).to_contain_text("Your comment has been sent to the secretariat.")
    section = member.get_by_role("region", name=region_name)
    expect(section).to_contain_text(comment)
    expect(section).to_contain_text("Your comment,")
    expect(section.locator(".govuk-tag")).to_have_text("Awaiting the secretariat")
    assert_accessible(member)

    # The secretariat sees the comment, accepts it and says what changed.
    secretariat = new_page()
    open_meeting(secretariat, meeting, "secretariat", assert_accessible)
    secretariat.get_by_role("link", name=re.compile(r"^Comment on the draft minutes")).click()
    expect(secretariat.get_by_role("heading", level=1)).to_have_text(f"Draft minutes of {long_date(meeting.date)}")
    assert_accessible(secretariat)
    panel = secretariat.locator(".app-panel").filter(has_text=comment)
    expect(panel).to_contain_text(f"{demo_world.NAME_OF['member-rma'].full},")
    expect(panel.locator(".govuk-tag")).to_have_text("Awaiting the secretariat")
    panel.get_by_role("group", name="Decision").get_by_label("Accept", exact=True).check()
    change = "Added the RMA's offer to the minute of item 3."
    panel.get_by_label("Change made, or why not").fill(change)
    panel.get_by_role("button", name="Record decision").click()

    expect(success_banner(secretariat)).to_contain_text("Decision recorded.")
    panel = secretariat.locator(".app-panel").filter(has_text=comment)
    expect(panel.locator(".govuk-tag")).to_have_text("Accepted")
    expect(panel).to_contain_text(change)
    expect(panel.get_by_role("button", name="Record decision")).to_have_count(0)
    assert_accessible(secretariat)

    # The member, looking again, sees their comment accepted and what was changed.
    member.reload()
    section = member.get_by_role("region", name=region_name)
    expect(section.locator(".govuk-tag")).to_have_text("Accepted")
    expect(section).to_contain_text(change)
    assert_accessible(member)

    saved = MinuteComment.objects.get()
    assert (saved.author.username, saved.decision, saved.decided_by.username) == (
        "member-rma",
        MinuteComment.Decision.ACCEPTED,
        "secretariat",
    )


# ----------------------------------------------------------------------------------------------
# 5. At the next meeting, item 2: the draft minutes are agreed as a true record, subject to a change.
# ----------------------------------------------------------------------------------------------


def test_the_next_meeting_agrees_the_minutes_and_only_then_the_inspector_can_read_them(
    page, new_page, assert_accessible, world, secretariat
):
    earlier = nsg_meeting(world, secretariat, days_ago=40, status=S.HELD)
    topic = item(earlier)
    save_minute(
        topic,
        by=secretariat,
        narrative="Three initial ICRs had been processed.",
        decisions="",
        base_version=topic.version,
    )
    services.advance_meeting(
        earlier, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=timezone.localdate() + timedelta(days=7)
    )
    later = nsg_meeting(world, secretariat, days_ago=3, status=S.HELD)
    previous_minutes = item(later, kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    minutes_pdf = f"/meetings/{earlier.pk}/minutes.pdf"

    # Before agreement the inspector sees the earlier meeting but not its (draft) minutes.
    inspector = new_page()
    open_meeting(inspector, earlier, "inspector", assert_accessible)
    documents = inspector.get_by_role("main").locator("h2:has-text('Documents') + ul")
    expect(documents.get_by_role("link", name="Agenda (PDF)")).to_be_visible()
    expect(documents.get_by_role("link", name=re.compile(r"^Minutes"))).to_have_count(0)
    assert inspector.request.get(minutes_pdf).status == 404

    # The secretariat, at item 2 of the later meeting, agrees them subject to a correction.
    open_meeting(page, later, "secretariat", assert_accessible)
    open_minute_editor(page, "2", previous_minutes.title, assert_accessible)
    panel = page.get_by_role("region", name="Previous minutes")
    expect(panel).to_contain_text(
        f"The draft minute of the meeting of {long_date(earlier.date)} is awaiting agreement."
    )
    subject_to = "the Glasgow SOG update reading “3 initial ICRs, of which 1 progressed to full ICR”"
    panel.get_by_label("Agreed as a true record, subject to (optional)").fill(subject_to)
    panel.get_by_role("button", name="Agree as a true record").click()

    expect(success_banner(page)).to_contain_text(
        f"The minutes of {long_date(earlier.date)} are agreed as a true record."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Item 2: {previous_minutes.title}")
    expect(page.get_by_role("region", name="Previous minutes")).to_contain_text(
        "No earlier minute of this group is awaiting agreement."
    )
    assert_accessible(page)

    # The earlier meeting's page says so, and where and subject to what.
    page.goto(earlier.get_absolute_url())
    expect(status_row(page)).to_contain_text("Minutes agreed")
    expect(status_row(page)).to_contain_text(
        f"Agreed as a true record at the meeting of {long_date(later.date)}, subject to {subject_to}."
    )
    expect(status_row(page).get_by_role("link", name=long_date(later.date))).to_have_attribute(
        "href", later.get_absolute_url()
    )
    assert_accessible(page)

    earlier.refresh_from_db()
    assert (earlier.status, earlier.agreed_at_id, earlier.agreed_subject_to) == (S.MINUTES_AGREED, later.pk, subject_to)

    # Now the inspector sees the minutes links, and the PDF opens.
    inspector.reload()
    minutes_link = documents.get_by_role("link", name="Minutes (PDF)", exact=True)
    expect(minutes_link).to_be_visible()
    expect(documents.get_by_role("link", name="Minutes (Word)", exact=True)).to_be_visible()
    assert_accessible(inspector)
    response = inspector.request.get(minutes_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # And what changed between the circulated draft and the agreed minute.
    documents.get_by_role("link", name="Changes between the circulated draft and the agreed minutes").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text(
        f"Changes between the draft and the agreed minutes of {long_date(earlier.date)}"
    )
    expect(inspector.get_by_role("main")).to_contain_text(f"{TOPIC_NUMBER} {TOPIC_TITLE} (no change)")
    assert_accessible(inspector)


# ----------------------------------------------------------------------------------------------
# 6. Agreeing from the draft's own page: why no meeting can be chosen yet, then the next meeting's
#    item 2, where an undecided comment must be decided or the agreement confirmed (issue 13, point 1).
# ----------------------------------------------------------------------------------------------


def test_the_secretariat_is_led_from_the_draft_to_the_next_meetings_item_2_to_agree_it(
    page, assert_accessible, world, secretariat
):
    earlier = nsg_meeting(world, secretariat, days_ago=40, status=S.HELD)
    services.advance_meeting(
        earlier, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=timezone.localdate() + timedelta(days=7)
    )
    member = get_user_model().objects.get(username="member-rma")
    MinuteComment.objects.create(
        meeting=earlier, agenda_item=item(earlier), author=member, text="Please name the four recommendations."
    )
    later = nsg_meeting(world, secretariat, days_ago=3, status=S.AGENDA_ISSUED)
    previous_minutes = item(later, kind=AgendaItem.Kind.PREVIOUS_MINUTES)

    # The draft's page says why there is no meeting to choose, and links the next one.
    open_meeting(page, earlier, "secretariat", assert_accessible)
    explanation = page.locator("#no-meeting-to-agree-at")
    expect(explanation).to_contain_text(
        "minutes can only be agreed at a later meeting of the group that has been marked as held"
    )
    expect(explanation).to_contain_text(f"The next meeting, on {long_date(later.date)}, is “Agenda issued”.")
    expect(page.get_by_role("button", name="Mark as “Minutes agreed”")).to_have_count(0)
    expect(page.get_by_text("1 comment on these draft minutes has not been decided.")).to_be_visible()

    # The next meeting is marked as held; back on the draft, its item 2 is offered.
    explanation.get_by_role("link", name=long_date(later.date)).click()
    page.get_by_role("button", name="Mark as “Held”").click()
    expect(status_row(page)).to_contain_text("Held")
    page.goto(earlier.get_absolute_url())
    expect(page.locator("#no-meeting-to-agree-at")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name=f"Agree these minutes at item 2 of the meeting of {long_date(later.date)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Item 2: {previous_minutes.title}")
    panel = page.get_by_role("region", name="Previous minutes")
    expect(panel).to_contain_text("1 comment on that draft has not been decided.")
    assert_accessible(page)

    # Agreeing over the undecided comment needs a confirmation; the amendment typed is kept meanwhile.
    subject_to = "the Glasgow SOG update"
    panel.get_by_label("Agreed as a true record, subject to (optional)").fill(subject_to)
    panel.get_by_role("button", name="Agree as a true record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "1 comment on these draft minutes has not been decided: decide it first"
    )
    assert_accessible(page)
    panel = page.get_by_role("region", name="Previous minutes")
    expect(panel.get_by_label("Agreed as a true record, subject to (optional)")).to_have_value(subject_to)
    panel.get_by_label(re.compile(r"Agree the minutes without deciding the 1 comment")).check()
    panel.get_by_role("button", name="Agree as a true record").click()

    expect(success_banner(page)).to_contain_text(
        f"The minutes of {long_date(earlier.date)} are agreed as a true record."
    )
    # Item 2 shows the sentence the minute prints, so nobody types it again.
    expect(page.get_by_role("region", name="Previous minutes").locator("blockquote")).to_have_text(
        f"The minute of the meeting held on {long_date(earlier.date)} was agreed as a true record, "
        f"subject to {subject_to}."
    )
    assert_accessible(page)

    # The home page no longer points at the comment on the frozen minutes.
    page.goto("/")
    expect(page.get_by_role("main")).not_to_contain_text(f"on the draft minutes of NSG, {long_date(earlier.date)}")
    earlier.refresh_from_db()
    assert (earlier.status, earlier.agreed_at_id) == (S.MINUTES_AGREED, later.pk)


# ----------------------------------------------------------------------------------------------
# 7. The timeout warning on the minute editor: what was typed is saved before the session ends.
# ----------------------------------------------------------------------------------------------

# The session's idle timeout for the test, in seconds (SESSION_IDLE_MINUTES sets it in minutes). The
# page is told it (data-idle-seconds) and warns half of it before the end (at most 2 minutes).
IDLE_SECONDS = 10
WARN_AFTER_MS = 5_000


def test_the_timeout_warning_saves_the_typed_minute_first_and_it_is_there_after_signing_in_again(
    page, held_meeting, settings
):
    topic = item(held_meeting)
    editor = f"/meetings/{held_meeting.pk}/minutes/{topic.pk}/"
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    # The page's clock is the test's (Playwright's): it runs as usual except where the test stops it.
    page.clock.install()
    sign_in_to(page, editor, "secretariat")

    # The clock stopped, the editor opens: its warning is due exactly WARN_AFTER_MS from now.
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
    page.reload()
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(page.locator("dialog[data-app-session-timeout-init]")).to_have_count(1)
    expect(page.locator("#autosave-status")).to_have_text("Not yet drafted.")

    # The secretariat types a second before the warning is due, so the editor's own autosave (1.5
    # seconds after the typing stops) would come after it. The warning's moment passes: the text is
    # not saved yet, and the warning does not open over it.
    page.clock.fast_forward(WARN_AFTER_MS - 1_000)
    text = "The Chair asked that the action plan be brought back to the next meeting."
    minute_box(page).fill(text)
    page.clock.run_for(1_200)
    expect(dialog).to_be_hidden()
    topic.refresh_from_db()
    assert topic.version == 1

    # Time runs on: the autosave goes first, and renews the session.
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request")) as saved:
        page.clock.resume()
    assert saved.value.status == 200
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at .* \(version 2\)\.\s*$"))
    topic.refresh_from_db()
    assert (topic.narrative, topic.version) == (text, 2)

    # Left alone, the warning opens (nothing is left unsaved), then the page goes to sign in:
    # the session has ended, so the sign-in page does not send them straight back.
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1_000)
    expect(dialog).to_contain_text("Anything you have typed in the minute editor is saved first.")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(editor) + "$"), timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to MAPPA Governance")

    # Signing in again, the text is in the editor.
    sign_in(page, "secretariat", here=True)
    expect(page).to_have_url(re.compile(r"^[^?]*" + re.escape(editor) + "$"))
    expect(minute_box(page)).to_have_value(text)
    expect(page.locator("#autosave-status")).to_have_text("Version 2 saved.")


# ----------------------------------------------------------------------------------------------
# 8. The secretariat reopens agreed minutes to correct them, saying why.
# ----------------------------------------------------------------------------------------------


def test_the_secretariat_reopens_agreed_minutes_and_sees_them_a_draft_again(
    page, assert_accessible, world, secretariat
):
    earlier = nsg_meeting(world, secretariat, days_ago=40, status=S.HELD)
    services.advance_meeting(
        earlier, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=timezone.localdate() + timedelta(days=7)
    )
    later = nsg_meeting(world, secretariat, days_ago=3, status=S.HELD)
    services.advance_meeting(earlier, S.MINUTES_AGREED, by=secretariat, agreed_at=later)

    open_meeting(page, earlier, "secretariat", assert_accessible)
    expect(status_row(page)).to_contain_text("Minutes agreed")
    page.get_by_role("button", name="Reopen the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen the agreed minutes")
    expect(page.get_by_role("main")).to_contain_text("the agreed version and its PDF are let go")
    assert_accessible(page)

    # Sent without a reason: the error, and nothing reopened.
    page.get_by_role("button", name="Reopen the minutes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the minutes are being reopened")
    assert_accessible(page)
    earlier.refresh_from_db()
    assert earlier.status == S.MINUTES_AGREED

    reason = "Item 3 named the wrong SOG: it was Fife's update, not Falkirk's."
    page.get_by_label("Why are the minutes being reopened?").fill(reason)
    page.get_by_role("button", name="Reopen the minutes").click()

    expect(success_banner(page)).to_contain_text("Minutes reopened")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{earlier.date:%A %-d %B %Y}")
    expect(status_row(page)).to_contain_text("Draft minutes circulated")
    expect(page.locator(".moj-timeline__item").first).to_contain_text(f"Reopened: {reason}")
    expect(page.get_by_role("button", name="Reopen the minutes")).to_have_count(0)
    assert_accessible(page)
    earlier.refresh_from_db()
    assert (earlier.status, earlier.agreed_at_id) == (S.DRAFT_CIRCULATED, None)
