"""The one settings file: every difference between installations is an environment variable.

See ``docs/deploy.md`` for the variables a production installation sets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from shangliang.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "template_partials",
    "bootstrap",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "shangliang.core",
    "shangliang.orgs",
    "shangliang.accounts",
    "shangliang.roster",
    "shangliang.proposals",
    "shangliang.opinions",
    "shangliang.meetings",
    "shangliang.duty",
    "shangliang.scale",
    "shangliang.notifications",
    "shangliang.api",
    "shangliang.web",
]

MIDDLEWARE = [
    "shangliang.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shangliang.core.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shangliang.core.middleware.RequestIdMiddleware",
    "shangliang.core.middleware.ContentSecurityPolicyMiddleware",
    "shangliang.accounts.middleware.SessionTimeoutMiddleware",
    "shangliang.accounts.middleware.TwoFactorMiddleware",
    "shangliang.accounts.middleware.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
    "shangliang.core.unavailable.DatabaseUnavailableMiddleware",
]

# Benchmarks only (``make bench``): each response carries its SQL query count.
if env_bool("BENCH_QUERY_COUNT", False):
    MIDDLEWARE.insert(0, "shangliang.scale.middleware.QueryCountMiddleware")

ROOT_URLCONF = "shangliang.urls"
WSGI_APPLICATION = "shangliang.wsgi.application"
ASGI_APPLICATION = "shangliang.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shangliang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shangliang.web.context.navigation",
                "shangliang.notifications.context.notifications",
            ],
        },
    }
]

# --- Database: SQLite by default, PostgreSQL through DATABASE_URL -------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Fail fast (a 503 page) rather than hang when the database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3)
    )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "shangliang.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Accounts and security -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shangliang.accounts.backends.UsernameOrPhoneBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "name", "phone", "email"]},
    },
    {
        "NAME": "shangliang.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shangliang.accounts.passwords.CharacterClassValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shangliang.accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# Count the username and the mobile number of one account as one identifier.
AXES_USERNAME_CALLABLE = "shangliang.accounts.lockout.axes_username"
# A refused attempt during a lockout does not prolong it: the lock lasts what the page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Never copy one-time codes into axes' attempt records (passwords are masked by default).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_VERBOSE = False
# The client address is REMOTE_ADDR, which ClientAddressMiddleware sets behind trusted proxies.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# How many reverse proxies (nginx, a load balancer) stand in front of the app servers.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Lock by account, not by address: a whole county office often shares one NAT address, and
# one person's typos must not lock out colleagues. Addresses are rate-limited at the proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600  # also the longest a login lasts
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
# Staff (any staff role, or a superuser) must enrol in TOTP before using the site.
STAFF_TOTP_REQUIRED = env_bool("STAFF_TOTP_REQUIRED", False)
# Public registration (/accounts/register/): attempts per client address and hour (0: no limit).
REGISTER_RATE_PER_HOUR = env_int("REGISTER_RATE_PER_HOUR", 5)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_MB", 10) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No request body may be larger (413, before it is read): above every upload limit.
MAX_REQUEST_MB = env_int("MAX_REQUEST_MB", 50)
ROSTER_MAX_UPLOAD_MB = env_int("ROSTER_MAX_UPLOAD_MB", 10)

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "shangliang" / "locale"]
FORMAT_MODULE_PATH = ["shangliang.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "shangliang.core.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Background work -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            (
                "django_tasks.backends.immediate.ImmediateBackend"
                if TESTING
                else "django_tasks_db.DatabaseBackend"
            ),
        ),
    }
}
SCHEDULER_INTERVAL_SECONDS = env_int("SCHEDULER_INTERVAL_SECONDS", 30)
# A task still "running" this long after it started is taken to belong to a dead worker and
# is queued again (task bodies are idempotent); see core/jobs.py.
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 900)

# --- Live pages (server-sent events, core/pubsub.py) --------------------------------------
REDIS_URL = env_str("REDIS_URL")
# memory | redis | postgres; empty: redis with REDIS_URL, else postgres on PostgreSQL
LIVE_BACKEND = env_str("LIVE_BACKEND", "memory" if TESTING else "")
LIVE_HEARTBEAT_SECONDS = env_int("LIVE_HEARTBEAT_SECONDS", 15)
LIVE_MAX_SECONDS = env_int("LIVE_MAX_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

OTP_TOTP_ISSUER = "商量 Shangliang"
