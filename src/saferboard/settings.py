"""Saferboard settings: one module, configured from the environment.

Production is the default: DEBUG is off and SECRET_KEY must be set. The demo
(`saferboard demo`) and the test suite set ``SABO_MODE`` to ``demo`` or ``test``,
which supply a throwaway key; nothing else does.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()

SABO_MODE = env.str("SABO_MODE", default="production")
if SABO_MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"SABO_MODE must be production, demo or test, not {SABO_MODE!r}")

DEBUG = env.bool("DEBUG", default=False)
# Only the demo and the test suite are relaxed (throwaway keys, no Secure cookies or
# HSTS). DEBUG never relaxes production: it is refused there (issue 18), since it would
# show settings and tracebacks to anyone who triggers an error.
RELAXED = SABO_MODE in {"demo", "test"}
if DEBUG and not RELAXED:
    raise ImproperlyConfigured(
        "DEBUG=true is refused in production: it shows settings and tracebacks to users. "
        "Unset DEBUG, or run `saferboard demo` for a local demonstration."
    )

DEMO_SECRET_KEY = "insecure-demo-key-not-for-production"  # noqa: S105 - demo/test only  # nosec B105
DEMO_PSEUDONYM_KEY = "insecure-demo-pseudonym-key"
MIN_SECRET_KEY_LENGTH = 50  # as Django's own deployment check (security.W009)
MIN_PSEUDONYM_KEY_LENGTH = 32


def _strong_key(name: str, value: str, minimum: int, demo_value: str) -> str:
    """The key, or ImproperlyConfigured naming what is wrong (never the key itself)."""
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Saferboard refuses to start in production without it; "
            f"set {name}, or run `saferboard demo` for a local demonstration."
        )
    if value == demo_value or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"{name} is a public demonstration key: set a secret one.")
    if len(value) < minimum or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"{name} is too short or too plain ({len(value)} characters): it must have at "
            f"least {minimum} characters and 5 different ones. Make one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
        )
    return value


SECRET_KEY = env.str("SECRET_KEY", default="")
# Key for pseudonymising identifiers (keyed hash). Separate from SECRET_KEY so that
# rotating session keys does not change pseudonyms.
PSEUDONYM_KEY = env.str("PSEUDONYM_KEY", default="")
if RELAXED:
    SECRET_KEY = SECRET_KEY or DEMO_SECRET_KEY
    PSEUDONYM_KEY = PSEUDONYM_KEY or DEMO_PSEUDONYM_KEY
else:
    SECRET_KEY = _strong_key("SECRET_KEY", SECRET_KEY, MIN_SECRET_KEY_LENGTH, DEMO_SECRET_KEY)
    PSEUDONYM_KEY = _strong_key(
        "PSEUDONYM_KEY", PSEUDONYM_KEY, MIN_PSEUDONYM_KEY_LENGTH, DEMO_PSEUDONYM_KEY
    )

DATA_DIR = Path(env.str("SABO_DATA_DIR", default=str(Path.cwd() / "data"))).resolve()
# The crime engine's tables kept for every process under DATA_DIR/.cache
# (crime/engine_files.py). Off by default in tests: each test's fresh copy of the demo
# is a new store version, so keeping its tables would cost every such test a second;
# the engine-file tests, the kill tests and the two-server tests turn it on.
CRIME_ENGINE_FILES = env.bool("SABO_CRIME_ENGINE_FILES", default=SABO_MODE != "test")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if SABO_MODE == "test":
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so that its createsuperuser (which validates a --noinput password) replaces
    # Django's: of two apps with a command of the same name, the earlier wins.
    "saferboard.core",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "saferboard.measures",
    "saferboard.strategy",
    "saferboard.crime",
    "saferboard.youthjustice",
    "saferboard.actions",
    "saferboard.meetings",
    "saferboard.panels",
    "saferboard.returns",
    "saferboard.api",
    "saferboard.reports",
    "saferboard.setup",
    # Background work: Django's tasks framework (django-tasks) with its database
    # backend; `saferboard worker` runs the queued tasks (docs/adr/0007-task-queue.md).
    "django_tasks",
    "django_tasks_db",
    "saferboard.tasks",
]

MIDDLEWARE = [
    "saferboard.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Ends over-age sessions before the sign-in check below, and marks responses no-store.
    "saferboard.core.middleware.SessionPolicyMiddleware",
    # Every view needs a signed-in user unless marked login_not_required (issue 23).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferboard.urls"
WSGI_APPLICATION = "saferboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferboard.core.context_processors.navigation",
            ],
            "builtins": ["saferboard.core.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'saferboard.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work is queued in the database (one queue for every app server) and run
# by `saferboard worker` processes; `serve` and `demo` start one beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Called in each new web server process before it takes requests (`saferboard serve`):
# the crime engine's aggregates, so no user's first dashboard pays for building them.
SABO_WARM_UP = ["saferboard.crime.engine.engine"]

# Core depends on no feature app (issue 23): it finds what feature apps supply by name.
# The home page's content, fn(request, partnership) -> template context:
SABO_HOME_CONTEXT = "saferboard.strategy.home.home_context"
# Where a user lands after sign-in without a `next`, fn(user) -> URL, or "" for home:
SABO_LANDING_URL = "saferboard.strategy.home.landing_url"
# The JSON API's error, for a page not found under /api/ (core.views.page_not_found):
SABO_API_ERROR_RESPONSE = "saferboard.api.routes.error_response"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:sign-in"

# Sign-in throttling (django-axes): lock a username from one address after
# repeated failures; the lock lifts by itself.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Beside axes' limit per account and address: failed sign-ins from one address to any
# accounts within AXES_COOLOFF_TIME before the address is paused (password spraying).
SABO_SIGN_IN_ADDRESS_LIMIT = env.int("SABO_SIGN_IN_ADDRESS_LIMIT", default=20)

# Sessions: a sliding 30-minute timeout, closed with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# ... and an absolute lifetime: however active, a session ends this long after sign-in.
SABO_SESSION_MAX_AGE = env.int("SABO_SESSION_MAX_AGE", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not RELAXED:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline script or style except with the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
# Static files are served from the package through WhiteNoise finders: no collectstatic.
STATIC_ROOT = env.str("STATIC_ROOT", default=None)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if RELAXED
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="saferboard@localhost")
# The mail server of the SMTP backend (docs/setting-up.md).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# The address people use to reach this installation, for links in emails.
SABO_BASE_URL = env.str("SABO_BASE_URL", default="").rstrip("/")
if not SABO_BASE_URL and not RELAXED:
    raise ImproperlyConfigured(
        "SABO_BASE_URL is not set. Saferboard needs the address people use to reach it "
        "(e.g. https://saferboard.example.gov.uk) for the links in invitation and "
        "password emails."
    )
# Invitation, sign-in and password links in emails are valid for 24 hours.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "saferboard.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Requests each API token may make (django-ninja throttle syntax).
SABO_API_RATE = env.str("SABO_API_RATE", default="600/m")

# The version of the code that computed a figure is recorded with it.
CODE_VERSION = env.str("SABO_CODE_VERSION", default="")
