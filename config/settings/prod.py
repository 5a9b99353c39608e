"""Production: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *


def _weak_secret_key(key: str) -> bool:
    """Django's own criteria (check security.W009): short, repetitive, or generated for
    development."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY doit être défini en production "
        "(DJANGO_SECRET_KEY must be set in production)."
    )
if _weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY est trop faible : au moins 50 caractères aléatoires, par exemple "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "(DJANGO_SECRET_KEY is too weak: use at least 50 random characters)."
    )
if not os.environ.get("IMMERSIO_SITE_URL", "").strip():
    raise ImproperlyConfigured(
        "IMMERSIO_SITE_URL doit être défini en production : l’adresse publique du site, "
        "par exemple https://immersio.example, pour les liens des e-mails "
        "(IMMERSIO_SITE_URL must be set in production)."
    )
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"IMMERSIO_SITE_URL doit commencer par https:// en production (reçu : {SITE_URL!r}) "
        "(IMMERSIO_SITE_URL must be an https:// address in production)."
    )
if SMS_PROVIDER == CONSOLE_SMS_PROVIDER and not os.environ.get("IMMERSIO_SMS_PROVIDER"):
    raise ImproperlyConfigured(
        "IMMERSIO_SMS_PROVIDER doit être défini en production : le chemin de la classe qui "
        "envoie les SMS (codes de signature). Pour n'envoyer aucun SMS et les écrire dans "
        f"le journal, indiquez-le explicitement : IMMERSIO_SMS_PROVIDER={CONSOLE_SMS_PROVIDER} "
        "(IMMERSIO_SMS_PROVIDER must be set in production)."
    )
if SMS_PROVIDER.endswith(".MemorySmsProvider"):
    raise ImproperlyConfigured(
        "IMMERSIO_SMS_PROVIDER ne peut pas être le fournisseur des tests en production : "
        "les SMS resteraient en mémoire (IMMERSIO_SMS_PROVIDER: the test provider sends "
        "nothing)."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_USE_FINDERS = False

if SENTRY_DSN:
    from immersio.core import sentry

    sentry.init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE", ""),
    )
