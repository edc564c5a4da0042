"""Issue 14: two worker processes syncing one account stay within the account's upstream rate limit together.

Two real OS processes build an HttpClient for the same account (same rate-limit key) and send requests to one
loopback upstream that enforces the limit itself, answering 429 to any request over it (with one request of
slack for the two clocks). With the shared bucket — Redis when REDIS_URL is set, else the database — the
upstream refuses nothing. The control case gives each process its own key, i.e. what the per-process buckets
did before: the upstream then sees twice the rate and refuses requests, so the check can fail.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

RATE_PER_S = 10.0
BURST = 2
REQUESTS_PER_WORKER = 12
ROOT = Path(__file__).resolve().parents[2]

WORKER = r"""
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from integrations.http import ClientConfig, HttpClient, RetryPolicy
from integrations import errors

url, key, count, barrier = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
config = ClientConfig(rate_per_minute=float(os.environ["RATE_PER_MIN"]), rate_burst=float(os.environ["BURST"]),
                      retry=RetryPolicy(max_attempts=1), connect_timeout=5, read_timeout=5)
client = HttpClient(account_name="two workers", base_url=url, config=config, rate_limit_key=key)
(barrier / f"ready-{os.getpid()}").touch()
while not (barrier / "go").exists():
    time.sleep(0.01)
ok = refused = 0
for _ in range(count):
    try:
        client.get("ping")
        ok += 1
    except errors.RateLimited:
        refused += 1
print(json.dumps({"ok": ok, "refused": refused}))
"""


class LimitedUpstream:
    """A loopback server allowing RATE_PER_S requests per second with bursts of BURST (+1 of slack)."""

    def __init__(self) -> None:
        self.server = HTTPServer(host="127.0.0.1", threaded=True)
        self.server.expect_request("/ping").respond_with_handler(self.handle)
        self.lock = threading.Lock()
        self.capacity = BURST + 1.0
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.served = self.refused = 0

    def handle(self, request: Request) -> Response:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * RATE_PER_S)
            self.updated = now
            if self.tokens < 1:
                self.refused += 1
                return Response("slow down", status=429)
            self.tokens -= 1
            self.served += 1
        return Response("pong")


@pytest.fixture
def upstream():
    server = LimitedUpstream()
    server.server.start()
    yield server
    server.server.clear()
    server.server.stop()


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/8", socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no Redis here: that variant is skipped, saying so
        return False


def _database_env(tmp_path: Path) -> dict[str, str]:
    """A SQLite file holding only the bucket table, shared by the two worker processes."""
    path = tmp_path / "buckets.sqlite3"
    with sqlite3.connect(path) as db:
        # in WAL mode already, as `migrate` leaves a real database: two processes that each switch a fresh file to WAL
        # in the same instant (the settings' init_command) can meet "database is locked"
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE integrations_ratelimitbucket (id integer PRIMARY KEY AUTOINCREMENT, "
                   "bucket_key varchar(200) NOT NULL UNIQUE, tokens real NOT NULL, updated real NOT NULL)")
    return {"DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": ""}


def run_two_workers(upstream: LimitedUpstream, tmp_path: Path, env: dict[str, str], keys: tuple[str, str]
                    ) -> list[dict[str, int]]:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT),
                   "RATE_PER_MIN": str(RATE_PER_S * 60), "BURST": str(BURST), **env}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, upstream.server.url_for("/"), key,
                                 str(REQUESTS_PER_WORKER), str(barrier)],
                                cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for key in keys]
    try:
        deadline = time.monotonic() + 120
        while len(list(barrier.glob("ready-*"))) < 2:
            assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        (barrier / "go").touch()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


@pytest.mark.parametrize("store", ["redis", "database"])
def test_two_worker_processes_share_the_account_limit(upstream, tmp_path, store):
    if store == "redis":
        if not _redis_available():
            pytest.skip("Redis is not reachable on 127.0.0.1:6379")
        env = {"REDIS_URL": "redis://127.0.0.1:6379/8"}
        key = f"test-two-workers-{os.getpid()}-{time.time_ns()}"
    else:
        env = _database_env(tmp_path)
        key = "account:1"
    results = run_two_workers(upstream, tmp_path, env, (key, key))
    assert upstream.refused == 0, results
    assert upstream.served == 2 * REQUESTS_PER_WORKER
    assert [r["refused"] for r in results] == [0, 0]


def test_control_separate_buckets_exceed_the_limit(upstream, tmp_path):
    """What per-process buckets did: each worker alone is within the limit, together they are not."""
    results = run_two_workers(upstream, tmp_path, _database_env(tmp_path), ("account:1", "account:1:other"))
    assert upstream.refused > 0, results
