"""Failed-login limiting for every login door: the JWT login, the admin and the browsable API's session login.

One policy and one set of counters in the shared cache, so every web process sees the same numbers:
- per username *and* address: after LOGIN_FAILURES_PER_USER failures (default 5) within the window, that
  username is refused from that address until the window ends, even with the right password, so guessing gains
  nothing. An attacker elsewhere cannot lock the owner out: the owner's address has a counter of its own.
- per address: after LOGIN_FAILURES_PER_ADDRESS failures (default 20) across usernames, the address is refused
  (password spraying).
An owner locked out at their own address gets in with the password-reset mail: setting a new password through
it clears every lock on the username (`forgive`). Unknown usernames are counted exactly like known ones and the
lockout message never mentions the user, so no answer reveals whether a username exists.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

from core.cache_versions import bump_version, current_version


def _digest(value: str) -> str:
    return hashlib.sha256(value.lower().encode()).hexdigest()[:32]


def _generation_key(username: str) -> str:
    return f"login-fail:gen:{_digest(username)}"


def _keys(username: str, address: str) -> dict[str, str]:
    keys = {}
    if address:
        keys["address"] = f"login-fail:address:{_digest(address)}"
    if username:
        # The username's generation token is part of the key, so `forgive` clears it at every address at once.
        generation = current_version(_generation_key(username))
        keys["user"] = f"login-fail:pair:{generation}:{_digest(username + chr(0) + address)}"
    return keys


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


def lockout_message(wait: int) -> str:
    """The same words whether or not the username exists."""
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Too many failed logins for this username from your address. Try again in %(minutes)s minute, or reset "
        "your password with the link sent by POST /api/v1/auth/password-reset/.",
        "Too many failed logins for this username from your address. Try again in %(minutes)s minutes, or reset "
        "your password with the link sent by POST /api/v1/auth/password-reset/.",
        minutes,
    ) % {"minutes": minutes}


def blocked_for(username: str, address: str) -> int:
    """Seconds until another attempt is allowed (0 = allowed now)."""
    now = time.time()
    waits = [0]
    limits = _limits()
    for kind, key in _keys(username, address).items():
        entry = cache.get(key)
        if entry and entry["count"] >= limits[kind]:
            waits.append(max(1, int(entry["until"] - now)))
    return max(waits)


def record_failure(username: str, address: str) -> None:
    now = time.time()
    for key in _keys(username, address).values():
        entry = cache.get(key)
        if not entry or entry["until"] <= now:
            entry = {"count": 0, "until": now + _window()}
        entry["count"] += 1
        cache.set(key, entry, timeout=max(1, int(entry["until"] - now)))


def record_success(username: str, address: str) -> None:
    """A right password clears the failures of that username at that address (not the address's own count)."""
    key = _keys(username, address).get("user")
    if key:
        cache.delete(key)


def forgive(username: str) -> None:
    """Clears every lock on the username, at every address: the owner proved who they are (password reset)."""
    if username:
        bump_version(_generation_key(username))
