from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """Answering freedom-of-information requests (issue 15): the requests register, what is in scope,
    the proposed redactions and their review, the redacted pack, its release and the disclosure log."""

    name = "disclosure"

    def ready(self):
        from disclosure.selectors import attention_for
        from mappa.registry import register_attention

        register_attention(attention_for, order=15)

        from disclosure.holds import covered_by_open_requests
        from retention.holds import register_hold

        register_hold(covered_by_open_requests)
