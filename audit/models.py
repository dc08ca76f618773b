"""The audit log: one line for each sign-in, download, view of a sensitive record, change of access, erasure.

A line is written once and never changed or deleted by the application: ``save()`` refuses to
update a line, ``delete()`` refuses, and so do the query set's ``update()`` and ``delete()``. On
PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE on the table too, so even raw SQL
from the application's own database user cannot rewrite the past. Writes to records themselves stay
recorded by django-simple-history; a line about a record with history names the version seen
(``history_id``).

The line keeps the person's username and the record's label as they were at the time, so it still
reads the same when the account is deactivated or the record renamed; the user link is PROTECT:
accounts are deactivated, never deleted, once they have done anything.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditLogIsAppendOnly(Exception):
    """An attempt to change or delete a line of the audit log."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Lines of the audit log cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Lines of the audit log cannot be deleted.")

    # bulk_update goes through update(); _raw_delete is what Collector uses for fast deletes.
    def _raw_delete(self, using):
        raise AuditLogIsAppendOnly("Lines of the audit log cannot be deleted.")

    _raw_delete.queryset_only = True

    def forget_before(self, cutoff):
        """Delete the lines written before ``cutoff``: for the retention of the log itself, and nothing else.

        On PostgreSQL the trigger lets a DELETE through only inside this transaction's
        ``mappa.audit_retention`` setting, and only of lines more than a year old, whatever the caller.
        """
        from django.db import connection, transaction

        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('mappa.audit_retention', 'on', true)")
            old = models.QuerySet(self.model, using=self.db).filter(at__lt=cutoff)
            return old._raw_delete(old.db)


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        SIGN_OUT = "sign_out", "Signed out"
        MFA_SET_UP = "mfa_set_up", "Two-step sign-in set up"
        MFA_RESET = "mfa_reset", "Two-step sign-in reset"
        DOWNLOAD = "download", "Downloaded"
        VIEW = "view", "Viewed"
        ROLE_CHANGED = "role_changed", "Role or permissions changed"
        MEMBERSHIP_CHANGED = "membership_changed", "Membership changed"
        ERASURE = "erasure", "Erasure"
        EXPORT_AUDIT = "export_audit", "Exported the audit log"
        RETENTION = "retention", "Retention schedule applied"  # retention.services: the counts deleted

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # The username as it was (or as typed, for a failed sign-in with no such account).
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The record: any model, by content type and id, with its label at the time.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=300, blank=True)
    # The record's django-simple-history version at the time (the version seen), if it keeps history.
    history_id = models.BigIntegerField(null=True, blank=True)
    format = models.CharField(max_length=16, blank=True)  # "pdf", "xlsx", "csv", "docx", "ics", ...
    # The filters as given, what changed (a role from and to), ... Never the text of an erased record.
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # Reading it is the only right there is (audit.view_auditevent): no one adds, changes or deletes.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_record_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_kind_display()} {self.label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Lines of the audit log cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Lines of the audit log cannot be deleted.")
