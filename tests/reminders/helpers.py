"""A small world of overdue actions for the reminder tests, dated relative to ``today``."""

from datetime import timedelta
from types import SimpleNamespace

from tests.actions.factories import ActionFactory
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


def chase_world(today):
    """Alice owns two actions (overdue, due soon); the RMA (contact Bob) one 40 days overdue;
    a working group (Dave, Erin) one 10 days overdue.

    The chase of ``today`` e-mails Alice, Bob, Dave and Erin one digest each, and
    every secretariat member one digest of the RMA's action.
    """
    meeting = MeetingFactory(date=today - timedelta(days=60))
    item = AgendaItemFactory(meeting=meeting, title="Thematic Inspection Action Plan")
    people = SimpleNamespace(
        alice=PersonFactory(name="Alice Owner", email="alice@test.example"),
        bob=PersonFactory(name="Bob Contact", email="bob@test.example"),
        dave=PersonFactory(name="Dave Member", email="dave@test.example"),
        erin=PersonFactory(name="Erin Member", email="erin@test.example"),
    )
    rma = OrganisationFactory(name="Risk Management Authority", short_name="RMA")
    rma.contacts.add(people.bob)
    group = BodyFactory(name="Level 1 Standards Working Group", short_name="Level 1 SLWG", slug="level-1-slwg")
    MembershipFactory(person=people.dave, body=group)
    MembershipFactory(person=people.erin, body=group)

    def action(number, days_from_today, owners):
        return ActionFactory(
            meeting=meeting,
            agenda_item=item,
            number=number,
            due_date=today + timedelta(days=days_from_today),
            owners=owners,
            text=f"The text of action {number}.",
        )

    actions = SimpleNamespace(
        alice_overdue=action(1, -3, [people.alice]),
        alice_due_soon=action(2, 2, [people.alice]),
        rma=action(3, -40, [rma]),
        group=action(4, -10, [group]),
    )
    return SimpleNamespace(
        people=people, owners=[people.alice, people.bob, people.dave, people.erin], actions=actions, meeting=meeting
    )
