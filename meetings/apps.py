from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, papers, attendance and minutes (phase 2)."""

    name = "meetings"

    def ready(self):
        # What is counted from this app's records (the dashboard, the register's counts) is kept until they change.
        from mappa.generation import watch

        watch(self.label)

        from meetings.emails import EMAIL_KINDS
        from outbox.registry import register

        for kind in EMAIL_KINDS:
            register(kind)

        from mappa.registry import register_attention
        from meetings.selectors.attention import attention_for

        register_attention(attention_for, order=10)

        # Kept PDFs are let go by an erasure of personal data (erasure.services).
        from mappa.registry import register_drawn_documents
        from meetings.services.documents import forget_every_document

        register_drawn_documents(forget_every_document)
