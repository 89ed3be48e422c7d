"""Ketenwacht settings: everything comes from the environment, with safe embedded defaults.

Embedded defaults (a fresh laptop, `make run`): SQLite, Celery eager, console e-mail, local
private media folder. Production (`DJANGO_DEBUG=0`) refuses to start without a real
SECRET_KEY, ALLOWED_HOSTS and a real database.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from portal.settings_api import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401 - settings
from portal.settings_auth import *  # noqa: F403 - allauth, MFA and single-sign-on settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused in production below

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
# Rotation: the previous key(s) keep sessions, password-reset and invitation links valid.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'ketenwacht.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent writes (two people saving at once, gunicorn with
    # several workers): write-ahead logging lets readers run while one connection writes;
    # BEGIN IMMEDIATE takes the write lock when a transaction starts, so a transaction never
    # has to upgrade a read lock (SQLite answers that with "database is locked" at once,
    # without waiting); `timeout` is how long a writer waits for the lock. PostgreSQL: unchanged.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# A PostgreSQL read replica for reports (DESIGN §16): report building reads from it, everything
# else uses "default" (portal/core/dbrouter.py). Tests mirror it onto the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPORTS_READ_DATABASE = "replica" if DATABASE_REPLICA_URL else None
DATABASE_ROUTERS = ["portal.core.dbrouter.ReportReplicaRouter"]


def _refuse_insecure_production() -> None:
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY must be set to a random value of at least 40 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names the portal is served on")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
        "ALLOW_SQLITE_IN_PRODUCTION", default=False
    ):
        problems.append("DATABASE_URL must point at PostgreSQL in production")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode (DJANGO_DEBUG=0): " + "; ".join(problems)
        )


if not DEBUG:
    _refuse_insecure_production()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # layer 1: portal core
    "portal.core.accounts",
    "portal.core.audit",
    "portal.core.notifications",
    "portal.core.jobs",
    "portal.core.webhooks",
    "portal.core.sso",
    "portal.core.scim",
    # layers 2-4: domain apps
    "suppliers",
    "suppliers.incidents",
    "questionnaires",
    "questionnaires.csaf",
    "contracts",
    # layer 5: portal top
    "portal.top.dashboards",
    "portal.top.reports",
    "portal.top.demo",
    "portal.top.api",
    "portal.top.privacy",
    "portal.top.daily",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.core.accounts.middleware.UserLanguageMiddleware",
    "portal.core.accounts.middleware.ActiveMembershipMiddleware",
    "portal.core.accounts.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.accounts.context_processors.tenancy",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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

# --- Internationalisation: Dutch by default, English complete -------------------------------
LANGUAGE_CODE = "nl"
# Dates through Django's localisation, in day-month-year order in both languages.
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and private media ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence, documents and reports: never under STATIC_ROOT, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/private-media-is-not-served/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several web nodes share one file store: an S3-compatible bucket (MinIO, Ceph, AWS, a Dutch
# cloud's object storage) when S3_BUCKET is set (`pip install ".[s3]"`). Files stay private:
# no public ACL, and they are still only served through the permission-checked views.
if env.str("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("S3_SSE", default=True)
            else {},
        },
    }
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# CSAF advisories (questionnaires/csaf): limits of one advisory and of the daily feed step.
CSAF_MAX_BYTES = env.int("CSAF_MAX_BYTES", default=2 * 1024 * 1024)
CSAF_MAX_DEPTH = env.int("CSAF_MAX_DEPTH", default=64)
CSAF_FEED_FIRST_DAYS = env.int("CSAF_FEED_FIRST_DAYS", default=30)
CSAF_FEED_MAX_PER_RUN = env.int("CSAF_FEED_MAX_PER_RUN", default=100)
CSAF_FEED_TIMEOUT = env.int("CSAF_FEED_TIMEOUT", default=20)
# Hosts the feeds may read on a private or loopback address (a local mirror, the tests).
CSAF_FEED_ALLOWED_PRIVATE_HOSTS = env.list("CSAF_FEED_ALLOWED_PRIVATE_HOSTS", default=[])
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache (login rate limits live here) ------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://ketenwacht")}
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if (
    not DEBUG
    and CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES
    and not env.bool("ALLOW_LOCAL_CACHE", default=False)
):
    # Sign-in rate limits would be counted per worker process and per node: an attacker gets
    # the limit once for every process. One shared cache (Redis) counts them for all.
    raise ImproperlyConfigured(
        "Refusing to start in production mode (DJANGO_DEBUG=0): CACHE_URL must point at a "
        "shared cache such as redis://… (a per-process cache counts sign-in attempts per "
        "worker); ALLOW_LOCAL_CACHE=1 only for a single-process trial"
    )

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ketenwacht <noreply@ketenwacht.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers a message whose worker died unacknowledged only after this many seconds;
# keep it above the longest task, or a slow task would be started a second time meanwhile.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Queues (DESIGN §16): "reports" (PDF building: slow, CPU-heavy), "mail" (e-mail, in-app
# notices, webhook delivery: many, short, must not wait behind a report) and "default" (the rest:
# the daily run, re-scoring, bulk sending). A worker started without -Q serves all three (the
# small set-up: one worker); at scale `celery worker -Q reports` and `-Q default,mail` (README).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("reports"), Queue("mail")]
# By task name, first match wins; a subscriber of a domain event names its queue itself
# (`subscribe(..., queue="mail")`, portal/core/events.py), which goes before these routes.
CELERY_TASK_ROUTES = {
    "reports.*": {"queue": "reports"},
    "notifications.*": {"queue": "mail"},
    "mail.*": {"queue": "mail"},
    # Webhook delivery: tasks in portal/core/webhooks or named *.deliver_* go to "mail" as well.
    "portal.core.webhooks.*": {"queue": "mail"},
    "webhooks.*": {"queue": "mail"},
    "*.deliver_*": {"queue": "mail"},
}
# The result records which worker ran the task (operations; tests/worker checks the routing).
CELERY_RESULT_EXTENDED = True
CELERY_BEAT_SCHEDULE: dict = {
    "daily-reminders": {
        "task": "portal.daily",
        "schedule": 60 * 60 * 24,
        "options": {"expires": 60 * 60 * 12},
    },
    # Webhook retries that have come due (portal.core.webhooks; queue "mail").
    "webhooks-send-due": {
        "task": "webhooks.send_due",
        "schedule": 30,
        "options": {"expires": 30, "queue": "mail"},
    },
    "clean-spreadsheet-uploads": {
        "task": "questionnaires.clean_spreadsheet_uploads",
        "schedule": 60 * 60 * 24,
        "options": {"expires": 60 * 60 * 12},
    },
}

# --- Webhooks ------------------------------------------------------------------------------------
# Endpoints on private, loopback or link-local addresses are refused (checked after DNS
# resolution) unless their host name is listed here; with DJANGO_DEBUG=1 loopback is allowed.
WEBHOOK_ALLOWED_PRIVATE_HOSTS = env.list("WEBHOOK_ALLOWED_PRIVATE_HOSTS", default=[])

# --- Sessions and security headers ---------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- allauth and single sign-on: portal/settings_auth.py ---------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.core.logjson.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if env.str("LOG_FORMAT", default="text") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=True)
API_TOKEN_LIFETIME = timedelta(days=env.int("API_TOKEN_LIFETIME_DAYS", default=365))
