"""Fixed-window rate limits for public forms and the API, counted in the database.

``hit("login_link_per_email", key)`` counts one attempt and says whether it is allowed.
The count is one atomic statement (``INSERT … ON CONFLICT … DO UPDATE SET count = count + 1
RETURNING count``, on PostgreSQL and SQLite alike), so that parallel requests, from any
number of threads or server processes, can never both read the same count
(docs/adr/0003-rate-limits-in-the-database.md). Keys are hashed so that no e-mail address
or IP lands in the database in clear.
"""

import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import RateLimitCounter


def client_ip(request) -> str:
    """The visitor's address. Behind ``RATE_LIMIT_PROXY_HOPS`` trusted reverse proxies,
    read it from X-Forwarded-For, counting from the right (the part a client cannot forge);
    otherwise REMOTE_ADDR."""
    hops = settings.RATE_LIMIT_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def _digest(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]


def window_start(window: int, now: datetime | None = None) -> datetime:
    """The start of the fixed window of ``window`` seconds that contains ``now``."""
    stamp = (now or timezone.now()).timestamp()
    return datetime.fromtimestamp(stamp - stamp % window, tz=UTC)


# One statement, atomic on PostgreSQL and SQLite (3.35+). The table is core.RateLimitCounter.
UPSERT = (
    'INSERT INTO "core_ratelimitcounter" (scope, key, window_start, count) '
    "VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (scope, key, window_start) "
    'DO UPDATE SET count = "core_ratelimitcounter".count + 1 '
    "RETURNING count"
)


def count(scope: str, key: str) -> int:
    """Count one attempt for ``key`` in ``scope``; the number of attempts in this window,
    this one included."""
    _, window = settings.RATE_LIMITS[scope]
    start = RateLimitCounter._meta.get_field("window_start").get_db_prep_value(
        window_start(window), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [scope, _digest(scope, key.strip().lower()), start])
        return cursor.fetchone()[0]


def hit(scope: str, key: str) -> bool:
    """Count one attempt for ``key`` in ``scope``; True while under the limit."""
    limit, _ = settings.RATE_LIMITS[scope]
    return count(scope, key) <= limit
