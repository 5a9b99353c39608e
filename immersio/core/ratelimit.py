"""Fixed-window rate limits kept in the cache, for public forms.

``hit("login_link_per_email", key)`` counts one attempt and says whether it is allowed.
Keys are hashed so that no e-mail address or IP lands in the cache in clear.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
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
