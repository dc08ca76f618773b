from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """The reminder log: every chasing e-mail, claimed before it is sent, so none goes out twice."""

    name = "reminders"
    verbose_name = "Reminders"
