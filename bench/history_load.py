"""How fast forecasting reads its input: ``load_history`` vs the plain ORM way, on ~1M DailySale rows.

Run by hand against a scratch database of your own (``--db current``, the default: never production; it writes
and then deletes BENCH-* rows), or on a fresh bench database (``--db sqlite|postgres``, through bench_setup)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sf_yourname DEBUG=true \\
        .venv/bin/python bench/history_load.py [--locations 100 --products 100 --days 100] [--keep]
    .venv/bin/python bench/history_load.py --db postgres      # BENCH_PG_URL overrides the server/database

Prints rows, seconds and peak extra memory for each way and the ratio against the ORM baseline measured
in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc

from bench_setup import setup_current_django, setup_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "current"], default="current",
                        help="A fresh bench database, or 'current': DATABASE_URL as manage.py sees it.")
    parser.add_argument("--locations", type=int, default=100)
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="Leave the BENCH-* rows in the database.")
    return parser.parse_args()


# Django (and its database) before the models are imported below.
ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.db != "current":
    setup_django(ARGS.db, name="sf_history_bench")
else:
    setup_current_django(migrate="here")

import pandas as pd  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from branches.models import Location  # noqa: E402
from forecasting.services import ForecastScope, load_history  # noqa: E402
from sales.models import DailySale, DemandDriver, Product  # noqa: E402

PREFIX = "BENCH-"
END = dt.date(2026, 10, 31)


def build(locations: int, products: int, days: int) -> tuple[list[int], list[int]]:
    """Create the bench catalogue and days × locations × products sales rows (one SQL statement on PostgreSQL)."""
    locs = [Location.objects.create(name=f"{PREFIX}{i}", code=f"{PREFIX}{i}") for i in range(locations)]
    prods = Product.objects.bulk_create(Product(sku=f"{PREFIX}{i}", name=f"Bench {i}") for i in range(products))
    loc_ids, prod_ids = [x.pk for x in locs], [x.pk for x in prods]
    start = END - dt.timedelta(days=days - 1)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                INSERT INTO sales_dailysale (location_id, product_id, date, quantity, revenue, discount, returns,
                                             price_paid, on_promotion, updated_at)
                SELECT l, p, d::date, ((l * 7 + p * 3 + extract(doy FROM d)::int) %% 17)::numeric, 0, 0, 0, 50,
                       (extract(doy FROM d)::int %% 11 = 0), now()
                FROM unnest(%s::bigint[]) AS l, unnest(%s::bigint[]) AS p,
                     generate_series(%s::date, %s::date, interval '1 day') AS d
                """,
                [loc_ids, prod_ids, start, END],
            )
        else:
            for day in pd.date_range(start, END):
                DailySale.objects.bulk_create(
                    DailySale(location_id=lo, product_id=p, date=day.date(), quantity=(lo * 7 + p * 3 + day.day) % 17,
                              price_paid=50)
                    for lo in loc_ids for p in prod_ids
                )
    holidays = [END - dt.timedelta(days=k) for k in range(0, days, 30)] + [END + dt.timedelta(days=5)]
    DemandDriver.objects.bulk_create(
        DemandDriver(location_id=lo, date=day, is_holiday=True) for lo in loc_ids for day in holidays
    )
    return loc_ids, prod_ids


def measure(label: str, fn):
    """Wall time of one untraced call, then peak Python-heap growth of a second, traced call."""
    started = time.perf_counter()
    rows = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<36} {rows:>10,d} rows  {seconds:7.2f} s  peak {peak / 2**20:7.1f} MiB")
    return seconds, peak


def orm_baseline(loc_ids: list[int]) -> int:
    """What one would write first: values_list with Decimal/date objects, then a DataFrame."""
    rows = list(
        DailySale.objects.filter(location_id__in=loc_ids).values_list("location_id", "product_id", "date", "quantity")
    )
    frame = pd.DataFrame(rows, columns=["location", "product", "date", "y"])
    frame["y"] = frame["y"].astype(float)
    frame["date"] = pd.to_datetime(frame["date"])
    return len(frame)


def main() -> None:
    args = ARGS
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    cleanup()
    started = time.perf_counter()
    loc_ids, _ = build(args.locations, args.products, args.days)
    print(f"built {args.locations}×{args.products}×{args.days} rows in {time.perf_counter() - started:.1f} s")
    scope = ForecastScope(locations=tuple(loc_ids))
    try:
        base_s, base_mem = measure("ORM values_list + DataFrame", lambda: orm_baseline(loc_ids))
        ours_s, ours_mem = measure(
            "load_history (+drivers, horizon 28)", lambda: load_history(scope, horizon=28).row_count
        )
        print(f"ratio load_history / ORM baseline: time {ours_s / base_s:.2f}×, peak memory {ours_mem / base_mem:.2f}×")
    finally:
        if not args.keep:
            cleanup()


def cleanup() -> None:
    DemandDriver.objects.filter(location__code__startswith=PREFIX).delete()
    DailySale.objects.filter(location__code__startswith=PREFIX).delete()
    Location.objects.filter(code__startswith=PREFIX).delete()
    Product.objects.filter(sku__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
