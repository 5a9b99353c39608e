"""Benchmark only: the development settings without a transaction around each request.

What the API would cost if its read-only views were marked ``non_atomic_requests`` (see
docs/performance.md); never used to serve the site.
"""

from config.settings.dev import *  # noqa: F403

DATABASES["default"]["ATOMIC_REQUESTS"] = False  # noqa: F405
