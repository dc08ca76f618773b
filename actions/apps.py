from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Actions recorded in minutes: who promised what, by when (the register arrives in phase 3)."""

    name = "actions"
