"""Django settings for Yigong: one file, driven by the environment (see README, Configuration)."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from yigong.config.env import env_bool, env_list, env_str, local_secrets, yigong_home

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or env_bool("YIGONG_TESTING")
if TESTING and not os.environ.get("YIGONG_HOME"):
    # Tests never write into the working tree's ./yigong-data.
    # One home per checkout, so that several work trees can run their tests at once.
    _tree = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
    os.environ["YIGONG_HOME"] = os.path.join(tempfile.gettempdir(), f"yigong-test-{os.getuid()}-{_tree}")
YIGONG_HOME = yigong_home()

_local = local_secrets(YIGONG_HOME)
SECRET_KEY = env_str("SECRET_KEY") or _local["SECRET_KEY"]
FIELD_ENCRYPTION_KEY = env_str("YIGONG_FIELD_KEY") or _local["FIELD_ENCRYPTION_KEY"]
FIELD_HASH_KEY = env_str("YIGONG_HASH_KEY") or _local["FIELD_HASH_KEY"]
CERTIFICATE_SIGNING_KEY = env_str("YIGONG_CERT_KEY") or _local["CERTIFICATE_SIGNING_KEY"]
# Earlier signing keys, kept after a rotation so that certificates they signed still verify.
YIGONG_CERTIFICATE_OLD_KEYS = env_list("YIGONG_CERT_OLD_KEYS", [])

DEBUG = env_bool("YIGONG_DEBUG", False)
ALLOWED_HOSTS = env_list("YIGONG_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("YIGONG_CSRF_TRUSTED_ORIGINS", [])
SECURE = env_bool("YIGONG_SECURE", False)  # behind HTTPS in production

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
    "django_tasks",
    "django_tasks_db",
    "yigong.core",
    "yigong.accounts",
    "yigong.regions",
    "yigong.organizations",
    "yigong.volunteers",
    "yigong.projects",
    "yigong.activities",
    "yigong.attendance",
    "yigong.ledger",
    "yigong.notifications",
    "yigong.archive",
    "yigong.demo",
    "yigong.certificates",
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
    "django_htmx.middleware.HtmxMiddleware",
    "yigong.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "yigong.config.urls"
WSGI_APPLICATION = "yigong.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yigong.core.context_processors.platform",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if db["ENGINE"] == "django.db.backends.postgresql":
            db.setdefault("TEST", {})["NAME"] = env_str("YIGONG_TEST_DB_NAME") or None
            if not db["TEST"]["NAME"]:
                del db["TEST"]["NAME"]
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": YIGONG_HOME / "yigong.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        # Tests use a file database so that threads and live servers share it.
        "TEST": {"NAME": str(YIGONG_HOME / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yigong.accounts.backends.PhoneOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at full cost makes thousands of test users slow; the algorithm stays the same.
    PASSWORD_HASHERS = ["yigong.accounts.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "volunteers:me"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list = []  # each app keeps its own locale/ beside its code
LANGUAGE_COOKIE_NAME = "yigong_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = YIGONG_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": YIGONG_HOME / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Background tasks (notifications, exports): "immediate" runs them in the request (embedded default,
# tests); "database" queues them for `yigong manage db_worker` processes (production; docs/NOTIFICATIONS.md).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
YIGONG_TASKS_BACKEND = env_str("YIGONG_TASKS_BACKEND", "immediate")
if YIGONG_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"YIGONG_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {YIGONG_TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[YIGONG_TASKS_BACKEND]}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str("YIGONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Notifications' channels (docs/NOTIFICATIONS.md): SMTP for the smtp email backend, an SMS backend class.
DEFAULT_FROM_EMAIL = env_str("YIGONG_EMAIL_FROM", "noreply@localhost")
EMAIL_HOST = env_str("YIGONG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("YIGONG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("YIGONG_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("YIGONG_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("YIGONG_EMAIL_TLS", False)
YIGONG_SMS_BACKEND = env_str("YIGONG_SMS_BACKEND", "yigong.notifications.channels.ConsoleSmsBackend")
YIGONG_SITE_URL = env_str("YIGONG_SITE_URL").rstrip("/")  # makes links in email and SMS absolute

# Domain settings (district-wide defaults; the district office can override some in the database).
YIGONG_DISTRICT_CODE = env_str("YIGONG_DISTRICT_CODE", "440307")
YIGONG_PRIVACY_NOTICE_VERSION = "2026-11"
YIGONG_CHILD_PRIVACY_NOTICE_VERSION = "2026-11-child"
YIGONG_LOGIN_MAX_FAILURES = 5
YIGONG_LOGIN_WINDOW_SECONDS = 15 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "yigong.core.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"yigong": {"level": "INFO"}},
}

NINJA_PAGINATION_PER_PAGE = 50
