"""Local development: `make run`."""

from .base import *

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
# Without a local SMTP server, `make run` prints e-mails in the console of the worker,
# decoded and readable: the text version only, every link whole on its own line.
if not env_bool("IMMERSIO_DEV_SMTP"):
    MAILERS = {"default": {"BACKEND": "immersio.notifications.backends.ReadableConsoleBackend"}}
WHITENOISE_AUTOREFRESH = True  # serve from the finders, no collectstatic needed
