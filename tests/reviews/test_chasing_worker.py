"""Return reminders through a real Celery worker and Redis: the chair, the coordinator and the secretariat's
weekly list, one e-mail each, and none the second time.

Runs only with a broker and PostgreSQL (CI's second pass), as tests/reminders/test_worker.py
does; the dates are the real today's, since the worker is out of reach of time-machine.
"""

from datetime import timedelta

from django.utils import timezone

from mappa.models import Membership
from reviews.models import ReportingPeriod
from reviews.tasks import chase_late_returns
from tests.factories import MembershipFactory, PersonFactory, SogFactory
from tests.reminders.story import WORKER_MARKS, twice_through_a_worker

pytestmark = WORKER_MARKS


def test_the_beat_task_through_a_real_worker_chases_a_late_return_once(
    fife, chair_user, secretariat_user, celery_workers, tmp_path
):
    today = timezone.localdate()
    # A quarter that ended a month ago, its returns due a week ago: Fife's is 7 days late.
    ReportingPeriod.objects.create(
        year=2030,
        quarter=1,
        starts_on=today - timedelta(days=120),
        ends_on=today - timedelta(days=30),
        due_on=today - timedelta(days=7),
    )
    colin = PersonFactory(name="Colin Coordinator", email="colin@test.example")
    MembershipFactory(person=colin, body=SogFactory(area=fife), role=Membership.Role.COORDINATOR)

    subjects = twice_through_a_worker(chase_late_returns, celery_workers, tmp_path, digests=3)
    assert sorted(subjects) == sorted([chair_user.person.email, colin.email, secretariat_user.person.email])
    assert subjects[colin.email] == "Fife quarterly return for 2030-31 Q1: 7 days late"
    assert subjects[secretariat_user.person.email].startswith("Late MAPPA quarterly returns, week of ")
