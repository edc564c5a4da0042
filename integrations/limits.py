"""Upstream rate limits and iiko licence-seat leases shared by every worker process.

A token bucket in one process's memory let two workers syncing one account send twice the account's rate, and
a lease released by "get, compare, delete" could delete a lease another worker had just taken. Here:

* with `REDIS_URL` set, the bucket is one Lua script (`RedisTokenBucket`) and the lease `SET NX PX` plus
  compare-and-delete / compare-and-renew scripts (`RedisLease`): each step is atomic in Redis, and Redis's own
  clock is the only clock, so processes on several hosts agree;
* without it, the bucket is one upsert statement on the database (`DatabaseTokenBucket`, table
  `integrations_ratelimitbucket`), atomic on SQLite and PostgreSQL alike; the lease stays in the shared cache
  (`cache.add` is atomic on the database cache too) with owner-checked renew and release.

Both buckets reserve: a caller takes `weight` units now, possibly going below zero, and waits the returned
seconds before sending, so concurrent callers queue up behind each other instead of bursting together.
"""

from __future__ import annotations

import functools
import math
import time
from typing import Any

from django.conf import settings
from django.db import connection, connections

_TOKEN_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local weight = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate) - weight
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(math.max(now, updated)))
redis.call('EXPIRE', KEYS[1], ttl)
if tokens >= 0 then
  return '0'
end
return tostring(-tokens / rate)
"""

_RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_RENEW_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


def redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


@functools.lru_cache(maxsize=4)
def _redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)


def redis_client() -> Any:
    """The Redis client for REDIS_URL (one connection pool per process and URL)."""
    return _redis_client(redis_url())


class RedisTokenBucket:
    """`rate` units per second, bursts up to `capacity`, kept in Redis under `key` (atomic, Redis's clock)."""

    def __init__(self, key: str, rate: float, capacity: float, *, client: Any = None) -> None:
        self.key = f"sf:rate:{key}"
        self.rate = rate
        self.capacity = capacity
        self.client = client or redis_client()
        self._script = self.client.register_script(_TOKEN_BUCKET_LUA)
        self.ttl = int(math.ceil(capacity / rate)) + 60

    def reserve(self, weight: float = 1.0) -> float:
        """Take `weight` units now and return how long to wait before using them."""
        weight = min(weight, self.capacity)
        return float(self._script(keys=[self.key], args=[repr(self.rate), repr(self.capacity), repr(weight),
                                                          self.ttl]))


class DatabaseTokenBucket:
    """The same bucket as one upsert on `integrations_ratelimitbucket`: atomic without Redis.

    Inside a transaction on PostgreSQL the upsert runs on a short-lived connection of its own (autocommit), so
    the reservation is visible to other workers at once and no row lock is held until the sync's transaction
    ends; otherwise (autocommit, or SQLite's single writer) on the default connection.
    """

    def __init__(self, key: str, rate: float, capacity: float) -> None:
        self.key = key[:200]
        self.rate = rate
        self.capacity = capacity

    def reserve(self, weight: float = 1.0) -> float:
        weight = min(weight, self.capacity)
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            own = connections.create_connection("default")
            try:
                tokens = self._upsert(own, weight)
            finally:
                own.close()
        else:
            tokens = self._upsert(connection, weight)
        return 0.0 if tokens >= 0 else -tokens / self.rate

    def _upsert(self, db: Any, weight: float) -> float:
        least, greatest = ("LEAST", "GREATEST") if db.vendor == "postgresql" else ("MIN", "MAX")
        table = "integrations_ratelimitbucket"
        sql = (f"INSERT INTO {table} (bucket_key, tokens, updated) VALUES (%s, %s, %s) "
               f"ON CONFLICT (bucket_key) DO UPDATE SET "
               f"tokens = {least}(%s, {table}.tokens + {greatest}(0, excluded.updated - {table}.updated) * %s) - %s, "
               f"updated = {greatest}({table}.updated, excluded.updated) RETURNING tokens")
        with db.cursor() as cursor:
            cursor.execute(sql, [self.key, self.capacity - weight, time.time(), self.capacity, self.rate, weight])
            return float(cursor.fetchone()[0])


def shared_token_bucket(key: str, rate: float, capacity: float) -> RedisTokenBucket | DatabaseTokenBucket:
    """The bucket every process shares for `key`: Redis when REDIS_URL is set, else the database."""
    if redis_url():
        return RedisTokenBucket(key, rate, capacity)
    return DatabaseTokenBucket(key, rate, capacity)


class RedisLease:
    """A lease held by one owner at a time: SET NX PX to take it, owner-checked scripts to renew and release."""

    def __init__(self, key: str, owner: str, *, client: Any = None) -> None:
        self.key = key
        self.owner = owner
        self.client = client or redis_client()
        self._release = self.client.register_script(_RELEASE_LUA)
        self._renew = self.client.register_script(_RENEW_LUA)

    def take(self, seconds: float) -> bool:
        return bool(self.client.set(self.key, self.owner, nx=True, px=int(seconds * 1000)))

    def renew(self, seconds: float) -> bool:
        return bool(self._renew(keys=[self.key], args=[self.owner, int(seconds * 1000)]))

    def release(self) -> bool:
        return bool(self._release(keys=[self.key], args=[self.owner]))


class CacheLease:
    """The same lease in the shared cache when there is no Redis (`cache.add` is atomic on every backend)."""

    def __init__(self, key: str, owner: str) -> None:
        self.key = key
        self.owner = owner

    def take(self, seconds: float) -> bool:
        from django.core.cache import cache

        return bool(cache.add(self.key, self.owner, timeout=seconds))

    def renew(self, seconds: float) -> bool:
        from django.core.cache import cache

        return cache.get(self.key) == self.owner and bool(cache.touch(self.key, timeout=seconds))

    def release(self) -> bool:
        from django.core.cache import cache

        if cache.get(self.key) == self.owner:
            cache.delete(self.key)
            return True
        return False


def shared_lease(key: str, owner: str) -> RedisLease | CacheLease:
    return RedisLease(key, owner) if redis_url() else CacheLease(key, owner)
