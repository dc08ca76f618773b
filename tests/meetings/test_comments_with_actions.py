"""Members comment on the draft minutes with each item's actions in view, as the minute prints them
(issue 13, point 6)."""

from datetime import date

import pytest
import time_machine

from actions.models import Action
from mappa.models import Membership
from meetings.models import Meeting
from tests import html
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def add_action(item, number, by, *, text, due, first_due=None):
    return Action.objects.create(
        meeting=item.meeting,
        agenda_item=item,
        number=number,
        text=text,
        due_date=due,
        original_due_date=first_due or due,
        created_by=by,
    )


@time_machine.travel(date(2017, 11, 22))
def test_a_member_sees_each_items_actions_with_owners_and_due_dates_while_commenting(
    client, secretariat_user, member_user
):
    november = MeetingFactory(
        date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED, comment_deadline=date(2017, 11, 27)
    )
    MembershipFactory(person=member_user.person, body=november.body, role=Membership.Role.MEMBER)
    plan = AgendaItemFactory(meeting=november, position=3, title="Thematic Inspection Action Plan")
    era = AgendaItemFactory(meeting=november, position=4, title="ERA guidance", narrative="Members considered it.")
    first = add_action(plan, 1, secretariat_user, text="Circulate the updated plan.", due=date(2017, 11, 22))
    first.owner_organisations.set([OrganisationFactory(name="Scottish Government", short_name="SG")])
    second = add_action(
        plan,
        2,
        secretariat_user,
        text="Send comments on the plan.",
        due=date(2017, 12, 6),
        first_due=date(2017, 11, 29),
    )
    second.owner_people.set([PersonFactory(name="Ann Example")])
    second.owner_bodies.set([november.body])
    client.force_login(member_user)

    page = html.page(client.get(f"/meetings/{november.pk}/comments/"))

    plan_section = html.one(page, f'//section[@id="item-{plan.pk}"]')
    assert html.texts(plan_section, './/*[contains(@class, "app-printed-action")]') == [
        "Action: SG Circulate the updated plan. Due: 22 November 2017 (action 1)",
        "Action: All NSG members; Ann Example Send comments on the plan. "
        "Due: 6 December 2017 (first set for 29 November 2017) (action 2)",
    ]
    # The comment box comes after the item's minute and actions.
    assert plan_section.xpath('.//*[contains(@class, "app-printed-action")]/following::textarea')
    era_section = html.one(page, f'//section[@id="item-{era.pk}"]')
    assert not era_section.xpath('.//*[contains(@class, "app-printed-action")]')
