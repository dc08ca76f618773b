from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, papers, attendance and minutes (phase 2)."""

    name = "meetings"

    def ready(self):
        from meetings.emails import EMAIL_KINDS
        from outbox.registry import register

        for kind in EMAIL_KINDS:
            register(kind)

        from mappa.registry import register_attention
        from meetings.selectors.attention import attention_for

        register_attention(attention_for, order=10)
