"""Django settings for MAPPA Governance.

Everything that differs between a laptop and production comes from environment
variables (see the README's configuration table and mappa/config.py). The
defaults are the embedded ones: SQLite, Celery tasks in-process, e-mail to the
console.
"""

from pathlib import Path

from csp.constants import NONCE

from mappa import config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = config.flag("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = config.text("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise config.ConfigError("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = config.listing("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.listing("CSRF_TRUSTED_ORIGINS", [])

# The public address of the service, used in links inside e-mails.
SITE_URL = config.text("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "csp",
    "simple_history",
    "django_filters",
    # Two-step sign-in (accounts/two_step.py): authenticator app codes (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mappa",
    "outbox",
    # The audit log (audit/): generic, below the domain apps, which record through audit.services.
    "audit",
    "accounts",
    "meetings",
    "actions",
    "reminders",
    "papers",
    "recommendations",
    "reviews",
    # Erasing personal data typed into a record and its every version (erasure/, issue 14).
    "erasure",
    # Deletes what the schedule says has been kept long enough (retention/schedule.py).
    "retention",
    "dashboard",
    # One search box for every record the user may open (search/, issue 16).
    "search",
    # Freedom-of-information requests answered with a redacted, indexed pack (disclosure/, issue 15).
    "disclosure",
]

# The demo world and the national-scale dataset (python manage.py seed_demo / seed_scale):
# development only, so production neither loads them nor offers the commands.
DEMO_DATA = config.flag("DEMO_DATA", default=DEBUG)
if DEMO_DATA:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # Every request gets an id (request.id, the X-Request-ID header, log lines, audit lines).
    "mappa.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database not answering a view: 503 "try again shortly" with Retry-After, not a 500
    # (mappa/middleware.py; errors raised in middleware reach its handler500 in config/urls.py).
    "mappa.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Sessions that are not verified (MFA_REQUIRED) or older than SESSION_ABSOLUTE_HOURS end here,
    # before the login check below sends the visitor to sign in (accounts/middleware.py).
    "accounts.middleware.SessionPolicyMiddleware",
    # Every page needs a login unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Every view declares which roles may use it (mappa/access.py).
    "mappa.access.AccessRuleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each saved version of a minute (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last, as its documentation asks, so it sees the authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "mappa.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": config.database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'mappa.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = config.integer("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends seconds compiling the dashboard's aggregates over a national
    # dataset (hundreds of functions) to save milliseconds running them: the service's queries are
    # all short, so it is off for its connections (scripts/benchmark_scale.py shows the difference).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the `make run` default) behind a threaded web server, where two requests may write at
    # once (issue 11: two people saving the same minute got "database is locked" instead of the 409
    # merge page). SQLite's default BEGIN is DEFERRED: a transaction that reads and then writes
    # (save_minute: select_for_update is a no-op on SQLite) cannot be upgraded to a writer once another
    # has written, and SQLite fails it at once without waiting. BEGIN IMMEDIATE takes the write lock
    # when the transaction starts, so concurrent writers queue (as SELECT ... FOR UPDATE does on
    # PostgreSQL) and the second reads the first's commit. The busy timeout is how long a writer
    # waits in that queue before giving up; WAL lets readers go on while someone writes, and
    # synchronous=NORMAL is WAL's usual, safe-on-crash setting (a power cut may lose the last commits).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("transaction_mode", "IMMEDIATE")
    _options.setdefault("timeout", 20)  # seconds
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a period of inactivity: each request renews the cookie.
SESSION_COOKIE_AGE = config.integer("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# ...and, however busy, this long after signing in (accounts/middleware.py).
SESSION_ABSOLUTE_HOURS = config.integer("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = config.integer("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = config.integer("LOGIN_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = config.integer("PROXY_COUNT", 0, minimum=0) or None
# Two-step sign-in (accounts/two_step.py): a password, then a code from an authenticator app.
# Off only for the `make run` demo and the test suite's force_login sessions.
MFA_REQUIRED = config.flag("MFA_REQUIRED", default=True)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = "MAPPA Governance"
# A wrong code also makes the next try wait 1, 2, 4, ... seconds (django-otp's own throttle).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Password reset links asked for in any hour (accounts/services.py): per address typed, and per client.
PASSWORD_RESET_LIMIT_PER_ADDRESS = config.integer("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3, minimum=1)
PASSWORD_RESET_LIMIT_PER_CLIENT = config.integer("PASSWORD_RESET_LIMIT_PER_CLIENT", 10, minimum=1)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
# collectstatic gathers files here for production; in DEBUG WhiteNoise serves them
# straight from their sources (static/ and node_modules).
STATIC_ROOT = None if DEBUG else Path(config.text("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    # Tom Select: the searchable picker laid over a plain <select multiple> (static/js/owner-picker.mjs).
    ("tom-select", NODE_MODULES / "tom-select" / "dist" / "js"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded papers live outside the web root and are only served through views
# that check permission; nothing maps MEDIA_URL to this folder.
MEDIA_ROOT = Path(config.text("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# The largest paper that may be uploaded, in megabytes.
PAPER_MAX_UPLOAD_MB = config.integer("PAPER_MAX_UPLOAD_MB", 20, minimum=1)

# E-mail: to the console unless EMAIL_URL or EMAIL_HOST says otherwise.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
_email = config.email("EMAIL_URL")
if _email:
    for key, value in _email.items():
        if value not in (None, ""):
            globals()[key] = value
elif config.text("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = config.text("EMAIL_HOST")
    EMAIL_PORT = config.integer("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = config.text("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = config.text("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = config.flag("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = config.text("DEFAULT_FROM_EMAIL", default="MAPPA Governance <mappa-governance@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30

# The cache (the dashboard drawn once per audience, dashboard/cache.py): shared through Redis when CACHE_URL
# names one. Production needs it as soon as there is more than one process: each gunicorn worker and
# replica must see the same "the data changed" mark, or one would go on showing figures another has
# cleared. Without it (make run, the tests), each process keeps its own in memory.
CACHE_URL = config.text("CACHE_URL", default=None)
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise config.ConfigError(f"CACHE_URL must be a redis:// or rediss:// URL (got {CACHE_URL!r}).")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}

# Celery: with no broker, tasks run in-process (eagerly) so the app needs nothing else.
CELERY_BROKER_URL = config.text("CELERY_BROKER_URL", default=None)
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    raise config.ConfigError(f"CELERY_BROKER_URL must be a redis:// or rediss:// URL (got {CELERY_BROKER_URL!r}).")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = config.text("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request hands e-mails to the broker after its step commits (outbox.tasks.dispatch). With
# the broker down it must give up in a moment, not retry for seconds: the e-mails are already in
# the outbox, and the sweep sends them once the broker is back. One quick retry, a 3-second connect.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
    "socket_connect_timeout": 3,
    # A task taken by a worker that is then killed goes back on the queue after this many seconds
    # (tasks are acknowledged only when done). Redis' default is an hour; 15 minutes brings it back
    # soon, and is still longer than any task runs or waits: a retry's countdown is at most 10
    # minutes (retry_backoff_max=600), and a countdown longer than this would be delivered twice
    # (harmless, every send is idempotent, but wasted).
    "visibility_timeout": 15 * 60,
}
# The result backend (the same Redis) also gives up quickly rather than retrying 20 times.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
}

# Chasing (actions/tasks.py): a given action is chased to the same person at most once in this many days.
ACTION_REMINDER_INTERVAL_DAYS = config.integer("ACTION_REMINDER_INTERVAL_DAYS", 7, minimum=1)
# Chairs and coordinators are chased weekly for a late return for this many weeks; after that the
# return stays on the secretariat's weekly list only (so years-old gaps do not mail anyone forever).
RETURN_CHASE_LATE_WEEKS = config.integer("RETURN_CHASE_LATE_WEEKS", 12, minimum=1)

# Disclosure control (dashboard/disclosure.py): counts of case reviews per area per quarter below
# this are shown as "fewer than N" to everyone but the secretariat.
DISCLOSURE_THRESHOLD = config.integer("DISCLOSURE_THRESHOLD", 5, minimum=2)

# Search (search/selectors.py): counts are exact up to this many results, then "More than 1,000 results";
# only the best-ranked (or newest) matches, five times this many, are checked against who may open them.
SEARCH_RESULT_CAP = config.integer("SEARCH_RESULT_CAP", 1000, minimum=1)

# How long records are kept (retention/schedule.py, the README's "Records kept"): whole years after each
# kind's date, then `apply_retention` (monthly, from the beat) deletes them. RETENTION_<KIND>_YEARS overrides one.
RETENTION_YEARS = {
    kind: config.integer(f"RETENTION_{kind.upper()}_YEARS", years, minimum=1)
    for kind, years in {"papers": 10, "returns": 7, "case_reviews": 7, "reminders": 2, "emails": 2, "audit": 7}.items()
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"

# Content Security Policy (django-csp): only our own scripts and styles; the
# one inline script GOV.UK Frontend needs carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE is django-csp's marker for "this response's nonce" ('nonce-...').
        "script-src": ["'self'", NONCE],
        # The dashboard's inline SVG charts each carry one <style> element, with the nonce.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# In production the cookies only travel over HTTPS and browsers are told to insist on it.
SESSION_COOKIE_SECURE = config.flag("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = config.flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = config.integer("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = config.flag("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is decided for the whole registrable
# domain (gov.scot) by its owner, never by one service on a subdomain, so Django's
# reminder to preload (security.W021) does not apply; SECURE_HSTS_PRELOAD=true
# adds the directive where the domain's owner has agreed it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if config.flag("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each line carries the id of the request it was written for ("-" outside one): mappa/request_id.py.
    "filters": {"request_id": {"()": "mappa.request_id.RequestIdFilter"}},
    "formatters": {"with_request_id": {"format": "%(levelname)s %(asctime)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "with_request_id"}
    },
    "root": {"handlers": ["console"], "level": config.text("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
