"""A line of the audit log is never changed or deleted: not by the application, and on PostgreSQL
not even by raw SQL from its own connection."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditLogIsAppendOnly
from audit.services import record
from tests.audit.helpers import Kind

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger that refuses UPDATE and DELETE is PostgreSQL's (CI's second pass); SQLite has none",
)


@pytest.fixture
def line(secretariat_user):
    return record(Kind.DOWNLOAD, user=secretariat_user, label="Action log", format="csv")


def test_a_line_cannot_be_saved_again(line):
    line.label = "Something else"
    with pytest.raises(AuditLogIsAppendOnly):
        line.save()
    assert AuditEvent.objects.get(pk=line.pk).label == "Action log"


def test_a_line_cannot_be_deleted(line):
    with pytest.raises(AuditLogIsAppendOnly):
        line.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=line.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=line.pk).exists()


def test_lines_cannot_be_updated_in_bulk(line):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=line.pk).update(label="Something else")
    line.label = "Something else"
    with pytest.raises(AuditLogIsAppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([line], ["label"])
    assert AuditEvent.objects.get(pk=line.pk).label == "Action log"


def test_an_account_that_did_something_is_deactivated_not_deleted(line, secretariat_user):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        secretariat_user.delete()


def test_the_retention_of_the_log_forgets_old_lines_only(line):
    old = AuditEvent(kind=Kind.SIGN_IN, username="long-gone", at=timezone.now() - timedelta(days=3 * 365))
    old.save()
    assert AuditEvent.objects.forget_before(timezone.now() - timedelta(days=2 * 365)) == 1
    assert not AuditEvent.objects.filter(username="long-gone").exists()
    assert AuditEvent.objects.filter(pk=line.pk).exists()


@postgresql_only
def test_on_postgresql_raw_sql_cannot_update_a_line(line):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET label = 'rewritten' WHERE id = %s", [line.pk])
    assert AuditEvent.objects.get(pk=line.pk).label == "Action log"


@postgresql_only
def test_on_postgresql_raw_sql_cannot_delete_a_line(line):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [line.pk])
    assert AuditEvent.objects.filter(pk=line.pk).exists()


@postgresql_only
def test_on_postgresql_even_the_retention_setting_cannot_delete_a_recent_line(line):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('mappa.audit_retention', 'on', true)")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [line.pk])
    assert AuditEvent.objects.filter(pk=line.pk).exists()
