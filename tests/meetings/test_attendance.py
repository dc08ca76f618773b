"""The secretariat records who attended a meeting; everyone sees attendance across meetings."""

from datetime import date

import pytest

from mappa.models import Body, Membership
from meetings.models import AgendaItem, Attendance, Meeting
from tests import html
from tests.factories import MembershipFactory, NsgFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Attendance.Status


@pytest.fixture
def may():
    """The NSG of 31 May 2017 with three members, and an item 5 with a sub-item 5.1."""
    nsg = NsgFactory()
    meeting = MeetingFactory(body=nsg, date=date(2017, 5, 31), status=Meeting.Status.HELD)
    for position, title in enumerate(["Welcome", "Minutes", "Victims", "Action plan"], start=1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    internet = AgendaItemFactory(meeting=meeting, position=5, title="Internet Offending")
    AgendaItemFactory(meeting=meeting, parent=internet, position=1, title="Child abuse image offenders and risk")
    vss = OrganisationFactory(name="Victim Support Scotland", short_name="VSS")
    for name, organisation in [
        ("Avery Chair", OrganisationFactory(name="Scottish Government", short_name="SG")),
        ("Blair Victims", vss),
        ("Casey Police", OrganisationFactory(name="Police Scotland", short_name="Police Scotland")),
    ]:
        MembershipFactory(body=nsg, person=PersonFactory(name=name, organisation=organisation))
    MembershipFactory(body=nsg, person=PersonFactory(name="Dana Former"), ended_on=date(2017, 1, 1))
    return meeting


def member(name):
    return Membership.objects.get(person__name=name).person


def test_secretariat_marks_members_present_or_apologies_in_one_table(client, secretariat_user, may):
    client.force_login(secretariat_user)
    table = client.get(f"/meetings/{may.pk}/attendance/").content.decode().split("Others recorded")[0]
    assert "Avery Chair" in table and "Casey Police" in table
    assert "Dana Former" not in table  # no longer a member on 31 May 2017
    avery, blair, casey = member("Avery Chair"), member("Blair Victims"), member("Casey Police")
    response = client.post(
        f"/meetings/{may.pk}/attendance/",
        {f"member-{avery.pk}": "present", f"member-{blair.pk}": "apologies", f"member-{casey.pk}": ""},
        follow=True,
    )
    assert "Attendance saved (2 changes)." in response.content.decode()
    assert dict(Attendance.objects.values_list("person__name", "status")) == {
        "Avery Chair": S.PRESENT,
        "Blair Victims": S.APOLOGIES,
    }
    # What was saved is what the table shows next time; "not recorded" removes a record.
    page = response.content.decode()
    assert f'id="id_member-{avery.pk}_0" name="member-{avery.pk}" type="radio" value="present" checked' in page
    client.post(f"/meetings/{may.pk}/attendance/", {f"member-{avery.pk}": "", f"member-{blair.pk}": "apologies"})
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["Blair Victims"]


def test_someone_representing_a_member_and_someone_in_attendance_for_an_item_show_on_the_meeting_page(
    client, secretariat_user, member_user, may
):
    client.force_login(secretariat_user)
    blair = member("Blair Victims")
    client.post(f"/meetings/{may.pk}/attendance/", {f"member-{blair.pk}": "apologies"})
    deputy = PersonFactory(name="Drew Deputy", organisation=blair.organisation)
    coordinator = PersonFactory(
        name="Eden Coordinator",
        organisation=OrganisationFactory(name="The Highland Council", short_name="The Highland Council"),
    )
    sub_item = AgendaItem.objects.get(title="Child abuse image offenders and risk")
    response = client.post(
        f"/meetings/{may.pk}/attendance/add/",
        {"person": deputy.pk, "status": "present", "representing": blair.pk},
        follow=True,
    )
    assert "Drew Deputy recorded: present." in response.content.decode()
    client.post(
        f"/meetings/{may.pk}/attendance/add/",
        {"person": coordinator.pk, "status": "in_attendance", "for_item": sub_item.pk},
    )
    sheet = client.get(f"/meetings/{may.pk}/attendance/").content.decode()
    assert "Drew Deputy (VSS): present, representing Blair Victims" in sheet
    assert "Eden Coordinator (The Highland Council): in attendance, for item 5.1" in sheet

    client.force_login(member_user)
    page = client.get(f"/meetings/{may.pk}/").content.decode()
    assert "Drew Deputy (VSS), representing Blair Victims" in page
    assert "Eden Coordinator (The Highland Council), for item 5.1" in page
    assert "Record attendance" not in page


def test_attendance_errors_are_summarised_and_what_was_chosen_is_kept(client, secretariat_user, may):
    client.force_login(secretariat_user)
    guest = PersonFactory(name="Guest Speaker")
    response = client.post(f"/meetings/{may.pk}/attendance/add/", {"person": guest.pk, "status": "in_attendance"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'class="govuk-error-summary' in page
    assert "Select the agenda item they attended for" in page
    assert f'<option value="{guest.pk}" selected>' in page
    assert html.checked(html.page(page), "status") == ["in_attendance"]

    blair = member("Blair Victims")
    response = client.post(
        f"/meetings/{may.pk}/attendance/add/", {"person": guest.pk, "status": "apologies", "representing": blair.pk}
    )
    assert "Only someone present or in attendance can be representing a member" in response.content.decode()
    response = client.post(f"/meetings/{may.pk}/attendance/add/", {})
    assert "Select the person" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_record_added_by_mistake_is_removed(client, secretariat_user, may):
    record = AttendanceFactory(meeting=may, person=PersonFactory(name="Wrong Person"))
    client.force_login(secretariat_user)
    response = client.post(f"/meetings/{may.pk}/attendance/{record.pk}/remove/", follow=True)
    assert "Wrong Person is no longer recorded at this meeting." in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_of_agreed_minutes_cannot_change(client, secretariat_user, may):
    Meeting.objects.filter(pk=may.pk).update(status=Meeting.Status.MINUTES_AGREED)
    client.force_login(secretariat_user)
    avery = member("Avery Chair")
    page = client.get(f"/meetings/{may.pk}/attendance/").content.decode()
    assert "These minutes are agreed: their attendance can no longer be changed." in page
    response = client.post(f"/meetings/{may.pk}/attendance/", {f"member-{avery.pk}": "present"})
    assert response.status_code == 400 and "These minutes are agreed" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_inspector_reads_the_summary_but_cannot_record_attendance(client, inspector_user, may):
    client.force_login(inspector_user)
    assert client.get(f"/meetings/{may.pk}/attendance/").status_code == 403
    assert client.post(f"/meetings/{may.pk}/attendance/add/", {}).status_code == 403
    assert client.get("/meetings/attendance/").status_code == 200


# --- The summary across meetings --------------------------------------------------------------


def test_the_summary_shows_each_persons_attendance_and_rate(client, member_user):
    nsg = NsgFactory()
    mdg = MeetingFactory(
        body__name="MAPPA Development Group",
        body__short_name="MDG",
        body__slug="mdg",
        body__kind=Body.Kind.DEVELOPMENT_GROUP,
        date=date(2017, 3, 1),
    )
    meetings = [MeetingFactory(body=nsg, date=date(2017, month, 10)) for month in (2, 5, 8, 11)]
    avery = MembershipFactory(body=nsg, person=PersonFactory(name="Avery Chair")).person
    # Blair joined in May: expected at three meetings.
    blair = MembershipFactory(body=nsg, person=PersonFactory(name="Blair Victims"), started_on=date(2017, 4, 1)).person
    deputy = PersonFactory(name="Drew Deputy")
    for meeting, status in zip(meetings, [S.PRESENT, S.PRESENT, S.APOLOGIES, S.PRESENT]):
        AttendanceFactory(meeting=meeting, person=avery, status=status)
    AttendanceFactory(meeting=meetings[1], person=blair, status=S.PRESENT)
    AttendanceFactory(meeting=meetings[2], person=blair, status=S.APOLOGIES)
    AttendanceFactory(meeting=meetings[2], person=deputy, status=S.PRESENT, representing=blair)
    AttendanceFactory(meeting=mdg, person=deputy, status=S.PRESENT)  # another group: not counted

    client.force_login(member_user)
    page = client.get("/meetings/attendance/").content.decode()  # the NSG by default
    assert "Attendance: MAPPA National Strategic Group" in page
    rows = {
        name: page.split(f">{name}<")[1].split("</tr>")[0] for name in ("Avery Chair", "Blair Victims", "Drew Deputy")
    }
    assert '75% <span class="govuk-body-s">(3 of 4)</span>' in rows["Avery Chair"]
    assert '33% <span class="govuk-body-s">(1 of 3)</span>' in rows["Blair Victims"]
    assert '100% <span class="govuk-body-s">(1 of 1)</span>' in rows["Drew Deputy"]
    assert "Present, representing Blair Victims" in rows["Drew Deputy"]
    assert "Not a member" in rows["Blair Victims"] and "Not recorded" in rows["Blair Victims"]

    other = client.get("/meetings/attendance/?body=mdg").content.decode()
    assert "Attendance: MAPPA Development Group" in other
    assert '100% <span class="govuk-body-s">(1 of 1)</span>' in other and "Avery Chair" not in other


def _world(people, meetings):
    nsg = NsgFactory()
    held = [MeetingFactory(body=nsg, date=date(2016 + index // 12, 1 + index % 12, 10)) for index in range(meetings)]
    for index in range(people):
        person = MembershipFactory(body=nsg).person
        for number, meeting in enumerate(held):
            item = AgendaItemFactory(meeting=meeting, position=100 + index)
            if (index + number) % 3 == 0:
                AttendanceFactory(meeting=meeting, person=person, status=S.IN_ATTENDANCE, for_item=item)
            elif (index + number) % 3 == 1:
                AttendanceFactory(meeting=meeting, person=person, status=S.APOLOGIES)
            else:
                AttendanceFactory(meeting=meeting, person=person, status=S.PRESENT, representing=PersonFactory())


@pytest.mark.parametrize("people, meetings", [(2, 2), (20, 10)])
def test_the_summary_queries_do_not_grow_with_people_or_meetings(
    client, member_user, people, meetings, django_assert_max_num_queries
):
    _world(people, meetings)
    client.force_login(member_user)
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/attendance/")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row"') >= people


def test_secretariat_marks_everyone_present_in_one_step_then_changes_the_exceptions(client, secretariat_user, may):
    blair = member("Blair Victims")
    AttendanceFactory(meeting=may, person=blair, status=S.APOLOGIES)
    visitor = PersonFactory(name="Eden Coordinator")
    AttendanceFactory(meeting=may, person=visitor, status=S.IN_ATTENDANCE, for_item=may.agenda_items.get(position=3))
    client.force_login(secretariat_user)
    page = html.page(client.get(f"/meetings/{may.pk}/attendance/"))
    button = html.one(page, '//button[normalize-space()="Mark everyone present"]')
    assert button.xpath("ancestor::form")[0].get("method") == "post"

    response = client.post(f"/meetings/{may.pk}/attendance/all-present/", follow=True)

    page = html.page(response)
    assert "2 members marked present." in html.text(
        html.one(page, '//div[contains(@class, "govuk-notification-banner--success")]')
    )
    assert dict(Attendance.objects.values_list("person__name", "status")) == {
        "Avery Chair": S.PRESENT,
        "Casey Police": S.PRESENT,
        "Blair Victims": S.APOLOGIES,  # already recorded: kept
        "Eden Coordinator": S.IN_ATTENDANCE,  # not a member: untouched
    }  # Dana Former, no longer a member on the day, is not marked
    avery, casey = member("Avery Chair"), member("Casey Police")
    assert html.checked(page, f"member-{avery.pk}") == ["present"]
    assert html.checked(page, f"member-{casey.pk}") == ["present"]

    # Then the exception: Casey sent apologies after all.
    client.post(
        f"/meetings/{may.pk}/attendance/",
        {f"member-{avery.pk}": "present", f"member-{blair.pk}": "apologies", f"member-{casey.pk}": "apologies"},
    )
    assert Attendance.objects.get(person=casey).status == S.APOLOGIES
    # Pressing it again changes nothing and says so.
    response = client.post(f"/meetings/{may.pk}/attendance/all-present/", follow=True)
    assert "Every member is already recorded." in response.content.decode()
    assert Attendance.objects.get(person=casey).status == S.APOLOGIES


def test_everyone_cannot_be_marked_present_once_the_minutes_are_agreed(client, secretariat_user, may):
    Meeting.objects.filter(pk=may.pk).update(status=Meeting.Status.MINUTES_AGREED)
    client.force_login(secretariat_user)
    page = html.page(client.get(f"/meetings/{may.pk}/attendance/"))
    assert not page.xpath('//button[normalize-space()="Mark everyone present"]')
    response = client.post(f"/meetings/{may.pk}/attendance/all-present/", follow=True)
    assert "their attendance can no longer be changed" in response.content.decode()
    assert not Attendance.objects.exists()


def test_agenda_items_to_attend_for_are_offered_in_agenda_order(client, secretariat_user):
    meeting = MeetingFactory(body=NsgFactory(), date=date(2017, 11, 8), status=Meeting.Status.HELD)
    tops = [AgendaItemFactory(meeting=meeting, position=n, title=f"Item {n}") for n in range(1, 11)]
    AgendaItemFactory(meeting=meeting, parent=tops[2], position=2, title="SCR themes")
    AgendaItemFactory(meeting=meeting, parent=tops[2], position=1, title="ICR figures")
    client.force_login(secretariat_user)
    page = html.page(client.get(f"/meetings/{meeting.pk}/attendance/"))
    offered = html.texts(page, '//select[@name="for_item"]/option')
    assert offered == [
        "Not for one item",
        "1 Item 1",
        "2 Item 2",
        "3 Item 3",
        "3.1 ICR figures",
        "3.2 SCR themes",
        *(f"{n} Item {n}" for n in range(4, 11)),
    ]


def test_a_meeting_with_no_agenda_yet_still_takes_attendance(client, secretariat_user):
    meeting = MeetingFactory(body=NsgFactory(), date=date(2017, 11, 8), status=Meeting.Status.HELD)
    client.force_login(secretariat_user)
    page = html.page(client.get(f"/meetings/{meeting.pk}/attendance/"))
    assert html.texts(page, '//select[@name="for_item"]/option') == ["Not for one item"]
