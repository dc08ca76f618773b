from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """The thematic inspection's recommendations and the SG action plan (phase 4)."""

    name = "recommendations"
