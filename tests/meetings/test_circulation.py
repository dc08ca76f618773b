"""Draft minutes go out for comment, members comment, the next meeting agrees them; matters arising."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from actions.models import Action, ActionUpdate
from mappa.models import Membership
from meetings.models import AgendaItem, Meeting, MinuteComment, MinutesSnapshot
from meetings.services import meetings as services
from meetings.services.circulation import add_comment
from meetings.services.minutes import save_minute
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


@pytest.fixture
def november(secretariat_user, member_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome", kind=AgendaItem.Kind.WELCOME)
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        title="Thematic Inspection Action Plan",
        narrative="Four recommendations are complete.",
    )
    for user in (member_user, secretariat_user):
        MembershipFactory(person=user.person, body=meeting.body, role=Membership.Role.MEMBER)
    MembershipFactory(person=PersonFactory(email="former@test.example"), body=meeting.body, ended_on=date(2017, 1, 1))
    return meeting


@time_machine.travel(date(2017, 11, 20))
def test_circulating_e_mails_each_member_the_draft_with_the_deadline(
    client, secretariat_user, november, django_capture_on_commit_callbacks
):
    client.force_login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/meetings/{november.pk}/advance/",
            {
                "to_status": "draft_circulated",
                "comment_deadline_0": "27",
                "comment_deadline_1": "11",
                "comment_deadline_2": "2017",
            },
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            november.body.memberships.get(person__user__username="t-member").person.email,
            november.body.memberships.get(person__user__username="t-secretariat").person.email,
        ]
    )
    message = mail.outbox[0]
    assert "draft minutes for comment" in message.subject
    assert "by close of play Monday 27 November 2017" in message.body
    assert f"/meetings/{november.pk}/comments/" in message.body
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith("-draft.pdf")
    snapshot = MinutesSnapshot.objects.get(meeting=november, kind=MinutesSnapshot.Kind.CIRCULATED)
    assert snapshot.content[1]["narrative"] == "Four recommendations are complete."


def circulate(meeting, user, deadline=date(2017, 11, 27)):
    with time_machine.travel(date(2017, 11, 20)):
        return services.advance_meeting(meeting, S.DRAFT_CIRCULATED, by=user, comment_deadline=deadline)


def test_a_member_comments_per_item_until_the_deadline(client, secretariat_user, member_user, november):
    circulate(november, secretariat_user)
    item = november.agenda_items.get(position=2)
    client.force_login(member_user)
    with time_machine.travel(date(2017, 11, 24)):
        page = client.get(f"/meetings/{november.pk}/comments/").content.decode()
        assert "Comments are open until Monday 27 November 2017" in page
        response = client.post(
            f"/meetings/{november.pk}/comments/",
            {"item": item.pk, f"item-{item.pk}-text": "Please say which four."},
            follow=True,
        )
        assert "Your comment has been sent to the secretariat." in response.content.decode()
        assert "Awaiting the secretariat" in response.content.decode()
    with time_machine.travel(date(2017, 11, 28)):
        client.force_login(member_user)  # four days on, the idle session has expired
        late = client.post(f"/meetings/{november.pk}/comments/", {"item": item.pk, f"item-{item.pk}-text": "Late"})
    assert "Comments on this draft are closed" in late.content.decode()
    assert list(MinuteComment.objects.values_list("text", flat=True)) == ["Please say which four."]


def test_a_comment_on_an_item_that_is_not_in_this_meeting_is_not_found(client, secretariat_user, member_user, november):
    circulate(november, secretariat_user)
    other_meeting_item = AgendaItemFactory(meeting=MeetingFactory(date=date(2017, 12, 6)), position=1)
    client.force_login(member_user)
    with time_machine.travel(date(2017, 11, 24)):
        for unknown in ("999999", str(other_meeting_item.pk)):
            response = client.post(f"/meetings/{november.pk}/comments/", {"item": unknown, "item-abc-text": "Hello"})
            assert response.status_code == 404
        # Not an item's id at all ("²".isdigit() is True, but it is no number): the request is wrong.
        for bogus in ("abc", "", "²", "-1", "99999999999999999999", "1\x00"):
            response = client.post(f"/meetings/{november.pk}/comments/", {"item": bogus, "item-abc-text": "Hello"})
            assert response.status_code == 400, bogus
            assert "There is a problem with the web address" in response.content.decode()
    assert not MinuteComment.objects.exists()


def test_inspectors_cannot_comment(client, secretariat_user, inspector_user, november):
    circulate(november, secretariat_user)
    client.force_login(inspector_user)
    assert client.get(f"/meetings/{november.pk}/comments/").status_code == 403


def test_the_secretariat_decides_each_comment_and_the_member_sees_it(client, secretariat_user, member_user, november):
    circulate(november, secretariat_user)
    item = november.agenda_items.get(position=2)
    with time_machine.travel(date(2017, 11, 24)):
        comment = add_comment(item, by=member_user, text="Please say which four.")
    client.force_login(secretariat_user)
    refused = client.post(
        f"/meetings/{november.pk}/comments/{comment.pk}/decision/",
        {f"comment-{comment.pk}-decision": "accepted"},
        follow=True,
    )
    assert "Say what was changed in the minute, or why not" in refused.content.decode()
    client.post(
        f"/meetings/{november.pk}/comments/{comment.pk}/decision/",
        {
            f"comment-{comment.pk}-decision": "accepted",
            f"comment-{comment.pk}-change_made": "Listed recommendations 4, 6, 8 and 9.",
        },
    )
    client.force_login(member_user)
    page = client.get(f"/meetings/{november.pk}/comments/").content.decode()
    assert "Accepted" in page and "Listed recommendations 4, 6, 8 and 9." in page


def test_the_next_meeting_agrees_the_minutes_subject_to_an_amendment(client, secretariat_user, november):
    circulate(november, secretariat_user)
    item = november.agenda_items.get(position=2)
    save_minute(
        item,
        by=secretariat_user,
        narrative="Four recommendations (4, 6, 8, 9) are complete.",
        decisions="",
        base_version=item.version,
    )
    february = MeetingFactory(body=november.body, date=date(2018, 2, 21), status=S.HELD)
    item_two = AgendaItemFactory(
        meeting=february,
        position=2,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        title="Minutes of previous meeting and matters arising",
    )
    client.force_login(secretariat_user)
    editor = client.get(f"/meetings/{february.pk}/minutes/{item_two.pk}/").content.decode()
    assert "The draft minute of the meeting of" in editor and "8 November 2017" in editor
    client.post(
        f"/meetings/{february.pk}/agree-previous-minutes/",
        {"subject_to": "the Glasgow SOG update noting 3 initial ICRs"},
    )
    november.refresh_from_db()
    assert november.status == S.MINUTES_AGREED and november.agreed_at == february
    page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert "subject to the Glasgow SOG update noting 3 initial ICRs." in page
    # The agreed minute is frozen...
    with pytest.raises(services.MeetingStepRefused):
        save_minute(
            item, by=secretariat_user, narrative="changed", decisions="", base_version=item.history.first().version
        )
    # ...and what changed since circulation stays visible.
    changes = client.get(f"/meetings/{november.pk}/minutes/changes/").content.decode()
    assert "removed: </span>Four recommendations are complete." in changes
    assert "added: </span>Four recommendations (4, 6, 8, 9) are complete." in changes


def test_matters_arising_lists_open_earlier_actions_and_records_updates(client, secretariat_user, november):
    sg = OrganisationFactory(name="Scottish Government", short_name="SG")
    item = november.agenda_items.get(position=2)
    open_action = Action.objects.create(
        meeting=november,
        agenda_item=item,
        number=1,
        text="Circulate the plan",
        due_date=date(2017, 11, 22),
        original_due_date=date(2017, 11, 22),
        created_by=secretariat_user,
    )
    open_action.owner_organisations.set([sg])
    Action.objects.create(
        meeting=november,
        agenda_item=item,
        number=2,
        text="Already done",
        status="complete",
        due_date=date(2017, 11, 22),
        original_due_date=date(2017, 11, 22),
        created_by=secretariat_user,
    )
    february = MeetingFactory(body=november.body, date=date(2018, 2, 21), status=S.HELD)
    item_two = AgendaItemFactory(
        meeting=february,
        position=2,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        title="Minutes of previous meeting and matters arising",
    )
    client.force_login(secretariat_user)
    editor = client.get(f"/meetings/{february.pk}/minutes/{item_two.pk}/").content.decode()
    assert "Action 1 from 8 November 2017 meeting" in editor
    assert "Action 2 from 8 November 2017 meeting" not in editor
    assert "No update yet." in editor
    client.post(
        f"/meetings/{february.pk}/matters-arising/{open_action.pk}/",
        {
            f"action-{open_action.pk}-text": "Circulated on 23 November 2017.",
            f"action-{open_action.pk}-new_status": "complete",
        },
    )
    open_action.refresh_from_db()
    assert open_action.status == Action.Status.COMPLETE
    update = ActionUpdate.objects.get(action=open_action)
    assert update.noted_at == february and update.reason == "Circulated on 23 November 2017."
    editor = client.get(f"/meetings/{february.pk}/minutes/{item_two.pk}/").content.decode()
    assert "No actions from earlier meetings are open." in editor
