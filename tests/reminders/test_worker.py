"""The chase through real Celery workers and Redis: one e-mail per owner, whatever happens to the workers.

Runs only with a broker (CI's second pass: CELERY_BROKER_URL=redis://..., and
PostgreSQL, so the workers and the test share the test database). The workers
write their mail to files in the test's tmp_path, where the test reads it.

The dates here are the real today's: the workers are other processes, out of
reach of time-machine.
"""

import os
import re
import signal

import pytest
from django.conf import settings
from django.db import connection

from actions.tasks import chase_overdue_actions
from reminders.models import Reminder
from tests.plugins.celery_workers import wait_for, wait_until_idle, worker_env
from tests.reminders.helpers import chase_world
from tests.reminders.mail import read_mail

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="CELERY_BROKER_URL is not set: tasks run in-process, so there is no worker to test",
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the workers must share the test's database: PostgreSQL (an in-memory SQLite is the test's own)",
    ),
]


@pytest.fixture
def world(secretariat_user):
    from django.utils import timezone

    world = chase_world(timezone.localdate())
    world.secretariat = secretariat_user.person
    # One digest each: Alice, Bob, Dave, Erin; and the secretariat's (the RMA's action is 40 days overdue).
    world.expected = sorted(p.email for p in (*world.owners, world.secretariat))
    return world


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


def recipients(mail_dir):
    return sorted(message["To"] for message in read_mail(mail_dir))


def all_sent():
    return Reminder.objects.exists() and not Reminder.objects.exclude(state=Reminder.State.SENT).exists()


def test_the_beat_task_through_a_real_worker_sends_one_e_mail_per_owner_and_none_the_second_time(
    world, celery_workers, mail_dir
):
    # The worker's mail is configured the way a deployment configures it: EMAIL_URL.
    worker = celery_workers(env={"EMAIL_URL": f"filemail:///{mail_dir}"})

    summary = chase_overdue_actions.apply_async(queue=worker.queue).get(timeout=60)  # as the beat sends it
    assert summary["digests_claimed"] == summary["digests_queued"] == 5
    wait_for(all_sent, "every digest to be sent", logs=[worker.log])
    assert recipients(mail_dir) == world.expected
    (alice,) = [m for m in read_mail(mail_dir) if m["To"] == world.people.alice.email]
    assert alice["Subject"] == "MAPPA actions: 1 overdue, 1 due within 7 days"
    assert [part.get_content_type() for part in alice.get_payload()] == ["text/plain", "text/html"]

    again = chase_overdue_actions.apply_async(queue=worker.queue).get(timeout=60)
    assert again["digests_claimed"] == again["digests_queued"] == 0
    wait_until_idle(worker)  # a second send of any digest would have happened by now
    assert recipients(mail_dir) == world.expected  # still one each
    assert Reminder.objects.count() == 6


def test_two_workers_running_the_chase_at_the_same_time_send_one_e_mail_per_owner(world, celery_workers, mail_dir):
    first = celery_workers(env=worker_env(mail_dir))
    second = celery_workers(first.queue, env=worker_env(mail_dir))
    results = [chase_overdue_actions.apply_async(queue=first.queue) for _ in range(2)]
    summaries = [result.get(timeout=60) for result in results]
    assert sorted(s["digests_claimed"] for s in summaries) == [0, 5]
    wait_for(all_sent, "every digest to be sent", logs=[first.log, second.log])
    wait_until_idle(first, second)  # a second send of any digest would have happened by now
    assert recipients(mail_dir) == world.expected
    assert "received" in first.log.read_text() and "received" in second.log.read_text()  # both took tasks


def _paused_pid(marker, logs):
    wait_for(lambda: marker.exists(), "a send to pause", logs=logs)
    return int(marker.read_text())


def test_a_pool_process_killed_mid_send_has_its_task_redelivered_and_sent_once(
    world, celery_workers, mail_dir, tmp_path
):
    """acks_late + reject_on_worker_lost: the worker puts the task back when its pool process dies."""
    marker = tmp_path / "paused"
    worker = celery_workers(pool="prefork", env=worker_env(mail_dir, TEST_PAUSE_MARKER=str(marker)))
    chase_overdue_actions.apply_async(queue=worker.queue).get(timeout=60)

    pid = _paused_pid(marker, [worker.log])  # a pool process is mid-send, holding its digest's rows
    assert pid != worker.process.pid
    os.kill(pid, signal.SIGKILL)

    wait_for(all_sent, "every digest to be sent after the kill", logs=[worker.log])
    wait_until_idle(worker)  # the redelivered task, and any other, has finished
    assert recipients(mail_dir) == world.expected  # none lost, none twice
    log = worker.log.read_text()
    assert "WorkerLostError" in log and "signal 9 (SIGKILL)" in log
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}  # the killed attempt left no trace


def test_a_worker_killed_mid_send_has_its_task_taken_by_another_worker_and_sent_once(
    world, celery_workers, mail_dir, tmp_path
):
    """The whole worker dies (kill -9, a lost host): Redis hands its unacknowledged task to the next worker."""
    marker = tmp_path / "paused"
    first = celery_workers(env=worker_env(mail_dir, TEST_PAUSE_MARKER=str(marker)))
    chase_overdue_actions.apply_async(queue=first.queue).get(timeout=60)

    assert _paused_pid(marker, [first.log]) == first.process.pid  # the solo worker itself is mid-send
    first.process.kill()
    first.process.wait()
    assert recipients(mail_dir) == []
    (task_id,) = re.findall(r"Task reminders\.send_reminder_digest\[([0-9a-f-]+)\] received", first.log.read_text())

    # Redis gives an unacknowledged task to another worker after the visibility timeout
    # (an hour by default; a few seconds for this worker).
    second = celery_workers(
        first.queue, env=worker_env(mail_dir, TEST_PAUSE_MARKER=str(marker), TEST_VISIBILITY_TIMEOUT="3")
    )
    wait_for(all_sent, "every digest to be sent by the second worker", logs=[first.log, second.log])
    wait_until_idle(first, second)  # the dead worker's tasks, handed on, have all finished
    assert recipients(mail_dir) == world.expected  # none lost, none twice
    assert f"Task reminders.send_reminder_digest[{task_id}] received" in second.log.read_text()
