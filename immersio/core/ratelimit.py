"""Fixed-window rate limits kept in the cache, for public forms.

``hit("login_link_per_email", key)`` counts one attempt and says whether it is allowed.
Keys are hashed so that no e-mail address or IP lands in the cache in clear.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


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


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    bucket = int(time.time() // window)
    return f"rl:{scope}:{digest}:{bucket}"


def hit(scope: str, key: str) -> bool:
    """Count one attempt for ``key`` in ``scope``; True while under the limit."""
    limit, window = settings.RATE_LIMITS[scope]
    cache_key = _cache_key(scope, key.strip().lower(), window)
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    return count <= limit
