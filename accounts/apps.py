from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts: resetting a forgotten password, rate-limited and sent through the outbox."""

    name = "accounts"

    def ready(self):
        from accounts.emails import EMAIL_KINDS
        from outbox.registry import register

        for kind in EMAIL_KINDS:
            register(kind)
