"""Failed-login limiting per username and per client address (on top of the `auth` rate throttle).

Counters live in the cache with a sliding-free fixed window: after LIMIT failures within WINDOW seconds,
further attempts for that user (or from that address) answer 429 with Retry-After until the window ends,
whether or not the password is right, so guessing gains nothing. A success clears the user's counter.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle


def _key(kind: str, value: str) -> str:
    return f"login-fail:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"


def _limits() -> dict[str, int]:
    return {
        "user": getattr(settings, "LOGIN_FAILURES_PER_USER", 5),
        "address": getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 20),
    }


def _window() -> int:
    return getattr(settings, "LOGIN_FAILURE_WINDOW_SECONDS", 900)


def client_address(request) -> str:
    """The client's address as DRF's throttles see it (honours REST_FRAMEWORK['NUM_PROXIES'])."""
    return BaseThrottle().get_ident(request) or "unknown"


def blocked_for(username: str, address: str) -> int:
    """Seconds until another attempt is allowed (0 = allowed now)."""
    now = time.time()
    waits = [0]
    for kind, value in (("user", username), ("address", address)):
        if not value:
            continue
        entry = cache.get(_key(kind, value))
        if entry and entry["count"] >= _limits()[kind]:
            waits.append(max(1, int(entry["until"] - now)))
    return max(waits)


def record_failure(username: str, address: str) -> None:
    now = time.time()
    for kind, value in (("user", username), ("address", address)):
        if not value:
            continue
        key = _key(kind, value)
        entry = cache.get(key)
        if not entry or entry["until"] <= now:
            entry = {"count": 0, "until": now + _window()}
        entry["count"] += 1
        cache.set(key, entry, timeout=max(1, int(entry["until"] - now)))


def record_success(username: str) -> None:
    cache.delete(_key("user", username))
