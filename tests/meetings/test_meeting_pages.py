"""People open the meetings list and a meeting; the secretariat plans one and takes its next step."""

from datetime import date

import pytest
import time_machine

from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import NsgFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_demo_may_meeting_reads_like_the_minutes(client, demo_world, member_user):
    from demo.meetings import seed_meetings

    seed_meetings(demo_world)
    may = Meeting.objects.get(date=date(2017, 5, 31))
    client.force_login(member_user)
    page = client.get(f"/meetings/{may.pk}/").content.decode()
    assert "Wednesday 31 May 2017" in page
    assert "4.2 Level 1 standards" in page
    assert "5.1 Child abuse image offenders and risk" in page
    coordinator = demo_world.people["coordinator-highland-and-islands"]
    assert f"{coordinator.name} (The Highland Council), for item 5.1" in page
    assert "subject to the Glasgow SOG update noting" in page and "(page 9).." not in page
    # Only the secretariat is offered the next step.
    assert "Next step" not in page


def test_meetings_list_filters_by_group_and_time(client, member_user):
    nsg = NsgFactory()
    MeetingFactory(body=nsg, date=date(2017, 11, 8), venue="Hamilton")
    MeetingFactory(body__name="MAPPA Development Group", body__slug="mdg", date=date(2017, 10, 1), venue="Glasgow")
    client.force_login(member_user)
    page = client.get("/meetings/?body=nsg").content.decode()
    assert "Hamilton" in page and "Glasgow</td>" not in page
    with time_machine.travel(date(2017, 11, 1)):
        upcoming = client.get("/meetings/?when=upcoming").content.decode()
    assert "Hamilton" in upcoming and "Glasgow</td>" not in upcoming


def test_a_group_whose_first_meeting_is_planned_is_offered_in_the_filter_at_once(client, member_user):
    MeetingFactory(body=NsgFactory(), date=date(2017, 11, 8))
    client.force_login(member_user)
    assert "MAPPA Development Group" not in client.get("/meetings/").content.decode()
    assert client.get("/meetings/?body=mdg").status_code == 400  # not a group with meetings

    MeetingFactory(body__name="MAPPA Development Group", body__slug="mdg", date=date(2017, 10, 1), venue="Glasgow")

    page = client.get("/meetings/").content.decode()
    assert '<option value="mdg">MAPPA Development Group</option>' in page
    assert "Glasgow</td>" in client.get("/meetings/?body=mdg").content.decode()


def test_the_list_shows_a_meeting_moved_or_its_status_changed_at_once(client, member_user):
    meeting = MeetingFactory(body=NsgFactory(), date=date(2017, 11, 8), venue="Hamilton")
    client.force_login(member_user)
    assert "8 November 2017" in client.get("/meetings/").content.decode()

    meeting.date, meeting.venue, meeting.status = date(2017, 11, 15), "Saughton House", Meeting.Status.HELD
    meeting.save()

    page = client.get("/meetings/").content.decode()
    assert "15 November 2017" in page and "Saughton House" in page and "8 November 2017" not in page
    assert Meeting.Status.HELD.label in page


def test_secretariat_plans_a_meeting_and_sees_its_standing_agenda(client, secretariat_user):
    nsg = NsgFactory()
    client.force_login(secretariat_user)
    response = client.post(
        "/meetings/new/",
        {
            "body": nsg.pk,
            "date_0": "8",
            "date_1": "11",
            "date_2": "2017",
            "start_time": "10:30",
            "end_time": "13:00",
            "venue": "Committee Room 5, South Lanarkshire Council HQ, Almada Street, Hamilton",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Meeting planned" in page
    assert "Wednesday 8 November 2017" in page
    assert "1. Welcome, introductions and apologies" in page


def test_planning_errors_are_summarised_and_what_was_typed_is_kept(client, secretariat_user):
    NsgFactory()
    client.force_login(secretariat_user)
    response = client.post(
        "/meetings/new/",
        {
            "body": "",
            "date_0": "31",
            "date_1": "2",
            "date_2": "2017",
            "start_time": "13:00",
            "end_time": "10:30",
            "venue": "Committee Room 5",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the group that is meeting" in page
    assert "Enter a real date of the meeting" in page
    assert "The end time must be after the start time" in page
    assert 'value="Committee Room 5"' in page
    assert 'value="31"' in page
    assert not Meeting.objects.exists()


@time_machine.travel(date(2017, 11, 20))
def test_secretariat_circulates_the_draft_from_the_meeting_page(client, secretariat_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    client.force_login(secretariat_user)
    assert "Next step: Draft minutes circulated" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    refused = client.post(f"/meetings/{meeting.pk}/advance/", {"to_status": "draft_circulated"})
    assert "Enter the date by which members should comment" in refused.content.decode()
    response = client.post(
        f"/meetings/{meeting.pk}/advance/",
        {
            "to_status": "draft_circulated",
            "comment_deadline_0": "27",
            "comment_deadline_1": "11",
            "comment_deadline_2": "2017",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Comments on the draft minutes by 27 November 2017" in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT_CIRCULATED


def test_meeting_page_queries_do_not_grow_with_the_agenda(client, member_user, django_assert_max_num_queries):
    meeting = MeetingFactory()
    for position in range(1, 31):
        item = AgendaItemFactory(meeting=meeting, position=position, lead_person=PersonFactory())
        if position % 3 == 0:
            AgendaItemFactory(meeting=meeting, parent=item, position=1, lead_organisation=item.lead_person.organisation)
    for index in range(25):
        AttendanceFactory(
            meeting=meeting, status=Attendance.Status.PRESENT if index % 4 else Attendance.Status.APOLOGIES
        )
    client.force_login(member_user)
    with django_assert_max_num_queries(15):
        response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    assert AgendaItem.objects.filter(meeting=meeting).count() == 40
