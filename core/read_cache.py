"""Short-lived, shared cache for the expensive dashboard reads (analytics aggregates, planning health).

Those answers are aggregates over the whole demand history: 30–150 ms of database work on a million rows, the
same for every user who opens the dashboard. They are cached in the shared cache (the database cache table by
default, Redis with REDIS_URL) under a key made of the path, the sorted query string and a *data version*.
Any committed write to a domain model bumps the version (see `connect_invalidation`), so a planner who syncs,
imports or edits sees fresh figures at once; `API_CACHE_SECONDS` bounds how long a bulk write that saves no model
row at all could go unseen. Permission checks and query validation run before the cache is consulted, so a
cached answer is never served to someone who may not see it, and a bad query is still a 400.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.request import Request
from rest_framework.response import Response

from core.cache_versions import bump_version, current_version

VERSION_KEY = "sf:data-version"
# Apps whose rows feed the cached answers; a write to any of their models invalidates every cached read.
DOMAIN_APPS = frozenset({"branches", "sales", "forecasting", "planning", "integrations"})


def cache_seconds() -> int:
    return int(getattr(settings, "API_CACHE_SECONDS", 0))


def data_version() -> str:
    return current_version(VERSION_KEY)


def bump_data_version() -> None:
    """Invalidate every cached read at once."""
    bump_version(VERSION_KEY)


def read_cache_key(request: Request) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.lists()))
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:40]
    return f"sf:read:{data_version()}:{digest}"


def cached_read(get: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate an APIView `get` whose 200 answer depends only on the URL and the data, not on the user."""

    @functools.wraps(get)
    def wrapper(view, request: Request, *args, **kwargs) -> Response:
        seconds = cache_seconds()
        if seconds <= 0:
            return get(view, request, *args, **kwargs)
        key = read_cache_key(request)
        data = cache.get(key)
        if data is not None:
            response = Response(data)
            response["X-Cache"] = "hit"
            return response
        response = get(view, request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.data, timeout=seconds)
            response["X-Cache"] = "miss"
        return response

    return wrapper


def _on_domain_write(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if sender._meta.app_label not in DOMAIN_APPS or cache_seconds() <= 0:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        bump_data_version()
        return
    # One bump per transaction, after it commits (a bump before the commit could let a reader cache the old
    # rows under the new version). A rolled-back savepoint or transaction drops the callback from run_on_commit,
    # and then the next write registers a new one.
    pending = getattr(connection, "_sf_pending_bump", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return

    def bump() -> None:
        connection._sf_pending_bump = None
        bump_data_version()

    connection._sf_pending_bump = bump
    transaction.on_commit(bump, using=using)


def connect_invalidation() -> None:
    for name, signal in (("post_save", post_save), ("post_delete", post_delete), ("m2m_changed", m2m_changed)):
        signal.connect(_on_domain_write, dispatch_uid=f"core.read_cache.{name}")
