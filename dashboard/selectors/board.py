"""The whole dashboard for a reader and a scope: its three sections, and who sees small numbers."""

from django.conf import settings

from dashboard.selectors.actions_section import actions_section
from dashboard.selectors.layout import Dashboard
from dashboard.selectors.recommendations_section import recommendations_section
from dashboard.selectors.returns_section import returns_section
from mappa import access


def sees_small_numbers(user):
    """Only the secretariat (and administrators) see counts below the disclosure threshold."""
    return access.has_role(user, *access.SECRETARIAT)


def dashboard(user, scope):
    """The whole dashboard for ``user`` within ``scope``; charts are drawn later (render_charts)."""
    threshold = settings.DISCLOSURE_THRESHOLD
    small = sees_small_numbers(user)
    return Dashboard(
        scope=scope,
        sections=[
            recommendations_section(scope),
            actions_section(user, scope),
            returns_section(user, scope, small, threshold),
        ],
        sees_small_numbers=small,
        threshold=threshold,
    )
