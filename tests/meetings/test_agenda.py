"""The secretariat edits a meeting's agenda; members propose items until the deadline."""

from datetime import date, time

import pytest
import time_machine

from actions.models import Action
from mappa.models import Person
from meetings.models import AgendaItem, AgendaProposal, Meeting
from meetings.services import meetings as services
from meetings.services.agenda import add_agenda_item
from meetings.services.proposals import propose_agenda_item
from tests import html
from tests.factories import NsgFactory, OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(secretariat_user):
    """The NSG's November 2017 meeting, planned with its standing agenda (9 items, AOCB 8th)."""
    return services.create_meeting(
        by=secretariat_user,
        body=NsgFactory(),
        date=date(2017, 11, 8),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="Committee Room 5, South Lanarkshire Council HQ, Hamilton",
        agenda_items_deadline=date(2017, 10, 25),
    )


def agenda_of(meeting, client):
    """The numbered agenda as the meeting page shows it: ["1. Welcome...", "4.1 Level 1 standards", ...]."""
    page = html.page(client.get(f"/meetings/{meeting.pk}/"))
    return html.texts(page, '//span[@class="govuk-!-font-weight-bold"]')


def item(meeting, title):
    return AgendaItem.objects.get(meeting=meeting, title=title)


def test_secretariat_adds_an_item_before_aob_and_a_sub_item_numbered_4_1(client, secretariat_user, november):
    lead = PersonFactory(name="Alex Policy")
    client.force_login(secretariat_user)
    response = client.post(
        f"/meetings/{november.pk}/agenda/items/new/",
        {
            "title": "Environmental Risk Assessment standards",
            "description": "Final draft for agreement.",
            "lead_person": lead.pk,
            "minutes_allotted": "20",
        },
        follow=True,
    )
    assert "Item 8 added: Environmental Risk Assessment standards." in response.content.decode()

    mdg = item(november, "Update from the MAPPA Development Group")
    form = client.get(f"/meetings/{november.pk}/agenda/items/new/?parent={mdg.pk}").content.decode()
    assert f'<option value="{mdg.pk}" selected>4 Update from the MAPPA Development Group</option>' in form
    response = client.post(
        f"/meetings/{november.pk}/agenda/items/new/",
        {"parent": mdg.pk, "title": "Level 1 standards", "lead_organisation": OrganisationFactory(short_name="SG").pk},
        follow=True,
    )
    assert "Item 4.1 added: Level 1 standards." in response.content.decode()

    agenda = agenda_of(november, client)
    assert agenda[3:5] == ["4. Update from the MAPPA Development Group", "4.1 Level 1 standards"]
    assert agenda[-3:] == ["8. Environmental Risk Assessment standards", "9. AOCB", "10. Date of next meeting"]
    page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert "Lead: Alex Policy" in page and "20 minutes" in page


def test_a_lead_is_a_person_or_an_organisation_not_both_and_what_was_typed_is_kept(client, secretariat_user, november):
    client.force_login(secretariat_user)
    person, organisation = PersonFactory(), OrganisationFactory()
    response = client.post(
        f"/meetings/{november.pk}/agenda/items/new/",
        {
            "title": "Offender Management Engagement Strategy",
            "lead_person": person.pk,
            "lead_organisation": organisation.pk,
            "minutes_allotted": "ten",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose a lead person or a lead organisation, not both" in page
    assert "Enter the minutes allotted as a whole number, like 15" in page
    assert 'value="Offender Management Engagement Strategy"' in page
    assert f'<option value="{person.pk}" selected>' in page
    assert not AgendaItem.objects.filter(title="Offender Management Engagement Strategy").exists()


def test_secretariat_edits_an_item(client, secretariat_user, november):
    police = item(november, "Update from Police Scotland")
    client.force_login(secretariat_user)
    response = client.post(
        f"/meetings/{november.pk}/agenda/items/{police.pk}/edit/",
        {"title": "Update from Police Scotland (ViSOR)", "minutes_allotted": "10"},
        follow=True,
    )
    assert "Item 6 saved: Update from Police Scotland (ViSOR)." in response.content.decode()
    police.refresh_from_db()
    assert (police.title, police.minutes_allotted, police.position) == ("Update from Police Scotland (ViSOR)", 10, 6)


def test_moving_items_up_and_down_renumbers_the_agenda(client, secretariat_user, november):
    client.force_login(secretariat_user)
    police = item(november, "Update from Police Scotland")
    response = client.post(f"/meetings/{november.pk}/agenda/items/{police.pk}/move/", {"direction": "up"}, follow=True)
    assert "“Update from Police Scotland” moved up: it is now item 5." in response.content.decode()
    assert agenda_of(november, client)[4:6] == [
        "5. Update from Police Scotland",
        "6. Update from the Scottish Prison Service",
    ]

    client.post(f"/meetings/{november.pk}/agenda/items/{police.pk}/move/", {"direction": "down"})
    client.post(f"/meetings/{november.pk}/agenda/items/{police.pk}/move/", {"direction": "down"})
    assert agenda_of(november, client)[4:7] == [
        "5. Update from the Scottish Prison Service",
        "6. Update from Strategic Oversight Group Chairs, including SCRs/ICRs",
        "7. Update from Police Scotland",
    ]

    welcome = item(november, "Welcome, introductions and apologies")
    refused = client.post(f"/meetings/{november.pk}/agenda/items/{welcome.pk}/move/", {"direction": "up"}, follow=True)
    assert "“Welcome, introductions and apologies” is already first." in refused.content.decode()


def test_sub_items_move_among_themselves(client, secretariat_user, november):
    client.force_login(secretariat_user)
    plan = item(november, "MAPPA: Thematic Inspection Action Plan")
    for title in ("Environmental Risk Assessment standards", "Level 1 standards"):
        add_agenda_item(november, by=secretariat_user, title=title, parent=plan)
    level_1 = item(november, "Level 1 standards")
    client.post(f"/meetings/{november.pk}/agenda/items/{level_1.pk}/move/", {"direction": "up"})
    assert agenda_of(november, client)[2:5] == [
        "3. MAPPA: Thematic Inspection Action Plan",
        "3.1 Level 1 standards",
        "3.2 Environmental Risk Assessment standards",
    ]
    page = client.get(f"/meetings/{november.pk}/agenda/").content.decode()
    # The first sub-item offers only "Down", the last only "Up".
    row = page.split(f'id="item-{level_1.pk}"')[1].split("</tr>")[0]
    assert ">Down<" in row and ">Up<" not in row


def test_an_item_with_a_minute_or_actions_cannot_be_removed_and_the_page_says_why(client, secretariat_user, november):
    client.force_login(secretariat_user)
    police = item(november, "Update from Police Scotland")
    police.narrative = "Police Scotland reported on ViSOR."
    police.save()
    Action.objects.create(
        meeting=november,
        agenda_item=police,
        number=1,
        text="Report back",
        due_date=date(2018, 2, 1),
        original_due_date=date(2018, 2, 1),
        created_by=secretariat_user,
    )
    page = client.get(f"/meetings/{november.pk}/agenda/items/{police.pk}/remove/").content.decode()
    assert "This item cannot be removed because it has:" in page
    assert "<li>minute text</li>" in page and "<li>1 action</li>" in page
    response = client.post(f"/meetings/{november.pk}/agenda/items/{police.pk}/remove/")
    assert response.status_code == 400
    assert "“Update from Police Scotland” cannot be removed: it has minute text and 1 action." in (
        response.content.decode()
    )
    assert AgendaItem.objects.filter(pk=police.pk).exists()


def test_an_empty_item_is_removed_and_the_items_after_it_renumbered(client, secretariat_user, november):
    client.force_login(secretariat_user)
    sps = item(november, "Update from the Scottish Prison Service")
    response = client.post(f"/meetings/{november.pk}/agenda/items/{sps.pk}/remove/", follow=True)
    assert "Item 5 removed: Update from the Scottish Prison Service." in response.content.decode()
    assert agenda_of(november, client)[4] == "5. Update from Police Scotland"


def test_the_agenda_cannot_change_once_the_meeting_is_held(client, secretariat_user, november):
    Meeting.objects.filter(pk=november.pk).update(status=Meeting.Status.HELD)
    client.force_login(secretariat_user)
    page = client.get(f"/meetings/{november.pk}/agenda/").content.decode()
    assert "The agenda can only be changed while the meeting is planned or its agenda issued" in page
    assert "Add an item" not in page
    police = item(november, "Update from Police Scotland")
    response = client.post(f"/meetings/{november.pk}/agenda/items/{police.pk}/move/", {"direction": "up"}, follow=True)
    assert "this meeting is “Held”" in response.content.decode()
    assert AgendaItem.objects.get(pk=police.pk).position == 6
    assert "Edit agenda" not in client.get(f"/meetings/{november.pk}/").content.decode()


# --- The call for agenda items ----------------------------------------------------------------


def propose(
    client,
    meeting,
    title="Registered sex offenders with no recourse to public funds",
    description="An update on NRPF cases and the housing options paper.",
    **kwargs,
):
    return client.post(f"/meetings/{meeting.pk}/propose/", {"title": title, "description": description}, **kwargs)


@time_machine.travel(date(2017, 10, 20))
def test_a_member_proposes_an_item_before_the_deadline_and_sees_it_awaiting_the_secretariat(
    client, member_user, november
):
    client.force_login(member_user)
    meeting_page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert "Members can propose agenda items until Wednesday 25 October 2017." in meeting_page
    assert "Propose an agenda item" in meeting_page and "Edit agenda" not in meeting_page
    response = propose(client, november, follow=True)
    page = response.content.decode()
    assert "Your proposal “Registered sex offenders with no recourse to public funds” has been sent" in page
    assert "Your proposed agenda items" in page and "Awaiting the secretariat" in page
    proposal = AgendaProposal.objects.get()
    assert (proposal.proposed_by, proposal.status) == (member_user, AgendaProposal.Status.PENDING)


def test_proposing_after_the_deadline_is_refused_with_a_clear_message(client, member_user, november):
    client.force_login(member_user)
    with time_machine.travel(date(2017, 10, 26)):
        page = client.get(f"/meetings/{november.pk}/propose/").content.decode()
        response = propose(client, november)
        meeting_page = client.get(f"/meetings/{november.pk}/").content.decode()
    message = "The deadline for proposing agenda items was 25 October 2017: items can no longer be proposed"
    assert message in page and "Send proposal" not in page
    assert response.status_code == 400 and message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert "Propose an agenda item" not in meeting_page
    assert not AgendaProposal.objects.exists()


def test_a_proposal_needs_a_title_and_a_description(client, chair_user, november):
    client.force_login(chair_user)
    with time_machine.travel(date(2017, 10, 20)):
        response = propose(client, november, title="SCR learning", description="")
    page = response.content.decode()
    assert "There is a problem" in page and "Describe the item in a sentence or two" in page
    assert 'value="SCR learning"' in page


def test_an_inspector_cannot_propose_an_item(client, inspector_user, november):
    client.force_login(inspector_user)
    with time_machine.travel(date(2017, 10, 20)):
        assert client.get(f"/meetings/{november.pk}/propose/").status_code == 403
        assert propose(client, november).status_code == 403
        assert "Propose an agenda item" not in client.get(f"/meetings/{november.pk}/").content.decode()
    assert not AgendaProposal.objects.exists()


@pytest.fixture
def proposal(november, member_user):
    member_user.person.name = "Morgan Member"
    member_user.person.save()
    with time_machine.travel(date(2017, 10, 20)):
        return propose_agenda_item(
            november, by=member_user, title="Internet offending", description="Child abuse image offenders and risk."
        )


def test_secretariat_accepts_a_proposal_and_it_goes_before_aob_led_by_the_proposer(
    client, secretariat_user, member_user, november, proposal
):
    client.force_login(secretariat_user)
    page = client.get(f"/meetings/{november.pk}/agenda/").content.decode()
    assert "Internet offending" in page and "Proposed by Morgan Member" in page
    response = client.post(
        f"/meetings/{november.pk}/agenda/proposals/{proposal.pk}/decision/",
        {f"proposal-{proposal.pk}-decision": "accept"},
        follow=True,
    )
    assert "“Internet offending” added to the agenda as item 8." in response.content.decode()
    new_item = item(november, "Internet offending")
    assert new_item.lead_person == member_user.person
    assert new_item.description == "Child abuse image offenders and risk."

    client.force_login(member_user)
    agenda = agenda_of(november, client)
    assert agenda[-3:] == ["8. Internet offending", "9. AOCB", "10. Date of next meeting"]
    page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert "Your proposed agenda items" in page and "Accepted" in page
    assert "Lead: Morgan Member" in page


def test_secretariat_declines_with_a_reason_that_the_proposer_sees(
    client, secretariat_user, member_user, november, proposal
):
    client.force_login(secretariat_user)
    url = f"/meetings/{november.pk}/agenda/proposals/{proposal.pk}/decision/"
    refused = client.post(url, {f"proposal-{proposal.pk}-decision": "decline"})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert "Say why the proposal is declined" in refused.content.decode()
    client.post(
        url,
        {
            f"proposal-{proposal.pk}-decision": "decline",
            f"proposal-{proposal.pk}-decline_reason": "Covered under item 3 this time.",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.DECLINED and proposal.decided_by == secretariat_user
    assert not AgendaItem.objects.filter(title="Internet offending").exists()

    client.force_login(member_user)
    page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert "Declined" in page and "Reason: Covered under item 3 this time." in page
    # Another member does not see it.
    client.force_login(user_with_role(Person.AccessRole.NSG_MEMBER, username="t-other-member"))
    assert "Covered under item 3" not in client.get(f"/meetings/{november.pk}/").content.decode()


def test_the_meeting_page_offers_the_secretariat_the_agenda_and_attendance(client, secretariat_user, november):
    client.force_login(secretariat_user)
    page = client.get(f"/meetings/{november.pk}/").content.decode()
    assert f'href="/meetings/{november.pk}/agenda/">Edit agenda</a>' in page
    assert f'href="/meetings/{november.pk}/attendance/">Record attendance</a>' in page


def test_an_item_with_a_paper_cannot_be_removed(client, secretariat_user, november):
    from papers.models import Paper

    plan = item(november, "MAPPA: Thematic Inspection Action Plan")
    Paper.objects.create(
        agenda_item=plan, title="SG Action Plan, October 2017", position=1, created_by=secretariat_user
    )
    client.force_login(secretariat_user)
    response = client.post(f"/meetings/{november.pk}/agenda/items/{plan.pk}/remove/")
    assert "cannot be removed: it has 1 paper." in response.content.decode()
    assert AgendaItem.objects.filter(pk=plan.pk).exists()
