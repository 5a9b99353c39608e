"""The test suite: strict, fast, offline."""

import os
import tempfile

from .base import *

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdef0123456789abcdef0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in the test process when a test asks; the outbox is driven explicitly.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "emails", "sms"],
    }
}
# SMS land in immersio.notifications.sms.outbox (emptied before each test).
SMS_PROVIDER = "immersio.notifications.sms.MemorySmsProvider"
# The test runner swaps every mailer for locmem; tests that need the real SMTP path
# use the `smtp_server` fixture, which points the default mailer at its own server.
OUTBOX_BACKOFF_BASE = 1
# Tests read the e-mails a service wrote right after calling it: rendered at once, as the
# worker would (tests/notifications/test_deferred.py runs the deferred path itself).
NOTIFICATIONS_DEFERRED = False
OUTBOX_BACKOFF_MAX = 2
# Each test process writes private files to its own temporary folder.
STORAGES["private"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="immersio-private-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = __import__(
    "immersio.core.testing", fromlist=["InvalidTemplateVariable"]
).InvalidTemplateVariable()
LOGGING["root"]["level"] = "WARNING"
WHITENOISE_AUTOREFRESH = True  # serve from the finders, no collectstatic needed

# Every HTML page rendered by a test loads each script once.
MIDDLEWARE = [*MIDDLEWARE, "immersio.core.testing.ScriptsOnce"]
