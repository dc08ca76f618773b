"""The dashboard's fast action figures are exactly the direct aggregation's, on random worlds.

dashboard.selectors.actions_section counts actions by band in a few grouped queries;
dashboard.selectors.actions_reference is how they were counted before (each figure its own
aggregate, an index probe per completed action), kept as the reference. On several random
worlds (meetings at every stage, actions owned by people, organisations, divisions and whole
groups, statuses and due dates changed before, within and after the range), for each
role's view, for today and for past ranges, each area and each group, both give the same
totals, groups and owners. The case review figures are protected after they are counted
(dashboard.disclosure), so the page a reader sees depends on these figures only through
the same tables: the last test checks that an inspector's page still withholds small counts.
"""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from actions.models import Action
from dashboard.filters import Scope
from dashboard.selectors import actions_reference, actions_section
from meetings.models import Meeting
from tests.actions.factories import ActionFactory, ActionUpdateFactory
from tests.factories import (
    AreaFactory,
    NsgFactory,
    OrganisationFactory,
    PersonFactory,
    SogFactory,
    user_with_role,
)
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.reviews.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

TODAY = date(2017, 12, 20)


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def random_world(seed):
    """A world of meetings and actions as a random year of the NSG and two SOGs might leave it."""
    rng = random.Random(seed)
    nsg = NsgFactory()
    areas = [AreaFactory(), AreaFactory()]
    sogs = [SogFactory(area=area) for area in areas]
    bodies = [nsg, *sogs]
    sg = OrganisationFactory(short_name="SG")
    organisations = [sg, OrganisationFactory(), OrganisationFactory(parent=sg, short_name="CSU")]
    people = [PersonFactory(organisation=rng.choice(organisations)) for _ in range(5)]
    statuses = [Meeting.Status.HELD, Meeting.Status.DRAFT_CIRCULATED, Meeting.Status.MINUTES_AGREED]
    for _ in range(6):
        day = date(2016, 6, 1) + timedelta(days=rng.randrange(540))
        meeting = MeetingFactory(body=rng.choice(bodies), date=day, status=rng.choice(statuses))
        item = AgendaItemFactory(meeting=meeting, position=1)
        for number in range(1, rng.randrange(3, 9)):
            owners = rng.sample([*people, *organisations, *bodies], rng.randrange(1, 4))
            due = day + timedelta(days=rng.randrange(-10, 200))
            action = ActionFactory(
                meeting=meeting, agenda_item=item, number=number, owners=owners, due_date=due, original_due_date=due
            )
            # Its timeline: changes of status and due date on random days after the meeting, some after today's
            # past ranges end; the action ends as its last change left it, as actions.services keeps it.
            moment = day
            for _ in range(rng.randrange(0, 4)):
                moment += timedelta(days=rng.randrange(1, 150))
                if rng.random() < 0.6:
                    status = rng.choice([s for s in Action.Status.values if s != action.status])
                    ActionUpdateFactory(action=action, at=_at(moment), new_status=status, reason="Changed.")
                    action.status = status
                else:
                    action.due_date = moment + timedelta(days=rng.randrange(10, 90))
                    ActionUpdateFactory(action=action, at=_at(moment), new_due_date=action.due_date, reason="Moved.")
            action.save()
    return {"areas": areas, "bodies": bodies}


def ranges():
    """Today's default (every quarter), and past ranges ending before some of the changes."""
    quarters = [ReportingPeriodFactory(year=2016, quarter=q) for q in (1, 2, 3, 4)]
    quarters += [ReportingPeriodFactory(year=2017, quarter=q) for q in (1, 2, 3)]
    return [quarters, quarters[2:5], quarters[:3], quarters[4:5], []]


def same(fast, reference):
    """Equal figures; owners compared as a set of rows (owners with the same name have no order to keep)."""
    fast_totals, fast_groups, fast_owners = fast
    totals, groups, owners = reference
    assert fast_totals == totals
    assert fast_groups == groups
    figures = ("open", "overdue", "completed")
    assert sorted((label, *(row[k] for k in figures)) for label, row in fast_owners) == sorted(
        (label, *(row[k] for k in figures)) for label, row in owners
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fast_figures_are_the_direct_aggregations_for_every_reader_range_area_and_group(seed):
    world = random_world(seed)
    readers = [
        user_with_role("secretariat"),
        user_with_role("inspector"),
        user_with_role("sog_chair", areas=world["areas"][:1]),
    ]
    areas, bodies = world["areas"], world["bodies"]
    narrowed = [
        (None, None),
        *((area, None) for area in areas),
        *((None, body) for body in bodies),
        (areas[0], bodies[1]),
    ]
    for periods in ranges():
        for area, body in narrowed:
            scope = Scope(periods=periods, area=area, body=body, today=TODAY)
            for reader in readers:
                same(actions_section.action_figures(reader, scope), actions_reference.action_figures(reader, scope))


def test_a_world_with_no_actions_has_no_figures_either_way(secretariat_user):
    scope = Scope(periods=ranges()[0], area=None, body=None, today=TODAY)
    assert actions_section.action_figures(secretariat_user, scope) == (
        dict.fromkeys(actions_section.FIGURES, 0),
        [],
        [],
    )
    same(
        actions_section.action_figures(secretariat_user, scope),
        actions_reference.action_figures(secretariat_user, scope),
    )
