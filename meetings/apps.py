from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, papers, attendance and minutes (phase 2)."""

    name = "meetings"
