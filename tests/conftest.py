"""Shared test set-up. Fixtures live in tests/fixtures/, one module per concern."""

import re

import pytest
from hypothesis import settings

# No test asserts a duration: speed is measured by the benchmarks (make bench). Hypothesis'
# default 200 ms deadline per example is such an assertion, and failed in CI on a busy
# machine; every property test runs without it.
settings.register_profile("immersio", deadline=None)
settings.load_profile("immersio")

pytest_plugins = [
    "tests.fixtures.smtp",
    "tests.fixtures.browser",
    "tests.fixtures.referentials",
    "tests.fixtures.structures",
    "tests.fixtures.contacts",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    """``MemorySmsProvider`` (the test settings' SMS provider) starts empty, like
    ``mail.outbox``."""
    from immersio.notifications import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


# A test's name must be the same in every run: the workers of pytest-xdist and the
# snapshot report compare them. A value made at collection time from the clock (a signed
# token: « value:timestamp:signature ») in a parametrize id breaks that at random.
_TIMESTAMPED = re.compile(r":[0-9A-Za-z]{6}:[0-9A-Za-z_-]{20,}")


def pytest_collection_modifyitems(config, items):
    unstable = [item.nodeid for item in items if _TIMESTAMPED.search(item.nodeid)]
    if unstable:
        raise pytest.UsageError(
            "Give these parametrized tests explicit ids (their names change with the "
            f"clock): {unstable[:3]}"
        )
