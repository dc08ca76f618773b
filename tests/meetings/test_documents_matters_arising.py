"""The minute of a meeting records, under item 2, the agreement of earlier minutes and matters arising."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from actions.models import Action
from actions.services import record_matter_arising
from meetings.models import AgendaItem, Meeting
from meetings.services import meetings as services
from tests.factories import OrganisationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_item_two_of_the_minute_records_agreement_and_matters_arising(client, secretariat_user):
    february = MeetingFactory(date=date(2017, 2, 16), status=Meeting.Status.DRAFT_CIRCULATED)
    item = AgendaItemFactory(meeting=february, position=4, title="ERA")
    action = Action.objects.create(
        meeting=february,
        agenda_item=item,
        number=1,
        text="Circulate ViSOR figures",
        due_date=date(2017, 2, 28),
        original_due_date=date(2017, 2, 28),
        created_by=secretariat_user,
    )
    action.owner_organisations.set([OrganisationFactory(short_name="NSS")])
    may = MeetingFactory(body=february.body, date=date(2017, 5, 31), status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=may, position=1, title="Welcome", kind=AgendaItem.Kind.WELCOME)
    AgendaItemFactory(
        meeting=may,
        position=2,
        title="Minutes of previous meeting and matters arising",
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
    )
    services.advance_meeting(february, Meeting.Status.MINUTES_AGREED, by=secretariat_user, agreed_at=may)
    record_matter_arising(
        action,
        by=secretariat_user,
        at_meeting=may,
        text="ViSOR figures circulated on 23 February 2017.",
        new_status="complete",
    )
    client.force_login(secretariat_user)
    text = pdf_text(client.get(f"/meetings/{may.pk}/minutes.pdf"))
    assert "The minute of the meeting held on 16 February 2017 was agreed as a true record." in text
    assert "Action 1 from 16 February 2017 meeting: ViSOR figures circulated on 23 February 2017." in " ".join(
        text.split()
    )
