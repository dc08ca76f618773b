"""A paper a still-open freedom-of-information request covers is kept past its retention date; once the
request is closed, the next run deletes it as the schedule says."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disclosure.models import DisclosureRequest
from disclosure.services import requests as request_services
from papers.models import Paper
from retention import services
from tests.retention.test_retention import paper_of_meeting_on

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_open_request_keeps_the_papers_it_covers_until_it_is_closed(secretariat_user):
    covered = paper_of_meeting_on(date(2017, 5, 31), secretariat_user, "Covered by the request")
    other = paper_of_meeting_on(date(2016, 5, 31), secretariat_user, "Outside its dates")
    request = DisclosureRequest.objects.create(
        reference="FOI/202700001",
        received_on=date(2030, 6, 1),
        due_on=date(2030, 6, 29),
        wording="NSG papers of 2017",
        requester="a researcher",
        handler=secretariat_user,
        created_by=secretariat_user,
        scope_from=date(2017, 1, 1),
        scope_to=date(2017, 12, 31),
        kinds=["papers"],
    )
    request.bodies.set([covered.agenda_item.meeting.body])

    with time_machine.travel(NOW, tick=False):
        result = services.apply_retention(dry_run=False)
    papers = next(outcome for outcome in result.outcomes if outcome.kind.key == "papers")
    assert (papers.due, papers.held, papers.deleted) == (2, 1, 1)
    assert Paper.objects.filter(pk=covered.pk).exists()
    assert not Paper.objects.filter(pk=other.pk).exists()

    request_services.close_request(request=request, by=secretariat_user)
    with time_machine.travel(NOW, tick=False):
        services.apply_retention(dry_run=False)
    assert not Paper.objects.filter(pk=covered.pk).exists()
