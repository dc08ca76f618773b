"""pytest plugins of the suite, loaded by ``pytest_plugins`` in tests/conftest.py."""
