"""Short-lived, shared cache for the expensive dashboard reads (analytics aggregates, planning health).

Those answers are aggregates over the whole demand history: 30–150 ms of database work on a million rows, the
same for every user who opens the dashboard. They are cached in the shared cache (the database cache table by
default, Redis with REDIS_URL) under a key made of the path, the sorted query string and a *data version*.
Any committed write to a domain model bumps the version (see `connect_invalidation`), so a planner who syncs,
imports or edits sees fresh figures at once; `API_CACHE_SECONDS` bounds how long a bulk write that saves no model
row at all could go unseen. Permission checks and query validation run before the cache is consulted, so a
cached answer is never served to someone who may not see it, and a bad query is still a 400.

A miss is computed once, not once per waiting reader: the first reader takes a short fill lock in the shared
cache and computes; readers of the same key that arrive meanwhile wait for its answer (`FILL_WAIT_SECONDS` at
most, then compute themselves). Without it, fifty dashboards opened after a sync would each run the same
aggregate over a million rows at the same moment. Only 200 answers are cached; an error is never stored, and a
reader waiting on a fill that ended without an answer computes its own.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

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


# How long a reader waits for another reader's fill of the same key, and how often it looks.
FILL_WAIT_SECONDS = 10.0
FILL_POLL_SECONDS = 0.02


def fill_once(key: str, seconds: int, compute: Callable[[], tuple[Any, bool]]) -> tuple[Any, str]:
    """The cached value of `key`, or the one computed by exactly one of the readers that missed it together.

    `compute()` answers (value, cacheable). Returns (value, how): "hit", "miss" (this reader computed it) or
    "wait" (another reader did). A reader that waited past FILL_WAIT_SECONDS, or whose filler stored nothing
    (an error answer, a crash), computes itself: the lock only saves work, it never decides the answer.
    """
    value = cache.get(key)
    if value is not None:
        return value, "hit"
    lock = f"{key}:filling"
    if not cache.add(lock, 1, timeout=int(FILL_WAIT_SECONDS) + 5):
        deadline = time.monotonic() + FILL_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(FILL_POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value, "wait"
            if cache.get(lock) is None:  # the filler finished without storing an answer
                break
        value, cacheable = compute()
        if cacheable:
            cache.set(key, value, timeout=seconds)
        return value, "miss"
    try:
        value, cacheable = compute()
        if cacheable:
            cache.set(key, value, timeout=seconds)
    finally:
        cache.delete(lock)
    return value, "miss"


def cached_read(get: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate an APIView `get` whose 200 answer depends only on the URL and the data, not on the user."""

    @functools.wraps(get)
    def wrapper(view, request: Request, *args, **kwargs) -> Response:
        seconds = cache_seconds()
        if seconds <= 0:
            return get(view, request, *args, **kwargs)
        computed: list[Response] = []

        def compute() -> tuple[Any, bool]:
            response = get(view, request, *args, **kwargs)
            computed.append(response)
            return response.data, response.status_code == 200

        data, how = fill_once(read_cache_key(request), seconds, compute)
        if computed:
            response = computed[0]
            if response.status_code != 200:
                return response
        else:
            response = Response(data)
        response["X-Cache"] = "hit" if how in ("hit", "wait") else "miss"
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
