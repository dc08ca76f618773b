"""At national scale every list page takes as many SQL queries as on the demo world, and shows a page of rows.

`python manage.py seed_scale --scale 0.01` builds a reduced national dataset beside
the demo world (2 areas, 8 quarters, 50 meetings, 2,000 actions...): enough for
a query that runs once per row to show itself as a different count.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ActionUpdate
from demo import scale
from mappa.models import Area, Body, Membership, Person
from meetings.models import Meeting
from reviews.models import QuarterlyReturn, ReportingPeriod
from reviews.selectors.matrix import late_returns

pytestmark = pytest.mark.django_db

SMALL = 0.01
LOGINS = ["secretariat", "inspector", "chair-fife", "member-rma"]
# The dashboard is counted as soon as it is routed.
PAGES = scale.routed_list_pages()


def seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


def seed_scale(fraction=SMALL):
    out = io.StringIO()
    call_command("seed_scale", scale=fraction, stdout=out)
    return out.getvalue()


def signed_in(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def query_counts():
    """{(login, page): (status code, number of SQL queries)}, each page asked once before it is counted."""
    counts = {}
    for username in LOGINS:
        client = signed_in(username)
        for page in PAGES:
            client.get(page)  # anything cached per process (content types, ...) is cached by now
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            counts[(username, page)] = (response.status_code, len(queries))
    return counts


def test_the_full_scale_is_the_size_of_the_uk():
    assert scale.Sizes.at(1) == scale.Sizes(
        areas=53, quarters=40, bodies=60, meetings=5_000, actions=200_000, recommendations=50, status_updates=2_000
    )


def test_every_page_takes_as_many_queries_at_scale_as_on_the_demo_world():
    seed_demo()
    on_the_demo = query_counts()
    seed_scale()
    # The demo chair also takes the chair of both scale areas, so their returns page lists three areas, not one.
    chair = Person.objects.get(user__username="chair-fife")
    for sog in Body.objects.filter(area__slug__startswith=scale.AREA_SLUG_PREFIX):
        Membership.objects.create(person=chair, body=sog, role=Membership.Role.CHAIR)
    assert Action.objects.count() > 2_000 and Meeting.objects.count() > 50

    assert query_counts() == on_the_demo
    assert {status for status, _ in on_the_demo.values()} == {200}


def test_the_long_lists_show_fifty_rows_at_a_time():
    seed_demo()
    seed_scale()

    register = signed_in("secretariat").get("/actions/")
    assert len(register.context["page"].object_list) == 50
    assert f"Actions 1 to 50 of {Action.objects.count():,}".replace(",", "") in register.content.decode()

    meetings = signed_in("member-rma").get("/meetings/?page=2").content.decode()
    assert re.search(rf"Meetings 51 to {Meeting.objects.count()} of {Meeting.objects.count()}", meetings)
    assert 'aria-current="page">2</a>' in meetings
    assert meetings.count('<tr class="govuk-table__row">') == 1 + Meeting.objects.count() - 50

    approved = QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.APPROVED).count()
    returns = signed_in("inspector").get("/returns/").content.decode()
    assert f"Approved returns 1 to 50 of {approved}" in returns
    assert 'rel="next"' in returns


def test_seed_scale_builds_synthetic_records_and_refuses_to_build_them_twice():
    message = seed_scale()
    sizes = scale.Sizes.at(SMALL)
    assert "Scale dataset built (scale 0.01)" in message
    assert Area.objects.count() == sizes.areas == 2
    assert Body.objects.count() == sizes.bodies
    assert Meeting.objects.count() == sizes.meetings == 50
    assert Action.objects.count() == sizes.actions == 2_000
    assert QuarterlyReturn.objects.count() == sizes.areas * sizes.quarters
    # Nobody real: every person is named by number and role, at the reserved .example domain.
    for person in Person.objects.all():
        assert re.fullmatch(r"(Area \d+ (SOG Chair|MAPPA Coordinator)|Scale member \d+)", person.name)
        assert person.email.endswith("@scale.example") and person.user is None
    # Every action has an owner.
    assert not Action.objects.filter(owner_people=None, owner_organisations=None, owner_bodies=None).exists()

    with pytest.raises(CommandError, match=r"already built here \(2 areas, 2,000 actions\)\. Nothing was changed"):
        seed_scale()
    assert Action.objects.count() == 2_000 and Area.objects.count() == 2


def test_each_scale_action_has_the_timeline_its_state_implies():
    """As the service records them: a change of status for each action no longer open, a dated move
    for each due date that moved, none after the last quarter (so "as at" figures can read them)."""
    seed_scale()
    year, quarter = scale.LAST_QUARTER
    last_day = ReportingPeriod.objects.get(year=year, quarter=quarter).ends_on
    for action in Action.objects.prefetch_related("updates").select_related("meeting"):
        changes = [u for u in action.updates.all() if u.new_status]
        moves = [u for u in action.updates.all() if u.new_due_date]
        if action.status == Action.Status.OPEN:
            assert changes == []
        else:
            assert [u.new_status for u in changes] == [action.status]
            assert action.meeting.date <= changes[0].at.date()
        if action.due_date == action.original_due_date:
            assert moves == []
        else:
            assert [(u.new_due_date, bool(u.reason)) for u in moves] == [(action.due_date, True)]
    assert ActionUpdate.objects.filter(new_status="").count() < ActionUpdate.objects.exclude(new_status="").count()
    assert max(ActionUpdate.objects.values_list("at", flat=True)).date() <= last_day


@pytest.mark.parametrize("fraction", ["0", "-0.5", "1.5", "a tenth"])
def test_a_scale_that_is_not_a_fraction_is_refused(fraction):
    with pytest.raises(CommandError, match="--scale must be"):
        call_command("seed_scale", "--scale", fraction, stdout=io.StringIO())
    assert not Area.objects.exists()


def test_the_demo_areas_owe_no_late_returns_for_the_quarters_the_scale_adds():
    seed_demo()
    late_before = {(cell.area.slug, cell.period.slug) for cell in late_returns()}
    seed_scale()
    late_after = {(cell.area.slug, cell.period.slug) for cell in late_returns()}
    demo_late = {key for key in late_after if not key[0].startswith(scale.AREA_SLUG_PREFIX)}
    assert demo_late == late_before
