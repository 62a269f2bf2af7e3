"""Settings for the ITA Portal, read from the environment.

Variables:
- ``DEBUG``: "1"/"true" turns debug mode on (default off).
- ``SECRET_KEY``: required when DEBUG is off; a development key is used only in debug mode.
- ``DATABASE_URL``: any URL dj-database-url understands; default a SQLite file in the project.
- ``ALLOWED_HOSTS``: comma-separated host names (default localhost names).
- ``S3_BUCKET`` (+ ``S3_ENDPOINT_URL``, ``S3_REGION``, ``AWS_ACCESS_KEY_ID``,
  ``AWS_SECRET_ACCESS_KEY``): keep evidence, published PDFs and task results in an
  S3-compatible bucket instead of the local folders, so several servers share them.
- ``EMAIL_URL``: how mail leaves ("smtp://user:password@host:25", "submission://…:587" for
  STARTTLS, "smtps://…:465", "console:" to print it; default the console in debug mode, else
  the ``EMAIL_HOST``/``EMAIL_PORT``/``EMAIL_HOST_USER``/``EMAIL_HOST_PASSWORD``/``EMAIL_USE_TLS``
  variables), ``DEFAULT_FROM_EMAIL``, and ``PORTAL_URL``: the address messages link to.
- ``ADMINS``: "Name <email>, …" who receive a 500's traceback by e-mail.
- ``LOG_LEVEL``: the portal's log level on stdout (default INFO).
- ``WORKER_MAX_TASKS``: tasks a worker child runs before it is replaced (default 50).
- ``WORKER_PROCESSES``: worker children running tasks at once (default: the number of cores).
The README's "Deploying" section lists the rest.
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from ita_portal.logging_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
            "or DEBUG=1 for a development server."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ita_portal",
    "assessments",
    "measures",
    "members",
    "reports",
    "oit",
    "insights",
    "home",
    "notifications",
]

MIDDLEWARE = [
    # A request id, the user and the organisation on every log line of the request.
    "ita_portal.logs.RequestContextMiddleware",
    # A lost database connection: a read tried once more, then the Thai 503 page, never a 500.
    "ita_portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed names, compressed, cached for a year) before anything else runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session passed a second factor; those who publish, manage members or oversee
    # must have, before any page (members/second_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "members.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account + address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER to read the client's address.

# Content-Security-Policy: everything from this site only; no inline or foreign scripts.
# Inline styles stay allowed: templates use style="" attributes (progress bars, widths) and the
# documents' @page rules sit in a <style> element that WeasyPrint also reads.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "ita_portal.urls"

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
                "notifications.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection dropped by a database restart is replaced, not handed to a request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked":
    # write-ahead logging (readers never block the writer), writes that take the lock when the
    # transaction starts (IMMEDIATE), and up to 20 s of waiting for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
# Our Thai for the form and validation messages Django's own catalogue leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production is served over HTTPS only (manage.py check --deploy reports nothing with these).
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # The load balancer's health check may ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if env_bool("BEHIND_HTTPS_PROXY"):
        # The proxy terminates TLS and says so in this header (it must strip it from clients).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Evidence files uploaded with progress reports: outside static/, served only through a view
# that checks membership of the organisation (measures.views.EvidenceDownloadView).
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", BASE_DIR / "var" / "evidence"))
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "10")) * 1024 * 1024
# All the files of one progress report together, checked before any of them is read.
EVIDENCE_MAX_TOTAL_BYTES = int(os.environ.get("EVIDENCE_MAX_TOTAL_MB", "30")) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Published PDFs (reports.PublishedDocument): written once, read-only, served by the public views.
PUBLISHED_ROOT = Path(os.environ.get("PUBLISHED_ROOT", BASE_DIR / "var" / "published"))
# The garuda printed on the memo (PNG or JPEG).
GARUDA_MAX_BYTES = 512 * 1024
# A signed scan of a memo or an announcement (PDF, JPEG or PNG), checked before it is read whole.
SIGNED_COPY_MAX_BYTES = int(os.environ.get("SIGNED_COPY_MAX_MB", "10")) * 1024 * 1024
# Results files (.xlsx/.csv) for import: 8,300 organisations with every question fit well within these.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "10")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

# --- What is computed once and kept ------------------------------------------------------------
# The overseers' dashboards and the charts, kept under the records' counters of change
# (assessments/revisions.py), so an entry is never served after a write. Shared by every web
# process through files (CACHE_ROOT, default var/cache); nothing else is needed to run it.
CACHE_ROOT = Path(os.environ.get("CACHE_ROOT", BASE_DIR / "var" / "cache"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_ROOT),
        "TIMEOUT": 7 * 24 * 3600,  # an entry out of date is never read (its key is gone) and ages out
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
    }
}

# --- Files: where each kind is kept ----------------------------------------------------------
# Evidence uploaded with progress reports and published PDFs stay outside static/ and are served
# only through the portal's views (membership checked; SHA-256 checked on every public serve).
# Task results (rendered PDFs cached by what their documents are made of, exports) go to "work".
WORK_ROOT = Path(os.environ.get("WORK_ROOT", BASE_DIR / "var" / "work"))


def _filesystem(location, **options) -> dict:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location, "base_url": None, **options},
    }


def _bucket(prefix: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": prefix,
            "default_acl": None,  # the bucket stays private: the portal serves every file itself
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _filesystem(WORK_ROOT / "default"),
    # Hashed and compressed by collectstatic, served by WhiteNoise with a year's cache; the plain
    # storage in debug mode and in tests, which run without collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("PLAIN_STATIC")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def file_storages(evidence: Path, published: Path, work: Path) -> dict:
    """The three private stores: folders on this machine, or prefixes of one bucket (S3_BUCKET)."""
    if os.environ.get("S3_BUCKET"):
        return {"evidence": _bucket("evidence"), "published": _bucket("published"), "work": _bucket("work")}
    return {
        "evidence": _filesystem(evidence, file_permissions_mode=0o640),
        "published": _filesystem(published, file_permissions_mode=0o444, directory_permissions_mode=0o755),
        "work": _filesystem(work, file_permissions_mode=0o640),
    }


STORAGES |= file_storages(EVIDENCE_ROOT, PUBLISHED_ROOT, WORK_ROOT)
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if not DEBUG else 0

# --- Background work: Django's Tasks API (the django-tasks backport) -------------------------
# Tasks are rows in the portal's own database, run by `manage.py run_worker` (make run and make
# serve start it beside the web server): no other server is needed, on SQLite or PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A worker child process runs this many tasks (PDF renders grow WeasyPrint's memory a little
# each time), then exits and run_worker starts a fresh one.
WORKER_MAX_TASKS = int(os.environ.get("WORKER_MAX_TASKS", "50"))
# Worker children running tasks at once: one per core by default, so PDFs asked for together
# are rendered on every core (each child below the web in priority: WORKER_NICE).
WORKER_PROCESSES = int(os.environ.get("WORKER_PROCESSES", str(os.cpu_count() or 1)))
# The worker's niceness on a machine it shares with the web server (0 on a machine of its own).
WORKER_NICE = int(os.environ.get("WORKER_NICE", "10"))
# A running job proves it is alive: the worker renews its heartbeat every JOB_HEARTBEAT_SECONDS;
# one not heard from for JOB_LEASE_SECONDS (its worker killed, the machine restarted) is run
# again where that is safe (a PDF, an export, a link check), at most JOB_MAX_ATTEMPTS times in
# all, and failed with a Thai message otherwise (ita_portal/recovery.py).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", "120"))
# Finished jobs, their result files and the task queue's finished rows are kept this many days
# (ita_portal.scheduled.prune, every night); cached PDFs not asked for in as long are removed too.
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "30"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# How many rows an import may have before its confirmation runs in the background.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "200"))
# How many organisations a year export may hold before it is written in the background.
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "300"))

# --- Logs: one line per event on stdout, with the request's id, user and organisation ---------
ADMINS = [
    (name.strip(), address.strip(" >"))
    for name, _, address in (
        entry.partition("<") for entry in os.environ.get("ADMINS", "").split(",") if entry.strip()
    )
]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "ita-portal@localhost")
_EMAIL_URL = os.environ.get("EMAIL_URL", "console:" if DEBUG else "")
if _EMAIL_URL:
    globals().update(dj_email_url.parse(_EMAIL_URL))
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Seconds: a dead mail server never hangs a request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "15"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"ITA Portal <{SERVER_EMAIL}>")
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# Two-factor sign-in (TOTP) for everyone who may publish, manage members or oversee; off by default
# only in debug mode, where make run's demo logins are tried without a phone.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "ITA Portal"
# Sign-in with a province's or ministry's OpenID Connect provider, offered when the issuer, the
# client id and its secret are all set (README "Signing in with an identity provider"). OIDC_NAME
# is the button's label; OIDC_TIMEOUT bounds each request to the provider, in seconds.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_NAME = os.environ.get("OIDC_NAME", "บัญชีของหน่วยงานต้นสังกัด")
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# The overseer's dashboard (insights.dashboard): how many organisations it lists as the
# largest risers and fallers, how many items as most often below target, and the smallest group
# of organisations whose mean change "did the measures work?" shows (smaller groups show only
# their size: a mean of a handful of agencies says little).
DASHBOARD_MOVERS = int(os.environ.get("DASHBOARD_MOVERS", "10"))
DASHBOARD_ITEMS = int(os.environ.get("DASHBOARD_ITEMS", "10"))
ANALYTICS_MIN_GROUP = int(os.environ.get("ANALYTICS_MIN_GROUP", "20"))

# The OIT link checker (oit.linkcheck): seconds for a connection, a read and the whole
# fetch; the most of a body read (a document's first pages hold its year); seconds between two
# requests to one host. LINKCHECK_ALLOW_LOOPBACK opens 127.0.0.0/8 and ::1 to the checker — for
# the tests' local server only, never on a server: private and internal addresses stay closed.
LINKCHECK_TIMEOUT = float(os.environ.get("LINKCHECK_TIMEOUT", "10"))
LINKCHECK_MAX_MB = int(os.environ.get("LINKCHECK_MAX_MB", "5"))
LINKCHECK_HOST_INTERVAL = float(os.environ.get("LINKCHECK_HOST_INTERVAL", "1"))
LINKCHECK_ALLOW_LOOPBACK = os.environ.get("LINKCHECK_ALLOW_LOOPBACK", "0") == "1"
