"""Ducha settings. Everything that differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ducha.core.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DUCHA_DEBUG", False)
# With DEBUG on, answer a missing or out-of-scope page with the project's 404 page instead
# of Django's technical one (the demo sets it; ducha/core/error_pages.py).
DUCHA_STYLED_ERRORS = env_bool("DUCHA_STYLED_ERRORS", False)
# The fallback key is published with the source, so it serves only a development machine
# (debug on); anything else must be given its own key and its own host names rather than
# start on guesses. Tests run with tests/settings.py, which sets both.
SECRET_KEY = env_str("DUCHA_SECRET_KEY", "django-insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DUCHA_SECRET_KEY is not set. With DUCHA_DEBUG off the server needs a secret key of "
        "its own (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env_list("DUCHA_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DUCHA_ALLOWED_HOSTS is not set. With DUCHA_DEBUG off name the host names the server "
        "answers to, separated by commas (e.g. ducha.example.gov.cn)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DUCHA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    # Two-factor login (docs/security.md): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ducha.core",
    "ducha.orgs",
    "ducha.accounts",
    "ducha.accounts.keys",
    "ducha.notices",
    "ducha.notices.delivery",
    "ducha.problems",
    "ducha.problems.rollups",
    "ducha.fieldwork",
    "ducha.matters",
    "ducha.referrals",
    "ducha.suggestions",
    "ducha.resumption",
    "ducha.policies",
    "ducha.reportforms",
    "ducha.accountability",
    "ducha.cadres",
    "ducha.reports",
    "ducha.daily",
    "ducha.documents",
    "ducha.ledger",
    "ducha.audit",
    "ducha.sweeps",
    "ducha.search",
    "ducha.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads: where this request's reads go (DUCHA_REPLICA_URL).
    "ducha.core.replica_middleware.ReplicaRoutingMiddleware",
    "ducha.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # zh-Hant pages show names and titles in traditional script too (ducha/core/hant.py).
    "ducha.core.hant.TraditionalScriptMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ducha.api.errors.JsonMethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ducha.core.middleware.PrivateResponsesMiddleware",
    # Records 403 answers and out-of-scope refusals in the security audit trail.
    "ducha.accounts.trail.SecurityAuditMiddleware",
    # DUCHA_STYLED_ERRORS: the project's 404 page even with DUCHA_DEBUG on (the demo).
    "ducha.core.error_pages.StyledNotFoundMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ducha.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ducha.urls"
WSGI_APPLICATION = "ducha.wsgi.application"
ASGI_APPLICATION = "ducha.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ducha" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL with the same code.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ducha.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer commits; FULL survives power loss.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not shared-cache memory: concurrent connections then queue on the
    # write lock as they do in production instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("DUCHA_TEST_SQLITE", str(BASE_DIR / "var" / "test.sqlite3"))
    }

# A streaming PostgreSQL replica (docs/deployment.md, "Adding a replica"; decision 0022):
# pages' reads go to it, writes and everything in a transaction to the primary. A browser
# that wrote reads on the primary for DUCHA_REPLICA_STICKY_SECONDS; reads fall back to the
# primary when the replica is down or lags more than DUCHA_REPLICA_MAX_LAG_SECONDS, checked
# at most every DUCHA_REPLICA_CHECK_SECONDS, and not tried again for
# DUCHA_REPLICA_RETRY_SECONDS after it failed.
DUCHA_REPLICA_URL = env_str("DUCHA_REPLICA_URL", "")
DUCHA_REPLICA_STICKY_SECONDS = env_int("DUCHA_REPLICA_STICKY_SECONDS", 10)
DUCHA_REPLICA_MAX_LAG_SECONDS = env_float("DUCHA_REPLICA_MAX_LAG_SECONDS", 5.0)
DUCHA_REPLICA_CHECK_SECONDS = env_float("DUCHA_REPLICA_CHECK_SECONDS", 2.0)
DUCHA_REPLICA_RETRY_SECONDS = env_float("DUCHA_REPLICA_RETRY_SECONDS", 10.0)
if DUCHA_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DUCHA_REPLICA_URL, conn_max_age=60)
    if {db["ENGINE"] for db in DATABASES.values()} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DUCHA_REPLICA_URL is set: both DATABASE_URL and DUCHA_REPLICA_URL must be "
            "postgres:// addresses (a streaming replica of the primary)."
        )
    # A replica that does not answer is given up on quickly; reads then go to the primary.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    # Tests: the replica serves the primary's test database, replicated; none is made on it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ducha.core.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login (docs/security.md): the password policy applies wherever a password is set.
DUCHA_PASSWORD_MIN_LENGTH = env_int("DUCHA_PASSWORD_MIN_LENGTH", 10)
DUCHA_PASSWORD_MIN_CLASSES = env_int("DUCHA_PASSWORD_MIN_CLASSES", 3)
DUCHA_PASSWORD_HISTORY = env_int("DUCHA_PASSWORD_HISTORY", 5)
# 0: passwords do not expire. Otherwise a user whose password is older is sent to change it.
DUCHA_PASSWORD_MAX_AGE_DAYS = env_int("DUCHA_PASSWORD_MAX_AGE_DAYS", 0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": DUCHA_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "ducha.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": DUCHA_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "ducha.accounts.passwords.NotUsernameValidator"},
    {
        "NAME": "ducha.accounts.passwords.HistoryValidator",
        "OPTIONS": {"count": DUCHA_PASSWORD_HISTORY},
    },
]
# Password storage (docs/security.md, "Cryptography (密评)"): "pbkdf2_sha256" (Django's) or
# "sm3" (PBKDF2-HMAC-SM3). The others stay listed so that every stored hash still verifies;
# one of another kind is re-encoded with the chosen hasher at its user's next login.
DUCHA_PASSWORD_HASHER = env_str("DUCHA_PASSWORD_HASHER", "pbkdf2_sha256")
_PASSWORD_HASHERS = {
    "pbkdf2_sha256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "sm3": "ducha.core.crypto.PBKDF2SM3PasswordHasher",
}
if DUCHA_PASSWORD_HASHER not in _PASSWORD_HASHERS:
    raise ImproperlyConfigured(
        f"DUCHA_PASSWORD_HASHER is {DUCHA_PASSWORD_HASHER!r}; use one of: "
        + ", ".join(_PASSWORD_HASHERS)
    )
PASSWORD_HASHERS = [
    _PASSWORD_HASHERS[DUCHA_PASSWORD_HASHER],
    *(path for name, path in _PASSWORD_HASHERS.items() if name != DUCHA_PASSWORD_HASHER),
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# SM4 keys of encrypted columns: "id:base64key,…", the first writes, all read (rotate with
# `manage.py rotate_field_keys`). Unset, debug on: a key published in ducha/core/crypto.py.
# Personal data (User.phone) is stored encrypted, so nothing else starts without a key.
DUCHA_FIELD_KEYS = env_str("DUCHA_FIELD_KEYS", "")
if not DUCHA_FIELD_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "DUCHA_FIELD_KEYS is not set. With DUCHA_DEBUG off personal data is encrypted under "
        "keys of the deployment's own: DUCHA_FIELD_KEYS=k1:<base64 of 16 random bytes> (python "
        "-c 'import base64, os; print(base64.b64encode(os.urandom(16)).decode())'); keep a copy "
        "outside the server and its backups (docs/operations.md)."
    )
AUTHENTICATION_BACKENDS = [
    "ducha.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (django-axes): this many failures for one account, or from one address, lock
# it for the cool-off; a superuser unlocks earlier by deleting its access attempts in the
# admin. Offices behind one NAT address share the address count: list only "username" then.
AXES_FAILURE_LIMIT = env_int("DUCHA_LOGIN_FAILURE_LIMIT", 5)
# 0: a lockout lasts until it is unlocked in the admin.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DUCHA_LOGIN_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = env_list("DUCHA_LOGIN_LOCKOUT_BY", "username,ip_address")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ducha.accounts.lockout.locked_out"
# The address counted is the connection's; behind reverse proxies (as many as this says) the
# one the outermost proxy saw.
DUCHA_LOGIN_PROXY_COUNT = env_int("DUCHA_LOGIN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "ducha.accounts.lockout.client_address"
AXES_VERBOSE = False
# Registered by ducha/accounts/admin.py instead, for superusers only.
AXES_ENABLE_ADMIN = False
# Sessions end after this much inactivity, and this long after login whatever happens.
DUCHA_SESSION_IDLE_MINUTES = env_int("DUCHA_SESSION_IDLE_MINUTES", 30)
DUCHA_SESSION_ABSOLUTE_HOURS = env_int("DUCHA_SESSION_ABSOLUTE_HOURS", 12)
# API tokens: the longest lifetime a user may choose (also the default), in days; tokens
# issued before expiry existed live that long from their creation (docs/security.md).
DUCHA_TOKEN_MAX_AGE_DAYS = max(1, env_int("DUCHA_TOKEN_MAX_AGE_DAYS", 90))
SESSION_COOKIE_AGE = DUCHA_SESSION_ABSOLUTE_HOURS * 3600
# Two-factor login (docs/security.md): required of superusers, of the three administrator
# roles always, of the roles listed here, and of everyone in an org flagged for it.
DUCHA_TWO_FACTOR_ROLES = env_list(
    "DUCHA_TWO_FACTOR_ROLES", "system_admin,security_admin,audit_admin"
)
OTP_TOTP_ISSUER = env_str("DUCHA_TWO_FACTOR_ISSUER", "Ducha")
# Wrong codes count as failed logins in django-axes (one lockout for passwords and codes),
# so django-otp's own per-device delays are off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# The security audit trail (docs/security.md): rows are kept at least this many days (the
# application never deletes them; a DBA archives older ones, docs/operations.md), and at most
# this many refusals or failed logins per account or address per minute are written.
DUCHA_AUDIT_RETENTION_DAYS = env_int("DUCHA_AUDIT_RETENTION_DAYS", 180)
DUCHA_AUDIT_BURST_PER_MINUTE = env_int("DUCHA_AUDIT_BURST_PER_MINUTE", 30)
# The audit administrator's export holds at most this many events (narrow the filters).
DUCHA_AUDIT_EXPORT_MAX_ROWS = env_int("DUCHA_AUDIT_EXPORT_MAX_ROWS", 50000)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = env_str("DUCHA_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "ducha" / "locale"]
TIME_ZONE = env_str("DUCHA_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# Date formats of our own per language ("3月1日", not Django's "03月1日").
FORMAT_MODULE_PATH = ["ducha.formats"]

STATIC_URL = "static/"
# collectstatic writes here; nginx serves it (deploy/nginx/ducha.conf), Django never does.
STATIC_ROOT = Path(env_str("DUCHA_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "ducha" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "ducha.core.staticfiles.HashedCompressedStorage"
        if not DEBUG and env_bool("DUCHA_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("DUCHA_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Production hardening; `manage.py check --deploy` passes when DUCHA_DEBUG is off and
# DUCHA_SECURE_COOKIES / DUCHA_SSL_REDIRECT are set by the deployment.
SESSION_COOKIE_SECURE = env_bool("DUCHA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DUCHA_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DUCHA_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DUCHA_BEHIND_PROXY", False) else None
)
X_FRAME_OPTIONS = "DENY"

# Problem loop: discovery → verified within 72 h by default, 24 h when urgent.
DUCHA_DEFAULT_DEADLINE_HOURS = env_int("DUCHA_DEFAULT_DEADLINE_HOURS", 72)
DUCHA_URGENT_DEADLINE_HOURS = env_int("DUCHA_URGENT_DEADLINE_HOURS", 24)
# The light turns yellow when this share of the allowed time (or less) is left.
DUCHA_YELLOW_SHARE = env_float("DUCHA_YELLOW_SHARE", 1 / 3)
# 签收: when the problem's clock starts. "assignment" (default): at 交, so a unit cannot stop
# the clock by not signing; "signing": signing moves the deadline on by the time it waited.
DUCHA_CLOCK_STARTS = env_str("DUCHA_CLOCK_STARTS", "assignment")
if DUCHA_CLOCK_STARTS not in ("assignment", "signing"):
    raise ImproperlyConfigured('DUCHA_CLOCK_STARTS must be "assignment" or "signing".')
# A problem still unsigned this many hours after it went to its unit is reminded about.
DUCHA_SIGN_REMINDER_HOURS = env_int("DUCHA_SIGN_REMINDER_HOURS", 2)
# Tests only (tests/settings.py): `flush` empties PostgreSQL with DELETE, not TRUNCATE.
DUCHA_FLUSH_BY_DELETE = False
DUCHA_PAGE_SIZE = env_int("DUCHA_PAGE_SIZE", 25)
# A text search of the problem list counts its matches exactly up to this many; past it the
# stats line says "more than" (counting every match of a common word reads most rows).
DUCHA_SEARCH_COUNT_CAP = env_int("DUCHA_SEARCH_COUNT_CAP", 1_000)
# Dashboards list this many teams and units (the busiest first) in their breakdowns.
DUCHA_DASHBOARD_TOP = env_int("DUCHA_DASHBOARD_TOP", 20)
# 1+N: a visit to a site another team visited or plans within this many days is flagged.
DUCHA_VISIT_WINDOW_DAYS = env_int("DUCHA_VISIT_WINDOW_DAYS", 7)
# How long after a visit a team may still record it.
DUCHA_VISIT_BACKDATE_DAYS = env_int("DUCHA_VISIT_BACKDATE_DAYS", 366)
# 回头看: a closed problem is revisited after this many days unless its focus area says else.
DUCHA_REVISIT_AFTER_DAYS = env_int("DUCHA_REVISIT_AFTER_DAYS", 14)
DUCHA_EVIDENCE_MAX_BYTES = env_int("DUCHA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A photo is decoded to check and redraw it: 16 megapixels (a phone's 4:3 photo) need a few
# hundred MiB while that runs; one is decoded at a time per process. Each user may send this
# many files a minute (0: no limit).
DUCHA_IMAGE_MAX_PIXELS = env_int("DUCHA_IMAGE_MAX_PIXELS", 16_000_000)
DUCHA_EVIDENCE_UPLOADS_PER_MINUTE = env_int("DUCHA_EVIDENCE_UPLOADS_PER_MINUTE", 30)
# A policy's issued document (PDF or Word .docx), attached by the command HQ: as large as a
# piece of evidence may be.
DUCHA_POLICY_DOCUMENT_MAX_BYTES = env_int("DUCHA_POLICY_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Excel ledgers: an uploaded file may be this large and hold this many rows; an .xlsx is a
# zip, so what it unpacks to is limited too. Smaller files and imports are handled during the
# request, larger ones by the worker. An export is refused beyond its row limit (Excel holds
# 1,048,576 rows).
DUCHA_LEDGER_MAX_BYTES = env_int("DUCHA_LEDGER_MAX_BYTES", 10 * 1024 * 1024)
DUCHA_LEDGER_MAX_ROWS = env_int("DUCHA_LEDGER_MAX_ROWS", 20_000)
DUCHA_LEDGER_MAX_UNPACKED_BYTES = env_int("DUCHA_LEDGER_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
# What unpacks to more than this many times its size is a zip bomb, not a ledger; shared
# strings (every distinct text of the workbook) are counted before openpyxl parses them.
DUCHA_LEDGER_MAX_RATIO = env_int("DUCHA_LEDGER_MAX_RATIO", 150)
DUCHA_LEDGER_MAX_SHARED_STRINGS = env_int("DUCHA_LEDGER_MAX_SHARED_STRINGS", 100_000)
DUCHA_LEDGER_MAX_SHARED_STRINGS_BYTES = env_int(
    "DUCHA_LEDGER_MAX_SHARED_STRINGS_BYTES", 16 * 1024 * 1024
)
DUCHA_LEDGER_INLINE_BYTES = env_int("DUCHA_LEDGER_INLINE_BYTES", 256 * 1024)
DUCHA_LEDGER_INLINE_ROWS = env_int("DUCHA_LEDGER_INLINE_ROWS", 200)
# Worker tasks a large problem ledger's import is shared out among (ducha.ledger.conf).
DUCHA_LEDGER_IMPORT_PARTS = env_int("DUCHA_LEDGER_IMPORT_PARTS", 2)
DUCHA_LEDGER_EXPORT_MAX_ROWS = env_int("DUCHA_LEDGER_EXPORT_MAX_ROWS", 1_000_000)
# LibreOffice renders issued Word files to PDF when this command is installed.
DUCHA_SOFFICE = env_str("DUCHA_SOFFICE", "soffice")
# The fontconfig file LibreOffice reads for those PDFs: the shipped one follows each official
# 公文 font with a free Simplified Chinese face (docs/documents.md, "Fonts"); "" leaves the
# machine's own configuration alone.
DUCHA_PDF_FONTCONFIG = env_str(
    "DUCHA_PDF_FONTCONFIG", str(BASE_DIR / "ducha" / "documents" / "fonts" / "fonts.conf")
)
DATA_UPLOAD_MAX_MEMORY_SIZE = DUCHA_EVIDENCE_MAX_BYTES + 1024 * 1024
# The largest request body the proxy lets through (nginx's client_max_body_size, rendered
# from this by deploy/serve.py): an inspection's ten photos at their largest, or a ledger,
# with a megabyte for the form's other fields. Anything larger is refused with 413 before
# it reaches a web thread.
DUCHA_REQUEST_MAX_BYTES = env_int(
    "DUCHA_REQUEST_MAX_BYTES",
    max(10 * DUCHA_EVIDENCE_MAX_BYTES, DUCHA_LEDGER_MAX_BYTES) + 1024 * 1024,
)

# Background work (Celery). Production: DUCHA_CELERY_BROKER_URL=redis://127.0.0.1:6379/1.
# Without it the queue lives in files under var/celery, so the embedded default and the demo
# need no server; one worker process (`celery -A ducha worker --beat`) serves both.
CELERY_BROKER_URL = env_str("DUCHA_CELERY_BROKER_URL", "filesystem://")
CELERY_QUEUE_DIR = Path(env_str("DUCHA_CELERY_QUEUE_DIR", str(BASE_DIR / "var" / "celery")))
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
# Tasks that record their own progress in the database need no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("DUCHA_CELERY_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")
# The daily cycle: teams' reports and the office's summary are drafted at this local time.
DUCHA_DAILY_DRAFT_HOUR = env_int("DUCHA_DAILY_DRAFT_HOUR", 18)
DUCHA_DAILY_DRAFT_MINUTE = env_int("DUCHA_DAILY_DRAFT_MINUTE", 0)
# Dashboards' lights: hour buckets of deadlines are kept from today to this many days ahead
# (decision 0023); a day is counted in hourly, before it comes, by the beat schedule.
DUCHA_DUE_HOUR_DAYS = env_int("DUCHA_DUE_HOUR_DAYS", 1)
# The escalation ladder (docs/notifications.md, "Reminders and escalation"): how often it
# runs, which steps it takes, and when. The sign reminder's hours are the signing setting,
# DUCHA_SIGN_REMINDER_HOURS (default 2).
DUCHA_LADDER_EVERY_MINUTES = env_int("DUCHA_LADDER_EVERY_MINUTES", 5)
DUCHA_LADDER_UNSIGNED = env_bool("DUCHA_LADDER_UNSIGNED", True)
DUCHA_LADDER_YELLOW = env_bool("DUCHA_LADDER_YELLOW", True)
DUCHA_LADDER_OVERDUE = env_bool("DUCHA_LADDER_OVERDUE", True)
DUCHA_LADDER_ESCALATE = env_bool("DUCHA_LADDER_ESCALATE", True)
DUCHA_ESCALATE_AFTER_HOURS = env_int("DUCHA_ESCALATE_AFTER_HOURS", 24)
# A step whose moment is older than this is never taken: a ladder switched on over an old
# database, or back after a long stop, does not send years of reminders at once.
DUCHA_LADDER_LOOKBACK_HOURS = env_int("DUCHA_LADDER_LOOKBACK_HOURS", 14 * 24)
# Problems read per query of a pass (memory stays bounded whatever the table holds).
DUCHA_LADDER_BATCH = env_int("DUCHA_LADDER_BATCH", 500)

# Notifications (docs/notifications.md): off, an action registers no hand-over and the sweep
# makes none. The sweep runs every DUCHA_NOTIFY_SWEEP_SECONDS and looks back over the last
# DUCHA_NOTIFY_SWEEP_HOURS of problem events for any whose notifications were never made.
DUCHA_NOTIFICATIONS = env_bool("DUCHA_NOTIFICATIONS", True)
DUCHA_NOTIFY_SWEEP_SECONDS = env_int("DUCHA_NOTIFY_SWEEP_SECONDS", 300)
DUCHA_NOTIFY_SWEEP_HOURS = env_int("DUCHA_NOTIFY_SWEEP_HOURS", 24)
# The hand-over to the broker is published by a thread of the web process, so an action does
# not wait for the broker; off, the action's commit publishes it itself.
DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND = env_bool("DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND", True)
# A team whose report for today is not submitted by this local hour is reminded.
DUCHA_DAILY_REPORT_DUE_HOUR = env_int("DUCHA_DAILY_REPORT_DUE_HOUR", 20)

# Delivery of notifications beyond the app (docs/notifications.md, "Delivery"). Nothing
# leaves by default: an intranet deployment names the channels it has.
DUCHA_DELIVERY_CHANNELS = env_list("DUCHA_DELIVERY_CHANNELS", "")  # email,sms,wecom,dingtalk
DUCHA_DELIVERY_ATTEMPTS = env_int("DUCHA_DELIVERY_ATTEMPTS", 5)
# Retry n waits BACKOFF × 2^(n-1) seconds; a claim older than LEASE is a worker that died.
DUCHA_DELIVERY_BACKOFF_SECONDS = env_int("DUCHA_DELIVERY_BACKOFF_SECONDS", 60)
DUCHA_DELIVERY_LEASE_SECONDS = env_int("DUCHA_DELIVERY_LEASE_SECONDS", 300)
# Connect and read timeout of every webhook and gateway call.
DUCHA_DELIVERY_TIMEOUT = env_float("DUCHA_DELIVERY_TIMEOUT", 10.0)
# Where the links in messages point ("https://ducha.example.gov.cn"); empty: paths only.
DUCHA_SITE_URL = env_str("DUCHA_SITE_URL", "").rstrip("/")
# SMS gateway: POST to this URL; the template is a JSON object (or, with FORMAT=form, a
# query string) whose values may hold {phone}, {text} and {key} (the delivery's id).
DUCHA_SMS_URL = env_str("DUCHA_SMS_URL", "")
DUCHA_SMS_FORMAT = env_str("DUCHA_SMS_FORMAT", "json")
DUCHA_SMS_TEMPLATE = env_str("DUCHA_SMS_TEMPLATE", '{"phone": "{phone}", "text": "{text}"}')
DUCHA_SMS_AUTHORIZATION = env_str("DUCHA_SMS_AUTHORIZATION", "")
# The gateway drops a repeated {key}: a send cut off mid-way may then be retried.
DUCHA_SMS_GATEWAY_DEDUPLICATES = env_bool("DUCHA_SMS_GATEWAY_DEDUPLICATES", False)
# E-mail (Django's SMTP backend).
EMAIL_BACKEND = env_str("DUCHA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("DUCHA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DUCHA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DUCHA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DUCHA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DUCHA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DUCHA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DUCHA_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DUCHA_EMAIL_FROM", "ducha@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DUCHA_LOG_LEVEL", "WARNING")},
}

# Tamper-evident records (decision 0017): the digest of new rows of the immutable tables
# (sm3, or sha256 where OpenSSL lacks SM3), and how many chains each table is split into:
# many, so that a bulk write (an import's chunk) holds only some of the heads others need.
DUCHA_CHAIN_DIGEST = env_str("DUCHA_CHAIN_DIGEST", "sm3")
DUCHA_CHAIN_SHARDS = env_int("DUCHA_CHAIN_SHARDS", 1024)
# The daily anchor of every chain's head, written by the scheduler at this local time.
DUCHA_CHAIN_ANCHOR_HOUR = env_int("DUCHA_CHAIN_ANCHOR_HOUR", 23)
