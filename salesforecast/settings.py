"""Settings for salesforecast, read from the environment (12-factor, django-environ).

Defaults serve a developer on a laptop (SQLite file, ORM broker, console e-mail). Production must set
explicit values: with DEBUG off a missing SECRET_KEY or ALLOWED_HOSTS stops start-up with
ImproperlyConfigured naming the variable. Every variable is documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from core.logging import install_safe_logger_class

install_safe_logger_class()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; the real environment always wins.
_env_file = Path(environ.Env().str("ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG-only fallback
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (at least 50 random characters), "
            "or set DEBUG=true for local development only."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. Set ALLOWED_HOSTS=host1,host2 when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin site asks admin-role users for their second factor (core/admin_site.py).
    "core.admin_apps.OTPAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    # Our apps, lowest layer first. core is the ground floor (API conventions, schedules, caches, roles, jobs,
    # errors); integrations (data sources) ← branches ← sales ← forecasting ← planning ← quality (shop-floor QC)
    # and shopfloor (embroidery, barcodes: they call planning's services; planning sees them only through
    # registries); dashboard and legacy read through the others' services; monitoring only reads;
    # salesforecast (the project) holds the main job that runs them in order; demo is the attic (data set,
    # loopback fakes, `demo` and `fake_upstreams` commands) that no production app imports. webhooks (outbound
    # events) depends on nothing of ours but core.
    # core comes before django_q so that its `qcluster` (which stops within the grace period) is the one run.
    "core",
    "django_q",
    "webhooks",
    "integrations",
    "branches",
    "sales",
    "forecasting",
    "planning",
    "quality",
    "monitoring",
    "shopfloor",
    "dashboard",
    "legacy",
    "salesforecast",
    # The planner's screens inside the admin (home, review queue, kanban board): reads every app above.
    "workbench",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.metrics.LatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, Swagger UI, browsable API) from the app itself: no proxy needed in the image.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language) or the one chosen with /i18n/setlang/ …
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # … unless the user's profile names one; and the user's time zone for every screen and export.
    "workbench.middleware.UserPreferencesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AccessLogMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "salesforecast.urls"
WSGI_APPLICATION = "salesforecast.wsgi.application"
ASGI_APPLICATION = "salesforecast.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # core's overrides of the admin's and DRF's login pages (second factor, one login guard) must win over
        # those apps' own templates, which come earlier in INSTALLED_APPS.
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file in the project directory unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process, the worker and commands share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
# Planners work in Russian, Kazakh and Turkish; catalogues of what this product adds are in locale/ (Django
# ships its own for the admin).
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша"), ("tr", "Türkçe")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = env.bool("USE_TZ", default=True)

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# collectstatic (run in the image build) writes compressed copies under content-hashed names, so WhiteNoise can
# serve them gzipped with a far-future Cache-Control: a changed file gets a new URL (cache busting).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Trained models and other artefacts; part of backups.
ARTIFACTS_ROOT = Path(env.str("ARTIFACTS_ROOT", default=str(BASE_DIR / "var" / "artifacts")))
# Backups (manage.py backup): where they go and how many are kept.
BACKUP_ROOT = Path(env.str("BACKUP_ROOT", default=str(BASE_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
# When the nightly backup runs (UTC cron, a django-q2 schedule); empty: no scheduled backup.
BACKUP_SCHEDULE = env.str("BACKUP_SCHEDULE", default="30 1 * * *")
# Partitioned fact tables (PostgreSQL): months ahead kept ready by `manage.py ensure_partitions` and its schedule.
PARTITION_MONTHS_AHEAD = env.int("PARTITION_MONTHS_AHEAD", default=3)
# Forecast runs older than this many days are deleted (`manage.py prune_forecast_runs`, nightly), except each
# scope's forecast of record and the models it reuses; 0 keeps every run.
FORECAST_RUN_RETENTION_DAYS = env.int("FORECAST_RUN_RETENTION_DAYS", default=90)
# Who trains a run's boosters: `local` (this worker process, the default) or `dask` (lightgbm.dask over the cluster
# at FORECAST_DASK_SCHEDULER; empty starts a LocalCluster of FORECAST_DASK_WORKERS threads for the run).
FORECAST_ENGINE_BACKEND = env.str("FORECAST_ENGINE_BACKEND", default="local").strip().lower()
if FORECAST_ENGINE_BACKEND not in ("local", "dask"):
    raise ImproperlyConfigured(
        f"FORECAST_ENGINE_BACKEND={FORECAST_ENGINE_BACKEND!r} is not a backend; set it to 'local' or 'dask'."
    )
FORECAST_DASK_SCHEDULER = env.str("FORECAST_DASK_SCHEDULER", default="")
FORECAST_DASK_WORKERS = env.int("FORECAST_DASK_WORKERS", default=2)
# Uploaded import files waiting for a background job.
IMPORTS_ROOT = Path(env.str("IMPORTS_ROOT", default=str(BASE_DIR / "var" / "imports")))
# Import files (validate and upload, API, admin, CLI): over the inline size a file is validated or imported by a
# worker; the other limits refuse a file with 413/422 before it can hold a worker for minutes.
SALES_IMPORT_INLINE_MAX_BYTES = env.int("SALES_IMPORT_INLINE_MAX_BYTES", default=2 * 1024 * 1024)
SALES_IMPORT_MAX_UPLOAD_BYTES = env.int("SALES_IMPORT_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
SALES_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("SALES_IMPORT_MAX_UNCOMPRESSED_BYTES", default=128 * 1024 * 1024)
SALES_IMPORT_MAX_ROWS = env.int("SALES_IMPORT_MAX_ROWS", default=2_000_000)
SALES_IMPORT_MAX_COLUMNS = env.int("SALES_IMPORT_MAX_COLUMNS", default=200)

# Public URL of this deployment, used in e-mails (password reset, sync failure links).
SITE_URL = (env.str("SITE_URL", default="") or "http://127.0.0.1:8000").rstrip("/")

# E-mail
# An empty value (as in a copied .env.example) means "the default", here and below.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="salesforecast@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# ADMINS=Name <a@example.com>,Other <b@example.com>  (receive sync failure and alert mails too)


def _parse_admin(entry: str) -> tuple[str, str]:
    """'Name <mail@host>' or a bare address -> (name, address)."""
    if "<" in entry:
        name, _, address = entry.partition("<")
        return name.strip() or address.rstrip(">").strip(), address.rstrip(">").strip()
    return entry.strip(), entry.strip()


ADMINS = [_parse_admin(a) for a in env.list("ADMINS", default=[])]

# Key for credentials encrypted at rest (Fernet keys, comma-separated; the first encrypts, all decrypt,
# so keys can be rotated). Without it, secrets cannot be stored; DEBUG derives a dev-only key.
CREDENTIALS_KEYS = env.list("CREDENTIALS_KEYS", default=[])
if not CREDENTIALS_KEYS and DEBUG:
    import base64
    import hashlib

    # Dev-only: a key derived from the (dev) SECRET_KEY so the demo works without set-up. Never in production.
    _derived = hashlib.sha256(f"credentials:{SECRET_KEY}".encode()).digest()
    CREDENTIALS_KEYS = [base64.urlsafe_b64encode(_derived).decode()]

# Integration accounts send their credentials to their base_url: only public http(s) hosts unless this is on
# (loopback and private addresses; the demo's and the tests' loopback fakes, an iiko server on the office LAN).
INTEGRATIONS_ALLOW_PRIVATE_HOSTS = env.bool("INTEGRATIONS_ALLOW_PRIVATE_HOSTS", default=False)

# CORS: explicit origins only; a wildcard is honoured in DEBUG alone.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
if "*" in CORS_ALLOWED_ORIGINS:
    if not DEBUG:
        raise ImproperlyConfigured("CORS_ALLOWED_ORIGINS may not contain '*' when DEBUG is off; list the origins.")
    CORS_ALLOWED_ORIGINS = []
    CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"

# Security: safe by default when DEBUG is off; each can be relaxed explicitly behind a TLS proxy.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("USE_X_FORWARDED_PROTO", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy for the HTML we serve (admin, API docs, browsable API); see middleware.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)

# Django REST framework
API_MAX_PAGE_SIZE = 1000
# ModelBackend with permission sets kept in the shared cache (see core/permission_cache.py).
AUTHENTICATION_BACKENDS = ["core.permission_cache.CachedPermissionsBackend"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT, then the user's chosen language (API messages in it); the session's is set by the middleware.
        "core.api.authentication.PreferredLanguageJWTAuthentication",
        "core.api.authentication.OTPSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ModelPermissionsOrAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.StrictDjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Proxies in front of the app that append to X-Forwarded-For (0 = use the peer address).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "auth": env.str("THROTTLE_AUTH", default="20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Bearer token Prometheus must send to scrape /metrics; empty disables the endpoint.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Second factor (TOTP, django-otp): required for the admin role (superusers, `admin` group) unless turned off;
# anyone who enrolled an authenticator must always give a code.
OTP_REQUIRED_FOR_ADMIN_ROLE = env.bool("OTP_REQUIRED_FOR_ADMIN_ROLE", default=True)
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="salesforecast")
OTP_BACKUP_CODES = 10
# How long the `otp_token` of a JWT login answer stays valid for the second step.
OTP_LOGIN_TICKET_SECONDS = 300

# Outbound webhooks: time limit of one POST, retries with exponential backoff (base doubling up to the maximum).
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=10)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=8)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=3600)
# Plain http:// endpoints on a loopback host (a receiver on the same machine, tests); https everywhere else.
WEBHOOKS_ALLOW_LOOPBACK_HTTP = env.bool("WEBHOOKS_ALLOW_LOOPBACK_HTTP", default=DEBUG)
# Endpoints may only be public addresses unless this is on (loopback and private hosts: a receiver on this machine
# or the office LAN, the tests' loopback receivers); link-local (cloud metadata) is refused whatever the value.
WEBHOOKS_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOKS_ALLOW_PRIVATE_HOSTS", default=False)

# Failed logins: after this many within the window, that user / address gets 429 until the window ends.
LOGIN_FAILURES_PER_USER = env.int("LOGIN_FAILURES_PER_USER", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "salesforecast API",
    "DESCRIPTION": (
        "Org structure, products, sales, forecasts and supply planning. Lists are paginated with `page` and "
        f"`page_size` (at most {API_MAX_PAGE_SIZE}; a larger value is a 400, never silently truncated). "
        "Authenticate with `POST /api/v1/auth/login/` and send `Authorization: Bearer <access>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Like every endpoint but /health and auth, the schema and docs need a logged-in user.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers every operation can give, documented once (core/api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "core.api.schema.document_error_responses"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Several apps have a `status` field with their own choices; name each set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "HealthStateEnum": ["ok", "unavailable"],
        "SyncStatusEnum": "integrations.choices.SyncStatus",
        "ForecastRunStatusEnum": "forecasting.choices.RunStatus",
        "ForecastRunKindEnum": "forecasting.choices.RunKind",
        "JobStatusEnum": "core.jobs.JobStatus",
        "OrderStatusEnum": "sales.choices.OrderStatus",
        "ProductKindEnum": "sales.choices.ProductKind",
        "ImportKindEnum": "sales.choices.ImportKind",
        "ImportJobStatusEnum": "sales.choices.ImportJobStatus",
        "SyncModeEnum": "integrations.choices.SyncMode",
        "SyncRequestModeEnum": ["full", "incremental", "live"],
        "IntegrationKindEnum": "integrations.choices.IntegrationKind",
        "SyncStreamEnum": "integrations.choices.SyncStream",
        "AlertSeverityEnum": "monitoring.choices.Severity",
        "MovementKindEnum": "planning.choices.MovementKind",
        "MakeOrBuyEnum": "planning.choices.MakeOrBuy",
        "PurchaseOrderStatusEnum": "planning.choices.PurchaseOrderStatus",
        "OrderProposalStatusEnum": "planning.choices.ProposalStatus",
        "ProductionTaskStatusEnum": "planning.choices.TaskStatus",
        "StockStatusEnum": "planning.choices.StockStatus",
        "LotStatusEnum": "planning.choices.LotStatus",
        "LotOriginEnum": "planning.choices.LotOrigin",
        "InspectionStatusEnum": "quality.choices.InspectionStatus",
        "LabTestStatusEnum": "quality.choices.LabTestStatus",
        "TestMethodKindEnum": "quality.choices.MethodKind",
        "LotActionEnum": "quality.choices.LotAction",
        "WebhookEventEnum": "webhooks.choices.Event",
        "WebhookDeliveryStatusEnum": "webhooks.choices.DeliveryStatus",
    },
}

# django-q2: the Django ORM is the broker unless REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "salesforecast",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=3 * 3600),
    "retry": env.int("Q_RETRY", default=3 * 3600 + 600),
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 500,
    "label": "Background jobs",
    "ack_failures": True,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1
# The shared cache: throttle counters, failed-login counts and cached dashboard reads must be the same in
# every web process, so not the per-process memory cache. The database cache table (created by migration
# core 0002) needs no extra service; Redis when REDIS_URL is set; CACHE_URL (django-environ syntax) overrides.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache_backends.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sf_cache",
        "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=5000)},
    }}
# How long an analytics or planning-health answer may be served from the cache (0 = never cache). Any
# committed write to a domain row invalidates them sooner.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=60)

# Live screens (WebSocket, Django Channels): the in-memory layer serves one ASGI process; with REDIS_URL every
# process (web, worker) reaches every open screen. Screens also poll the database every few seconds, so
# progress written by a worker reaches them even with the in-memory layer.
CHANNEL_LAYERS = (
    {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    if REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)
WORKBENCH_LIVE_POLL_SECONDS = env.float("WORKBENCH_LIVE_POLL_SECONDS", default=2.0)

# Run jobs inline (no worker) -- for tests and one-off scripts only.
Q_SYNC = env.bool("Q_SYNC", default=False)
if Q_SYNC:
    Q_CLUSTER["sync"] = True

# Logging: one logger per app, key=value lines with the request id (or JSON with LOG_FORMAT=json).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "keyvalue": {"()": "core.logging.KeyValueFormatter"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("LOG_FORMAT", default="keyvalue"),
        },
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        **{
            name: {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}
            for name in (
                "salesforecast",
                "salesforecast.access",
                "branches",
                "sales",
                "integrations",
                "forecasting",
                "planning",
                "monitoring",
                "webhooks",
            )
        },
    },
}

# Password reset links point at the front end when it has its own page; else at the API confirm endpoint.
PASSWORD_RESET_URL = env.str("PASSWORD_RESET_URL", default="") or f"{SITE_URL}/api/v1/auth/password-reset/confirm/"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
