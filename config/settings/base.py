"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP
from xstatic.pkg import bootstrap as xstatic_bootstrap
from xstatic.pkg import leaflet as xstatic_leaflet

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("IMMERSIO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database lives here by default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = os.environ.get("IMMERSIO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PLATFORM_NAME = "Immersio"
# Who runs this instance (shown on the legal notice page).
OPERATOR = {
    "name": os.environ.get("IMMERSIO_OPERATOR_NAME", "Instance de démonstration d'Immersio"),
    "address": os.environ.get("IMMERSIO_OPERATOR_ADDRESS", "Adresse à renseigner par l'exploitant"),
    "publisher": os.environ.get("IMMERSIO_OPERATOR_PUBLISHER", "Nom à renseigner par l'exploitant"),
    "host": os.environ.get(
        "IMMERSIO_OPERATOR_HOST",
        "Hébergeur à renseigner par l'exploitant (nom, adresse, téléphone).",
    ),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_tasks_db",
    "sesame",
    "ninja",
    "immersio.core",
    "immersio.referentials",
    "immersio.accounts",
    "immersio.notifications",
    "immersio.teams",
    "immersio.structures",
    "immersio.directory",
    "immersio.contacts",
    "immersio.agencies",
    "immersio.conventions",
    "immersio.orientation",
    "immersio.testimonies",
    "immersio.resource_people",
    "immersio.events",
    "immersio.journal",
    "immersio.assessments",
    "immersio.privacy",
    "immersio.api",
    "immersio.demo",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "immersio.core.middleware.PermissionsPolicyMiddleware",
    "immersio.core.middleware.ControlCharactersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "immersio" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "immersio.core.context_processors.platform",
            ],
            # French plural rule for |pluralize in every template (0 and 1: singular).
            "builtins": ["immersio.core.templatetags.french"],
        },
    },
]

# Every field and form is drawn by the project's templates (immersio/core/forms.py).
FORM_RENDERER = "immersio.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'immersio.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes;
    # IMMEDIATE transactions avoid "database is locked" upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0
        if ":memory:" in str(DATABASES["default"]["NAME"])
        else DATABASES["default"]["CONN_MAX_AGE"]
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Magic links (django-sesame): 15 minutes, single use, bound to the last login.
SESAME_MAX_AGE = 15 * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "jeton"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
# Django's own messages rewritten for people (locale/fr/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "immersio" / "static",
    ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR),
    ("vendor/leaflet", xstatic_leaflet.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Files only their parties may read (``core.storage``): never under a public URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("IMMERSIO_PRIVATE_ROOT", str(BASE_DIR / "var" / "private")),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
WHITENOISE_USE_FINDERS = True

# E-mail: rows in the outbox, sent by the worker through the "default" mailer (SMTP).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "1025")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "use_ssl": env_bool("EMAIL_USE_SSL"),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Immersio <ne-pas-repondre@immersio.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
HELP_EMAIL = os.environ.get("IMMERSIO_HELP_EMAIL", "aide@immersio.fr")
# Outbox retries: attempt n waits OUTBOX_BACKOFF_BASE * 2**(n-1) seconds, capped.
# An e-mail is given up only this long after its first attempt (an SMTP outage of up to
# 3 days never loses one); a send that a killed worker left "sending" is taken up again
# after OUTBOX_SENDING_LEASE seconds, with the same Message-ID.
OUTBOX_GIVE_UP_AFTER_HOURS = float(os.environ.get("OUTBOX_GIVE_UP_AFTER_HOURS", "96"))
OUTBOX_SENDING_LEASE = float(os.environ.get("OUTBOX_SENDING_LEASE", "45"))
OUTBOX_BACKOFF_BASE = float(os.environ.get("OUTBOX_BACKOFF_BASE", "30"))
OUTBOX_BACKOFF_MAX = float(os.environ.get("OUTBOX_BACKOFF_MAX", "3600"))
# Notifications marked ``deferred`` are rendered by the worker, not in the request
# (immersio/notifications/deferred.py). Off, they are rendered at once, as all others.
NOTIFICATIONS_DEFERRED = os.environ.get("NOTIFICATIONS_DEFERRED", "1") == "1"

# SMS (one-time codes): rows in ``OutboundSms``, sent by the worker through the provider
# this dotted path names (``immersio/notifications/sms.py``). The console provider only
# writes them to the log: production refuses it unless IMMERSIO_SMS_PROVIDER names it.
CONSOLE_SMS_PROVIDER = "immersio.notifications.sms.ConsoleSmsProvider"
# How a signatory proves they sign (conventions.signing): a one-time code by default; a
# qualified trust service would implement the same interface.
CONVENTION_SIGNATURE_PROVIDER = os.environ.get(
    "IMMERSIO_SIGNATURE_PROVIDER", "immersio.conventions.signing.OneTimeCodeProvider"
)
SMS_PROVIDER = os.environ.get("IMMERSIO_SMS_PROVIDER", "").strip() or CONSOLE_SMS_PROVIDER
# An SMS is given up after this many failed attempts (same backoff as the e-mails): it
# carries a code valid a few minutes, so days of retries would be pointless.
SMS_MAX_ATTEMPTS = int(os.environ.get("IMMERSIO_SMS_MAX_ATTEMPTS", "5"))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails", "sms"],
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "immersio_cache",
    }
}

# Rate limits for public forms: (attempts, window in seconds).
# Number of trusted reverse proxies in front of the site (0: read REMOTE_ADDR).
RATE_LIMIT_PROXY_HOPS = int(os.environ.get("IMMERSIO_TRUSTED_PROXY_HOPS", "0"))
RATE_LIMITS = {
    "login_link_per_email": (3, 15 * 60),
    "login_link_per_ip": (20, 60 * 60),
    "structure_registration_per_ip": (10, 60 * 60),
    "structure_join_request_per_ip": (5, 60 * 60),
    "contact_request_per_email": (5, 24 * 60 * 60),
    "contact_request_per_ip": (20, 60 * 60),
    "contact_message_per_user": (30, 60 * 60),
    "board_post_per_user": (5, 24 * 60 * 60),
    "board_report_per_ip": (10, 60 * 60),
    "convention_check_per_ip": (120, 60),
    "agency_registration_per_ip": (10, 60 * 60),
    "convention_draft_per_user": (10, 24 * 60 * 60),
    "convention_draft_per_ip": (30, 24 * 60 * 60),
    # Signature codes a signatory may ask for, and new links after an expired one.
    "signature_code_per_signatory": (5, 60 * 60),
    "signature_link_renewal": (1, 60 * 60),
    # Events a member of a structure's team may propose in a day (events.services).
    "event_submission_per_user": (5, 24 * 60 * 60),
}

# SIRENE look-up (public "recherche d'entreprises" API) to prefill a structure's
# registration; off by default, the form then asks for everything.
SIRENE_LOOKUP_ENABLED = env_bool("IMMERSIO_SIRENE_LOOKUP", False)
SIRENE_API_URL = os.environ.get(
    "IMMERSIO_SIRENE_API_URL", "https://recherche-entreprises.api.gouv.fr/search"
)
SIRENE_CLIENT = ""  # dotted path of a SireneClient class (tests); empty: the settings above

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "immersio.core.views.csrf_failure"
# Browser features no page uses, refused to every page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)

# A strict Content Security Policy: no inline script or style, nothing from elsewhere
# but the map tiles (a setting, added by the directory).
MAP_TILE_URL = os.environ.get(
    "IMMERSIO_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
_tiles = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.scheme and _tiles.netloc else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

NINJA_PAGINATION_MAX_LIMIT = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No personal data in logs: IP addresses truncated, e-mail addresses and link secrets
    # masked, on every handler (immersio/core/log_privacy.py).
    "filters": {"personal_data": {"()": "immersio.core.log_privacy.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (on under DEBUG) printed every « django.* » line a
        # second time, unformatted and without the personal-data filter: the root's only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"level": "WARNING"},
        # WeasyPrint tells each step of every PDF at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
    },
}

# Error reporting (optional): Sentry, without personal data (immersio/core/sentry.py).
# The 500 page says « l’équipe est prévenue » only when this is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
