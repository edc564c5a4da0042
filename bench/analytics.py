"""Bench: p50/p95 latency of the analytics summary and timeseries endpoints over 1,000,000 daily sales.

Run by hand, one bench at a time (own databases, created and dropped here):

    .venv/bin/python bench/analytics.py                    # SQLite, then PostgreSQL
    .venv/bin/python bench/analytics.py --rows 200000 --db postgres --repeat 50

Loads the same generated rows as bench/ingest.py (50 locations in 5 regions × 40 products in 4 categories) through
`ingest_daily_sales`, then calls each endpoint through Django's test client (full request/response cycle, JSON
rendering included, no network) `--repeat` times and prints p50/p95/max in milliseconds. The read cache is off
(`API_CACHE_SECONDS=0`): this bench measures what a cache miss costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ingest_bench():
    """bench/ingest.py by path (putting bench/ on sys.path would shadow apps by bench files of the same name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sf_bench_ingest", ROOT / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_bench = _ingest_bench()
DEFAULT_PG_URL, START, generate, shape = _bench.DEFAULT_PG_URL, _bench.START, _bench.generate, _bench.shape
migrate_in_child_process = _bench.migrate_in_child_process

SQLITE_PATH = Path("/tmp/sf_sales_bench_analytics.sqlite3")


def _database(db: str) -> tuple[str, str | None]:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(SQLITE_PATH) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}", None
    url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL).rsplit("/", 1)[0] + "/sf_sales_bench_analytics"
    import psycopg

    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "sf_sales_bench_analytics"')
        conn.execute('CREATE DATABASE "sf_sales_bench_analytics"')
    return url, admin


def run_one(db: str, rows: int, repeat: int) -> None:
    url, admin = _database(db)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="salesforecast.settings")
    for key, value in {"DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60, "ALLOWED_HOSTS": "testserver",
                       "ENV_FILE": "/nonexistent", "LOG_LEVEL": "WARNING", "SECURE_SSL_REDIRECT": "false",
                       "THROTTLE_USER": "1000000/min",
                       # The SQL aggregates are measured, so every request computes (bench/load.py shows the cache).
                       "API_CACHE_SECONDS": "0"}.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework.test import APIClient

    from branches.models import Location
    from sales.models import Product, ProductCategory
    from sales.services.ingest import ingest_daily_sales

    migrate_in_child_process()
    locations, products, days = shape(rows)
    regions = []
    for r in range(5):
        region = Location(code=f"REG{r}", name=f"Region {r}", external_id=f"REG{r}", type="BRANCH_GROUP")
        region.save()
        regions.append(region)
    for loc in range(locations):
        Location(code=f"L{loc:03d}", name=f"Location {loc}", external_id=f"L{loc:03d}",
                 parent=regions[loc % 5]).save()
    categories = [ProductCategory.objects.create(code=f"C{c}", name=f"Category {c}") for c in range(4)]
    Product.objects.bulk_create([Product(sku=f"SKU{p:04d}", name=f"Product {p}", category=categories[p % 4])
                                 for p in range(products)])
    started = time.perf_counter()
    report = ingest_daily_sales(generate(rows))
    assert report.applied and report.created == rows, report.as_dict()
    print(f"{db}: {rows:,} daily sales loaded in {time.perf_counter() - started:.1f} s "
          f"({locations} locations × {products} products × {days} days from {START})", flush=True)
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = APIClient()
    client.force_authenticate(user)
    last = START.toordinal() + days - 1
    from datetime import date

    end = date.fromordinal(last).isoformat()
    whole = {"date_from": START.isoformat(), "date_to": end}
    cases = [
        ("summary (default: last 30 days)", "summary", {}),
        ("summary, whole range", "summary", whole),
        ("summary, 90 days, one region", "summary",
         {"date_from": date.fromordinal(last - 89).isoformat(), "date_to": end, "location": regions[0].pk}),
        ("summary, 90 days, one category", "summary",
         {"date_from": date.fromordinal(last - 89).isoformat(), "date_to": end, "category": categories[0].pk}),
        ("timeseries day, last 90 days", "timeseries",
         {"granularity": "day", "date_from": date.fromordinal(last - 89).isoformat(), "date_to": end}),
        ("timeseries week, whole range", "timeseries", {"granularity": "week", **whole}),
        ("timeseries month, whole range, one region", "timeseries",
         {"granularity": "month", "location": regions[1].pk, **whole}),
    ]
    print(f"  {'endpoint':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   ({repeat} requests each)")
    for label, path, params in cases:
        timings = []
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get(f"/api/v1/analytics/{path}/", params)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content[:300]
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        print(f"  {label:<44} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}", flush=True)
    connection.close()
    if admin:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "sf_sales_bench_analytics"')
    else:
        SQLITE_PATH.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.db == "both":
        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--repeat", str(args.repeat),
                            "--db", db], check=True)
        return
    run_one(args.db, args.rows, args.repeat)


if __name__ == "__main__":
    main()
