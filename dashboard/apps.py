from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The inspectors' dashboard: recommendations, actions and returns in charts and tables (phase 6)."""

    name = "dashboard"

    def ready(self):
        # Prepared reports are let go by an erasure of personal data (erasure.services): owners are named in them.
        from dashboard.reports import forget_every_report
        from mappa.registry import register_drawn_documents

        register_drawn_documents(forget_every_report)
