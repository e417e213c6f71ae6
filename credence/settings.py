"""Credence settings: one module, configured from the environment.

Development needs nothing set: SQLite, DEBUG on, a throwaway key. Production
(CREDENCE_ENV=production) refuses to start without SECRET_KEY and ALLOWED_HOSTS,
because a silently insecure default is worse than a crash at boot, and turns on
HTTPS only (SSL redirect, secure cookies, HSTS) so that `manage.py check --deploy`
passes. Every mode sends a Content-Security-Policy and rate-limits logins.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when CREDENCE_ENV=production")
    return value


def env_positive(name, default):
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}")
    return value


# SQLite options every process needs, whichever variable names the file. WAL lets
# reviewers read while one of them writes; IMMEDIATE transactions take the write
# lock up front so two writers queue on busy_timeout instead of failing with
# "database is locked".
SQLITE_BUSY_SECONDS = 20


def sqlite_database(path):
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_SECONDS,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000};"
            ),
        },
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        # A file, not :memory:, so threaded tests share one real database;
        # one per process, so parallel test runs do not trample each other.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"credence-test-{os.getpid()}.sqlite3")},
    }


def database_settings(environ):
    """DATABASES from DATABASE_URL, else SQLITE_PATH, else db.sqlite3 beside manage.py.

    A sqlite:/// URL gets exactly the options SQLITE_PATH gets (without them
    three reviewers saving at once got "database is locked"). PostgreSQL
    connections persist for a minute and are checked before each request
    reuses one, so a connection the server dropped is replaced instead of
    answering that request with a server error.
    """
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return {"default": sqlite_database(environ.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3")}
    try:
        parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL ({exc})") from None
    engine = parsed.get("ENGINE")
    if engine == "django.db.backends.sqlite3":
        if parsed["NAME"] in ("", ":memory:"):
            raise ImproperlyConfigured(
                "DATABASE_URL names no SQLite file; write sqlite:////absolute/path/db.sqlite3"
            )
        return {"default": sqlite_database(parsed["NAME"])}
    if engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL must name a PostgreSQL or SQLite database, not {engine}"
        )
    return {"default": parsed}


PRODUCTION = env("CREDENCE_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in env_required("ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = env_bool("DEBUG", False)
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = [
        h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    ]
    DEBUG = env_bool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tables2",
    "axes",
    "simple_history",
    "corpus",
    "annotate",
    # Background jobs (annotate.jobs): django-tasks defines tasks, django-tasks-db keeps
    # them in this database (no broker to run) and runs them with `manage.py db_worker`.
    # annotate.jobs is listed before django_tasks_db so that its db_worker, which first
    # settles jobs a killed worker left running (mark_stale), is the one manage.py runs.
    "annotate.jobs",
    "django_tasks",
    "django_tasks_db",
    # The REST API (annotate.api): Django REST Framework, its OpenAPI schema and docs page
    # (drf-spectacular), with the docs page's scripts served from here (sidecar), not a CDN.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "credence.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change that django-simple-history keeps (campaigns, schemes,
    # memberships, claims), whether the change came from the admin or a page's service.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the login view's outcome and turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "credence.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "credence.wsgi.application"

# SQLite unless DATABASE_URL says otherwise; see database_settings().
DATABASES = database_settings(os.environ)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "annotate:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Uploaded corpora can be large; the importer streams from a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Imports. The admin's upload form stores the file and a background job imports it, so
# the request only has to receive the upload. The limit stays: the worker reads a file
# whole (bench/import_corpus.py imported 30 MB in 29 s on an idle 2-core machine and
# 32.8 MB in 102 s at load average 5.4). Larger files go through `manage.py
# import_corpus`. --timeout GUNICORN_TIMEOUT_SECONDS still covers a slow upload.
GUNICORN_TIMEOUT_SECONDS = 300
CREDENCE_MAX_UPLOAD_MB = env_positive("CREDENCE_MAX_UPLOAD_MB", 25)
# One document longer than this is refused with its file and line: a 5 MB line
# became 80,645 passages no reviewer could read. 500,000 characters is about
# 80,000 words, several times the longest feature article.
CREDENCE_MAX_DOCUMENT_CHARS = env_positive("CREDENCE_MAX_DOCUMENT_CHARS", 500_000)

# Background jobs (annotate.jobs). Every environment, tests included, queues tasks in the
# database as production does: a job's row and its task's row are written in one
# transaction, so a worker never meets a task whose job is not committed, nor a job whose
# task was lost. Tests run the queued tasks in this process with the worker's own code
# (tests/annotate/jobs/support.py: db_worker's Worker.run_task) and once with a real
# `manage.py db_worker` process. The immediate backend is not used: it would run a job
# inside the request that asked for it, which is what jobs are for avoiding.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job whose worker has given no sign of life (a progress report) for this long
# is taken for dead: queued once more, then failed (annotate.jobs.services.mark_stale).
CREDENCE_JOB_STALE_SECONDS = env_positive("CREDENCE_JOB_STALE_SECONDS", 120)
# Uploads wait here, written in chunks, until their import job has run; a worker must see
# the same folder as the web server.
CREDENCE_JOB_FILES = Path(env("CREDENCE_JOB_FILES") or BASE_DIR / "var" / "jobs")
# The admin's Import documents form (corpus) hands its upload to this function, which
# stores it and queues the import job: configured here, because the corpus app never
# imports annotate.
CREDENCE_CORPUS_IMPORT_JOB = "annotate.jobs.uploads.enqueue_corpus_upload"
# The Agreement page and the per-outlet report of a campaign with at most this many
# annotations are computed inside the request, as before (726 annotations: 0.12 s and
# 0.08 s on a 2-core machine); a larger campaign's come from a cache kept at its data
# version and refreshed by a background job (annotate.jobs.cache). 0: always the cache.
CREDENCE_INLINE_ANNOTATIONS = env_int("CREDENCE_INLINE_ANNOTATIONS", 5000)

# How long a passage handed out by "next passage" stays reserved for a reviewer.
CREDENCE_CLAIM_MINUTES = env_int("CREDENCE_CLAIM_MINUTES", 30)

# Reverse proxies in front of the app (nginx, a load balancer) that terminate TLS,
# set X-Forwarded-Proto and append the client's address to X-Forwarded-For. 0 means
# the app faces clients directly, so those headers are forged by whoever sent them
# and are ignored.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Headers sent in every mode (Django's defaults, spelt out so a change is deliberate).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy on every response (credence.csp), development included so
# that tests and developers meet the same policy as production: scripts and styles
# only from our own static files, no inline <script>, style="" or on*= handlers.
# Named apart from Django 6's SECURE_CSP so an upgrade does not silently double it.
CREDENCE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # One year or more: browsers then refuse plain HTTP to this host for that long.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # "preload" only permits submitting the domain to the browsers' preload list;
    # turn it off if the domain must be able to leave HTTPS-only within a year.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]

# Login rate limiting (django-axes). Failures are counted per user name *and*
# client address together, in the database so that every gunicorn worker sees
# the same count; the limit-th failure locks that pair for the cool-off, and one
# success clears its count. Locking the pair (not the account alone) means a
# stranger cannot lock a colleague out by typing wrong passwords for their name.
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "credence.login_limits.client_ip"
AXES_USERNAME_CALLABLE = "credence.login_limits.username_key"
AXES_LOCKOUT_CALLABLE = "credence.login_limits.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= timedelta(0):
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be 1 or more")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Configuration and claims history (django-simple-history). The admin shows each
# change, when and by whom; it never reverts one, because a revert would save the old
# row without the services' rules (new reviewer slots, queue re-sequencing).
SIMPLE_HISTORY_REVERT_DISABLED = True

# REST API (annotate.api). Personal tokens (hashed) or the browser session; every request
# must be authenticated, and the views apply the pages' own access rules on top. Errors
# are JSON with a message (annotate.api.errors); lists page by cursor.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotate.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable pages use inline scripts and styles, which the site's
    # Content-Security-Policy refuses; /api/docs/ is the browsable documentation.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotate.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Credence API",
    "DESCRIPTION": "Campaigns, annotations, agreement, reports and claims. Authenticate with "
    "a personal token from your API tokens page: 'Authorization: Bearer cred_…'.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
