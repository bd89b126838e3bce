"""Settings for 创文通. Everything that differs between deployments comes from the environment
(see .env.example and the README's configuration table)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Production must never run on a key that is in the repository.
        raise ImproperlyConfigured("DJANGO_SECRET_KEY 未设置：生产环境（DJANGO_DEBUG=false）必须提供密钥。")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

CITY_NAME = env.str("CITY_NAME", default="江城市")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "campaign",
    "archives",
    "tasks",
    "inspections",
    "reports",
    # The demo city (seed_demo) and its stories. No product app imports it (import-linter).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "campaign.views.middleware.BodySizeLimitMiddleware",
    "campaign.views.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "campaign.views.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "campaign.views.middleware.RejectNulCharactersMiddleware",
    "campaign.views.middleware.StorageFullMiddleware",
]

# scripts/bench.sh serves bench.urls (the portal plus its naive baseline view); never set in production.
ROOT_URLCONF = env.str("DJANGO_ROOT_URLCONF", default="campaign.urls")
WSGI_APPLICATION = "campaign.wsgi.application"

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
                "campaign.views.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://app:app@127.0.0.1:54320/app"),
}
# Persistent connections: dropping them cost 40-60% of throughput on these machines.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "campaign.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "campaign.services.passwords.CampaignWordsPasswordValidator"},
]
# Weak words beside the city's name (CITY_NAME): its pinyin and other local words people use.
PASSWORD_CONTEXT_WORDS = env.list("PASSWORD_CONTEXT_WORDS", default=["jiangcheng"])

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "campaign.services.storage.StaticStorage"},
}

# Evidence is private: MEDIA_ROOT is never mapped to a URL; files go out through scoped views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Whole-request limits, checked on Content-Length before any byte is read (campaign.views.middleware).
# A logged-in request may carry a multi-photo submission; the reverse proxy's body limit
# (client_max_body_size) should equal REQUEST_MAX_BODY_BYTES.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=120 * 1024 * 1024)
REQUEST_MAX_ANONYMOUS_BODY_BYTES = env.int("REQUEST_MAX_ANONYMOUS_BODY_BYTES", default=64 * 1024)
# The health page warns below this much free space where media, staging and backups live.
STORAGE_LOW_FREE_BYTES = env.int("STORAGE_LOW_FREE_BYTES", default=2 * 1024 * 1024 * 1024)

# Backups are signed (HMAC-SHA256 of the manifest) so an edited backup is refused: the key comes
# from the environment, or from a file created with the first backup. A copy belongs wherever the
# backups may be restored, but never inside a backup folder (whoever edits one could re-sign it).
BACKUP_SIGNING_KEY = env.str("BACKUP_SIGNING_KEY", default="")
BACKUP_SIGNING_KEY_FILE = Path(env.str("BACKUP_SIGNING_KEY_FILE", default=str(BASE_DIR / "var" / "backup-signing.key")))

# The default cache is in-process on purpose: pages must keep working while Redis is down.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default-safe

# --- security in production ------------------------------------------------------------
SECURE_SSL = env.bool("DJANGO_SECURE_SSL", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=SECURE_SSL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Bootstrap and Chart.js set styles from script; style attributes stay allowed.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- login throttling --------------------------------------------------------------------
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Spraying many accounts from one address locks the address too (campaign/services/throttle.py).
AXES_HANDLER = "campaign.services.throttle.AddressThrottlingHandler"
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_CLIENT_IP_CALLABLE = "campaign.services.throttle.client_address"
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# --- forms ---------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- email: off unless EMAIL_URL is set (e.g. smtp+tls://user:pass@mail.example.gov.cn:587) ---
EMAIL_URL = env.str("EMAIL_URL", default="")
EMAIL_ENABLED = bool(EMAIL_URL)
if EMAIL_ENABLED:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="创文通 <noreply@localhost>")

# --- Celery ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:63790/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True  # job state lives in our own tables (ReportRun and friends)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker keeps reconnecting through a long Redis outage
# Short socket timeouts: a request that enqueues a job must not hang while Redis is down
# (the outbox in campaign/services/queue.py keeps the job and the sweeper sends it later).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Recovery timings (README 运维; shortened by scripts/faults.sh). Every OUTBOX_DISPATCH_SECONDS the
# outbox sweeper sends jobs left unsent for OUTBOX_RESEND_AFTER_SECONDS, and jobs sent that long ago
# but never picked up while the queue is empty (the message was lost). A running job or report run
# whose heartbeat is older than JOBS_STALE_HEARTBEAT_SECONDS has lost its worker (a thread beats every
# quarter of it) and is queued again by the sweepers. A pending report run queued more than
# REPORTS_REQUEUE_AFTER_SECONDS ago and still not started is queued again while nothing waits in the
# queue. Worst case from a worker's death to its run starting again: stale threshold + sweep interval.
CELERY_BEAT_SCHEDULER = "campaign.services.beat:OutboxScheduler"  # timed jobs go through the outbox
OUTBOX_RESEND_AFTER_SECONDS = env.float("OUTBOX_RESEND_AFTER_SECONDS", default=20.0)
JOBS_STALE_HEARTBEAT_SECONDS = env.float("JOBS_STALE_HEARTBEAT_SECONDS", default=20.0)
REPORTS_REQUEUE_AFTER_SECONDS = env.float("REPORTS_REQUEUE_AFTER_SECONDS", default=60.0)
# Dossier builds: WeasyPrint child processes (each ~250 MB: CJK fonts) and a run's time limit (s).
# One is enough since photo pages and page furniture no longer go through WeasyPrint (scripts/bench.sh:
# 500 photos in ~10 s within 500 MB; a second process saves ~2 s for ~250 MB more).
REPORTS_RENDER_PROCESSES = env.int("REPORTS_RENDER_PROCESSES", default=1)
REPORTS_TIME_LIMIT = env.int("REPORTS_TIME_LIMIT", default=1800)
# Chase ladder (督办): 临期提醒 N working days before the due date; 通报 M working days after the 催办.
CHASE_REMINDER_WORKDAYS = env.int("CHASE_REMINDER_WORKDAYS", default=1)
CHASE_BULLETIN_WORKDAYS = env.int("CHASE_BULLETIN_WORKDAYS", default=3)
CELERY_BEAT_SCHEDULE = {
    "dispatch-outbox": {
        "task": "campaign.dispatch_outbox",
        "schedule": env.float("OUTBOX_DISPATCH_SECONDS", default=10.0),
    },
    "email-pending-notifications": {
        "task": "campaign.email_pending_notifications",
        "schedule": crontab(minute="*/5"),
    },
    "daily-notification-digest": {
        "task": "campaign.send_daily_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    # Yesterday's routine task steps (签收 …) summed up per person, before the chase ladder runs.
    "daily-task-digest": {
        "task": "tasks.send_daily_digest",
        "schedule": crontab(hour=7, minute=45),
    },
    "daily-chase-ladder": {
        "task": "tasks.run_chase_ladder",
        "schedule": crontab(hour=8, minute=30),
    },
    "sweep-report-runs": {"task": "reports.sweep_runs", "schedule": env.float("REPORTS_SWEEP_SECONDS", default=10.0)},
    "daily-recheck-queue": {"task": "inspections.queue_rechecks", "schedule": crontab(hour=1, minute=20)},
    "archives-missing-renditions": {"task": "archives.make_missing_renditions", "schedule": crontab(minute="*/10")},
    "archives-orphan-files": {"task": "archives.sweep_orphan_files", "schedule": crontab(hour=3, minute=40)},
    # Today's figures retaken every half hour (from 00:05, so each day starts with a row); the city's
    # 周报 every Monday for the week before, 月报 on the 1st for the month before (one issue per period).
    "metric-snapshots": {"task": "reports.take_snapshots", "schedule": crontab(minute="5,35")},
    "weekly-summary": {"task": "reports.schedule_weekly_summary",
                       "schedule": crontab(hour=7, minute=0, day_of_week="mon")},
    "monthly-summary": {"task": "reports.schedule_monthly_summary",
                        "schedule": crontab(hour=7, minute=30, day_of_month="1")},
}

# --- inspections: 回头看 share of closed tasks (percent; 顽疾 sites always) and 反复出现 window (days)
INSPECTIONS_RECHECK_SHARE = env.int("INSPECTIONS_RECHECK_SHARE", default=30)
INSPECTIONS_RECURRENCE_DAYS = env.int("INSPECTIONS_RECURRENCE_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
