"""Monitoring bench: snapshot build time and query count at 10,000 and 1,000,000 daily sales.

Run by hand, one bench at a time (it owns the databases it names)::

    .venv/bin/python bench/snapshot.py                      # PostgreSQL and SQLite
    .venv/bin/python bench/snapshot.py --engine postgres    # or sqlite
    .venv/bin/python bench/snapshot.py --large 200000       # a smaller "large" set

For each engine it migrates a fresh bench database through bench_setup (PostgreSQL: BENCH_PG_URL, default
sf_mon_bench; SQLite: a file in the temp directory), loads a world of 200 stores (+10 regions), 5,000 products
and N daily sales with COPY (PostgreSQL) or executemany (SQLite), then times `build_snapshot()` (one cold run,
then the median of five) and counts its queries. It does so at 10,000 and at the large size, so the two query
counts can be compared, and prints a baseline measured in the same run: one GROUP BY over every daily sale (what
the naive "last sales day per location" would cost on its own).

The fact tables scale together: N daily sales = series × 250 days (4,000 series at 1M: 20 products sold daily
per store), the latest forecast run has 28 days per series (plus an older run of the same size), the accuracy
log 84 days per series (three runs' worth of scored points), stock snapshots 30 days per series, one ledger
balance per series, and purchase orders, production tasks and proposals in proportion.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench_setup import ROOT, setup_django

DATABASE = "sf_mon_bench"
STORES, REGIONS, PRODUCTS, CATEGORIES, DAYS = 200, 10, 5_000, 50, 250


# ---------------------------------------------------------------------------------------------- loading


class Loader:
    """Bulk-inserts rows of a model: COPY on PostgreSQL, executemany on SQLite. Columns not given get the
    model field's default (or NULL), so the loader follows model changes of the other apps."""

    def __init__(self) -> None:
        from django.db import connection
        from django.utils import timezone

        self.connection = connection
        self.now = timezone.now()

    def load(self, model, columns: list[str], rows) -> int:
        from django.db import models

        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_attname[c] for c in columns]
        constants = {}
        for name, field in by_attname.items():
            if name in columns or isinstance(field, models.AutoField):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif isinstance(field, models.CharField | models.TextField):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value in the bench loader")
            constants[name] = field.get_db_prep_save(value, self.connection)
        all_columns = [*columns, *constants]
        quoted = ", ".join(self.connection.ops.quote_name(by_attname[c].column) for c in all_columns)
        table = self.connection.ops.quote_name(model._meta.db_table)
        tail = tuple(constants.values())
        adapters = [self._adapter(f) for f in fields]
        if any(adapters):
            rows = (tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) for row in rows)
        count = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *tail))
                        count += 1
            else:
                placeholders = ", ".join(["?"] * len(all_columns))
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
                batch = []
                for row in rows:
                    batch.append((*row, *tail))
                    if len(batch) >= 50_000:
                        cursor.cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def _adapter(self, field):
        """How a row value of this field is handed to the driver (None: as it is)."""
        from django.db import models

        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, self.connection)
        if self.connection.vendor == "postgresql":
            return None
        ops = self.connection.ops
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.DecimalField):
            return str
        return None

    def reset_sequences(self, models_: list) -> None:
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), models_)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def populate(daily_sales: int) -> dict[str, int]:
    """Load a world with `daily_sales` DailySale rows; returns the row counts per table."""
    from branches.models import Location
    from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
    from integrations.models import IntegrationAccount, SyncRun
    from planning.models import (
        BillOfMaterials,
        OrderProposal,
        PlanningSettings,
        ProductionTask,
        PurchaseOrder,
        PurchaseOrderLine,
        StockBalance,
    )
    from sales.models import DailySale, Product, ProductCategory, StockLevel

    loader = Loader()
    now = loader.now
    today = now.date()
    series_count = daily_sales // DAYS
    per_store = max(1, series_count // STORES)
    series = [(1 + REGIONS + s, 1 + ((s * 37 + k * 101) % PRODUCTS)) for s in range(STORES) for k in range(per_store)]
    series = series[:series_count]
    counts: dict[str, int] = {}

    def region_of(store_id: int) -> int:
        return 1 + (store_id - 1 - REGIONS) % REGIONS

    counts["locations"] = loader.load(
        Location, ["id", "parent_id", "code", "name", "type", "is_active", "tree_path", "depth"],
        [(r, None, f"R{r}", f"Region {r}", "BRANCH_GROUP", True, f"/{r}/", 0) for r in range(1, REGIONS + 1)]
        + [(s, region_of(s), f"S{s}", f"Store {s}", "BRANCH", True, f"/{region_of(s)}/{s}/", 1)
           for s in range(REGIONS + 1, REGIONS + STORES + 1)],
    )
    counts["categories"] = loader.load(
        ProductCategory, ["id", "code", "name", "parent_id"],
        [(c, f"C{c}", f"Category {c}", None if c <= 5 else 1 + c % 5) for c in range(1, CATEGORIES + 1)],
    )
    counts["products"] = loader.load(
        Product, ["id", "sku", "name", "category_id", "is_active"],
        [(p, f"SKU{p:05d}", f"Product {p}", 1 + p % CATEGORIES, True) for p in range(1, PRODUCTS + 1)],
    )
    stale_stores = set(range(REGIONS + 1, REGIONS + 11))  # 10 stores stopped sending sales 5 days ago

    def sales():
        first = today - timedelta(days=DAYS)
        for i, (loc, prod) in enumerate(series):
            last = DAYS - 5 if loc in stale_stores else DAYS
            for d in range(DAYS):
                if d < last:
                    yield (loc, prod, first + timedelta(days=d), Decimal(1 + (i + d) % 7), Decimal(0))
                else:  # keep exactly `daily_sales` rows: the stale stores' last days move to the past
                    yield (loc, prod, first - timedelta(days=d - last + 1), Decimal(1), Decimal(0))

    started = time.perf_counter()
    counts["daily_sales"] = loader.load(
        DailySale, ["location_id", "product_id", "date", "quantity", "revenue"], sales()
    )
    counts["daily_sales_seconds"] = round(time.perf_counter() - started, 1)

    counts["accounts"] = loader.load(
        IntegrationAccount, ["id", "kind", "name", "base_url", "enabled"],
        [(a, "iiko", f"Account {a}", "http://127.0.0.1:9/", a != 5) for a in range(1, 6)],
    )
    streams = ["org", "products", "sales", "stock"]
    run_count = max(200, daily_sales // 50)
    statuses = ["succeeded"] * 8 + ["failed", "partial"]
    counts["sync_runs"] = loader.load(
        SyncRun, ["account_id", "stream", "status", "created_at", "started_at", "finished_at"],
        (
            (1 + r % 5, streams[r // 5 % 4], statuses[r % 10], t, t, t + timedelta(minutes=2))
            for r in range(run_count)
            for t in [now - timedelta(minutes=10 * (run_count - r))]
        ),
    )

    older, latest = now - timedelta(days=1), now - timedelta(hours=2)
    counts["model_runs"] = loader.load(
        ModelRun, ["id", "status", "created_at", "finished_at", "metrics", "forecast_count", "horizon"],
        [(1, "succeeded", older, older, {"models": {"lightgbm": {"wape": 0.31}}}, len(series) * 28, 28),
         (2, "succeeded", latest, latest, {"models": {"lightgbm": {"wape": 0.28}}}, len(series) * 28, 28)],
    )
    def forecasts(run_id: int, start: date):
        for i, (loc, prod) in enumerate(series):
            for d in range(28):
                p50 = float(1 + (i + d) % 5)
                yield (run_id, loc, prod, start + timedelta(days=d), p50, p50 * 0.6, p50, p50 * 1.5)

    columns = ["run_id", "location_id", "product_id", "date", "yhat", "p10", "p50", "p90"]
    counts["forecasts"] = loader.load(Forecast, columns, forecasts(1, today - timedelta(days=1)))
    counts["forecasts"] += loader.load(Forecast, columns, forecasts(2, today))
    counts["accuracy_log"] = loader.load(
        ForecastAccuracyLog,
        ["run_id", "location_id", "product_id", "date", "horizon_day", "forecast", "actual", "error", "abs_error"],
        (
            (1, loc, prod, today - timedelta(days=d), d, f, a, f - a, abs(f - a))
            for i, (loc, prod) in enumerate(series)
            for d in range(1, 85)
            for f, a in [(float(2 + (i + d) % 3), float(1 + (i * d) % 4))]
        ),
    )
    counts["stock_levels"] = loader.load(
        StockLevel, ["location_id", "product_id", "as_of", "on_hand"],
        ((loc, prod, now - timedelta(days=d, hours=1), Decimal(i % 30)) for i, (loc, prod) in enumerate(series)
         for d in range(30)),
    )
    counts["stock_balances"] = loader.load(
        StockBalance, ["location_id", "product_id", "on_hand", "last_movement_at"],
        # Every 25th item holds far more than its forecast: overstock.
        ((loc, prod, Decimal(500 if i % 25 == 0 else i % 30), now - timedelta(minutes=30))
         for i, (loc, prod) in enumerate(series)),
    )
    # Lead times: global 3 days, region 1 → 4, category 2 → 6, category 7 in region 3 → 9, 20 products → 1.
    settings_rows = [(1, None, None, None, 3), (2, 1, None, None, 4), (3, None, 2, None, 6), (4, 3, 7, None, 9)]
    fast_products = sorted({series[k * 97 % len(series)][1] for k in range(20)})
    settings_rows += [(5 + k, None, None, product, 1) for k, product in enumerate(fast_products)]
    counts["planning_settings"] = loader.load(
        PlanningSettings, ["id", "location_id", "category_id", "product_id", "lead_time_days"], settings_rows
    )
    order_count = max(20, len(series) // 5)
    counts["purchase_orders"] = loader.load(
        PurchaseOrder, ["id", "location_id", "status", "expected_date"],
        ((o, series[o * 5 % len(series)][0], ["draft", "sent", "partially_received", "received"][o % 4],
          today + timedelta(days=o % 9 - 3)) for o in range(1, order_count + 1)),
    )
    counts["purchase_order_lines"] = loader.load(
        PurchaseOrderLine, ["order_id", "product_id", "quantity", "received_quantity", "expected_date"],
        ((o, series[(o * 5 + k) % len(series)][1], Decimal(10), Decimal(k % 3), None)
         for o in range(1, order_count + 1) for k in range(5)),
    )
    boms = sorted({prod for _loc, prod in series[:order_count]})
    counts["boms"] = loader.load(
        BillOfMaterials, ["id", "product_id", "is_default"], ((b, b, True) for b in boms)
    )
    counts["production_tasks"] = loader.load(
        ProductionTask, ["product_id", "bom_id", "quantity", "location_id", "due_date", "status"],
        ((prod, prod, Decimal(5), loc, today + timedelta(days=t % 7 - 3),
          ["draft", "approved", "in_progress", "completed"][t % 4])
         for t, (loc, prod) in enumerate(series[:order_count])),
    )
    zero = Decimal(0)
    counts["proposals"] = loader.load(
        OrderProposal,
        ["location_id", "product_id", "kind", "status", "quantity", "planning_date", "order_date", "expected_arrival",
         "protection_days", "forecast_demand", "demand", "safety_stock", "on_hand", "open_supply", "reserved",
         "inventory_position", "target_level", "raw_need", "service_level", "explanation"],
        ((loc, prod, "buy", ["proposed", "approved", "rejected"][i % 3], Decimal(5), today, today,
          today + timedelta(days=3), 10, zero, zero, zero, zero, zero, zero, zero, zero, zero, Decimal("0.95"), "bench")
         for i, (loc, prod) in enumerate(series)),
    )
    loader.reset_sequences([Location, ProductCategory, Product, IntegrationAccount, ModelRun, PlanningSettings,
                            PurchaseOrder, BillOfMaterials])
    return counts


def clear() -> None:
    """Empty every table the world uses (children first)."""
    from django.apps import apps
    from django.db import connection

    tables = [m._meta.db_table for app in ("monitoring", "planning", "forecasting", "sales", "branches", "integrations")
              for m in apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


# ---------------------------------------------------------------------------------------------- measuring


def measure(label: str) -> dict:
    from django.db import connection

    from monitoring.services.snapshots import build_snapshot

    cold = build_snapshot()
    warm = [build_snapshot() for _ in range(5)]
    seconds = [b.build_seconds for b in warm]
    with connection.cursor() as cursor:
        baseline = []
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute("SELECT location_id, MAX(date) FROM sales_dailysale GROUP BY location_id")
            cursor.fetchall()
            baseline.append(time.perf_counter() - started)
    payload = warm[-1].payload
    return {
        "label": label,
        "cold": cold.build_seconds,
        "median": statistics.median(seconds),
        "min": min(seconds),
        "queries": {b.query_count for b in [cold, *warm]},
        "baseline": statistics.median(baseline),
        "facts": {
            "items evaluated": payload["planning"]["items_evaluated"],
            "stock-out risks": payload["planning"]["stockout_risk"]["count"],
            "overstock": payload["planning"]["overstock"]["count"],
            "stale locations": payload["data"]["sales"]["stale_locations"]["count"],
            "proposals awaiting": payload["planning"]["proposals_awaiting_approval"]["count"],
            "overdue POs": payload["planning"]["overdue_purchase_orders"]["count"],
            "overdue tasks": payload["planning"]["overdue_production_tasks"]["count"],
            "failing streams": payload["integrations"]["streams_failing"]["count"],
            "28-day WAPE": payload["forecasting"]["accuracy_28d"]["wape"],
        },
    }


def section_times() -> list[tuple[str, float, int]]:
    """Time of each section alone (warm), to show where the time goes."""
    from monitoring.services.context import BuildContext
    from monitoring.services.query_counter import QueryCounter
    from monitoring.services.sections import data, forecasting, integrations, planning

    ctx = BuildContext.create()
    run_id = forecasting.collect(ctx)["latest_run"]["id"]
    out = []
    for name, collect in (("integrations", integrations.collect), ("data", data.collect),
                          ("forecasting", forecasting.collect), ("planning", lambda c: planning.collect(c, run_id))):
        with QueryCounter() as counter:
            started = time.perf_counter()
            collect(ctx)
            out.append((name, time.perf_counter() - started, counter.count))
    return out


def run_engine(engine: str, large: int) -> None:
    setup_django(engine, name=DATABASE, settings={"LOG_LEVEL": "WARNING"})
    from django.db import connection, transaction

    print(f"== {engine}: {connection.settings_dict['NAME']}", flush=True)
    results = []
    for size in (10_000, large):
        clear()
        started = time.perf_counter()
        with transaction.atomic():  # one transaction: SQLite would otherwise commit every row
            counts = populate(size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"   loaded {counts['daily_sales']:,} daily sales ({counts['daily_sales_seconds']} s), "
              f"{counts['forecasts']:,} forecasts, {counts['accuracy_log']:,} accuracy points, "
              f"{counts['stock_levels']:,} stock snapshots, {counts['stock_balances']:,} balances, "
              f"{counts['sync_runs']:,} sync runs, {counts['proposals']:,} proposals "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        results.append(measure(f"{counts['daily_sales']:,} daily sales"))
        if size == large:
            sections = section_times()
    small, big = results
    print(f"   {'data set':<24}{'cold s':>9}{'median s':>10}{'min s':>9}{'queries':>9}{'full-scan baseline s':>22}")
    for r in results:
        queries = ",".join(str(q) for q in sorted(r["queries"]))
        print(f"   {r['label']:<24}{r['cold']:>9.3f}{r['median']:>10.3f}{r['min']:>9.3f}{queries:>9}"
              f"{r['baseline']:>22.3f}")
    same = small["queries"] == big["queries"] and len(big["queries"]) == 1
    print(f"   query count at 10k vs large: {sorted(small['queries'])} vs {sorted(big['queries'])} -> "
          f"{'the same' if same else 'DIFFERENT'}")
    print(f"   large/small build time: {big['median'] / small['median']:.1f}x for "
          f"{int(big['label'].split()[0].replace(',', '')) // 10_000}x the rows; "
          f"snapshot / full-scan baseline: {big['median'] / big['baseline']:.1f}x")
    print("   where the time goes (large, warm): " + ", ".join(f"{n} {s:.3f} s/{q} q" for n, s, q in sections))
    print("   large snapshot says: " + ", ".join(f"{k} {v}" for k, v in big["facts"].items()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--large", type=int, default=1_000_000, help="Daily sales in the large data set.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_engine(args.engine, args.large)
        return
    for engine in ["postgres", "sqlite"] if args.engine == "both" else [args.engine]:
        # One process per engine: Django's settings are fixed once per process.
        subprocess.run([sys.executable, __file__, "--child", "--engine", engine, "--large", str(args.large)],
                       check=True, cwd=ROOT)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"(measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores; load average {load}: the "
          "machine is shared, so absolute times vary between runs; the query counts do not)")


if __name__ == "__main__":
    main()
