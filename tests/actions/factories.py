"""factory-boy factories for actions and their updates.

``ActionFactory(owners=[...])`` takes any mix of people, organisations and bodies;
``ActionFactory(people=[...], organisations=[...], bodies=[...])`` works too.
"""

from datetime import date

import factory

from actions.models import Action, ActionUpdate
from mappa.models import Body, Organisation, Person
from tests.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    agenda_item = factory.SubFactory(AgendaItemFactory, meeting=factory.SelfAttribute("..meeting"))
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Circulate the revised guidance, part {n}, to SOG chairs.")
    due_date = date(2017, 11, 30)
    original_due_date = factory.LazyAttribute(lambda a: a.due_date)
    status = Action.Status.OPEN
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        """Any mix of Person, Organisation and Body instances."""
        if not create or not extracted:
            return
        for owner in extracted:
            if isinstance(owner, Person):
                self.owner_people.add(owner)
            elif isinstance(owner, Organisation):
                self.owner_organisations.add(owner)
            elif isinstance(owner, Body):
                self.owner_bodies.add(owner)
            else:
                raise TypeError(f"Not an owner: {owner!r}")

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create and extracted:
            self.owner_people.add(*extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.owner_organisations.add(*extracted)

    @factory.post_generation
    def bodies(self, create, extracted, **kwargs):
        if create and extracted:
            self.owner_bodies.add(*extracted)


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    text = "Guidance circulated to three of the five SOG chairs."


def register_world():
    """A small register to test against, as the NSG and the Fife SOG might have it in November 2017.

    Meetings (minutes agreed, so inspectors see their actions): the NSG on 31 May 2017
    and the Fife SOG on 7 September 2017. Organisations SG and RMA; a person, Jo Policy
    (SG, CSU). Actions, by due date:

    - nsg_overdue:  NSG, owned by SG, due 15 Nov 2017, open
    - nsg_soon:     NSG, owned by RMA, due 24 Nov 2017, in progress
    - nsg_later:    NSG, owned by Jo Policy, due 20 Dec 2017, open
    - nsg_done:     NSG, owned by SG, due 1 Nov 2017, complete
    - fife_open:    Fife SOG, owned by all Fife SOG members, due 30 Nov 2017, open
    """
    from types import SimpleNamespace

    from meetings.models import Meeting
    from tests.factories import AreaFactory, NsgFactory, OrganisationFactory, PersonFactory, SogFactory

    agreed = Meeting.Status.MINUTES_AGREED
    nsg = NsgFactory()
    fife_sog = SogFactory(area=AreaFactory(name="Fife", slug="fife", code="FIF"))
    sg = OrganisationFactory(name="Scottish Government", short_name="SG", kind="government")
    rma = OrganisationFactory(name="Risk Management Authority", short_name="RMA")
    jo = PersonFactory(name="Jo Policy", organisation=sg)
    nsg_may = MeetingFactory(body=nsg, date=date(2017, 5, 31), status=agreed)
    fife_sep = MeetingFactory(body=fife_sog, date=date(2017, 9, 7), status=agreed)
    nsg_item = AgendaItemFactory(meeting=nsg_may, position=3, title="MAPPA: Thematic Inspection Action Plan")
    fife_item = AgendaItemFactory(meeting=fife_sep, position=2, title="Case reviews")

    def action(meeting, item, number, text, due, owners, status=Action.Status.OPEN):
        return ActionFactory(
            meeting=meeting, agenda_item=item, number=number, text=text, due_date=due, status=status, owners=owners
        )

    return SimpleNamespace(
        nsg=nsg,
        fife_sog=fife_sog,
        sg=sg,
        rma=rma,
        jo=jo,
        nsg_may=nsg_may,
        fife_sep=fife_sep,
        nsg_item=nsg_item,
        fife_item=fife_item,
        nsg_overdue=action(
            nsg_may, nsg_item, 1, "Circulate the updated thematic inspection action plan.", date(2017, 11, 15), [sg]
        ),
        nsg_soon=action(
            nsg_may,
            nsg_item,
            2,
            "Present the research plan on internet offenders.",
            date(2017, 11, 24),
            [rma],
            Action.Status.IN_PROGRESS,
        ),
        nsg_later=action(
            nsg_may, nsg_item, 3, "Bring revised Level 1 minimum practice standards.", date(2017, 12, 20), [jo]
        ),
        nsg_done=action(
            nsg_may,
            nsg_item,
            4,
            "Reconvene the ERA short life working group.",
            date(2017, 11, 1),
            [sg],
            Action.Status.COMPLETE,
        ),
        fife_open=action(
            fife_sep, fife_item, 1, "Share the learning from the Fife ICR with the NSG.", date(2017, 11, 30), [fife_sog]
        ),
    )
