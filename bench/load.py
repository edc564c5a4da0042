"""Load bench: gunicorn on PostgreSQL with 1,000,000 daily sales; 50 concurrent users for 60 s.

Run by hand (one bench at a time; it owns the database named by BENCH_PG_URL):

    .venv/bin/python bench/load.py                     # 1M rows, 50 users (1–2 s think time), 60 s per phase
    .venv/bin/python bench/load.py --think 0           # closed loop: every user fires again at once
    .venv/bin/python bench/load.py --rows 100000 --users 20 --seconds 20 --phases cached
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/bench14 .venv/bin/python bench/load.py --think 0 \
        --redis-url redis://127.0.0.1:6379/9       # the "cached" phase as deployed in docker/: Redis cache + broker

It (1) migrates the bench database and loads the rows through the real ingest service (once; reused when
present), (2) for each phase starts gunicorn on 127.0.0.1 with production-like settings, (3) runs the users in
separate client processes (threads within each): each user loops over the main read endpoints with an
occasional sync trigger, waiting a think time between requests as a person at a dashboard does, (4) prints
requests/s, p50/p95/p99 per endpoint and overall, and the error count. The phases are the baseline (memory
cache per process, no read cache, as before the read cache; permission sets are cached in both phases) and
"cached" (as deployed: the shared cache — Redis with `--redis-url`, else the database cache table —, dashboard
aggregates cached); the ratios between them are printed
at the end. A gunicorn start's first seconds are measured too (no hidden warm-up; the first reads of the cached
phase are misses).

The client runs on the same 2 cores as the server: numbers are a floor, not a capacity figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import queue
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import requests
from bench_setup import ROOT, bench_environment, setup_django

DATABASE = "sf_load_bench"  # kept between runs: the rows are loaded once
PORT = 8765
USER_PREFIX = "load-bench-"

READS = [
    ("analytics summary", "/api/v1/analytics/summary/?date_from=2024-01-01&date_to=2024-03-31"),
    ("analytics timeseries", "/api/v1/analytics/timeseries/?granularity=week&date_from=2024-01-01&date_to=2024-12-31"),
    ("top products", "/api/v1/analytics/top-products/?by=revenue&limit=10"),
    # inside the generated data (1 M rows run 2023-01-01 .. 2024-05-14), so the page has 50 rows to serialise
    ("daily sales page", "/api/v1/daily-sales/?page_size=50&date_from=2024-04-01&date_to=2024-04-30"),
    ("products page", "/api/v1/products/?page_size=50"),
    ("branches page", "/api/v1/branches/?page_size=50"),
    ("branch tree", "/api/v1/branches/tree/"),
    ("forecasts page", "/api/v1/forecasting/forecasts/?page_size=50"),
    ("integrations status", "/api/v1/integrations/status/"),
    ("monitoring status", "/api/v1/planning/monitoring/status"),
    ("planning health", "/api/v1/planning/core/health"),
]
RAMP_SECONDS = 2.0  # closed loop: users arrive evenly over the phase's first seconds
SYNC_SHARE = 0.02  # of requests are sync triggers (answered 202 or the running run)


# The bench's own settings (on top of bench_setup's): no throttles, plain HTTP, a fixed credentials key.
SETTINGS = {
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "THROTTLE_USER": "10000000/min",
    "THROTTLE_ANON": "10000000/min",
    "THROTTLE_AUTH": "10000000/min",
    "LOGIN_FAILURES_PER_ADDRESS": "1000000",
    "LOG_LEVEL": "WARNING",
    "CREDENTIALS_KEYS": "Vn1mG0m5w2yC7oQKp3nL8x6yU0z4s9e1r2t3y4u5i6o=",
}


def env_for(url: str) -> dict[str, str]:
    """The environment of the gunicorn server: the bench's settings on the bench database."""
    return bench_environment(url, SETTINGS)


def prepare(rows: int, users: int) -> tuple[str, int, list[str]]:
    """Migrate, load rows (once), create one user per simulated user (admin role) and one integration account.

    Returns the database URL, the account id and an access token per user, minted directly: logging 50 users in
    would only measure PBKDF2, and one shared user would put every request on the same throttle counter.
    """
    url = setup_django("postgres", name=DATABASE, keep=True, settings=SETTINGS)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from ingest import generate  # bench/ingest.py

    from integrations.models import IntegrationAccount
    from sales.models import DailySale
    from sales.services.ingest import ingest_daily_sales

    have = DailySale.objects.count()
    if have < rows:
        print(f"loading {rows:,} daily sales through the ingest service (have {have:,}) …", flush=True)
        started = time.perf_counter()
        report = ingest_daily_sales(generate(rows), create_missing=True, batch_size=100_000)
        print(f"  {report.rows:,} rows in {time.perf_counter() - started:.0f}s", flush=True)
    # Planner statistics, as autovacuum keeps them on a production server (the shared bench server runs without
    # autovacuum): without them PostgreSQL guesses row counts for a freshly loaded table and scans it whole.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # autovacuum's work: statistics, and the visibility map index-only scans need
    from rest_framework_simplejwt.tokens import AccessToken

    admin = Group.objects.get(name="admin")
    tokens = []
    for index in range(users):
        user, created = get_user_model().objects.get_or_create(username=f"{USER_PREFIX}{index:03d}")
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(admin)
        tokens.append(str(AccessToken.for_user(user)))
    account, _ = IntegrationAccount.objects.get_or_create(
        name="load-bench 1C", defaults={"kind": "onec", "base_url": "http://127.0.0.1:9/exchange"}
    )
    return url, account.pk, tokens


def start_gunicorn(url: str, workers: int | None, overrides: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "salesforecast.wsgi:application",
               "--config", "docker/gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"]
    if workers is not None:  # else the deployed default
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command,
        cwd=ROOT, env={**env_for(url), **overrides}, start_new_session=True,
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


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone, or not Linux
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class ServerCpu:
    """CPU used during a phase by the gunicorn master and workers and by the PostgreSQL backends serving the bench
    database: what the server spent, whatever else the shared host runs (its load changes latency, not this).

    Sampled from /proc about every second (`tick`, called by the waiting parent: no thread, since the parent forks
    the clients), keeping each process's last reading, so backends that end within the phase (CONN_MAX_AGE
    recycles connections) still count up to their last second.
    """

    def __init__(self, gunicorn_pid: int, url: str) -> None:
        self.gunicorn_pid, self.url = gunicorn_pid, url
        self.web: dict[int, float] = {}
        self.db: dict[int, float] = {}
        self.start_web, self.start_db = self._sample()

    def _sample(self) -> tuple[dict[int, float], dict[int, float]]:
        import psycopg

        pids = [self.gunicorn_pid]
        for task in Path(f"/proc/{self.gunicorn_pid}/task").glob("*/children"):
            pids += [int(child) for child in task.read_text().split()]
        database = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url.replace(f"/{database}", "/postgres")) as conn:
            backends = [row[0] for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]
        return {pid: _cpu_seconds(pid) for pid in pids}, {pid: _cpu_seconds(pid) for pid in backends}

    def tick(self) -> None:
        web, db = self._sample()
        for pid, seconds in web.items():
            self.web[pid] = max(self.web.get(pid, 0.0), seconds)
        for pid, seconds in db.items():
            self.db[pid] = max(self.db.get(pid, 0.0), seconds)

    def totals(self) -> tuple[float, float]:
        """(gunicorn seconds, PostgreSQL seconds) spent since the phase started."""
        web = sum(s - self.start_web.get(pid, 0.0) for pid, s in self.web.items())
        db = sum(s - self.start_db.get(pid, 0.0) for pid, s in self.db.items())
        return web, db


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class HttpUser:
    """One user's kept-alive connection through the standard library's http.client: the same requests on the
    wire as `requests` sends (method, path, bearer token, JSON body, keep-alive), at a third of its client CPU
    (0.3 vs 1.0 ms a request in this bench; 0.12 ms against a trivial WSGI app): the client shares the 2 cores
    with the server, so a heavy client took CPU from the server it measures. A failed connection is reopened for
    the next request, as a requests.Session does."""

    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "*/*", "User-Agent": "load-bench"}
        self.connection: http.client.HTTPConnection | None = None

    def __call__(self, method: str, path: str, body: dict | None) -> tuple[int, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = self.headers
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers = {**headers, "Content-Type": "application/json"}
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        if response.will_close:
            self.connection.close()
            self.connection = None
        return response.status, data.decode("utf-8", "replace") if response.status >= 400 else ""


class RequestsUser:
    """The first client (`--client requests`): a requests.Session per user."""

    def __init__(self, token: str) -> None:
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def __call__(self, method: str, path: str, body: dict | None) -> tuple[int, str]:
        response = self.session.request(method, f"http://127.0.0.1:{PORT}{path}", json=body, timeout=30)
        return response.status_code, response.text if response.status_code >= 400 else ""


def _client_process(users: list[int], seconds: float, think: float, tokens: list[str], account_id: int,
                    start_at: float, results: multiprocessing.Queue, client: str = "http") -> None:
    """One client process: a thread per user; sends back {name: [latency, ...]} and {name: errors}."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    timeline: dict[int, list[float]] = defaultdict(list)  # second of the phase a read ended in → latencies
    lock = threading.Lock()
    stop_at = start_at + seconds

    def user_loop(index: int) -> None:
        send = (RequestsUser if client == "requests" else HttpUser)(tokens[index])
        rng = random.Random(index)
        # Users arrive spread over the first think interval (closed loop: over RAMP_SECONDS), not all in the same
        # millisecond: a burst of 50 connections at once is taken almost whole by whichever gunicorn worker wakes
        # first (gthread accepts while it has connection slots, not free threads), and kept-alive connections
        # stay with it for the whole phase — 46 of 50 users on one worker measured that worker, not the server.
        arrival = rng.uniform(0, think) if think else index / len(tokens) * RAMP_SECONDS
        time.sleep(max(0.0, start_at - time.time()) + arrival)
        while time.time() < stop_at:
            if rng.random() < SYNC_SHARE:
                name, method, path = "sync trigger", "POST", f"/api/v1/integrations/accounts/{account_id}/sync/"
                body = {"stream": "org", "mode": "full"}
            else:
                name, path = rng.choice(READS)
                method, body = "GET", None
            began = time.perf_counter()
            try:
                status, text = send(method, path, body)
                ok = status < 400 or (name == "sync trigger" and status == 409)
                failure = f"HTTP {status}: {text[:200]}"
            except (OSError, http.client.HTTPException, requests.RequestException) as exc:
                ok, failure = False, f"{type(exc).__name__}: {exc}"[:200]
            elapsed = time.perf_counter() - began
            with lock:
                latencies[name].append(elapsed)
                if name != "sync trigger":
                    timeline[int(time.time() - start_at)].append(elapsed)
                if not ok:
                    errors[name] += 1
                    if sum(errors.values()) <= 5:
                        print(f"error on {name} {path}: {failure}", file=sys.stderr, flush=True)
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

    threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put((dict(latencies), dict(errors), dict(timeline), usage.ru_utime + usage.ru_stime))


def run_users(tokens: list[str], seconds: float, think: float, processes: int,
              account_id: int, tick: Callable[[], None] = lambda: None, client: str = "http",
              ) -> tuple[dict[str, list[float]], dict[str, int], float, dict[int, list[float]], float]:
    """Users spread over separate client processes, so the client's own GIL never throttles the load.

    Also answers the CPU seconds the client processes spent: they share the 2 cores with the server.
    """
    users = len(tokens)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0
    children = [
        context.Process(target=_client_process,
                        args=(list(range(p, users, processes)), seconds, think, tokens, account_id, start_at, results,
                              client))
        for p in range(processes)
    ]
    for child in children:
        child.start()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    timeline: dict[int, list[float]] = defaultdict(list)
    received, client_cpu = 0, 0.0
    while received < len(children):
        try:
            part_latencies, part_errors, part_timeline, part_cpu = results.get(timeout=1.0)
        except queue.Empty:
            tick()
            continue
        received += 1
        client_cpu += part_cpu
        for second, values in part_timeline.items():
            timeline[second].extend(values)
        for name, values in part_latencies.items():
            latencies[name].extend(values)
        for name, count in part_errors.items():
            errors[name] += count
    for child in children:
        child.join()
    return latencies, errors, time.time() - start_at, timeline, client_cpu


def print_timeline(timeline: dict[int, list[float]], every: int = 5) -> None:
    """Reads per `every` seconds of the phase: count, p50 and p95 (the first seconds include the warm-up)."""
    print(f"{'seconds':<10}{'reads':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for start in range(0, max(timeline, default=-1) + 1, every):
        values = [x for second in range(start, start + every) for x in timeline.get(second, [])]
        if values:
            print(f"{start:>3}–{start + every:<5}{len(values):>8}{percentile(values, .5) * 1000:>9.1f}"
                  f"{percentile(values, .95) * 1000:>9.1f}")


def report(title: str, latencies: dict[str, list[float]], errors: dict[str, int], wall: float) -> dict[str, float]:
    total = sum(len(v) for v in latencies.values())
    reads = [x for name, values in latencies.items() if name != "sync trigger" for x in values]
    print(f"\n{title}")
    print(f"{'endpoint':<22}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name in sorted(latencies):
        values = latencies[name]
        print(f"{name:<22}{len(values):>10}{percentile(values, .5) * 1000:>9.1f}{percentile(values, .95) * 1000:>9.1f}"
              f"{percentile(values, .99) * 1000:>9.1f}{errors.get(name, 0):>8}")
    read_errors = sum(v for k, v in errors.items() if k != "sync trigger")
    print(f"{'all reads':<22}{len(reads):>10}{percentile(reads, .5) * 1000:>9.1f}{percentile(reads, .95) * 1000:>9.1f}"
          f"{percentile(reads, .99) * 1000:>9.1f}{read_errors:>8}")
    mean = statistics.fmean(reads) * 1000 if reads else float("nan")
    print(f"throughput: {total / wall:.1f} requests/s; errors: {sum(errors.values())}; mean read {mean:.1f} ms")
    return {"rps": total / wall, "p50": percentile(reads, .5), "p95": percentile(reads, .95),
            "p99": percentile(reads, .99), "errors": sum(errors.values())}


def phases(redis_url: str) -> dict[str, dict[str, str]]:
    return {
        # As before the read cache: per-process memory cache, no answer cached (permission sets are cached in both).
        "baseline": {"CACHE_URL": "locmemcache://", "API_CACHE_SECONDS": "0", "REDIS_URL": ""},
        # As deployed: the shared cache (Redis when given: also the job broker) and cached dashboard aggregates.
        "cached": {"REDIS_URL": redis_url},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: docker/gunicorn.conf.py's, one per core)")
    parser.add_argument("--think", type=float, default=1.5,
                        help="mean seconds a user waits between requests (uniform ±50%%); 0 = closed loop")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--client", choices=["http", "requests"], default="http",
                        help="the users' HTTP client: http.client (default, light) or requests (the first client)")
    parser.add_argument("--phases", default="baseline,cached", help="comma-separated: baseline, cached")
    parser.add_argument("--timeline", action="store_true", help="also print p50/p95 of reads per 5 s of each phase")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""),
                        help="Redis for the cached phase (cache and broker; use a database number of its own, "
                             "it is flushed); default: none (the database cache table and the ORM broker)")
    args = parser.parse_args()
    url, account_id, tokens = prepare(args.rows, args.users)
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # no cached answers or queued jobs from an earlier run
    from django.db import connections

    connections.close_all()  # the client processes are forked: they must not share the parent's connection
    model = f"think {args.think:g} s ±50%" if args.think else "closed loop, no think time"
    summaries: dict[str, dict[str, float]] = {}
    redis_note = " + Redis" if args.redis_url else ""
    for phase in [p.strip() for p in args.phases.split(",") if p.strip()]:
        server = start_gunicorn(url, args.workers, phases(args.redis_url)[phase])
        try:
            cpu = ServerCpu(server.pid, url)
            latencies, errors, wall, timeline, client_cpu = run_users(tokens, args.seconds, args.think, args.processes,
                                                          account_id, tick=cpu.tick, client=args.client)
            cpu.tick()
            web_cpu, db_cpu = cpu.totals()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        summaries[phase] = report(
            f"[{phase}] {args.users} users ({model}) × {wall:.0f}s, {args.processes} client processes, gunicorn "
            f"({args.workers or 'default'} workers × {os.environ.get('GUNICORN_THREADS', '4')} threads), "
            f"{args.client} client, "
            f"PostgreSQL{redis_note if phase == 'cached' else ''}, {args.rows:,} daily sales",
            latencies, errors, wall,
        )
        requests_done = sum(len(v) for v in latencies.values())
        per_request = 1000 / max(1, requests_done)
        print(f"server CPU per request: gunicorn {web_cpu * per_request:.1f} ms + PostgreSQL backends "
              f"{db_cpu * per_request:.1f} ms ({web_cpu + db_cpu:.1f} s in all); client CPU per request "
              f"{client_cpu * per_request:.1f} ms (same cores); host load average "
              f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
        if args.timeline:
            print_timeline(timeline)
    if "baseline" in summaries and "cached" in summaries:
        base, new = summaries["baseline"], summaries["cached"]
        print(f"\ncached vs baseline: p50 {base['p50'] / new['p50']:.1f}× faster, p95 {base['p95'] / new['p95']:.1f}× "
              f"faster, p99 {base['p99'] / new['p99']:.1f}× faster, throughput ×{new['rps'] / base['rps']:.2f}")
    # Issue 14's aims: people at dashboards (think time) p95 < 100 ms; the closed loop p95 < 250 ms; 0 errors.
    aim = 0.1 if args.think else 0.25
    for phase, summary in summaries.items():
        verdict = "met" if summary["p95"] < aim and summary["errors"] == 0 else "NOT met"
        print(f"aim ({phase}): p95 of reads < {aim * 1000:.0f} ms and 0 errors → {verdict}")


if __name__ == "__main__":
    main()
