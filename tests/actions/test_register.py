"""The action register at /actions/: every action, filtered, sorted, counted and paged.

User stories: a member looks for what is overdue, the secretariat prepares matters
arising for one group, an owner looks for their own actions. Time is held still
(time-machine) on Monday 20 November 2017, so "overdue" and "due soon" stay true.
"""

from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.filters import ActionFilter
from actions.models import Action
from actions.selectors.register import register_counts
from actions.selectors.visibility import AGREED_STATUSES
from mappa import generation
from mappa.models import Membership
from meetings.models import Meeting
from tests import html
from tests.actions.factories import ActionFactory, register_world
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MONDAY_20_NOVEMBER_2017 = datetime(2017, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
URL = "/actions/"


@pytest.fixture
def world(db):
    return register_world()


@pytest.fixture
def today():
    with time_machine.travel(MONDAY_20_NOVEMBER_2017, tick=False):
        yield MONDAY_20_NOVEMBER_2017.date()


def _signed_in(client, user):
    client.force_login(user)
    return client


def _listed(response):
    """The citations of the rows on the page, in order, with their group."""
    first_cells = html.page(response).xpath('//table[@id="register"]/tbody/tr/td[1][span]')
    return [(html.text(cell.find("a")), html.text(cell.find("span")).removeprefix("· ")) for cell in first_cells]


def _citations(response):
    return [citation for citation, _ in _listed(response)]


# --- Everything, in one place ---------------------------------------------------------------------


def test_the_register_lists_every_action_across_groups_and_meetings(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL)

    assert response.status_code == 200
    assert sorted(_listed(response)) == sorted(
        [
            ("Action 1 from 31 May 2017 meeting", "NSG"),
            ("Action 2 from 31 May 2017 meeting", "NSG"),
            ("Action 3 from 31 May 2017 meeting", "NSG"),
            ("Action 4 from 31 May 2017 meeting", "NSG"),
            ("Action 1 from 7 September 2017 meeting", "Fife Strategic Oversight Group"),
        ]
    )
    page = response.content.decode()
    assert "5 actions" in page
    assert "All Fife Strategic Oversight Group members" in page  # a body as owner
    assert "Jo Policy" in page


def test_the_register_is_in_the_navigation_after_meetings(client, member_user, world):
    page = html.page(_signed_in(client, member_user).get(URL))
    links = page.xpath('//a[@class="moj-primary-navigation__link"]')

    labels = [html.text(link) for link in links]
    assert labels.index("Actions") == labels.index("Meetings") + 1
    current = [(link.get("href"), html.text(link)) for link in links if link.get("aria-current") == "page"]
    assert current == [("/actions/", "Actions")]


# --- Filters --------------------------------------------------------------------------------------


def test_the_secretariat_filters_by_the_group_that_raised_the_actions(client, secretariat_user, world, today):
    response = _signed_in(client, secretariat_user).get(URL, {"body": world.fife_sog.slug})

    assert _citations(response) == ["Action 1 from 7 September 2017 meeting"]
    assert "Fife Strategic Oversight Group" in response.content.decode()  # the "selected filters" tag


def test_filtering_by_meeting(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"meeting": world.nsg_may.pk})
    assert len(_citations(response)) == 4
    assert all("31 May 2017" in citation for citation in _citations(response))


def test_filtering_by_an_owning_organisation_shows_only_its_actions(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"owner": f"organisation-{world.sg.pk}"})

    assert sorted(_citations(response)) == ["Action 1 from 31 May 2017 meeting", "Action 4 from 31 May 2017 meeting"]


def test_filtering_by_an_owning_person_or_group(client, member_user, world, today):
    client = _signed_in(client, member_user)

    assert _citations(client.get(URL, {"owner": f"person-{world.jo.pk}"})) == ["Action 3 from 31 May 2017 meeting"]
    assert _citations(client.get(URL, {"owner": f"group-{world.fife_sog.pk}"})) == [
        "Action 1 from 7 September 2017 meeting"
    ]


def test_the_owner_list_offers_groups_organisations_and_people_who_own_actions(client, member_user, world):
    OrganisationFactory(name="Victim Support Scotland", short_name="VSS")  # owns nothing
    page = _signed_in(client, member_user).get(URL).content.decode()
    owner_select = page[page.index('name="owner"') : page.index("</select>", page.index('name="owner"'))]

    assert '<optgroup label="Groups">' in owner_select
    assert f'value="organisation-{world.rma.pk}"' in owner_select
    assert f'value="person-{world.jo.pk}"' in owner_select
    assert "VSS" not in owner_select


def test_overdue_shows_open_actions_past_their_due_date(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"overdue": "yes"})

    # Due 15 November and still open; the one due 1 November is complete, so not overdue.
    assert _citations(response) == ["Action 1 from 31 May 2017 meeting"]
    assert "Overdue" in response.content.decode()


def test_overdue_moves_with_the_calendar(client, member_user, world):
    # Signed in afresh on each day: a session ends after 30 idle minutes.
    with time_machine.travel(datetime(2017, 11, 10, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert _citations(_signed_in(client, member_user).get(URL, {"overdue": "yes"})) == []
    with time_machine.travel(datetime(2017, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        client = _signed_in(client, member_user)
        assert sorted(_citations(client.get(URL, {"overdue": "yes"}))) == [
            "Action 1 from 31 May 2017 meeting",
            "Action 1 from 7 September 2017 meeting",
            "Action 2 from 31 May 2017 meeting",
        ]


def test_due_within_7_days_shows_open_actions_due_from_today(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"due": "7"})

    # 24 November (in progress) is within a week of 20 November; 30 November is not; overdue ones are not "due".
    assert _citations(response) == ["Action 2 from 31 May 2017 meeting"]
    assert "Within 7 days (by 27 November 2017)" in response.content.decode()


def test_due_within_a_number_of_days_the_user_types(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"due": "other", "due_days": "30"})

    assert sorted(_citations(response)) == [
        "Action 1 from 7 September 2017 meeting",
        "Action 2 from 31 May 2017 meeting",
        "Action 3 from 31 May 2017 meeting",
    ]


def test_a_number_of_days_that_is_not_a_number_is_shown_as_an_error_and_kept(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"due": "other", "due_days": "ten"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_due_days"' in page
    assert "Enter the number of days as a whole number, like 10" in page
    assert 'value="ten"' in page  # what was typed is kept
    assert len(_citations(response)) == 5  # the faulty filter is not applied


def test_filtering_by_status(client, member_user, world, today):
    client = _signed_in(client, member_user)

    assert _citations(client.get(URL, {"status": "complete"})) == ["Action 4 from 31 May 2017 meeting"]
    open_ones = _citations(client.get(URL, {"status": ["open", "in_progress"]}))
    assert len(open_ones) == 4 and "Action 4 from 31 May 2017 meeting" not in open_ones


def test_searching_the_action_text(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"q": "level 1 STANDARDS"})
    assert _citations(response) == ["Action 3 from 31 May 2017 meeting"]


def test_only_my_actions_counts_my_organisations_and_my_groups(client, member_user, world, today):
    me = member_user.person
    world.rma.contacts.add(me)
    MembershipFactory(person=me, body=world.fife_sog)

    response = _signed_in(client, member_user).get(URL, {"mine": "yes"})

    assert sorted(_citations(response)) == [
        "Action 1 from 7 September 2017 meeting",
        "Action 2 from 31 May 2017 meeting",
    ]


def test_filters_combine_and_stay_in_the_query_string(client, member_user, world, today):
    params = {"body": world.nsg.slug, "owner": f"organisation-{world.sg.pk}", "status": "open"}
    response = _signed_in(client, member_user).get(URL, params)

    assert _citations(response) == ["Action 1 from 31 May 2017 meeting"]
    page = response.content.decode()
    # The filter form shows what is applied, so the page can be bookmarked and shared.
    assert f'<option value="{world.nsg.slug}" selected>' in page
    assert 'value="open" checked' in page


def test_each_selected_filter_can_be_removed_on_its_own(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"body": world.nsg.slug, "status": ["open", "complete"]})
    page = response.content.decode()

    assert "Selected filters" in page
    # Removing "Complete" keeps the group and the other status.
    removal = '"><span class="govuk-visually-hidden">Remove this filter'
    assert f'href="?body={world.nsg.slug}&amp;status=open{removal}' in page
    assert f'href="?status=open&amp;status=complete{removal}' in page


def test_the_inspector_sees_only_actions_of_agreed_minutes(client, inspector_user, world, today):
    draft = MeetingFactory(body=world.nsg, date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED)
    ActionFactory(meeting=draft, number=1, text="Send final comments on the draft ERA guidance.", owners=[world.rma])

    response = _signed_in(client, inspector_user).get(URL)

    assert len(_citations(response)) == 5
    assert "8 November 2017" not in response.content.decode()


def test_the_inspectors_counts_leave_out_actions_of_minutes_not_agreed(client, inspector_user, world, today):
    draft = MeetingFactory(body=world.nsg, date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED)
    ActionFactory(meeting=draft, number=1, text="Send comments.", due_date=date(2017, 11, 1), owners=[world.rma])
    ActionFactory(meeting=draft, number=2, text="Close.", status=Action.Status.COMPLETE, owners=[world.rma])
    client = _signed_in(client, inspector_user)

    for query in ({}, {"status": "open"}, {"owner": f"organisation-{world.rma.pk}"}, {"overdue": "yes"}):
        counts = client.get(URL, query).context["counts"]
        readable = register_counts(
            ActionFilter(
                QueryDict(urlencode(query)), queryset=Action.objects.filter(meeting__status__in=AGREED_STATUSES)
            ).qs,
            today,
        )
        assert counts == readable


def test_the_inspector_is_offered_only_owners_of_actions_they_may_read(
    client, inspector_user, secretariat_user, world, today
):
    draft = MeetingFactory(body=world.nsg, date=date(2017, 11, 8), status=Meeting.Status.DRAFT_CIRCULATED)
    only_in_draft = PersonFactory(name="Sam Draft")
    ActionFactory(meeting=draft, number=1, text="Send comments.", owners=[only_in_draft, world.jo])

    def owners_offered(user):
        page = _signed_in(client, user).get(URL).content.decode()
        return page[page.index('name="owner"') : page.index("</select>", page.index('name="owner"'))]

    assert "Sam Draft" in owners_offered(secretariat_user)
    inspectors = owners_offered(inspector_user)
    assert "Sam Draft" not in inspectors
    assert f'value="person-{world.jo.pk}"' in inspectors  # Jo also owns an action of agreed minutes


# --- Exports keep the filter ----------------------------------------------------------------------


def test_the_export_links_carry_the_current_filter(client, member_user, world, today):
    response = _signed_in(client, member_user).get(
        URL, {"body": world.nsg.slug, "overdue": "yes", "sort": "-due", "page": "1"}
    )
    page = response.content.decode()

    query = f"?body={world.nsg.slug}&amp;overdue=yes&amp;sort=-due"
    for name in ("actions-csv", "actions-xlsx", "actions-pdf"):
        assert f'href="{reverse(name)}{query}"' in page


def test_without_a_filter_the_exports_take_everything(client, member_user, world, today):
    page = _signed_in(client, member_user).get(URL).content.decode()
    assert 'href="/actions.csv"' in page and 'href="/actions.pdf"' in page


# --- Sorting --------------------------------------------------------------------------------------


def test_sorting_by_due_date_both_ways(client, member_user, world, today):
    client = _signed_in(client, member_user)

    earliest_first = client.get(URL, {"sort": "due"})
    latest_first = client.get(URL, {"sort": "-due"})

    due_order = [
        "Action 4 from 31 May 2017 meeting",  # 1 November
        "Action 1 from 31 May 2017 meeting",  # 15 November
        "Action 2 from 31 May 2017 meeting",  # 24 November
        "Action 1 from 7 September 2017 meeting",  # 30 November
        "Action 3 from 31 May 2017 meeting",
    ]  # 20 December
    assert _citations(earliest_first) == due_order
    assert _citations(latest_first) == list(reversed(due_order))
    assert _sort_header(earliest_first, "Due date") == ("ascending", "?sort=-due")
    assert _sort_header(earliest_first, "Owner") == ("none", "?sort=owner")
    assert _sort_header(latest_first, "Due date") == ("descending", "?sort=due")


def _sort_header(response, label):
    """How a column heading of the register is sorted now, and where its link leads."""
    header = html.one(html.page(response), f'//table[@id="register"]//th[a[starts-with(normalize-space(), "{label}")]]')
    return header.get("aria-sort"), header.find("a").get("href")


def test_sorting_keeps_the_filters_and_the_filters_keep_the_sort(client, member_user, world, today):
    page = _signed_in(client, member_user).get(URL, {"status": "open", "sort": "owner"}).content.decode()

    assert 'href="?status=open&amp;sort=status"' in page  # the Status header
    assert '<input type="hidden" name="sort" value="owner">' in page  # the filter form


def test_sorting_by_owner_status_and_citation(client, member_user, world, today):
    client = _signed_in(client, member_user)

    by_owner = _citations(client.get(URL, {"sort": "owner"}))
    # "All Fife ... members", "Jo Policy", "RMA", "SG", "SG" (ties in citation order)
    assert by_owner == [
        "Action 1 from 7 September 2017 meeting",
        "Action 3 from 31 May 2017 meeting",
        "Action 2 from 31 May 2017 meeting",
        "Action 1 from 31 May 2017 meeting",
        "Action 4 from 31 May 2017 meeting",
    ]
    by_status = _citations(client.get(URL, {"sort": "-status"}))
    assert by_status[0] == "Action 4 from 31 May 2017 meeting"  # complete comes after open and in progress
    by_citation = _citations(client.get(URL, {"sort": "number"}))
    assert by_citation[-1] == "Action 1 from 7 September 2017 meeting"


def test_an_unknown_sort_falls_back_to_due_date(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"sort": "text; DROP TABLE"})
    assert response.status_code == 200
    assert _citations(response)[0] == "Action 4 from 31 May 2017 meeting"


# --- Counts ---------------------------------------------------------------------------------------


def _counts(response):
    counts = html.page(response).xpath('//*[@id="counts"]//p')
    return {
        html.text(count).removeprefix(number + " "): int(number)
        for count in counts
        for number in [html.text(count.xpath('.//span[@class="app-summary-count"]')[0])]
    }


def test_the_counts_at_the_top_describe_the_current_filter(client, member_user, world, today):
    client = _signed_in(client, member_user)

    assert _counts(client.get(URL)) == {"open": 4, "overdue": 1, "due in the next 7 days": 1, "complete": 1}
    assert _counts(client.get(URL, {"body": world.fife_sog.slug})) == {
        "open": 1,
        "overdue": 0,
        "due in the next 7 days": 0,
        "complete": 0,
    }


def test_a_count_links_to_the_actions_it_counts(client, member_user, world, today):
    client = _signed_in(client, member_user)
    page = client.get(URL, {"body": world.nsg.slug}).content.decode()

    assert f'href="?body={world.nsg.slug}&amp;overdue=yes"><span class="app-summary-count">1</span> overdue' in page
    link = html.one(html.page(page), '//*[@id="counts"]//a[normalize-space()="3 open"]').get("href")
    assert link == f"?body={world.nsg.slug}&status=open&status=in_progress"
    assert len(_citations(client.get(URL + link))) == 3
    # Nothing to see, nothing to follow.
    page = client.get(URL, {"status": "complete"}).content.decode()
    assert '<span class="app-summary-count">0</span> open' in page
    assert 'href="?status=complete"><span class="app-summary-count">1</span> complete' in page
    page = client.get(URL, {"status": ["in_progress", "complete"]}).content.decode()
    assert 'href="?status=in_progress"><span class="app-summary-count">1</span> open' in page


def test_the_counts_are_one_query(world, today, django_assert_num_queries):
    from actions.selectors.register import register_counts

    with django_assert_num_queries(1):
        counts = register_counts(Action.objects.all())
    assert (counts.total, counts.open, counts.overdue, counts.due_soon, counts.complete) == (5, 4, 1, 1, 1)


# --- Pages, and a bound on the queries ------------------------------------------------------------


def _many_actions(count, meeting, item, owners):
    organisation, person, body = owners
    for number in range(1, count + 1):
        ActionFactory(
            meeting=meeting,
            agenda_item=item,
            number=number,
            text=f"Action number {number}.",
            due_date=date(2017, 12, 1),
            owners=[organisation, person, body],
        )


def test_fifty_to_a_page_with_gov_uk_pagination_that_keeps_the_filters(client, member_user, world, today):
    meeting = MeetingFactory(body=world.nsg, date=date(2017, 2, 16), status=Meeting.Status.MINUTES_AGREED)
    _many_actions(120, meeting, AgendaItemFactory(meeting=meeting), (world.sg, world.jo, world.nsg))
    client = _signed_in(client, member_user)

    first = client.get(URL, {"body": world.nsg.slug})
    third = client.get(URL, {"body": world.nsg.slug, "page": "3"})

    assert len(_citations(first)) == 50
    assert len(_citations(third)) == 124 - 100
    page = first.content.decode()
    assert "Actions 1 to 50 of 124" in page
    assert f'href="?body={world.nsg.slug}&amp;page=2" rel="next"' in page
    assert 'aria-current="page">1</a>' in page
    assert "Actions 101 to 124 of 124" in third.content.decode()


def test_the_register_takes_the_same_number_of_queries_for_200_actions_as_for_5(
    client, member_user, world, today, django_assert_max_num_queries
):
    client = _signed_in(client, member_user)
    client.get(URL)  # the session and the user, once
    generation.bump()  # as after a write: the lists and counts are read again, not taken as kept
    with CaptureQueriesContext(connection) as five:
        response = client.get(URL, {"sort": "owner"})
    assert response.status_code == 200

    meeting = MeetingFactory(
        body=BodyFactory(name="Level 1 SLWG", slug="level-1"),
        date=date(2017, 3, 1),
        status=Meeting.Status.MINUTES_AGREED,
    )
    people = [PersonFactory() for _ in range(5)]
    organisations = [OrganisationFactory() for _ in range(5)]
    item = AgendaItemFactory(meeting=meeting)
    for number in range(1, 196):
        ActionFactory(
            meeting=meeting,
            agenda_item=item,
            number=number,
            due_date=date(2017, 11, 1 + number % 28),
            owners=[people[number % 5], organisations[number % 5], world.fife_sog],
        )
    MembershipFactory(person=people[0], body=world.fife_sog, role=Membership.Role.MEMBER)
    assert Action.objects.count() == 200

    with django_assert_max_num_queries(len(five)):
        response = client.get(URL, {"sort": "owner"})
    assert len(_citations(response)) == 50


def test_filtering_by_the_recommendation_an_action_serves(client, secretariat_user, world, today):
    from tests.recommendations.factories import RecommendationFactory

    visor = RecommendationFactory(number=7, short_title="ViSOR")
    visor.actions.add(*Action.objects.filter(meeting=world.nsg_may).order_by("pk")[:2])
    RecommendationFactory(number=8, short_title="Serves nothing")

    response = _signed_in(client, secretariat_user).get(URL, {"recommendation": visor.pk})

    assert sorted(_citations(response)) == ["Action 1 from 31 May 2017 meeting", "Action 2 from 31 May 2017 meeting"]
    page = response.content.decode()
    assert "Recommendation 7. ViSOR" in page  # offered, and shown among the selected filters
    assert "Serves nothing" not in page  # only recommendations that some action serves are offered


def test_a_recommendation_that_is_not_offered_is_an_error_not_a_crash(client, member_user, world, today):
    response = _signed_in(client, member_user).get(URL, {"recommendation": "nonsense"})

    assert "Select a recommendation from the list" in response.content.decode()


def _meeting_options(response):
    options = html.page(response).xpath('//select[@id="id_meeting"]/option/@value')
    return {int(pk) for pk in options if pk.isdigit()}


def test_with_years_of_meetings_the_meeting_list_offers_the_recent_ones_until_a_group_is_chosen(
    client, secretariat_user, world, today
):
    group = BodyFactory(name="Short-life working group on ViSOR", slug="swg-visor")
    meetings = [MeetingFactory(body=group, date=date(2012 + n // 12, 1 + n % 12, 10)) for n in range(45)]
    for meeting in meetings:
        ActionFactory(meeting=meeting, number=1)
    oldest = meetings[0]
    signed_in = _signed_in(client, secretariat_user)

    everything = signed_in.get(URL)
    assert oldest.pk not in _meeting_options(everything)
    assert len(_meeting_options(everything)) == 40
    assert "choose a group first to see all of its meetings" in everything.content.decode()

    the_group = signed_in.get(URL, {"body": group.slug})
    assert _meeting_options(the_group) == {m.pk for m in meetings}

    chosen = signed_in.get(URL, {"meeting": oldest.pk})
    assert oldest.pk in _meeting_options(chosen)
    assert _citations(chosen) == [f"Action 1 from {oldest.date:%-d %B %Y} meeting"]


# --- Kept until something is recorded -------------------------------------------------------------


def _counts_shown(response):
    return [html.text(p) for p in html.page(response).xpath('//div[@id="counts"]//p')]


def test_the_counts_and_lists_are_kept_but_a_new_action_shows_at_once(client, secretariat_user, world, today):
    from actions.services import close_action, record_action

    client = _signed_in(client, secretariat_user)
    before = client.get(URL)
    assert "Action 1 from 2 October 2017 meeting" not in _citations(before)
    assert _counts_shown(before)[0] == "4 open" and _counts_shown(before)[3] == "1 complete"
    assert "Level 2 SLWG" not in before.content.decode()

    # Asked again, nothing recorded meanwhile: the same figures, without counting again.
    with CaptureQueriesContext(connection) as again:
        assert _counts_shown(client.get(URL)) == _counts_shown(before)
    assert not any("COUNT(" in query["sql"] for query in again.captured_queries)

    # The secretariat records an action of a new group's meeting, owned by a new person, and closes another.
    meeting = MeetingFactory(body=BodyFactory(name="Level 2 SLWG", slug="level-2"), date=date(2017, 10, 2))
    owner = PersonFactory(name="Morven Tulloch")
    record_action(
        AgendaItemFactory(meeting=meeting),
        by=secretariat_user,
        text="Draft the guidance",
        due_date=date(2017, 12, 1),
        people=[owner],
    )
    still_open = Action.objects.filter(meeting=world.nsg_may, status__in=Action.OPEN_STATUSES).first()
    close_action(still_open, by=secretariat_user, reason="Done")

    after = client.get(URL)
    assert _counts_shown(after)[0] == "4 open"  # one more, one closed
    assert _counts_shown(after)[3] == "2 complete"
    page = html.page(after)
    assert "Level 2 SLWG" in [html.text(o) for o in page.xpath('//select[@name="body"]/option')]
    assert "Morven Tulloch" in [html.text(o) for o in page.xpath('//select[@name="owner"]//option')]
    assert "6 actions" in after.content.decode()
    # The rows too: the new action listed, the closed one's status changed.
    assert "Action 1 from 2 October 2017 meeting" in _citations(after)
    row = page.xpath(f'//table[@id="register"]//tr[td/a[text()="{still_open.citation}"]]')[0]
    assert "Complete" in html.text(row)
