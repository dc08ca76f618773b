import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Agreeing minutes keeps their PDF in storage (meetings.StoredDocument): each test's in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
