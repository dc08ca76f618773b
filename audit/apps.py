from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log: who signed in, saw or downloaded what, and changed whose access (/audit/)."""

    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from audit import signals

        signals.connect()
