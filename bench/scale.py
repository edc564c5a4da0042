"""Scaling: the nightly forecast fanned out over scopes on 1, 2, 4 … workers, and partitioned vs plain sales.

Run by hand (never in CI) on a PostgreSQL server of its own databases (``BENCH_PG_URL`` names the server;
the databases ``sf_scale_*`` are dropped and re-created), with Redis as the broker when ``--redis-url`` is given
(else the ORM broker)::

    nice .venv/bin/python bench/scale.py --series 2000 --rows 1000000 --workers 1,2,4      # a small run
    nice .venv/bin/python bench/scale.py --series 20000 --days 730 --rows 10000000 --redis-url redis://127.0.0.1:6379/7

Part 1: a synthetic company of ``--series`` series × ``--days`` days in ``--scopes`` scopes (one region each);
for each worker count, ``start_batch`` queues one run per scope as a django-q2 group and ``manage.py qcluster``
with that many workers (``FORECAST_THREADS=1`` each, so workers, not threads, scale) works through it. Wall time
is from the first run's start to the batch's end as the runs record them (cluster start-up excluded); the
speed-up is against 1 worker measured in the same run.

Part 1b (``--global-model``, after the batches, same database): one model over all scopes' series, trained in-process
and by the Dask backend on a LocalCluster (``FORECAST_ENGINE_BACKEND=dask``), e.g. ``local:1,dask:2`` (backend:threads
or workers); its stage times as the run records them, and how far the Dask forecasts are from the first run's.

Part 2: ``--rows`` daily-sales rows in two databases, one partitioned by month (migration sales 0008), one
plain (migrated back to sales 0007); the analytics summary of one month and the history load of one scope,
best of three, side by side with the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_setup import bench_environment, fresh_database_url  # noqa: E402

FAST = {"num_rounds": 60, "num_leaves": 31}


def _django(url: str) -> None:
    bench_environment(url)
    import django

    django.setup()


def build_company(series: int, days: int, scopes: int, *, stores_per_scope: int = 10) -> dict:
    """Regions (one per scope) of stores, products, and ``series`` series × ``days`` days of sales (one SQL)."""
    import datetime as dt

    from django.db import connection, transaction

    from branches.models import Location
    from forecasting.services.scopes import save_scope
    from sales.models import Product

    end = dt.date.today() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=days - 1)
    stores = scopes * stores_per_scope
    products = max(1, series // stores)
    with transaction.atomic():
        regions = [Location.objects.create(name=f"Region {r}", code=f"R{r}") for r in range(scopes)]
        store_ids = [
            Location.objects.create(name=f"Store {r}.{s}", code=f"R{r}S{s}", parent=regions[r]).pk
            for r in range(scopes)
            for s in range(stores_per_scope)
        ]
        product_ids = [
            p.pk
            for p in Product.objects.bulk_create(Product(sku=f"SKU{i}", name=f"Product {i}") for i in range(products))
        ]
        for region in regions:
            save_scope(name=region.name, location=region)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO sales_dailysale (location_id, product_id, date, quantity, revenue, discount, returns,
                                             price_paid, on_promotion, updated_at)
                SELECT l, p, d::date,
                       greatest(0, round((5 + (l %% 7) + (p %% 5) * 2)
                                         * (1 + 0.3 * (extract(dow FROM d) IN (0, 6))::int)
                                         + 3 * sin(extract(doy FROM d) / 58.0) + random() * 3)),
                       0, 0, 0, 50, false, now()
                FROM unnest(%s::bigint[]) AS l, unnest(%s::bigint[]) AS p,
                     generate_series(%s::date, %s::date, interval '1 day') AS d
                """,
                [store_ids, product_ids, start, end],
            )
            rows = cursor.rowcount
    return {"series": len(store_ids) * len(product_ids), "rows": rows, "scopes": scopes}


def forecast_part(args) -> None:
    url = fresh_database_url("postgres", "sf_scale_forecast")
    _django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    company = build_company(args.series, args.days, args.scopes)
    print(
        f"company: {company['series']:,} series × {args.days} days = {company['rows']:,} rows in "
        f"{company['scopes']} scopes, built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FORECAST_THREADS": "1",
        "Q_SYNC": "false",
        "REDIS_URL": args.redis_url or "",
        "LOG_LEVEL": "WARNING",
    }
    results: dict[int, float] = {}
    for workers in args.workers:
        seconds = run_batch(env, workers, args)
        results[workers] = seconds
        base = results[args.workers[0]]
        print(
            f"{workers:2d} worker(s): nightly forecast of {company['scopes']} scopes in {seconds:7.1f} s, "
            f"speed-up {base / seconds:4.2f}× (vs {args.workers[0]})",
            flush=True,
        )
    global_model_part(env, args)


GLOBAL = """
import django, json, sys, time
django.setup()
from forecasting.services.runs import train_and_forecast
started = time.perf_counter()
run = train_and_forecast(horizon=28, parameters=json.loads(sys.argv[1]))
print(json.dumps({"run": run.pk, "wall": time.perf_counter() - started, "seconds": run.seconds,
                  "backend": run.parameters["backend"], "series": run.series_count}))
"""

GAP = """
import django, sys
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT avg(abs(a.yhat - b.yhat)) / nullif(avg(a.yhat), 0) FROM forecasting_forecast a "
        "JOIN forecasting_forecast b USING (location_id, product_id, date) WHERE a.run_id = %s AND b.run_id = %s",
        [int(sys.argv[1]), int(sys.argv[2])],
    )
    print(cursor.fetchone()[0])
"""


def global_model_part(env: dict, args) -> None:
    """One run over every series (no scope) per backend:threads entry; stage times and the gap to the first run."""
    entries = [e.split(":") for e in args.global_model.split(",") if e]
    first = None
    for backend, count in entries:
        run_env = {**env, "FORECAST_ENGINE_BACKEND": backend}
        if backend == "dask":
            run_env.update(FORECAST_DASK_WORKERS=count, FORECAST_DASK_SCHEDULER="", FORECAST_THREADS="1")
        else:
            run_env["FORECAST_THREADS"] = count
        out = json.loads(_run([sys.executable, "-c", GLOBAL, json.dumps(FAST)], run_env).splitlines()[-1])
        s = out["seconds"]
        gap = ""
        if first is None:
            first = out
        else:
            value = float(_run([sys.executable, "-c", GAP, str(first["run"]), str(out["run"])], env).split()[-1])
            gap = f", forecasts {value:.1%} of the level from {first['backend']}'s"
        label = f"{backend} ({count} {'workers' if backend == 'dask' else 'thread(s)'})"
        print(
            f"one model, {out['series']:,} series, {label:20s}: {out['wall']:6.1f} s "
            f"(load {s['load']:.0f}, train {s['train']:.0f}, predict {s['predict']:.0f}, write {s['write']:.0f}){gap}",
            flush=True,
        )


BATCH = """
import django, json, sys
django.setup()
from django_q.brokers import get_broker
get_broker().purge_queue()
from forecasting.services.fanout import start_batch
batch = start_batch(horizon=28, parameters=json.loads(sys.argv[1]), trigger="bench")
print(batch.pk)
"""

STATUS = """
import django, sys
django.setup()
from django.db.models import Min
from forecasting.models import ForecastBatch
b = ForecastBatch.objects.get(pk=int(sys.argv[1]))
first = b.runs.aggregate(first=Min("started_at"))["first"]
done = b.status not in ("queued", "running")
print(int(done), (b.finished_at - first).total_seconds() if done and first else 0, b.status, b.scopes_failed)
"""


def run_batch(env: dict, workers: int, args) -> float:
    """Queue a batch, run a cluster of ``workers`` until it ends; seconds from first start to batch end."""
    batch_id = _run([sys.executable, "-c", BATCH, json.dumps(FAST)], env).split()[-1]
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env={**env, "Q_WORKERS": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + args.timeout
    try:
        while time.monotonic() < deadline:
            time.sleep(3)
            done, seconds, status, failed = _run([sys.executable, "-c", STATUS, batch_id], env).split()
            if done == "1":
                if status != "succeeded":
                    print(f"   batch #{batch_id} {status}: {failed} scope(s) failed", flush=True)
                return float(seconds)
        raise SystemExit(f"batch #{batch_id} did not finish within {args.timeout} s")
    finally:
        cluster.terminate()
        cluster.wait(timeout=120)


MEASURE = """
import django, json, sys, time, datetime as dt
django.setup()
from django.db.models import Max
from forecasting.services.history import load_history
from forecasting.services.scope import ForecastScope
from branches.models import Location
from sales.models import DailySale
from sales.services.analytics import AnalyticsFilters, summary
last = DailySale.objects.aggregate(m=Max("date"))["m"]
month = last.replace(day=1)
scope = ForecastScope(locations=(Location.objects.get(code="R0").pk,))
def best(fn):
    times = []
    for _ in range(3):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)
out = {"summary": best(lambda: summary(AnalyticsFilters(date_from=month, date_to=last))),
       "history": best(lambda: load_history(scope)),
       "rows": DailySale.objects.count()}
print(json.dumps(out))
"""


def _run(command: list[str], env: dict) -> str:
    """Run a step; its error output is shown when it fails."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def partition_part(args) -> None:
    days = args.days
    series = max(1, args.rows // days)
    figures = {}
    for label in ("partitioned", "plain"):
        url = fresh_database_url("postgres", f"sf_scale_{label}")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "true",
            "SECRET_KEY": "bench-" + "x" * 60,
            "ENV_FILE": "/nonexistent",
            "LOG_LEVEL": "WARNING",
            "API_CACHE_SECONDS": "0",
            "DJANGO_SETTINGS_MODULE": "salesforecast.settings",
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        if label == "plain":
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "sales", "0007", "-v", "0"], cwd=ROOT, env=env, check=True
            )
        build = (
            f"import django; django.setup(); import sys; sys.path.insert(0, 'bench'); import scale; "
            f"print(scale.build_company({series}, {days}, {args.scopes}))"
        )
        _run([sys.executable, "-c", build], env)
        _run([sys.executable, "manage.py", "ensure_partitions", "--months-ahead", "1"], env)
        with subprocess.Popen(["psql", url, "-qc", "VACUUM ANALYZE"]) as vacuum:
            vacuum.wait()
        figures[label] = json.loads(_run([sys.executable, "-c", MEASURE], env).splitlines()[-1])
    rows = figures["partitioned"]["rows"]
    print(f"PostgreSQL, {rows:,} daily-sales rows ({args.scopes} scopes, {days} days): best of 3")
    for key, name in (("summary", "analytics summary, one month"), ("history", "history load, one scope")):
        part, plain = figures["partitioned"][key], figures["plain"][key]
        print(f"  {name:32s} partitioned {part:7.3f} s   plain {plain:7.3f} s   plain/partitioned {plain / part:4.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20_000, help="series of the forecast part (20,000)")
    parser.add_argument("--days", type=int, default=730, help="days of history (730)")
    parser.add_argument("--scopes", type=int, default=8)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--rows", type=int, default=10_000_000, help="daily-sales rows of the partition part")
    parser.add_argument("--redis-url", default="", help="django-q2 broker (default: the ORM broker)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds one batch may take")
    parser.add_argument("--global-model", default="local:1,dask:2",
                        help="one model over all series per backend:threads-or-workers ('' = skip)")
    parser.add_argument("--skip-forecast", action="store_true")
    parser.add_argument("--skip-partitions", action="store_true")
    args = parser.parse_args()
    args.workers = [int(w) for w in args.workers.split(",")]
    if not args.skip_partitions:
        partition_part(args)
    if not args.skip_forecast:
        forecast_part(args)


if __name__ == "__main__":
    main()
