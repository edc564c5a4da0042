"""The Redis cache backend reuses one redis-py client per connection pool and behaves as Django's own."""

from __future__ import annotations

import uuid

import pytest

from core.cache_backends import RedisCache

URL = "redis://127.0.0.1:6379/8"


@pytest.fixture
def redis_cache():
    try:
        import redis

        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis here: skipped, saying so
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-cache-backend-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["a", "b", "n", "gone"])


def test_one_client_per_pool_and_the_usual_operations(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("a", {"x": 1}, 60)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("a", "other", 60) is False and redis_cache.add("b", 2, 60) is True
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": 2}
    redis_cache.set("n", 1, 60)
    assert redis_cache.incr("n", 4) == 5
    redis_cache.set("gone", 1, 60)
    assert redis_cache.delete("gone") is True and redis_cache.get("gone", "default") == "default"
    assert redis_cache._cache.get_client() is client
