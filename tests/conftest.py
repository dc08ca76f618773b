"""Fixtures shared by the whole suite: a user for each role, and the demo world.

The real Celery workers (celery_workers, celery_worker, celery_eager) are a plugin of their own:
tests/plugins/celery_workers.py.
"""

import pytest

from mappa.models import Person
from tests.factories import AreaFactory, user_with_role

pytest_plugins = ["tests.plugins.celery_workers"]

Role = Person.AccessRole


@pytest.fixture
def fife(db):
    return AreaFactory(name="Fife", slug="fife", code="FIF")


@pytest.fixture
def glasgow(db):
    return AreaFactory(name="Glasgow", slug="glasgow", code="GLA")


@pytest.fixture
def secretariat_user(db):
    return user_with_role(Role.SECRETARIAT, username="t-secretariat")


@pytest.fixture
def chair_user(fife):
    return user_with_role(Role.SOG_CHAIR, username="t-chair-fife", areas=[fife])


@pytest.fixture
def member_user(db):
    return user_with_role(Role.NSG_MEMBER, username="t-member")


@pytest.fixture
def inspector_user(db):
    return user_with_role(Role.INSPECTOR, username="t-inspector")


@pytest.fixture
def administrator_user(db):
    return user_with_role("", username="t-admin", superuser=True)


@pytest.fixture
def users_by_role(secretariat_user, chair_user, member_user, inspector_user, administrator_user):
    """One signed-in user for every role, keyed by role name."""
    return {
        "secretariat": secretariat_user,
        "sog_chair": chair_user,
        "nsg_member": member_user,
        "inspector": inspector_user,
        "administrator": administrator_user,
    }


@pytest.fixture
def demo_world(db):
    from demo import world as demo_world

    return demo_world.seed_core()


@pytest.fixture(autouse=True)
def _new_data_generation():
    """Each test's database is rolled back, a write that sends no signal: what was counted and kept in the
    cache (mappa.generation) by an earlier test is out of date."""
    from mappa import generation

    generation.bump()
