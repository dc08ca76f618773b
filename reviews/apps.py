from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Quarterly SOG returns and case review records (phase 5)."""

    name = "reviews"
