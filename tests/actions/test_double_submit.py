"""A progress update on an action is added once, however often its form is sent (issue 11).

The checks are tests/double_submit.py's, as for every creating form; the actions
recorded from the minute editor are the meetings app's (tests/meetings/test_double_submit.py).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions.models import ActionUpdate
from tests import double_submit
from tests.actions.factories import register_world
from tests.double_submit import Form

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(client, member_user):
    """The form on an action's page, as a contact of its owning organisation sees it."""
    with time_machine.travel(datetime(2017, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))):
        world = register_world()
        world.rma.contacts.add(member_user.person)
        client.force_login(member_user)
        action = world.nsg_soon
        yield Form(
            client,
            f"/actions/{action.pk}/",
            f"/actions/{action.pk}/update/",
            {"text": "The research plan goes to the MDG on 4 December.", "new_status": "", "reason": ""},
            ActionUpdate.objects.filter(action=action).count,
            other={"text": "The MDG meets on 11 December instead.", "new_status": "", "reason": ""},
            wrong={"text": "Standards agreed.", "new_status": "complete", "reason": ""},
        )


def test_sent_twice_it_saves_once_and_lands_on_the_first(update):
    double_submit.sent_twice_saves_once(update)


def test_the_same_page_sent_with_other_content_saves_again(update):
    double_submit.other_content_saves_again(update)


def test_a_form_with_errors_does_not_use_up_its_token(update):
    double_submit.errors_keep_the_token(update)


def test_sent_twice_at_the_same_moment_it_saves_once(transactional_db, update):
    double_submit.at_once_saves_once(update)
