from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, papers, attendance and minutes (phase 2)."""

    name = "meetings"

    def ready(self):
        from meetings.emails import EMAIL_KINDS
        from outbox.registry import register

        for kind in EMAIL_KINDS:
            register(kind)

        from mappa.registry import register_attention, register_demo_seeder
        from meetings.demo import seed_circulation, seed_meetings, seed_minutes
        from meetings.selectors.attention import attention_for

        register_attention(attention_for, order=10)
        for seeder in (seed_meetings, seed_minutes, seed_circulation):
            register_demo_seeder(seeder)
