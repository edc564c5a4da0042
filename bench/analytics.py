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
import statistics
import subprocess
import sys
import time

from bench_setup import drop_database, setup_django
from ingest import START, generate, shape  # bench/ingest.py: the same generated rows

DATABASE = "sf_sales_bench_analytics"
# The SQL aggregates are measured, so every request computes (bench/load.py shows the cache).
SETTINGS = {"ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING", "SECURE_SSL_REDIRECT": "false",
            "THROTTLE_USER": "1000000/min", "API_CACHE_SECONDS": "0"}


def run_one(db: str, rows: int, repeat: int) -> None:
    # Migrated in a child process (as bench/ingest.py does), so this process holds only the bench.
    setup_django(db, name=DATABASE, migrate="child", settings=SETTINGS)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework.test import APIClient

    from branches.models import Location
    from sales.models import Product, ProductCategory
    from sales.services.ingest import ingest_daily_sales

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
    drop_database(db, DATABASE)


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
