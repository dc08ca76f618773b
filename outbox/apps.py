from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """The outbox: every e-mail a step of the service causes, recorded with the step, sent exactly once."""

    name = "outbox"
    verbose_name = "E-mails"
