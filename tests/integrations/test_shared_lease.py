"""The iiko seat lease: one owner at a time; a worker whose lease expired can neither renew nor release the lease
another worker took since (real Redis on db 8 when reachable, and the shared cache)."""

from __future__ import annotations

import time
import uuid

import pytest

from integrations.limits import CacheLease, RedisLease


def _redis_client():
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/8", socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return client


@pytest.fixture(params=["redis", "cache"])
def make_lease(request):
    key = f"sf:test-lease:{uuid.uuid4().hex}"
    if request.param == "redis":
        client = _redis_client()
        yield lambda owner: RedisLease(key, owner, client=client)
        client.delete(key)
    else:
        yield lambda owner: CacheLease(key, owner)


def test_one_owner_at_a_time(make_lease):
    first, second = make_lease("first"), make_lease("second")
    assert first.take(30)
    assert not second.take(30)
    assert not second.release()  # not its lease: left alone
    assert not second.take(30)
    assert first.release()
    assert second.take(30)


def test_an_expired_lease_taken_by_another_is_not_renewed_or_released_by_the_first(make_lease):
    first, second = make_lease("first"), make_lease("second")
    assert first.take(0.2)
    time.sleep(0.3)  # the first worker stalled past its lease
    assert second.take(30)
    assert not first.renew(30)
    assert not first.release()
    assert not make_lease("third").take(30)  # still the second's
