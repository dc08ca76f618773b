from django.apps import AppConfig


class ErasureConfig(AppConfig):
    """Erasing personal data typed into a record, from the record and every version of it (issue 14)."""

    name = "erasure"
