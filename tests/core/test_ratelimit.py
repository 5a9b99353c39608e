import pytest
from django.test import RequestFactory, override_settings

from immersio.core import ratelimit


def test_client_ip_ignores_forwarded_header_without_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert ratelimit.client_ip(request) == "10.0.0.1"


@override_settings(RATE_LIMIT_PROXY_HOPS=1)
def test_client_ip_behind_one_trusted_proxy_takes_the_rightmost_address():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert ratelimit.client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"test_scope": (2, 60)})
def test_hit_allows_up_to_the_limit_then_refuses_case_insensitively():
    assert ratelimit.hit("test_scope", "Someone@Example.org")
    assert ratelimit.hit("test_scope", "someone@example.org")
    assert not ratelimit.hit("test_scope", "SOMEONE@example.org")
    assert ratelimit.hit("test_scope", "other@example.org")


def test_the_upsert_names_the_counter_table():
    from immersio.core.models import RateLimitCounter

    assert f'"{RateLimitCounter._meta.db_table}"' in ratelimit.UPSERT
