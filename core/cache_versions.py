"""Version tokens in the shared cache: a whole family of cached entries is invalidated by changing one token.

Keys that embed the current token are never read again once it changes, and simply expire; that is cheaper and
safer than finding and deleting them, and it works the same on the database cache and on Redis.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache


def current_version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        # add() keeps the first writer's token when several processes start at once.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def bump_version(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)
