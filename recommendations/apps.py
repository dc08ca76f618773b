from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """The thematic inspection's recommendations and the SG action plan (phase 4)."""

    name = "recommendations"

    def ready(self):
        # What is counted from this app's records (the dashboard, the register's counts) is kept until they change.
        from mappa.generation import watch

        watch(self.label)

        from recommendations.reminder_kinds import REMINDER_KINDS
        from reminders.registry import register

        for kind in REMINDER_KINDS:
            register(kind)
