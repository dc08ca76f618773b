from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """The outbox: every e-mail a step of the service causes, recorded with the step, sent exactly once."""

    name = "outbox"
    verbose_name = "E-mails"

    def ready(self):
        from mappa.registry import register_attention
        from outbox.selectors import attention_for

        # After the other parts' items on the home page: failed or late e-mails, for the secretariat.
        register_attention(attention_for, order=90)
