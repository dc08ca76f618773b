from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Actions recorded in minutes: who promised what, by when (the register arrives in phase 3)."""

    name = "actions"

    def ready(self):
        from actions.reminder_kinds import REMINDER_KINDS
        from reminders.registry import register

        for kind in REMINDER_KINDS:
            register(kind)
