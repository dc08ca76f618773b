from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The inspectors' dashboard: recommendations, actions and returns in charts and tables (phase 6)."""

    name = "dashboard"

    def ready(self):
        from dashboard import cache

        # Any change to what the dashboard reads makes the dashboards kept in the cache out of date.
        cache.connect()
