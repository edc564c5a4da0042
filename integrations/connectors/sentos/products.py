"""Sentos products stream: products with variants, and their per-warehouse stock, from `GET /products`.

Sentos sends stock inside the products (`stocks[]`, `variants[].stocks[]`) and allows the same GET about twice
a minute, so the catalogue is read once per run and both are written from it, in one transaction: every
sellable item (a variant, or a product without variants) becomes a product, and its stock lines a snapshot on
the warehouses' locations. The product's external id is its Sentos SKU, because order lines name products by
SKU and barcode only. Prices are in lira and are not written to the catalogue's list price (a group currency).
An incremental run whose pages hash the same as last time writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import (
    ISTANBUL,
    SourceProduct,
    StreamSync,
    apply_products,
    check_report,
    decimal_of,
    fingerprint,
    product_ids,
    snapshot_time,
    text_of,
    zero_rows_for_missing_stock,
)
from integrations.connectors.sentos.client import SentosClient
from integrations.connectors.sentos.org import ensure_warehouses, fetch_warehouse_nodes, warehouse_id_of
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

SNAPSHOT_MINUTES = 60


def _variant_label(variant: dict[str, Any]) -> str:
    model = variant.get("model")
    parts = [model.get("value") if isinstance(model, dict) else model, variant.get("color")]
    return " ".join(str(p).strip() for p in parts if p not in (None, ""))


def normalise(sync: StreamSync, pages: list[tuple[str, dict[str, Any]]]
              ) -> tuple[list[SourceProduct], list[dict[str, Any]]]:
    """(products, stock lines {sku, warehouse, stock, position}) from the raw product items."""
    products: dict[str, SourceProduct] = {}
    stock: list[dict[str, Any]] = []

    def stock_lines(sku: str, lines: Any, position: str) -> None:
        if lines in (None, ""):
            return
        if not isinstance(lines, list):
            raise sync.error("stocks is not a list", position)
        for number, line in enumerate(lines, start=1):
            where = f"{position}, stocks[{number}]"
            if not isinstance(line, dict):
                raise sync.error("a stock line is not a JSON object", where)
            warehouse = warehouse_id_of(sync, line.get("warehouse"), "stock warehouse reference")
            if not warehouse:
                raise sync.error("a stock line names no warehouse", where)
            try:
                quantity = decimal_of(line.get("stock"), "stock")
            except ValueError as exc:
                raise sync.error(str(exc), where) from None
            stock.append({"sku": sku, "warehouse": warehouse, "stock": quantity, "position": where})

    for position, item in pages:
        if not item.get("id") and not item.get("sku"):
            raise sync.error("a product without id and sku", position)
        try:
            decimal_of(item.get("sale_price"), "sale_price", allow_none=True)  # checked, not stored (see below)
        except ValueError as exc:
            raise sync.error(str(exc), position) from None
        name = text_of(item.get("name")) or text_of(item.get("sku"))
        variants = item.get("variants") or []
        if not isinstance(variants, list):
            raise sync.error("variants is not a list", position)
        sellable: list[tuple[dict[str, Any], str, str]] = []
        if variants:
            for number, variant in enumerate(variants, start=1):
                where = f"{position}, variants[{number}]"
                if not isinstance(variant, dict) or not text_of(variant.get("sku"), 100):
                    raise sync.error("a variant without a sku", where)
                label = _variant_label(variant)
                sellable.append((variant, f"{name} {label}".strip(), where))
        else:
            if not text_of(item.get("sku"), 100):
                raise sync.error("a product without variants has no sku", position)
            sellable.append((item, name, position))
        for source, title, where in sellable:
            sku = text_of(source.get("sku"), 100)
            barcodes = [b for b in (text_of(source.get("barcode"), 64),) if b]
            # No list_price: Sentos prices are in lira, the catalogue's list price is in the group's currency.
            products[sku] = SourceProduct(external_id=sku, sku=sku, name=title or sku, kind="goods",
                                          barcodes=barcodes, is_active=True)
            stock_lines(sku, source.get("stocks"), where)
    return list(products.values()), stock


@register_connector(IntegrationKind.SENTOS, SyncStream.PRODUCTS)
def sync_sentos_products(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    from sales.services.ingest import ingest_stock_levels

    sync = StreamSync(run, account, progress, source_tz=ISTANBUL)
    as_of = snapshot_time(sync.now, sync.option("stock_snapshot_minutes", SNAPSHOT_MINUTES))
    sync.details["as_of"] = as_of.isoformat()

    def on_page(page: int, total_pages: int | None) -> None:
        if total_pages and progress.run.progress_total != total_pages:
            progress.set_total(total_pages)
        progress.phase(f"Read products page {page}" + (f"/{total_pages}" if total_pages else ""), done=page)

    pages: list[tuple[str, dict[str, Any]]] = []
    with SentosClient(sync) as sentos:
        nodes = fetch_warehouse_nodes(sync, sentos)
        for page, index, item in sentos.pages("products", on_page=on_page):
            pages.append((f"GET /products page {page}, item {index} (id {item.get('id')})", item))
    digest = fingerprint([[n.external_id, n.name] for n in nodes] + [item for _, item in pages])
    if not sync.is_full and sync.cursor.get("fingerprint") == digest:
        return sync.outcome(read=len(pages), unchanged=len(pages), catalogue="unchanged since the last run")
    items, stock = normalise(sync, pages)
    with sync.atomic():
        locations = ensure_warehouses(sync, nodes)
        counts = apply_products(sync, items)
        refs = product_ids(account, [i.external_id for i in items])
        totals: dict[tuple[int, int], Decimal] = {}
        positions: dict[tuple[int, int], str] = {}
        skipped = 0
        for line in stock:
            location = locations.get(line["warehouse"])
            if location is None:
                skipped += 1
                sync.warn(f"{line['position']}: warehouse {line['warehouse']} is not in /warehouses; line skipped")
                continue
            key = (location, refs[line["sku"]])
            totals[key] = totals.get(key, Decimal(0)) + line["stock"]
            positions.setdefault(key, line["position"])
        rows = [{"location_id": loc, "product_id": prod, "as_of": as_of, "on_hand": qty, "reserved": 0,
                 "in_transit": 0} for (loc, prod), qty in totals.items()]
        zeroed = zero_rows_for_missing_stock(account, as_of, rows)
        report = ingest_stock_levels([*rows, *zeroed], source=account)
        check_report(sync, report, "stock", list(positions.values()) + ["a zeroed stock line"] * len(zeroed))
        sync.save_cursor({"fingerprint": digest, "synced_at": sync.now.isoformat(), "as_of": as_of.isoformat()})
    return sync.outcome(read=len(pages), created=counts["created"], updated=counts["updated"],
                        unchanged=counts["unchanged"], skipped=skipped, products=len(items),
                        stock={"rows": len(rows), "zeroed": len(zeroed), "created": report.created,
                               "updated": report.updated, "unchanged": report.unchanged})
