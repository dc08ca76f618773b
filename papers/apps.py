from django.apps import AppConfig


class PapersConfig(AppConfig):
    """Papers attached to agenda items, their versions, and the meeting's agenda pack."""

    name = "papers"
