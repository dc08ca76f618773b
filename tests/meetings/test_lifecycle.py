"""The secretariat moves a meeting through its lifecycle, one guarded step at a time."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from meetings.models import AgendaItem, Meeting
from meetings.services import meetings as services
from tests.factories import NsgFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


def plan(user, body=None, on=date(2017, 11, 8)):
    return services.create_meeting(
        by=user,
        body=body or NsgFactory(),
        date=on,
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="Committee Room 5, South Lanarkshire Council HQ, Almada Street, Hamilton",
    )


def test_a_new_nsg_meeting_starts_from_the_standing_agenda(secretariat_user):
    meeting = plan(secretariat_user)
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[0] == "Welcome, introductions and apologies"
    assert titles[1] == "Minutes of the previous meeting and matters arising"
    assert "Update from Strategic Oversight Group Chairs, including SCRs/ICRs" in titles
    assert titles[-2:] == ["AOCB", "Date of next meeting"]
    assert meeting.agenda_items.get(position=2).kind == AgendaItem.Kind.PREVIOUS_MINUTES


def test_a_body_with_its_own_standing_agenda_uses_it(secretariat_user):
    from meetings.models import StandingAgendaItem
    from tests.factories import BodyFactory

    group = BodyFactory(name="ERA SLWG")
    StandingAgendaItem.objects.create(body=group, position=1, title="Welcome and apologies")
    StandingAgendaItem.objects.create(body=group, position=2, title="Draft ERA guidance")
    meeting = plan(secretariat_user, body=group)
    assert list(meeting.agenda_items.values_list("title", "kind")) == [
        ("Welcome and apologies", AgendaItem.Kind.WELCOME),
        ("Draft ERA guidance", AgendaItem.Kind.TOPIC),
    ]


def test_only_the_secretariat_plans_or_moves_meetings(chair_user, inspector_user):
    with pytest.raises(PermissionDenied):
        plan(chair_user)
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        services.advance_meeting(meeting, S.AGENDA_ISSUED, by=inspector_user)


@time_machine.travel(date(2017, 11, 20))
def test_the_full_lifecycle_is_recorded_with_who_and_when(secretariat_user):
    meeting = plan(secretariat_user, on=date(2017, 11, 8))
    later = plan(secretariat_user, body=meeting.body, on=date(2017, 11, 20))
    services.advance_meeting(meeting, S.AGENDA_ISSUED, by=secretariat_user)
    services.advance_meeting(meeting, S.HELD, by=secretariat_user)
    services.advance_meeting(meeting, S.DRAFT_CIRCULATED, by=secretariat_user, comment_deadline=date(2017, 11, 27))
    for step in (S.AGENDA_ISSUED, S.HELD):
        later = services.advance_meeting(later, step, by=secretariat_user)
    services.advance_meeting(
        meeting,
        S.MINUTES_AGREED,
        by=secretariat_user,
        agreed_at=later,
        subject_to="the Glasgow SOG update noting 3 initial ICRs",
    )
    meeting = services.advance_meeting(meeting, S.PUBLISHED, by=secretariat_user)

    assert meeting.status == S.PUBLISHED
    assert meeting.agreed_at == later
    assert meeting.agreed_subject_to == "the Glasgow SOG update noting 3 initial ICRs"
    steps = list(meeting.transitions.values_list("from_status", "to_status", "by__username"))
    assert steps == [
        (S.PLANNED, S.AGENDA_ISSUED, "t-secretariat"),
        (S.AGENDA_ISSUED, S.HELD, "t-secretariat"),
        (S.HELD, S.DRAFT_CIRCULATED, "t-secretariat"),
        (S.DRAFT_CIRCULATED, S.MINUTES_AGREED, "t-secretariat"),
        (S.MINUTES_AGREED, S.PUBLISHED, "t-secretariat"),
    ]
    # The "subject to" clause ends with a full stop.
    assert meeting.transitions.get(to_status=S.MINUTES_AGREED).note.endswith(
        ", subject to the Glasgow SOG update noting 3 initial ICRs."
    )


def test_no_step_can_be_skipped(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 2, 16))
    with pytest.raises(services.MeetingStepRefused, match="next step is “Agenda issued”"):
        services.advance_meeting(meeting, S.HELD, by=secretariat_user)
    meeting.refresh_from_db()
    assert meeting.status == S.PLANNED
    assert not meeting.transitions.exists()


@time_machine.travel(date(2017, 11, 1))
def test_a_meeting_cannot_be_held_before_its_date(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.AGENDA_ISSUED)
    with pytest.raises(services.MeetingStepRefused, match="before its date"):
        services.advance_meeting(meeting, S.HELD, by=secretariat_user)


@time_machine.travel(date(2017, 11, 20))
def test_circulating_the_draft_needs_a_comment_deadline_not_in_the_past(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    with pytest.raises(services.MeetingStepRefused) as missing:
        services.advance_meeting(meeting, S.DRAFT_CIRCULATED, by=secretariat_user)
    assert "comment_deadline" in missing.value.message_dict
    with pytest.raises(services.MeetingStepRefused):
        services.advance_meeting(meeting, S.DRAFT_CIRCULATED, by=secretariat_user, comment_deadline=date(2017, 11, 1))


def test_minutes_are_agreed_only_at_a_later_held_meeting_of_the_same_group(secretariat_user):
    meeting = MeetingFactory(date=date(2017, 5, 31), status=S.DRAFT_CIRCULATED)
    earlier = MeetingFactory(body=meeting.body, date=date(2017, 2, 16), status=S.PUBLISHED)
    not_yet_held = MeetingFactory(body=meeting.body, date=date(2017, 11, 8), status=S.AGENDA_ISSUED)
    other_group = MeetingFactory(body__slug="mdg", body__name="MDG", date=date(2017, 11, 9), status=S.HELD)
    for wrong in (None, earlier, not_yet_held, other_group):
        with pytest.raises(services.MeetingStepRefused):
            services.advance_meeting(meeting, S.MINUTES_AGREED, by=secretariat_user, agreed_at=wrong)
    meeting.refresh_from_db()
    assert meeting.status == S.DRAFT_CIRCULATED
