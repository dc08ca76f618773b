"""Review date reminders through a real Celery worker and Redis: one e-mail each, and none the second time.

Runs only with a broker and PostgreSQL (CI's second pass), as tests/reminders/test_worker.py
does; the dates are the real today's, since the worker is out of reach of time-machine.
"""

from datetime import timedelta

from django.utils import timezone

from recommendations.tasks import remind_review_dates
from tests.factories import PersonFactory
from tests.recommendations.factories import RecommendationFactory, StatusUpdateFactory
from tests.reminders.story import WORKER_MARKS, twice_through_a_worker

pytestmark = WORKER_MARKS


def test_the_beat_task_through_a_real_worker_reminds_once_per_review_date(secretariat_user, celery_workers, tmp_path):
    today = timezone.localdate()
    lena = PersonFactory(name="Lena Lead", email="lena@test.example")
    recommendation = RecommendationFactory(number=2, short_title="Internet offenders", policy_lead=lena)
    StatusUpdateFactory(
        recommendation=recommendation, as_of=today - timedelta(days=60), review_date=today - timedelta(days=1)
    )

    subjects = twice_through_a_worker(remind_review_dates, celery_workers, tmp_path, digests=2)
    assert subjects == {
        lena.email: "MAPPA action plan: review date passed for Recommendation 2: Internet offenders",
        secretariat_user.person.email: "MAPPA action plan: review dates passed with no update: 1",
    }
