from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Quarterly SOG returns and case review records (phase 5)."""

    name = "reviews"

    def ready(self):
        # What is counted from this app's records (the dashboard, the register's counts) is kept until they change.
        from mappa.generation import watch

        watch(self.label)

        # Imported here, once the app registry is ready: these modules import models.
        from outbox.registry import register
        from reviews.emails import EMAIL_KINDS

        for kind in EMAIL_KINDS:
            register(kind)

        from reminders.registry import register as register_reminder
        from reviews.reminder_kinds import REMINDER_KINDS

        for kind in REMINDER_KINDS:
            register_reminder(kind)

        from mappa.registry import register_attention
        from reviews.selectors.attention import attention_for

        register_attention(attention_for, order=20)
