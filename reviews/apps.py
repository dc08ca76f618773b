from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Quarterly SOG returns and case review records (phase 5)."""

    name = "reviews"

    def ready(self):
        from outbox.registry import register
        from reviews.emails import EMAIL_KINDS

        for kind in EMAIL_KINDS:
            register(kind)
