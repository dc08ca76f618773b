from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The inspectors' dashboard: recommendations, actions and returns in charts and tables (phase 6)."""

    name = "dashboard"
