"""Loads the deterministic demo data set through the same services imports and connectors use.

Two ways, both upserts (loading twice changes nothing):

* `sync` (what `bin/demo` does): the data set is served by the loopback fakes of iiko, 1C, Sentos, Wildberries
  and MoySklad; one integration account per system points at them and the main job's sync step pulls org
  structure, products, sales and stock through the real connectors. Only what no upstream carries is imported
  here: known-in-advance demand drivers (holidays, closed days, planned promotions) and the BOMs.
* `direct` (offline, quickest): everything goes straight in — the org tree as one manual feed (1C branches, the
  iiko corporation, the e-commerce warehouses), the demand history through the sales ingest service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
from django.utils import timezone

from branches.choices import LocationType
from branches.services.org_sync import OrgNode, apply_org_feed
from demo.dataset import DemoDataset, build_demo_dataset
from sales.services.ingest import (
    ingest_daily_sales,
    ingest_stock_levels,
    upsert_categories,
    upsert_demand_drivers,
    upsert_products,
)

Progress = Callable[[str, int, int | None], None]

ECOMMERCE_ROOT = "demo:ecommerce"


class DemoLoadError(RuntimeError):
    """A demo batch was rejected; the message carries the first errors of the report."""


def _check(report: Any, what: str) -> Any:
    if getattr(report, "errors", None):
        first = "; ".join(f"row {e['row']} {e['column']}: {e['message']}" for e in report.errors[:5])
        raise DemoLoadError(f"{what} rejected: {first}")
    return report


def org_nodes(dataset: DemoDataset) -> list[OrgNode]:
    """1C branches, the iiko corporation (departments carry the 1C code as code_tco) and e-commerce warehouses."""
    nodes = [
        OrgNode(external_id=b.id, parent_external_id=b.parent_id, code=b.code, name=b.name,
                type=LocationType.BRANCH_GROUP if b.is_group else LocationType.BRANCH, taxpayer_id_number=b.inn)
        for b in dataset.onec_branches
    ]
    nodes += [
        OrgNode(external_id=d.id, parent_external_id=d.parent_id, code=d.code, code_tco=d.code, name=d.name,
                type=d.type if d.type in LocationType.values else LocationType.OTHER, taxpayer_id_number=d.taxpayer_id)
        for d in dataset.iiko_departments
    ]
    onec_codes = {b.code for b in dataset.onec_branches}
    online = [loc for loc in dataset.locations if loc.code not in onec_codes]
    if online:
        nodes.append(OrgNode(external_id=ECOMMERCE_ROOT, name="E-commerce", type=LocationType.GROUP))
        nodes += [
            OrgNode(external_id=f"demo:{loc.code}", parent_external_id=ECOMMERCE_ROOT, code=loc.code, name=loc.name,
                    type=LocationType.WAREHOUSE)
            for loc in online
        ]
    return nodes


def _sale_rows(dataset: DemoDataset) -> Iterator[dict[str, Any]]:
    frame = dataset.daily_sales
    for code, sku, day, units, price, discount, revenue, promo in zip(
        frame["location_code"], frame["sku"], frame["date"].dt.date, frame["units"], frame["price"],
        frame["discount"], frame["revenue"], frame["promo"], strict=True,
    ):
        yield {"location_code": code, "sku": sku, "date": day, "quantity": int(units), "price_paid": round(price, 2),
               "discount": round(discount, 2), "revenue": round(revenue, 2), "on_promotion": bool(promo)}


def synced_location_ids(dataset: DemoDataset) -> dict[str, int]:
    """Demo location code → the Location its system's connector created (account + external id).

    Codes alone are ambiguous once synced (the 1C branch, the iiko department and the MoySklad store of one shop
    share a code); drivers must land where that system's sales land.
    """
    from branches.models import Location
    from demo.accounts import DEMO_ACCOUNTS

    accounts = [spec["name"] for spec in DEMO_ACCOUNTS.values()]
    found = {(name, external_id): pk for name, external_id, pk in Location.objects.filter(
        source__name__in=accounts).values_list("source__name", "external_id", "id")}
    return {loc.code: found[(DEMO_ACCOUNTS[loc.system]["name"], loc.external_id)]
            for loc in dataset.locations if (DEMO_ACCOUNTS[loc.system]["name"], loc.external_id) in found}


def _driver_rows(dataset: DemoDataset, location_ids: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Known-in-advance drivers, history and horizon: holidays and closed days per location, planned promotions.

    With `location_ids` (synced demo) rows name the location by id; otherwise by code (direct load)."""
    codes = [loc.code for loc in dataset.locations if location_ids is None or loc.code in location_ids]
    rows: dict[tuple[str, str, dt.date], dict[str, Any]] = {}

    def put(code: str, sku: str, day: dt.date, **values: Any) -> None:
        if location_ids is not None and code not in location_ids:
            return
        where = {"location_id": location_ids[code]} if location_ids is not None else {"location_code": code}
        rows.setdefault((code, sku, day), {**where, "sku": sku, "date": day}).update(values)

    for holiday in dataset.public_holidays:
        for code in codes:
            put(code, "ALL", holiday.date, is_holiday=True)
    for code, day in zip(dataset.closed_days["location_code"], dataset.closed_days["date"], strict=True):
        put(code, "ALL", day.date() if hasattr(day, "date") else day, is_open=False)
    prices = {p.sku: p.list_price for p in dataset.products}
    for day, code, sku, driver, value in zip(
        dataset.drivers["date"], dataset.drivers["location_code"], dataset.drivers["sku"], dataset.drivers["driver"],
        dataset.drivers["value"], strict=True,
    ):
        day = day.date() if hasattr(day, "date") else day
        code = None if pd.isna(code) else code  # None in the frame means "every location"
        sku = None if pd.isna(sku) else sku
        for target in ([code] if code else codes):
            if driver == "holiday":
                put(target, "ALL", day, is_holiday=True)
            elif driver == "closed":
                put(target, "ALL", day, is_open=False)
            elif driver == "promo":
                extra = {"planned_price": round(prices[sku] * (1 - value), 2)} if sku in prices else {}
                put(target, sku or "ALL", day, promotion=True, **extra)
    return list(rows.values())


def _load_boms(dataset: DemoDataset) -> str | None:
    """BOMs go through the planning app's service when it is installed (it sits above sales)."""
    try:
        from planning.services.bom_import import upsert_boms_from_lines
    except ImportError:
        return None
    report = upsert_boms_from_lines(
        [{"parent_sku": b.parent_sku, "component_sku": b.component_sku, "quantity": b.quantity, "unit": b.unit,
          "scrap_pct": b.scrap_pct} for b in dataset.boms]
    )
    return str(report)


def demo_dataset(*, size: str = "default", seed: int = 42, end_date: dt.date | None = None) -> DemoDataset:
    return build_demo_dataset(seed=seed, size=size, **({"end_date": end_date} if end_date else {}))


def _catalogue(dataset: DemoDataset) -> tuple[Any, Any]:
    cats = _check(upsert_categories([{"code": c.code, "name": c.name, "parent_code": c.parent_code}
                                     for c in dataset.categories]), "categories")
    products = _check(upsert_products(
        [{"sku": p.sku, "name": p.name, "kind": p.kind, "category_code": p.category_code, "unit": p.unit,
          "list_price": round(p.list_price, 2), "barcode": p.barcode} for p in dataset.products]
    ), "products")
    return cats, products


def load_planning_inputs(dataset: DemoDataset, *, progress: Progress | None = None, synced: bool = False) -> list[str]:
    """What no connector delivers: item-master attributes (kind, unit, category — iiko sends a unit *id*),
    demand drivers and BOMs. Needs the products and locations to exist."""
    lines = []
    if synced:
        cats, products = _catalogue(dataset)
        lines.append(f"item master: {cats.rows} categories; kind/unit/category of {products.rows} products "
                     f"({products.updated} updated)")
    driver_rows = _driver_rows(dataset, synced_location_ids(dataset) if synced else None)
    drivers = _check(upsert_demand_drivers(driver_rows, progress=_stepper(progress, "drivers", len(driver_rows))),
                     "drivers")
    lines.append(f"demand drivers: {drivers.rows} rows (holidays, closed days, planned promotions)")
    boms = _load_boms(dataset)
    if boms:
        lines.append(f"BOMs: {boms}")
    shop_floor = _load_shop_floor()
    if shop_floor:
        lines.append(shop_floor)
    lines += _load_quality_workshop()
    return lines


DEMO_EMBROIDERY_ROOM = "DEMO-EMB"


def _load_shop_floor() -> str | None:
    """An embroidery design, an embroidery step on a made product's BOM, an approved production task with a
    planned embroidery job, and a printable PDF sheet of labels, through the shop floor's services when the
    app is installed. Re-runnable: it adds the task and the job only once."""
    try:
        from planning.models import BillOfMaterials, ProductionTask
        from planning.services import production
        from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep
        from shopfloor.services import embroidery, labels
        from shopfloor.services.barcodes import code_for
    except ImportError:
        return None
    from django.conf import settings

    from branches.models import Location

    bom = (BillOfMaterials.objects.filter(is_default=True, is_active=True, lines__isnull=False)
           .select_related("product").order_by("product__sku").first())
    workshop = Location.objects.active().exclude(code=DEMO_EMBROIDERY_ROOM).order_by("tree_path", "id").last()
    if bom is None or workshop is None:
        return "shop floor: skipped (no BOM or no location yet)"
    part = bom.lines.order_by("line_no", "id").first().component
    room, _ = Location.objects.get_or_create(code=DEMO_EMBROIDERY_ROOM, defaults={"name": "Embroidery room"})
    design, _ = EmbroideryDesign.objects.get_or_create(
        code="DEMO-LOGO", defaults={"name": "Company logo", "stitch_count": 5200,
                                    "colours": ["navy", "white", "gold"], "machine_minutes_per_piece": 4})
    EmbroideryStep.objects.get_or_create(bom=bom, part=part, design=design, defaults={"lead_time_days": 2})
    job = EmbroideryJob.objects.filter(design=design).first()
    if job is None:
        task = production.create_task(product_id=bom.product_id, quantity=20, location_id=workshop.pk,
                                      due_date=timezone.localdate() + dt.timedelta(days=7), bom=bom,
                                      notes="demo: embroidered before it is made")
        production.apply_action(task.pk, "approve")
        job = embroidery.create_job(embroidery.JobInput(
            production_task_id=task.pk, design_id=design.pk, part_id=part.pk, quantity=20,
            embroidery_location_id=room.pk, planned_date=timezone.localdate() + dt.timedelta(days=2),
            machine="Tajima TMEZ-SC", notes="demo job"))
    task = ProductionTask.objects.get(pk=job.production_task_id)
    targets = [code_for("product", bom.product_id), code_for("product", part.pk), code_for("location", workshop.pk),
               code_for("location", room.pk), code_for("production_task", task.pk)]
    sheet = labels.render_sheet([labels.Label(t.code, t.kind.title_of(t.obj)) for t in targets], "qr")
    path = settings.MEDIA_ROOT / "demo" / "labels.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sheet)
    return (f"shop floor: design {design.code}, embroidery job {job.pk} ({job.status}) for task {task.pk} "
            f"({bom.product.sku}); printable labels at {path}")


def _load_quality_workshop() -> list[str]:
    """The toy workshop (lots, a failing lab test, an inspection) when the quality app is installed."""
    try:
        from demo.shopfloor import load_shopfloor_demo
        from quality.services import inspections  # noqa: F401  (installed?)
    except ImportError:
        return []
    return load_shopfloor_demo()


def _stepper(progress: Progress | None, name: str, total: int | None) -> Callable[[int], None]:
    if progress is not None:
        progress(name, 0, total)
    return lambda done: progress(name, done, total) if progress is not None else None


def load_demo(*, size: str = "default", seed: int = 42, progress: Progress | None = None,
              stdout: Any = None, end_date: dt.date | None = None) -> list[str]:
    """Load the whole demo data set directly (no upstreams); returns one summary line per step."""
    dataset = demo_dataset(size=size, seed=seed, end_date=end_date)
    lines: list[str] = []

    def step(name: str, total: int | None) -> Callable[[int], None]:
        return _stepper(progress, name, total)

    org = apply_org_feed(None, org_nodes(dataset))
    lines.append(f"org tree: {org.read} nodes read, {org.created} created, {org.updated} updated, "
                 f"{org.unchanged} unchanged, {org.linked} iiko departments linked to 1C branches")
    cats, products = _catalogue(dataset)
    lines.append(f"catalogue: {cats.rows} categories, {products.rows} products ({products.created} new)")
    sales = _check(ingest_daily_sales(_sale_rows(dataset), progress=step("daily sales", len(dataset.daily_sales))),
                   "daily sales")
    lines.append(f"daily sales: {sales.rows} rows ({sales.created} new, {sales.updated} updated, "
                 f"{sales.unchanged} unchanged), {dataset.daily_sales['date'].min():%Y-%m-%d} … "
                 f"{dataset.daily_sales['date'].max():%Y-%m-%d}")
    as_of = timezone.make_aware(dt.datetime.combine(dataset.end_date, dt.time.min))
    stock = _check(ingest_stock_levels(
        ({"location_code": r.location_code, "sku": r.sku, "as_of": as_of, "on_hand": r.on_hand,
          "reserved": r.reserved, "in_transit": r.in_transit} for r in dataset.stock.itertuples()),
        progress=step("stock", len(dataset.stock)),
    ), "stock")
    lines.append(f"stock: {stock.rows} snapshot rows as of {dataset.end_date}")
    lines += load_planning_inputs(dataset, progress=progress)
    if progress is not None and hasattr(progress, "close"):
        progress.close()
    return lines
