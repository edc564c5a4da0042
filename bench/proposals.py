"""Bench: order proposals (with MRP), the stock ledger and settings resolution.

Run by hand, one bench at a time (it uses its own databases, created and dropped here):

    .venv/bin/python bench/proposals.py                              # 20×250 series, SQLite then PostgreSQL
    .venv/bin/python bench/proposals.py --db postgres --sizes 20x250,40x500
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/sf_plan_bench  (default)

For each database and size (locations × sold products; a fifth of the products are dishes made from two
shared semi-finished products and materials, so MRP adds component items), in one process:
1. propose_orders, first run and a re-run (which replaces the open proposals);
2. baselines measured in the same run: the pure policy math over the same demand (no database), and the
   minimal database work of a run (read the forecast window once + bulk_create as many proposal rows);
3. the ledger: 1,000 single receipts through post_movements (one transaction, balance lock, check each)
   against 1,000 plain StockMovement inserts; 200 production-task completions;
4. settings: resolve_settings_bulk over every pair against resolve_settings per pair (200 pairs).
It prints seconds, throughput, query counts and ratios to the baselines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_setup import setup_django  # noqa: E402  (bench/ is on the path)

START = date(2026, 3, 2)
HORIZON = 28


def timed(func):
    """(result, seconds, queries), queries counted with an execute wrapper (cheap, unlike capturing SQL)."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
    return result, elapsed, count


def build_world(n_locations: int, n_products: int) -> dict:
    import random

    from django.utils import timezone

    from branches.models import Location
    from forecasting.models import Forecast, ModelRun
    from planning.models import BillOfMaterials, BomLine, PlanningSettings, Supplier
    from planning.services.ledger import MovementSpec, post_movements
    from sales.models import Product, ProductCategory, StockLevel

    rng = random.Random(7)
    root = Location.objects.create(code="ROOT", name="Root")
    locations = [Location.objects.create(code=f"L{i:04d}", name=f"Shop {i}", parent=root) for i in range(n_locations)]
    category = ProductCategory.objects.create(code="ALL", name="All")
    n_dishes = n_products // 5
    goods = Product.objects.bulk_create(
        Product(sku=f"G{i:05d}", name=f"Goods {i}", kind="goods", category=category)
        for i in range(n_products - n_dishes)
    )
    dishes = Product.objects.bulk_create(
        Product(sku=f"D{i:05d}", name=f"Dish {i}", kind="dish", category=category) for i in range(n_dishes)
    )
    materials = Product.objects.bulk_create(
        Product(sku=f"M{i:03d}", name=f"Material {i}", kind="material", unit="kg") for i in range(40)
    )
    semis = Product.objects.bulk_create(
        Product(sku=f"S{i:02d}", name=f"Semi {i}", kind="semi_finished", unit="kg") for i in range(2)
    )
    for semi in semis:
        bom = BillOfMaterials.objects.create(product=semi, is_default=True)
        BomLine.objects.bulk_create(BomLine(bom=bom, component=m, quantity=Decimal("0.4"), unit="kg",
                                            scrap_percent=Decimal("2")) for m in rng.sample(materials, 3))
    for dish in dishes:
        bom = BillOfMaterials.objects.create(product=dish, is_default=True)
        parts = [rng.choice(semis), *rng.sample(materials, 2)]
        BomLine.objects.bulk_create(BomLine(bom=bom, component=c, quantity=Decimal("0.1"), unit=c.unit)
                                    for c in parts)
    supplier = Supplier.objects.create(code="SUP", name="Supplier")
    PlanningSettings.objects.create(service_level=Decimal("0.95"), review_period_days=7, lead_time_days=3,
                                    supplier=supplier)
    PlanningSettings.objects.create(category=category, pack_size=Decimal("6"))
    run = ModelRun.objects.create(status="succeeded", finished_at=timezone.now(), horizon=HORIZON)
    sold = goods + dishes
    rows = []
    for loc in locations:
        for product in sold:
            level = rng.uniform(0.5, 20)
            for day in range(HORIZON):
                rows.append(Forecast(run=run, location=loc, product=product, date=START + timedelta(days=day),
                                     yhat=level, p10=level * 0.6, p50=level, p90=level * 1.5))
        if len(rows) > 200_000:
            Forecast.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Forecast.objects.bulk_create(rows, batch_size=5000)
    ModelRun.objects.filter(pk=run.pk).update(forecast_count=len(locations) * len(sold) * HORIZON,
                                              forecast_start=START, forecast_end=START + timedelta(days=HORIZON - 1))
    # Half of the items have ledger stock, a quarter only a source snapshot.
    now = timezone.now()
    specs, snapshots = [], []
    for loc in locations:
        for index, product in enumerate(goods):
            if index % 2 == 0:
                specs.append(MovementSpec(loc.pk, product.pk, "receipt", Decimal(rng.randint(1, 200))))
            elif index % 4 == 1:
                snapshots.append(StockLevel(location=loc, product=product, as_of=now, on_hand=rng.randint(0, 100)))
    for chunk in range(0, len(specs), 2000):
        post_movements(specs[chunk:chunk + 2000])
    StockLevel.objects.bulk_create(snapshots, batch_size=5000)
    return {"locations": locations, "sold": sold, "dishes": dishes, "materials": materials, "run": run}


def run_size(db: str, n_locations: int, n_products: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from forecasting.models import Forecast
    from planning.models import OrderProposal, ProductionTask, StockMovement
    from planning.services import production
    from planning.services.ledger import MovementSpec, post_movements
    from planning.services.policy import DemandDay, PolicyInput, PolicySettings, compute_order_proposal, to_decimal
    from planning.services.proposals import propose_orders
    from planning.services.settings import resolve_settings, resolve_settings_bulk

    started = time.perf_counter()
    world = build_world(n_locations, n_products)
    print(f"[{db}] {n_locations} locations × {n_products} products "
          f"({n_locations * n_products:,} series, built in {time.perf_counter() - started:.0f} s)")

    summary, first_s, first_q = timed(lambda: propose_orders(run=world["run"], planning_date=START))
    again, again_s, again_q = timed(lambda: propose_orders(run=world["run"], planning_date=START))
    items = summary.items_evaluated

    # Baseline 1: the policy math alone, on demand already in memory.
    demand = {}
    for loc, prod, day, p10, p50, p90 in Forecast.objects.filter(
        run=world["run"], date__lt=START + timedelta(days=10)
    ).values_list("location_id", "product_id", "date", "p10", "p50", "p90").iterator(chunk_size=5000):
        demand.setdefault((loc, prod), []).append(DemandDay(day, to_decimal(p50), to_decimal(p10), to_decimal(p90)))
    settings = PolicySettings(Decimal("0.95"), 7, 3, pack_size=Decimal("6"))

    def math_only():
        for days in demand.values():
            compute_order_proposal(PolicyInput(START, settings, days, on_hand=Decimal("10")))

    _, math_s, _ = timed(math_only)

    # Baseline 2: the least database work a run needs (read the window once, write as many rows).
    template = OrderProposal.objects.filter(status="proposed").first()

    def minimal_io():
        list(Forecast.objects.filter(run=world["run"], date__gte=START, date__lt=START + timedelta(days=10))
             .values_list("location_id", "product_id", "date", "p10", "p50", "p90"))
        rows = []
        for _ in range(items):
            template.pk = None
            template.status = "rejected"  # kept apart from the real ones
            rows.append(OrderProposal(**{f.attname: getattr(template, f.attname)
                                         for f in OrderProposal._meta.concrete_fields if f.attname != "id"}))
        with transaction.atomic():
            OrderProposal.objects.bulk_create(rows, batch_size=1000)

    _, io_s, io_q = timed(minimal_io)

    print(f"  propose_orders, first run : {first_s:8.2f} s  {items / first_s:>8,.0f} items/s  {first_q:5d} queries"
          f"  ratio to minimal I/O {first_s / io_s:5.2f}x, to math only {first_s / math_s:5.2f}x")
    print(f"  propose_orders, re-run    : {again_s:8.2f} s  {items / again_s:>8,.0f} items/s  {again_q:5d} queries"
          f"  ({again.replaced:,} open proposals replaced)")
    print(f"  baseline: policy math only: {math_s:8.2f} s  {len(demand) / math_s:>8,.0f} items/s")
    print(f"  baseline: minimal I/O     : {io_s:8.2f} s  {items / io_s:>8,.0f} items/s  {io_q:5d} queries")
    print(f"  ({items:,} items: {summary.with_quantity:,} to order, {summary.component_proposals} component "
          f"proposals from MRP)")

    # Ledger.
    loc = world["locations"][0]
    products = world["sold"][:50]

    def receipts():
        for i in range(1000):
            post_movements([MovementSpec(loc.pk, products[i % len(products)].pk, "receipt", Decimal("1"))])

    _, ledger_s, ledger_q = timed(receipts)

    def plain_inserts():
        now = timezone.now()
        for i in range(1000):
            StockMovement.objects.create(location=loc, product=products[i % len(products)], kind="adjustment",
                                         quantity=Decimal("1"), balance_after=Decimal("0"), occurred_at=now)

    _, plain_s, plain_q = timed(plain_inserts)
    for material in world["materials"]:
        post_movements([MovementSpec(loc.pk, material.pk, "receipt", Decimal("100000"))])
    dishes = world["dishes"]
    tasks = [production.create_task(product_id=dishes[i % len(dishes)].pk, quantity=Decimal("5"), location_id=loc.pk,
                                    due_date=START) for i in range(200)]
    for semi_id in {line.component_id for t in tasks for line in t.bom.lines.all()}:
        post_movements([MovementSpec(loc.pk, semi_id, "receipt", Decimal("100000"))])
    ProductionTask.objects.filter(pk__in=[t.pk for t in tasks]).update(status="in_progress")
    _, complete_s, complete_q = timed(lambda: [production.apply_action(t.pk, "complete") for t in tasks])
    print(f"  ledger: 1,000 receipts    : {ledger_s:8.2f} s  {1000 / ledger_s:>8,.0f} /s      {ledger_q:5d} queries"
          f"  ratio to plain inserts {ledger_s / plain_s:5.2f}x")
    print(f"  baseline: 1,000 inserts   : {plain_s:8.2f} s  {1000 / plain_s:>8,.0f} /s      {plain_q:5d} queries")
    print(f"  200 task completions      : {complete_s:8.2f} s  {200 / complete_s:>8,.0f} /s      {complete_q:5d} "
          "queries (4 movements each)")

    # Settings resolution.
    from branches.models import Location
    from sales.models import Product

    locs = list(Location.objects.exclude(code="ROOT"))
    prods = list(Product.objects.filter(kind__in=["goods", "dish"]))
    pairs = [(a, b) for a in locs for b in prods]
    _, bulk_s, bulk_q = timed(lambda: resolve_settings_bulk(pairs))
    sample = pairs[:200]
    _, single_s, single_q = timed(lambda: [resolve_settings(a, b) for a, b in sample])
    per_pair_bulk = bulk_s / len(pairs)
    per_pair_single = single_s / len(sample)
    print(f"  settings, bulk            : {bulk_s:8.3f} s  {len(pairs) / bulk_s:>8,.0f} pairs/s {bulk_q:5d} queries"
          f"  per pair {per_pair_single / per_pair_bulk:5.1f}x faster than one by one")
    print(f"  settings, one by one (200): {single_s:8.3f} s  {len(sample) / single_s:>8,.0f} pairs/s {single_q:5d} "
          "queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="20x250", help="Comma-separated LOCATIONSxPRODUCTS.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        try:
            n_locations, n_products = (int(x) for x in size.lower().split("x"))
        except ValueError:
            parser.error(f"--sizes: {size!r} is not LOCATIONSxPRODUCTS")
        if n_locations < 1 or n_products < 5:
            # a fifth of the products are dishes, and the production part needs at least one
            parser.error(f"--sizes: {size!r} needs at least 1 location and 5 products")
    if args.child:
        setup_django(args.db, name="sf_plan_bench")
        for size in args.sizes.split(","):
            n_locations, n_products = (int(x) for x in size.lower().split("x"))
            run_size(args.db, n_locations, n_products)
        return
    # One process (and a fresh database) per database and size: settings are read once per process.
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        for size in args.sizes.split(","):
            subprocess.run([sys.executable, __file__, "--child", "--db", db, "--sizes", size], check=True)


if __name__ == "__main__":
    main()
