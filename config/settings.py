"""Settings for Drafting, read from the environment.

Local use needs nothing set: SQLite in the project folder, DEBUG on, a development secret key.
Production switches on by setting DEBUG=false with SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name, default):
    # A typo must stop the start, not mean False: SESSION_COOKIE_SECURE=ture would quietly send cookies in clear.
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off "
        "(any case), or leave it empty for the default."
    )


def envint(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a whole number; leave it empty for the default ({default})."
        ) from None


def envlist(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV_SECRET_KEY
# Or read from a file (a container secret; `make run` and `make serve` generate .secret_key once), so the key is in no command line.
if os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "drafting.admin_site.DraftingAdminConfig",  # the read-only admin site (drafting/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` then leaves static files to WhiteNoise, with DEBUG on or off alike.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # the RQ workers' commands (rqworker, rqstats) for RQ_BACKEND; its admin pages are not ours
    "django_tasks_rq",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drafting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files and the favicon, served before anything asks for a login (as the README's `make run` does).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Marks request.user verified when this session passed the second step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # A logged-in account that is not an active member of the group sees nothing.
    "drafting.middleware.MembershipMiddleware",
    # After the password, the second step (or enrolment, for the roles that must use it) before anything else.
    "drafting.middleware.TwoFactorMiddleware",
    # The interface language: the member's stored choice, else the language cookie, else LANGUAGE_CODE. After the
    # membership gate, which finds the member, and before anything that renders a page.
    "drafting.middleware.LanguageMiddleware",
    # Where each member is signed in (browser, address, last activity), for "Your sessions".
    "drafting.middleware.SessionRecordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After AuthenticationMiddleware: it reads request.user to attribute history rows.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the "try again later" page.
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
                "drafting.context_processors.membership",
            ],
        },
    },
]

# SQLite is the zero-set-up default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # A new connection per request was ~70% of a simple page's time on PostgreSQL (108 -> 390 requests/s
        # with 60 s); the health check replaces a connection the database closed instead of failing a request.
        conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=envbool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so parallel requests wait instead of
    # failing with "database is locked"; SQLite has no row locks (select_for_update is a no-op).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # A named test database: in-memory SQLite is flaky with live_server (pytest-django #1197).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling with django-axes: maintained (Jazzband), hooks into Django's own authenticate() so every
# sign-in path is covered, keeps its counters in the database (shared by all workers, no cache needed), and
# can lock by account and by address at once. Its backend must come first; it refuses authenticate() calls
# that carry no request, so tests sign in with force_login or through the login form.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(seconds=envint("LOGIN_LOCKOUT_SECONDS", 15 * 60))
# Either trigger locks: many failures for one account (from anywhere), or from one address (any account).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures are forgotten only after the whole sign-in (password and, where needed, code) succeeds, which
# drafting/two_factor.py does itself: wrong passwords and wrong codes count together across password entries.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The audit page reads our own SignInEvent rows (drafting/signals.py); axes keeps only its counters, which an
# operator may reset to unlock someone without erasing the record of what happened.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
if envbool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = envint("TLS_PROXY_COUNT", 1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor sign-in (django-otp): members of these roles must enrol an authenticator app before anything
# else; any member may enrol. The issuer is the name authenticator apps show beside the code.
# "none" lists no role. A misspelt role would quietly spare that role the second step, so it stops the start.
TWO_FACTOR_ROLES = [role.lower() for role in envlist("TWO_FACTOR_ROLES", ["admin", "reviewer"]) if role.lower() != "none"]
if set(TWO_FACTOR_ROLES) - {"drafter", "reviewer", "admin"}:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_ROLES={os.environ.get('TWO_FACTOR_ROLES')!r}: name roles among drafter, reviewer and admin "
        "(comma-separated), or none."
    )
TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Drafting")
OTP_TOTP_ISSUER = TWO_FACTOR_ISSUER

# Invitation and password links (Django's token machinery): valid 72 hours, and single use because the
# token covers the password hash, which setting a password changes.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_LINK_SECONDS", 72 * 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "document_list"
LOGOUT_REDIRECT_URL = "login"

# The interface languages, each named in itself (as a language switcher shows them).
LANGUAGES = [("az", "Azərbaycanca"), ("en", "English")]
# The deployment's default language: a member who chose none, and anyone before signing in, reads the interface
# in it (drafting/middleware.py: LanguageMiddleware); never the browser's Accept-Language.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "").strip() or "az"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not an interface language: use one of {', '.join(dict(LANGUAGES))}."
    )
# Dates in each language's own words: "5 dekabr 2026, 14:30" in Azerbaijani, "5 Dec 2026, 14:30" in English.
FORMAT_MODULE_PATH = ["drafting.formats"]
# The choice of a visitor not signed in; a year, as a member's stored choice is kept until changed.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Baku")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves the app's static files straight from the apps (no collectstatic step to forget) and the
# files browsers ask for at the root of the site (/favicon.ico).
WHITENOISE_USE_FINDERS = True
# STATIC_ROOT exists only after a collectstatic (a deployment may run one); until then WhiteNoise need not say so.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
WHITENOISE_ROOT = BASE_DIR / "drafting" / "site_root"

# Sessions end after inactivity (seconds; default 8 hours) and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Production hardening follows from DEBUG being off; each can still be overridden from the environment.
SECURE = not DEBUG
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SECURE)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): only our own files may run or style the page, so an injected
# <script>, style= or onclick= does nothing. Templates therefore carry no inline script, style or handler;
# htmx is a static file, and base.html tells it not to inject its indicator styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# History: a composite (history_date, id) index makes as_of() reads of a whole document fast, and
# reverting from the admin is off because changes to the text go through amendments.
SIMPLE_HISTORY_DATE_INDEX = "Composite"
SIMPLE_HISTORY_REVERT_DISABLED = True

# Upper bound on one form submission (1 MB by default). The largest legitimate one, an amendment at every
# limit (26,000 characters, even if each were a 4-byte character sent percent-encoded as 12 bytes), is about
# 312 KB. A larger post is refused before it is read, with a page naming this limit (drafting/views/errors.py);
# below it, each form refuses an over-long field with a message beside it and the text kept.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("MAX_POST_BYTES", 1024 * 1024)
# The most pages one PDF with line numbers holds (drafting/line_numbers.py): it is made in the request, at about
# 0.07 s a page; a longer text is offered in parts of this many pages, numbered as the whole.
PDF_MAX_PAGES = envint("PDF_MAX_PAGES", 100)
# The largest Word file the import and the tracked-changes upload accept (5 MB): an official text without
# pictures is a few hundred KB. Uploaded files wait for their confirmation in HELD_FILES_DIR (default: a folder
# under the system's temporary folder; it must be shared by every web process), an hour at most.
WORD_IMPORT_MAX_BYTES = envint("WORD_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
HELD_FILES_DIR = os.environ.get("HELD_FILES_DIR", "").strip()

# Rendered fragments (outline, comparison, what-if, redlines) are cached under immutable keys built from history
# ids (drafting/fragments.py), so nothing is ever invalidated; entries only age out. Local memory per process by
# default; with REDIS_URL (redis://127.0.0.1:6379/0) one Redis shared by every web process and server.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_SECONDS = envint("CACHE_SECONDS", 7 * 24 * 60 * 60)
# Whole pages cached per reader and browser (drafting/page_cache.py) are superseded by any change to the document:
# kept a quarter of an hour, not a week, so a busy day's pages do not pile up in the cache.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 15 * 60)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "TIMEOUT": CACHE_SECONDS, "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "drafting")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": CACHE_SECONDS,
                          # The what-if page caches a fragment per row: room for a 10,000-clause draft and the rest.
                          "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 30000)}}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "drafting@localhost")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# Email is a queued task (drafting/tasks.py), stored in the database and sent by `manage.py db_worker`, so a
# restart of the web process loses none. django_tasks.backends.immediate.ImmediateBackend sends from the web
# process instead (no worker needed; the tests use it). RQ_BACKEND keeps the queue in Redis (TASKS_REDIS_URL,
# else REDIS_URL), worked by `manage.py rqworker`: chosen only by naming it, never by REDIS_URL alone, because a
# Redis that keeps nothing on disk (as these machines' does) would lose queued email on a restart.
# `manage.py task_worker` starts whichever worker the backend needs.
RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip() or "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "").strip() or REDIS_URL
if TASKS_BACKEND == RQ_BACKEND and not TASKS_REDIS_URL:
    raise ImproperlyConfigured(f"TASKS_BACKEND={RQ_BACKEND} needs TASKS_REDIS_URL or REDIS_URL (redis://host:6379/N).")
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}
# django-rq's admin pages (and their JSON statistics, which answer without the admin's sign-in) would let an
# operator delete or requeue email; `manage.py rqstats` shows the queues instead.
RQ_SHOW_ADMIN_LINK = False
# The address links in emails start with (no trailing slash needed).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The hour (0-23, in TIME_ZONE) after which the daily digests, and on Mondays the weekly ones, go out.
DIGEST_HOUR = envint("DIGEST_HOUR", 7)
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR}.")
# The markings an admin may give a document (shown on every page of it and on every export), separated by "|"
# because a marking may itself hold a comma. A document has none until an admin chooses one.
DOCUMENT_MARKINGS = [
    item.strip() for item in os.environ.get("DOCUMENT_MARKINGS", gettext_noop("For official use only")).split("|")
    if item.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes logs every successful sign-in at INFO; the audit page has those, so keep its warnings only.
    # WeasyPrint reports each step of every PDF at INFO: its warnings only.
    "loggers": {"django.server": {"level": "INFO"}, "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}
