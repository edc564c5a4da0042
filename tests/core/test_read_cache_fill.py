"""A cache miss is computed by one reader while the others that missed the same key wait for its answer; an
answer that may not be cached (an error) is never handed to the waiters, who compute their own."""

from __future__ import annotations

import threading

from django.core.cache import cache

from core.read_cache import fill_once

READERS = 8


def _read_together(key: str, answer: tuple[object, bool]) -> tuple[list[tuple[object, str]], int]:
    """The first reader misses and computes; while it computes, seven more readers miss the same key. The
    computation is held open until they have had ample time to start their own (0.3 s: not a speed measure,
    only the window in which a reader without the fill lock would compute too). Returns answers and calls."""
    results: list[tuple[object, str]] = [("", "")] * READERS
    entered, release, calls = threading.Event(), threading.Event(), []

    def compute() -> tuple[object, bool]:
        calls.append(1)
        entered.set()
        release.wait(5)
        return answer

    def read(index: int) -> None:
        results[index] = fill_once(key, 60, compute)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    threads[0].start()
    assert entered.wait(5)
    for thread in threads[1:]:
        thread.start()
    release.wait(0.3)
    release.set()
    for thread in threads:
        thread.join(10)
    return results, len(calls)


def test_readers_that_miss_together_compute_once():
    results, calls = _read_together("test:fill-once", ({"revenue": "12.00"}, True))
    assert calls == 1
    assert all(value == {"revenue": "12.00"} for value, _ in results)
    assert [how for _, how in results].count("miss") == 1
    assert cache.get("test:fill-once") == {"revenue": "12.00"}
    assert cache.get("test:fill-once:filling") is None


def test_an_uncacheable_answer_is_not_shared_and_not_stored():
    results, calls = _read_together("test:fill-error", ({"detail": "database unavailable"}, False))
    assert calls == READERS  # every reader computed its own answer
    assert all(how == "miss" for _, how in results)
    assert cache.get("test:fill-error") is None
