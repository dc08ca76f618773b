"""factory-boy factories for the core domain. Names are fictional, e-mail is .example."""

import factory
from django.contrib.auth import get_user_model

from mappa.models import Area, Body, Membership, Organisation, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.example")
    password = factory.django.Password("correct-horse-battery-staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.PARTNER


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    code = factory.Sequence(lambda n: f"A{n}")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Working Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = Body.Kind.WORKING_GROUP


class NsgFactory(BodyFactory):
    name = "MAPPA National Strategic Group"
    short_name = "NSG"
    slug = "nsg"
    kind = Body.Kind.NATIONAL_STRATEGIC_GROUP


class SogFactory(BodyFactory):
    kind = Body.Kind.STRATEGIC_OVERSIGHT_GROUP
    area = factory.SubFactory(AreaFactory)
    name = factory.LazyAttribute(lambda b: f"{b.area.name} Strategic Oversight Group")
    slug = factory.LazyAttribute(lambda b: f"{b.area.slug}-sog")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Test Person {n}")
    job_title = "Officer"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@test.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    role = Membership.Role.MEMBER


def user_with_role(access_role, *, username=None, areas=(), superuser=False):
    """A login whose Person has ``access_role``; a SOG chair chairs the SOG of each area given."""
    user = UserFactory(username=username) if username else UserFactory()
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    person = PersonFactory(user=user, access_role=access_role or "", name=f"{user.username} person")
    for area in areas:
        sog = Body.objects.filter(area=area).first() or SogFactory(area=area)
        MembershipFactory(person=person, body=sog, role=Membership.Role.CHAIR)
    return user
