from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search box for every record the user may open (issue 16): search/sources.py says what is searched,
    search/index.py keeps the index current as records are saved."""

    name = "search"

    def ready(self):
        # Search sits above the domain apps, so it listens to their models directly (no registry needed).
        from search import index

        index.connect()
