from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search box for every record the user may open (issue 16): search/sources.py says what is searched."""

    name = "search"
