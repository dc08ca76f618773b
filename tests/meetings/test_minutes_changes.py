"""What changed between the circulated draft and the agreed minute reads as the minute does
(issue 13, point 7): Markdown rendered, HTML removed, UK dates; the text as typed only on request."""

from datetime import date

import pytest
import time_machine

from actions.models import Action
from meetings.models import Meeting
from meetings.services import meetings as services
from meetings.services.minutes import save_minute
from tests import html
from tests.factories import OrganisationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
S = Meeting.Status


def write(item, by, narrative):
    item.refresh_from_db()
    return save_minute(item, by=by, narrative=narrative, decisions="", base_version=item.version)


@time_machine.travel(date(2018, 2, 21))
def test_the_changes_read_as_the_minute_with_the_markdown_only_on_request(client, secretariat_user, inspector_user):
    november = MeetingFactory(date=date(2017, 11, 8), status=S.HELD)
    item = AgendaItemFactory(meeting=november, position=3, title="Thematic Inspection Action Plan")
    unchanged = AgendaItemFactory(meeting=november, position=4, title="ERA guidance", narrative="Noted.")
    write(
        item, secretariat_user, "Progress was **good**.\n\n- Four recommendations are complete<script>alert(1)</script>"
    )
    action = Action.objects.create(
        meeting=november,
        agenda_item=item,
        number=1,
        text="Circulate the plan.",
        due_date=date(2017, 11, 22),
        original_due_date=date(2017, 11, 22),
        created_by=secretariat_user,
    )
    action.owner_organisations.set([OrganisationFactory(short_name="SG")])
    services.advance_meeting(november, S.DRAFT_CIRCULATED, by=secretariat_user, comment_deadline=date(2018, 2, 21))
    write(item, secretariat_user, "Progress was **good**.\n\n- Recommendations 4, 6, 8 and 9 are *complete*")
    Action.objects.filter(pk=action.pk).update(due_date=date(2017, 12, 6))
    february = MeetingFactory(body=november.body, date=date(2018, 2, 21), status=S.HELD)
    services.advance_meeting(november, S.MINUTES_AGREED, by=secretariat_user, agreed_at=february)
    client.force_login(inspector_user)

    page = html.page(client.get(f"/meetings/{november.pk}/minutes/changes/"))

    shown = html.one(page, '//h2[starts-with(., "1 ")]/following-sibling::ul[1]')
    assert html.texts(shown, "./li") == [
        "Progress was good.",
        "removed: • Four recommendations are complete",
        "added: • Recommendations 4, 6, 8 and 9 are complete",
        "removed: Action 1: SG — Circulate the plan. (due 22 November 2017)",
        "added: Action 1: SG — Circulate the plan. (due 6 December 2017)",
    ]
    assert not shown.xpath(".//script") and "alert" not in html.text(shown)
    # The text as typed, Markdown marks and all, waits behind "Show the text as typed".
    source = html.one(page, '//h2[starts-with(., "1 ")]/following-sibling::details[1]')
    assert html.text(html.one(source, ".//summary")) == "Show the text as typed (Markdown) for item 1"
    assert "added: - Recommendations 4, 6, 8 and 9 are *complete*" in html.texts(source, ".//li")
    assert html.texts(page, "//h2[contains(., 'ERA guidance')]") == [f"2 {unchanged.title} (no change)"]
