from datetime import date, time

import factory

from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import NsgFactory, PersonFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(NsgFactory)
    date = factory.Sequence(lambda n: date(2017, 1, 1).replace(day=1 + n % 28))
    start_time = time(10, 30)
    end_time = time(13, 0)
    venue = "St Andrew's House, Regent Road, Edinburgh"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Topic {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    status = Attendance.Status.PRESENT
