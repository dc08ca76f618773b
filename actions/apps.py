from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Actions recorded in minutes: who promised what, by when; and the action register."""

    name = "actions"

    def ready(self):
        # What is counted from this app's records (the dashboard, the register's counts) is kept until they change.
        from mappa.generation import watch

        watch(self.label)

        from actions.reminder_kinds import REMINDER_KINDS
        from reminders.registry import register

        for kind in REMINDER_KINDS:
            register(kind)

        # A meeting's minute lists its actions; the meetings app asks its registry for them (meetings/registry.py).
        from actions.minutes import MINUTE_PART
        from meetings.registry import register_minute_part

        register_minute_part(MINUTE_PART)
