from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Keeping records only as long as they should be: the schedule, and the monthly job that applies it."""

    name = "retention"
    verbose_name = "Retention"
