"""The whole /api/v1, fuzzed by Schemathesis from its own OpenAPI document (issue 8,
item 22): no server error, and every answer (status code, content type, body) is one the
document declares. Reproducible: derandomized, with a fixed number of examples per
operation (``IMMERSIO_FUZZ_EXAMPLES``; CI's PostgreSQL pass raises it)."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Not checked: that every request of the documented shape is accepted. The directory
# refuses, with a documented 422, what OpenAPI cannot express: unknown codes, a latitude
# without a longitude, a search without any criterion, a page past the last one.
EXAMPLES = int(os.environ.get("IMMERSIO_FUZZ_EXAMPLES", "25"))


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _connection_kept_between_requests():
    """As Django's test client does: the WSGI handler would otherwise close the test's
    database connection, inside its transaction, at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("referentials", "_connection_kept_between_requests")
def test_api_conforms_to_its_openapi_document(settings):
    # Schemathesis' lazy pytest fixture does not work with this pytest: one test walks the
    # operations itself, each with its own Hypothesis run.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "convention_check_per_ip": (1_000_000, 60)}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4

    for operation in operations:

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def fuzz(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        fuzz()
