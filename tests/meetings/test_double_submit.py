"""Every form of the meetings app that creates something saves once, however often it is sent (issue 11).

Each form is described once (a ``Form`` of tests/double_submit.py) and put through the
same checks: sent twice it saves once and lands on the first's result saying so; the
same page sent with other content saves again; a form with errors does not use up its
token; sent twice at the same moment it saves once. The areas' updates into the SOG
chairs' minute are the reviews app's (tests/reviews/test_double_submit.py). Recording someone's
attendance has no token: it replaces the person's one record, so sending it twice changes nothing more.
"""

from datetime import date, time

import pytest
import time_machine

from actions.models import Action, ActionUpdate
from mappa.models import Membership
from meetings.models import AgendaItem, AgendaProposal, Meeting, MinuteComment
from meetings.services import meetings as services
from meetings.services.proposals import propose_agenda_item
from tests import double_submit
from tests.double_submit import Form, signed_in
from tests.factories import MembershipFactory, NsgFactory, OrganisationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


def _travel(request, when):
    traveller = time_machine.travel(when)
    traveller.start()
    request.addfinalizer(traveller.stop)


def _planned(request):
    """The NSG's November 2017 meeting, planned with its standing agenda."""
    return services.create_meeting(
        by=request.getfixturevalue("secretariat_user"),
        body=NsgFactory(),
        date=date(2017, 11, 8),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="Committee Room 5",
        agenda_items_deadline=date(2017, 10, 25),
    )


def meeting(request):
    nsg = NsgFactory()

    def planned(day):
        return {
            "body": nsg.pk,
            "date_0": str(day),
            "date_1": "11",
            "date_2": "2017",
            "start_time": "10:30",
            "end_time": "13:00",
            "venue": "Committee Room 5, South Lanarkshire Council HQ, Hamilton",
        }

    return Form(
        signed_in(request),
        "/meetings/new/",
        "/meetings/new/",
        planned(8),
        Meeting.objects.count,
        other=planned(22),
        wrong={**planned(8), "body": ""},
    )


def action(request):
    held = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    item = AgendaItemFactory(meeting=held, position=3, title="MAPPA: Thematic Inspection Action Plan")
    sg = OrganisationFactory(name="Scottish Government", short_name="SG")
    editor = f"/meetings/{held.pk}/minutes/{item.pk}/"
    data = {"text": "Circulate the final ERA guidance", "owners": [f"organisation-{sg.pk}"], "due": "two_weeks"}
    return Form(
        signed_in(request),
        editor,
        editor + "actions/",
        data,
        Action.objects.count,
        other={**data, "text": "Report progress"},
        wrong={"text": "Circulate", "due": "other"},
    )


def comment(request):
    held = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    item = AgendaItemFactory(meeting=held, position=2, title="Thematic Inspection Action Plan")
    member, secretariat = request.getfixturevalue("member_user"), request.getfixturevalue("secretariat_user")
    MembershipFactory(person=member.person, body=held.body, role=Membership.Role.MEMBER)
    with time_machine.travel(date(2017, 11, 20)):
        services.advance_meeting(held, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=date(2017, 11, 27))
    _travel(request, date(2017, 11, 24))
    page = f"/meetings/{held.pk}/comments/"
    text = f"item-{item.pk}-text"
    return Form(
        signed_in(request, "member_user"),
        page,
        page,
        {"item": item.pk, text: "Please say which four."},
        MinuteComment.objects.count,
        other={"item": item.pk, text: "And when."},
        wrong={"item": item.pk, text: ""},
        within=f'name="item" value="{item.pk}"',
    )


def matter_arising(request):
    november = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    item = AgendaItemFactory(meeting=november, position=2, title="Thematic Inspection Action Plan")
    earlier = Action.objects.create(
        meeting=november,
        agenda_item=item,
        number=1,
        text="Circulate the plan",
        due_date=date(2017, 11, 22),
        original_due_date=date(2017, 11, 22),
        created_by=request.getfixturevalue("secretariat_user"),
    )
    earlier.owner_organisations.set([OrganisationFactory(short_name="SG")])
    february = MeetingFactory(body=november.body, date=date(2018, 2, 21), status=S.HELD)
    item_two = AgendaItemFactory(
        meeting=february,
        position=2,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        title="Minutes of previous meeting and matters arising",
    )
    text, status = f"action-{earlier.pk}-text", f"action-{earlier.pk}-new_status"
    return Form(
        signed_in(request),
        f"/meetings/{february.pk}/minutes/{item_two.pk}/",
        f"/meetings/{february.pk}/matters-arising/{earlier.pk}/",
        {text: "Sent to 3 of 5 chairs.", status: ""},
        ActionUpdate.objects.filter(action=earlier).count,
        other={text: "Sent to all 5.", status: ""},
        wrong={text: "", status: "complete"},
    )


def agenda_item(request):
    november = _planned(request)
    page = f"/meetings/{november.pk}/agenda/items/new/"
    data = {"title": "Environmental Risk Assessment standards", "description": "Final draft for agreement."}
    return Form(
        signed_in(request),
        page,
        page,
        data,
        november.agenda_items.count,
        other={**data, "title": "Level 1 standards"},
        wrong={**data, "title": ""},
    )


def proposal(request):
    november = _planned(request)
    _travel(request, date(2017, 10, 20))
    page = f"/meetings/{november.pk}/propose/"
    data = {"title": "Internet offending", "description": "Child abuse image offenders and risk."}
    return Form(
        signed_in(request, "member_user"),
        page,
        page,
        data,
        AgendaProposal.objects.count,
        other={**data, "title": "No recourse to public funds"},
        wrong={**data, "description": ""},
    )


def accepted_proposal(request):
    november = _planned(request)
    with time_machine.travel(date(2017, 10, 20)):
        proposed = propose_agenda_item(
            november,
            by=request.getfixturevalue("member_user"),
            title="Internet offending",
            description="Offenders and risk.",
        )
    decision = f"proposal-{proposed.pk}-decision"
    # Accepted once, a proposal is decided: the same page cannot decide it again otherwise.
    return Form(
        signed_in(request),
        f"/meetings/{november.pk}/agenda/",
        f"/meetings/{november.pk}/agenda/proposals/{proposed.pk}/decision/",
        {decision: "accept"},
        november.agenda_items.filter(title="Internet offending").count,
        wrong={decision: "decline"},
    )


def moved_item(request):
    """Moving is not a creation, but sent twice it would move the item two places: what it counts is places."""
    november = _planned(request)
    item = november.agenda_items.get(position=6)
    start = item.position

    def places_moved():
        item.refresh_from_db()
        return start - item.position

    return Form(
        signed_in(request),
        f"/meetings/{november.pk}/agenda/",
        f"/meetings/{november.pk}/agenda/items/{item.pk}/move/",
        {"direction": "up"},
        places_moved,
        wrong={"direction": "sideways"},
    )


FORMS = [meeting, action, comment, matter_arising, agenda_item, proposal, accepted_proposal, moved_item]
# No second record from the same page with other content: an accepted proposal is decided, and
# moving the other way undoes the move.
ONE_WAY = (accepted_proposal, moved_item)


def forms(*leaving_out):
    return [pytest.param(build, id=build.__name__) for build in FORMS if build not in leaving_out]


@pytest.mark.parametrize("build", forms())
def test_sent_twice_it_saves_once_and_lands_on_the_first(request, build):
    double_submit.sent_twice_saves_once(build(request))


@pytest.mark.parametrize("build", forms(*ONE_WAY))
def test_the_same_page_sent_with_other_content_saves_again(request, build):
    double_submit.other_content_saves_again(build(request))


@pytest.mark.parametrize("build", forms())
def test_a_form_with_errors_does_not_use_up_its_token(request, build):
    double_submit.errors_keep_the_token(build(request))


@pytest.mark.parametrize("build", forms())
def test_sent_twice_at_the_same_moment_it_saves_once(transactional_db, request, build):
    double_submit.at_once_saves_once(build(request))
