from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts: two-step sign-in, sessions, switching off leavers' accounts, and resetting a forgotten password."""

    name = "accounts"

    def ready(self):
        from accounts import sessions
        from accounts.emails import EMAIL_KINDS
        from outbox.registry import register

        for kind in EMAIL_KINDS:
            register(kind)
        sessions.connect()
