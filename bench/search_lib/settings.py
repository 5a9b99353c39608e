"""Benchmark only: the development settings (DEBUG off through the environment), the
directory's API mounted, and optionally no transaction around requests
(``BENCH_NON_ATOMIC=1``: what marking the read-only views non-atomic would give)."""

import os

from config.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.search_lib.urls"
if os.environ.get("BENCH_NON_ATOMIC") == "1":
    DATABASES["default"]["ATOMIC_REQUESTS"] = False  # noqa: F405
