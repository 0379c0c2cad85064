"""One settings module, configured by environment variables.

Every default makes `xinyong run` work with nothing set: SQLite (WAL) in
`XINYONG_DATA_DIR` (default `./var`). Set `DATABASE_URL` for PostgreSQL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from xinyong.core.env import env_bool, env_int, env_networks

BASE_DIR = Path(__file__).resolve().parent


DATA_DIR = Path(os.environ.get("XINYONG_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key comes from the environment; otherwise one is made once per data dir.

    No secret ever lives in the repository.
    """
    if key := os.environ.get("XINYONG_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _data_key_file() -> Path:
    """The data key (`core.crypto`: resident IDs, rejected rows, stored uploads)
    comes from `XINYONG_DATA_KEY`; otherwise one is made once per data dir, in
    the file `data_key` (mode 0600), as the secret key is. See docs/deploy.md."""
    from xinyong.core.crypto import ensure_key_file

    path = DATA_DIR / "data_key"
    if not os.environ.get("XINYONG_DATA_KEY"):
        ensure_key_file(path)
    return path


DATA_KEY_FILE = _data_key_file()
DEBUG = env_bool("XINYONG_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("XINYONG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# The portal's public address, for links printed where no request is at hand (a report's QR code).
PUBLIC_URL = os.environ.get("XINYONG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("XINYONG_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    # Before django.contrib.auth: its `createsuperuser` (password validators in
    # --noinput too) is the one that runs.
    "xinyong.orgs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own copy of Swagger UI (`ninja/static/`): the API docs page loads its
    # scripts and styles from this site, not from a CDN.
    "ninja",
    "axes",
    "xinyong.core",
    "xinyong.catalog",
    "xinyong.subjects",
    "xinyong.records",
    "xinyong.ingest",
    "xinyong.lists",
    "xinyong.sanctions",
    "xinyong.rights",
    "xinyong.reports",
    "xinyong.exchange",
    "xinyong.oversight",
    "xinyong.integrity",
    "xinyong.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "xinyong.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xinyong.orgs.middleware.AgencyScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xinyong.core.middleware.PermissionsPolicyMiddleware",
    "xinyong.core.middleware.ApplicationErrorMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xinyong.urls"
WSGI_APPLICATION = "xinyong.wsgi.application"

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


def _database() -> dj_database_url.DBConfig | dict[str, object]:
    """What `DATABASE_URL` says (dj-database-url's typed dict), or the embedded SQLite."""
    if url := os.environ.get("DATABASE_URL"):
        db = dj_database_url.parse(url, conn_max_age=env_int("XINYONG_CONN_MAX_AGE", 60))
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db.setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
        elif db["ENGINE"] == "django.db.backends.postgresql":
            # Bind parameters on the server: client-side binding quotes every
            # value in Python, which dominates a bulk import's time.
            options = db.setdefault("OPTIONS", {})
            options.setdefault("server_side_binding", True)
            # Statements run five times on a connection are prepared on the
            # server: the portal's few statement shapes are then parsed once
            # per worker (measured: bench/README.md).
            # Behind PgBouncer in transaction mode, set XINYONG_PG_PREPARE=0.
            # Searches are never prepared (core.db Dialect.fetch_unprepared): a generic
            # plan of `name_key LIKE $2` reads the whole table.
            threshold = env_int("XINYONG_PG_PREPARE", 5)
            options.setdefault("prepare_threshold", threshold or None)
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "xinyong.sqlite3",
        "OPTIONS": _SQLITE_OPTIONS,
        # Keep each worker's connection, and with it SQLite's page cache: a
        # connection per request starts every search from a cold cache.
        "CONN_MAX_AGE": env_int("XINYONG_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }


# WAL lets readers (the portal) run while one writer (an import) commits;
# IMMEDIATE transactions avoid "database is locked" on lock upgrades.
_SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; "
        # A 64 MB page cache: at a million records the
        # indexes no longer fit SQLite's default 2 MB cache.
        "PRAGMA cache_size=-65536;"
    ),
    "transaction_mode": "IMMEDIATE",
}

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (imports, the daily job): Django's tasks framework on its
# database backend, so the queue needs no server beyond the database; run
# `xinyong worker` (`xinyong run` starts one). On Django 6 the backend is the
# same and "django_tasks" leaves INSTALLED_APPS. XINYONG_TASKS_BACKEND names
# another backend, e.g. django_tasks.backends.immediate.ImmediateBackend to
# run every task at once in the process that enqueues it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("XINYONG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "orgs.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out (account, IP) before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling on the staff login and the admin (issue 12): 5 failures of one
# account from one address lock that pair out for 15 minutes; a correct password
# during the lockout fails too. `xinyong axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lockout runs from the fifth failure; tries during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The same address as the audit log: X-Forwarded-For only from XINYONG_TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "xinyong.core.audit.client_ip"
# The Chinese lockout page (orgs/locked_out.html), 429.
AXES_LOCKOUT_CALLABLE = "xinyong.orgs.views.locked_out"
# Failures and lockouts go to the audit log (orgs/signals.py), not to axes' own access log.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "orgs:staff_home"
LOGOUT_REDIRECT_URL = "orgs:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("XINYONG_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("XINYONG_MEDIA_ROOT", DATA_DIR / "media"))
# The public CSV files (records.exports), built by the worker, served by the portal's
# views; outside the web root. Every web server and worker must see the same data dir.
EXPORTS_DIR = Path(os.environ.get("XINYONG_EXPORTS_DIR", DATA_DIR / "exports"))

# Notices (orgs.notices) go by email: the console unless XINYONG_EMAIL_BACKEND and the
# XINYONG_EMAIL_* settings say otherwise; tests collect them in django.core.mail.outbox.
EMAIL_BACKEND = os.environ.get(
    "XINYONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("XINYONG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("XINYONG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("XINYONG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("XINYONG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("XINYONG_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("XINYONG_EMAIL_FROM", "xinyong@localhost")
# Serve static files from the apps directly, so `xinyong run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# A staff session ends when the browser closes, and after 12 hours at the latest.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Objections (异议, issue 14, DOMAIN §7): deadlines in working days, and how many
# applications one client address may file per hour without an account.
XINYONG_OBJECTION_ACCEPT_WORKDAYS = env_int("XINYONG_OBJECTION_ACCEPT_WORKDAYS", 2)
XINYONG_OBJECTION_VERIFY_WORKDAYS = env_int("XINYONG_OBJECTION_VERIFY_WORKDAYS", 10)
XINYONG_OBJECTION_REPLY_WORKDAYS = env_int("XINYONG_OBJECTION_REPLY_WORKDAYS", 15)
# Applicants' attachments, encrypted, outside the web root (never under MEDIA_ROOT).
# The exchange with the provincial platform (exchange app): the one endpoint
# messages go to (https; unset = service mode off, files only), attempts
# before a message is dead, the backoff's base and cap in seconds; http to
# 127.0.0.1 only with XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP=1 (tests, the simulator).
XINYONG_EXCHANGE_URL = os.environ.get("XINYONG_EXCHANGE_URL", "")
XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = env_bool("XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP", False)
XINYONG_EXCHANGE_ATTEMPTS = env_int("XINYONG_EXCHANGE_ATTEMPTS", 8)
XINYONG_EXCHANGE_BACKOFF_MS = env_int("XINYONG_EXCHANGE_BACKOFF_MS", 30_000)
XINYONG_EXCHANGE_BACKOFF_MAX_MS = env_int("XINYONG_EXCHANGE_BACKOFF_MAX_MS", 6 * 3600_000)
XINYONG_EXCHANGE_TIMEOUT = env_int("XINYONG_EXCHANGE_TIMEOUT", 30)
XINYONG_EXCHANGE_FILES = Path(os.environ.get("XINYONG_EXCHANGE_FILES", DATA_DIR / "exchange"))
XINYONG_PRIVATE_ROOT = Path(os.environ.get("XINYONG_PRIVATE_ROOT", DATA_DIR / "private"))
XINYONG_OBJECTION_RATE = env_int("XINYONG_OBJECTION_RATE", 5)
XINYONG_OBJECTION_SUBJECT_DAILY = env_int("XINYONG_OBJECTION_SUBJECT_DAILY", 10)
# 遗忘 (issue 14 §7): negative records are deleted this many years after the conduct or
# penalty ended (per item: records.RetentionRule), a chunk per transaction.
XINYONG_RETENTION_YEARS = env_int("XINYONG_RETENTION_YEARS", 5)
XINYONG_PURGE_CHUNK = env_int("XINYONG_PURGE_CHUNK", 500)
# 知情: how long an access code issued after checking an authorisation letter stays valid.
XINYONG_DISCLOSURE_CODE_DAYS = env_int("XINYONG_DISCLOSURE_CODE_DAYS", 7)

# Behind HTTPS in production: XINYONG_HTTPS=1 turns on secure cookies, HSTS
# and the redirect to https (`xinyong check --deploy` passes with it).
_HTTPS = env_bool("XINYONG_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("XINYONG_SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _HTTPS
# A load balancer probes /healthz over plain HTTP: never redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = False
# Joining the browsers' HSTS preload list is the deployer's decision, not ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
# Reverse proxies whose X-Forwarded-For the audit log believes (core.audit.client_ip).
TRUSTED_PROXIES = env_networks("XINYONG_TRUSTED_PROXIES")
# Per-address rate limits on the public site's costly paths (core.ratelimit): rule name →
# (requests, per seconds); 0 requests turns a rule off, XINYONG_RATE_LIMITS=off all of
# them (the benchmarks, whose load comes from one address, do). The address is the audit
# log's (XINYONG_TRUSTED_PROXIES).
RATE_LIMITS: dict[str, tuple[int, int]] = (
    {
        "search": (env_int("XINYONG_RATE_SEARCH_PER_MINUTE", 60), 60),
        "open_data": (env_int("XINYONG_RATE_API_PER_MINUTE", 120), 60),
        "download": (env_int("XINYONG_RATE_DOWNLOADS_PER_HOUR", 30), 3600),
    }
    if env_bool("XINYONG_RATE_LIMITS", True)
    else {}
)
# On SQLite the counters every process shares live in a file of their own (the main
# database's one write lock belongs to an import for its whole length); on PostgreSQL in
# the table core_ratecount.
RATE_LIMIT_FILE = DATA_DIR / "ratelimit.sqlite3"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): everything from this site, no inline script or
# style anywhere (templates use classes and static files), no plugins, no framing. The
# API docs (django-ninja's local Swagger UI) load their assets from /static/ too; Swagger
# UI draws a few images as data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): no page uses any of these.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XINYONG_LOG_LEVEL", "WARNING")},
}
