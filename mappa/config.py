"""Reading the service's configuration from environment variables.

Every variable is documented in the README's configuration table. A value that
cannot be understood stops the service at start-up with a message naming the
variable, rather than letting it run half-configured.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    pass


def text(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{name} must be set.")
        return default
    return value


def flag(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r}).")


def integer(name, default, *, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value}).")
    return value


def listing(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def database(name, default_url):
    """Parse DATABASE_URL (sqlite:///path or postgres://user@host:port/db)."""
    raw = os.environ.get(name) or default_url
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # environ raises several types for bad URLs
        raise ConfigError(f"{name} is not a database URL the service understands: {exc}") from None
    if config.get("ENGINE") not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ConfigError(f"{name} must be a sqlite:// or postgres:// URL (got {raw!r}).")
    if not config.get("NAME"):
        raise ConfigError(f"{name} must name a database (got {raw!r}).")
    return config


def email(name):
    """Parse EMAIL_URL (smtp://, smtp+tls://, consolemail://, ...) if it is set."""
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        config = environ.Env.email_url_config(raw)
    except Exception as exc:
        raise ConfigError(f"{name} is not an e-mail URL the service understands: {exc}") from None
    if not config.get("EMAIL_BACKEND"):
        raise ConfigError(f"{name} has a scheme the service does not know (got {raw!r}).")
    return config
