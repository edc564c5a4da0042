"""Bench: load daily-sale rows through the real ingest service, against Django bulk upserts and raw COPY.

Run by hand, one bench at a time (it uses its own databases, created and dropped here):

    .venv/bin/python bench/ingest.py                      # 1,000,000 rows on SQLite, then on PostgreSQL
    .venv/bin/python bench/ingest.py --rows 200000 --db postgres
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/sf_sales_bench  (default)

For each database, in one process and on the same generated rows (a generator: nothing is held in memory):
1. `ingest_daily_sales` into an empty table (rows/s, peak RSS of the process right after it);
2. `ingest_daily_sales` again on unchanged data (should be at least as fast: nothing is written);
3. Django `bulk_create(update_conflicts=True)` in batches of 5,000 into an empty table;
4. raw load into an empty table: psycopg `COPY … FROM STDIN` on PostgreSQL, `executemany` INSERT on SQLite.
It prints rows/s for each and our ratio to the raw load (aim on PostgreSQL: ≥ 0.5×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import time

from bench_setup import drop_database, setup_django

DATABASE = "sf_sales_bench"
START = dt.date(2023, 1, 1)


def shape(rows: int) -> tuple[int, int, int]:
    """(locations, products, days) with locations × products × days ≥ rows."""
    locations, products = 50, 40
    days = -(-rows // (locations * products))
    return locations, products, days


def generate(rows: int):
    """Deterministic rows as a caller of the service passes them (typed values, as from a DataFrame)."""
    locations, products, days = shape(rows)
    dates = [START + dt.timedelta(days=d) for d in range(days)]
    emitted = 0
    for loc in range(locations):
        code = f"L{loc:03d}"
        for prod in range(products):
            sku = f"SKU{prod:04d}"
            price = 50 + prod
            for day_index, day in enumerate(dates):
                if emitted == rows:
                    return
                units = (loc * 7 + prod * 13 + day_index * 3) % 17
                discount = 5.0 if day_index % 9 == 0 else 0.0
                yield {
                    "location_code": code, "sku": sku, "date": day, "quantity": units,
                    "revenue": units * price - discount, "discount": discount, "returns": 0,
                    "price_paid": float(price), "on_promotion": discount > 0,
                }
                emitted += 1


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(db: str, rows: int) -> None:
    # Migrated in a child process, so this process's peak memory is the ingest's, not the migrations'.
    setup_django(db, name=DATABASE, migrate="child", settings={"LOG_LEVEL": "WARNING"})
    from django.db import connection, transaction

    from branches.models import Location
    from sales.models import DailySale, Product
    from sales.services.ingest import ingest_daily_sales

    locations, products, days = shape(rows)
    for loc in range(locations):
        Location(code=f"L{loc:03d}", name=f"Location {loc}", external_id=f"L{loc:03d}").save()
    Product.objects.bulk_create([Product(sku=f"SKU{p:04d}", name=f"Product {p}") for p in range(products)])
    loc_ids = dict(Location.objects.values_list("code", "id"))
    prod_ids = dict(Product.objects.values_list("sku", "id"))
    table = DailySale._meta.db_table

    def truncate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
        if db == "postgres":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {table}")

    def timed(label: str, func) -> float:
        started = time.perf_counter()
        func()
        seconds = time.perf_counter() - started
        print(f"  {label:<44} {seconds:8.2f} s  {rows / seconds:>10,.0f} rows/s", flush=True)
        return seconds

    rss_before = peak_rss_mb()
    print(f"{db}: {rows:,} rows ({locations} locations × {products} products × {days} days)", flush=True)
    reports = []
    ours = timed("ingest_daily_sales (empty table)", lambda: reports.append(ingest_daily_sales(generate(rows))))
    rss_after_ours = peak_rss_mb()
    assert reports[0].created == rows, reports[0].as_dict()
    second = timed("ingest_daily_sales again (unchanged data)",
                   lambda: reports.append(ingest_daily_sales(generate(rows))))
    assert reports[1].unchanged == rows, reports[1].as_dict()

    truncate()

    def bulk() -> None:
        batch: list[DailySale] = []
        now = dt.datetime.now(dt.UTC)
        with transaction.atomic():
            for row in generate(rows):
                batch.append(DailySale(
                    location_id=loc_ids[row["location_code"]], product_id=prod_ids[row["sku"]], date=row["date"],
                    quantity=row["quantity"], revenue=row["revenue"], discount=row["discount"],
                    returns=row["returns"], price_paid=row["price_paid"], on_promotion=row["on_promotion"],
                    updated_at=now,
                ))
                if len(batch) == 5000:
                    DailySale.objects.bulk_create(
                        batch, update_conflicts=True, unique_fields=["location", "product", "date"],
                        update_fields=["quantity", "revenue", "discount", "returns", "price_paid", "on_promotion",
                                       "updated_at"])
                    batch = []
            if batch:
                DailySale.objects.bulk_create(
                    batch, update_conflicts=True, unique_fields=["location", "product", "date"],
                    update_fields=["quantity", "revenue", "discount", "returns", "price_paid", "on_promotion",
                                   "updated_at"])

    bulk_seconds = timed("Django bulk_create(update_conflicts=True)", bulk)
    truncate()
    columns = "location_id, product_id, date, quantity, revenue, discount, returns, price_paid, on_promotion, " \
              "updated_at"

    def raw_rows():
        now = dt.datetime.now(dt.UTC)
        for row in generate(rows):
            yield (loc_ids[row["location_code"]], prod_ids[row["sku"]], row["date"], row["quantity"],
                   row["revenue"], row["discount"], row["returns"], row["price_paid"], row["on_promotion"], now)

    def raw() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if db == "postgres":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in raw_rows():
                        copy.write_row(values)
            else:
                raw_cursor = connection.connection.cursor()
                batch = []
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * 10)})"
                for values in raw_rows():
                    batch.append((*values[:2], values[2].isoformat(), *values[3:8], int(values[8]),
                                  values[9].isoformat(sep=" ")))
                    if len(batch) == 50_000:
                        raw_cursor.executemany(sql, batch)
                        batch = []
                raw_cursor.executemany(sql, batch)

    raw_label = "raw COPY" if db == "postgres" else "raw executemany INSERT"
    raw_seconds = timed(raw_label, raw)
    print(f"  ratio ours / {raw_label}: {raw_seconds / ours:.2f}×   (bulk_create / {raw_label}: "
          f"{raw_seconds / bulk_seconds:.2f}×)")
    print(f"  second run vs first: {ours / second:.2f}× as fast")
    print(f"  peak RSS: {rss_before:,.0f} MB before our ingest (Django loaded), {rss_after_ours:,.0f} MB "
          f"right after it, {peak_rss_mb():,.0f} MB at the end", flush=True)
    connection.close()
    drop_database(db, DATABASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.db == "both":
        # One process per database: Django binds its settings to one database per process.
        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--db", db], check=True)
        return
    run_one(args.db, args.rows)


if __name__ == "__main__":
    main()
