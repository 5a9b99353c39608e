"""Error reporting to Sentry, when ``SENTRY_DSN`` is set, without personal data.

The SDK is told not to send personal data (no cookies, IP address, user, request body,
local variables); ``scrub`` also drops what the request still carries (query string,
headers but the user agent) and the text of log messages, which may quote an address.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

KEPT_HEADERS = {"user-agent", "content-type", "content-length", "accept", "accept-language"}


def scrub(event, hint=None):
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("env", None)
        if request.get("query_string"):
            request["query_string"] = "[Filtered]"
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
            }
    event.pop("user", None)
    event.pop("breadcrumbs", None)
    return event


def init(dsn: str, *, environment: str = "", release: str = "", **options) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEPT_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub,
        **options,
    )
