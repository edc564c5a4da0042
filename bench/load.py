"""Load bench: gunicorn on PostgreSQL with 1,000,000 daily sales; 50 concurrent users for 60 s.

Run by hand (one bench at a time; it owns the database named by BENCH_PG_URL):

    .venv/bin/python bench/load.py                     # 1M rows, 50 users, 60 s
    .venv/bin/python bench/load.py --rows 100000 --users 20 --seconds 20

It (1) migrates the bench database and loads the rows through the real ingest service (once; reused when
present), (2) starts gunicorn on 127.0.0.1 with production-like settings, (3) runs a threaded client: each
user logs in once, then loops over the main read endpoints with an occasional sync trigger, (4) prints
requests/s, p50/p95/p99 per endpoint and overall, and the error count. The first seconds of a gunicorn start
are its own warm-up and are measured too (no hidden warm-up).

The client runs on the same 2 cores as the server: numbers are a floor, not a capacity figure.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/sf_load_bench"
PORT = 8765
USERNAME, PASSWORD = "load-bench", "Load-Bench-Passw0rd-42"

READS = [
    ("analytics summary", "/api/v1/analytics/summary/?date_from=2024-01-01&date_to=2024-03-31"),
    ("analytics timeseries", "/api/v1/analytics/timeseries/?granularity=week&date_from=2024-01-01&date_to=2024-12-31"),
    ("top products", "/api/v1/analytics/top-products/?by=revenue&limit=10"),
    ("daily sales page", "/api/v1/daily-sales/?page_size=50&date_from=2024-06-01&date_to=2024-06-30"),
    ("products page", "/api/v1/products/?page_size=50"),
    ("branches page", "/api/v1/branches/?page_size=50"),
    ("branch tree", "/api/v1/branches/tree/"),
    ("forecasts page", "/api/v1/forecasting/forecasts/?page_size=50"),
    ("integrations status", "/api/v1/integrations/status/"),
    ("monitoring status", "/api/v1/planning/monitoring/status"),
    ("planning health", "/api/v1/planning/core/health"),
]
SYNC_SHARE = 0.02  # of requests are sync triggers (answered 202 or the running run)


def env_for(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "load-bench-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "THROTTLE_USER": "10000000/min",
        "THROTTLE_ANON": "10000000/min",
        "THROTTLE_AUTH": "10000000/min",
        "LOGIN_FAILURES_PER_ADDRESS": "1000000",
        "LOG_LEVEL": "WARNING",
        "ENV_FILE": "/nonexistent/.env",
        "CREDENTIALS_KEYS": "Vn1mG0m5w2yC7oQKp3nL8x6yU0z4s9e1r2t3y4u5i6o=",
    }


def prepare(url: str, rows: int) -> int:
    """Migrate, load rows (once), create the bench user and one integration account. Returns the account id."""
    os.environ.update(env_for(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "salesforecast.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from bench.ingest import generate
    from integrations.models import IntegrationAccount
    from sales.models import DailySale
    from sales.services.ingest import ingest_daily_sales

    call_command("migrate", verbosity=0)
    have = DailySale.objects.count()
    if have < rows:
        print(f"loading {rows:,} daily sales through the ingest service (have {have:,}) …", flush=True)
        started = time.perf_counter()
        report = ingest_daily_sales(generate(rows), create_missing=True, batch_size=100_000)
        print(f"  {report.rows:,} rows in {time.perf_counter() - started:.0f}s", flush=True)
    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="admin"))
    account, _ = IntegrationAccount.objects.get_or_create(
        name="load-bench 1C", defaults={"kind": "onec", "base_url": "http://127.0.0.1:9/exchange"}
    )
    return account.pk


def start_gunicorn(url: str, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "salesforecast.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(workers), "--threads", "4", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env_for(url), start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/health", timeout=10).status_code == 200:
                return process
        except requests.RequestException:  # not listening yet, or still importing the app
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not become healthy within 60 s")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_users(users: int, seconds: float, account_id: int) -> tuple[dict[str, list[float]], dict[str, int], float]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    start_barrier = threading.Barrier(users + 1)
    stop_at = [0.0]

    # One login, shared: password hashing is deliberately slow (PBKDF2) and is not what this bench measures.
    token = requests.post(f"http://127.0.0.1:{PORT}/api/v1/auth/login/",
                          json={"username": USERNAME, "password": PASSWORD}, timeout=120).json()["access"]

    def user_loop(index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        rng = random.Random(index)
        start_barrier.wait()
        while time.perf_counter() < stop_at[0]:
            if rng.random() < SYNC_SHARE:
                name, method, path = "sync trigger", "POST", f"/api/v1/integrations/accounts/{account_id}/sync/"
                body = {"stream": "org", "mode": "full"}
            else:
                name, path = rng.choice(READS)
                method, body = "GET", None
            began = time.perf_counter()
            try:
                response = session.request(method, f"http://127.0.0.1:{PORT}{path}", json=body, timeout=30)
                ok = response.status_code < 400 or (name == "sync trigger" and response.status_code == 409)
            except requests.RequestException:
                ok = False
            elapsed = time.perf_counter() - began
            with lock:
                latencies[name].append(elapsed)
                if not ok:
                    errors[name] += 1

    threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    start_barrier.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    database = url.rsplit("/", 1)[1]
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                    f"CREATE DATABASE {database}"], capture_output=True)
    account_id = prepare(url, args.rows)
    server = start_gunicorn(url, args.workers)
    try:
        latencies, errors, wall = run_users(args.users, args.seconds, account_id)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(len(v) for v in latencies.values())
    reads = [x for name, values in latencies.items() if name != "sync trigger" for x in values]
    print(f"\n{args.users} users × {wall:.0f}s against gunicorn ({args.workers} workers × 4 threads), "
          f"PostgreSQL, {args.rows:,} daily sales")
    print(f"{'endpoint':<22}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name in sorted(latencies):
        values = latencies[name]
        print(f"{name:<22}{len(values):>10}{percentile(values, .5) * 1000:>9.1f}{percentile(values, .95) * 1000:>9.1f}"
              f"{percentile(values, .99) * 1000:>9.1f}{errors[name]:>8}")
    print(f"{'all reads':<22}{len(reads):>10}{percentile(reads, .5) * 1000:>9.1f}{percentile(reads, .95) * 1000:>9.1f}"
          f"{percentile(reads, .99) * 1000:>9.1f}{sum(v for k, v in errors.items() if k != 'sync trigger'):>8}")
    print(f"throughput: {total / wall:.1f} requests/s; errors: {sum(errors.values())}; "
          f"mean read {statistics.fmean(reads) * 1000 if reads else float('nan'):.1f} ms")
    print(f"aim: p95 of reads < 100 ms → {'met' if percentile(reads, .95) < 0.1 else 'NOT met'}")


if __name__ == "__main__":
    main()
