"""After a broker outage, the sweep through real Celery workers and Redis sends each waiting e-mail once.

Runs only with a broker (CI's second pass: Redis, and PostgreSQL, so the workers
and the test share the test database). The workers write their mail to files.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mappa.models import Membership
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from outbox.models import Email
from outbox.tasks import sweep_unsent_emails
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.plugins.celery_workers import wait_for, worker_env
from tests.reminders.mail import read_mail

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="CELERY_BROKER_URL is not set: tasks run in-process, so there is no worker to test",
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the workers must share the test's database: PostgreSQL"
    ),
]

MEMBERS = ["ann@test.example", "bea@test.example", "cal@test.example"]
SWEEP_DONE = re.compile(r"Task outbox\.sweep_unsent_emails\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: (\d+)")


def test_two_sweeps_at_once_after_an_outage_send_each_waiting_e_mail_once(
    secretariat_user, broker_down, celery_workers, tmp_path
):
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    for address in MEMBERS:
        MembershipFactory(person=PersonFactory(email=address), body=meeting.body, role=Membership.Role.MEMBER)
    meeting_services.advance_meeting(
        meeting,
        Meeting.Status.DRAFT_CIRCULATED,
        by=secretariat_user,
        comment_deadline=timezone.localdate() + timedelta(days=7),
    )
    assert sorted(Email.objects.filter(state=Email.State.QUEUED).values_list("to", flat=True)) == MEMBERS
    # The e-mails have waited out the sweep's grace period (the workers are out of time-machine's reach).
    Email.objects.update(queued_at=timezone.now() - timedelta(minutes=5))

    broker_down.back()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    first = celery_workers(env=worker_env(mail_dir))
    second = celery_workers(first.queue, env=worker_env(mail_dir))
    for _ in range(2):
        sweep_unsent_emails.apply_async(queue=first.queue)  # as the beat sends it, twice at once

    logs = [first.log, second.log]
    wait_for(
        lambda: len(SWEEP_DONE.findall("".join(log.read_text() for log in logs))) == 2,
        "both sweeps to finish",
        logs=logs,
    )
    sent_by_each = [int(n) for log in logs for n in SWEEP_DONE.findall(log.read_text())]
    assert sum(sent_by_each) == 3
    assert sorted(message["To"] for message in read_mail(mail_dir)) == MEMBERS
    assert set(Email.objects.values_list("state", flat=True)) == {Email.State.SENT}
