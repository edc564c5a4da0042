"""Django's Redis cache with one redis-py client per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every get, set or add, and redis-py 8
builds its table of some 170 response callbacks in every constructor: measured on a cached API answer (six cache
operations: throttles, permissions, data version, the answer), that was about a quarter of the request's CPU.
A `redis.Redis` is safe to share between threads (each command borrows a connection from the pool), and Django
already keeps one cache object per thread, so reusing the client changes nothing but the cost.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pool itself is kept alive by self._pools
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
