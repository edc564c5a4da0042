"""MoySklad streams: stores (org), products, retail demands (sales), stock per store.

* org: `entity/store` (store groups are stores with children) below one root per account; archived stores
  drop out of the feed and become inactive. Every stream that books on a store applies this feed first.
* products: `entity/product` (+ `entity/productfolder` as categories). Money is in kopecks. Incremental runs ask
  for `updated>=<cursor>` (Moscow time), the cursor being the newest `updated` stored.
* sales: `entity/retaildemand?expand=positions` (limit ≤ 100 with expand). Full runs read a `moment` window
  (option `full_days`); incremental runs ask for `updated>=<cursor>`, which also catches edits of old receipts.
  Receipts become orders (one line per position; `discount` is a percentage) and daily sales through the sales
  service; a receipt that is not `applicable` (a draft) is stored as cancelled so it never counts. Positions
  beyond what `expand` returned are read from `…/{id}/positions`. Unknown products are fetched first.
* stock: `report/stock/all?filter=store=<href>` per store (weight 5 each): stock → on hand, reserve →
  reserved, inTransit → in transit; with `date_to` the report's `moment` gives the stock at that day's end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from branches.choices import LocationType
from branches.services.org_sync import OrgNode
from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import (
    MOSCOW,
    SourceProduct,
    StreamSync,
    apply_locations,
    apply_products,
    business_day,
    check_report,
    customer_of,
    decimal_of,
    kopecks,
    local_to_utc,
    location_ids,
    money,
    parse_local_datetime,
    product_ids,
    snapshot_time,
    text_of,
    write_orders,
    zero_rows_for_missing_stock,
)
from integrations.connectors.moysklad.client import MS_TIME_FORMAT, MoySkladClient, id_from_meta, type_from_meta
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

ROOT_ID = "account"
FULL_DAYS = 62
EXPAND_LIMIT = 100
IDS_PER_FILTER = 50
SNAPSHOT_MINUTES = 60
BARCODE_KINDS = ("ean13", "ean8", "code128", "gtin", "upc")


def ms_time(moment_local: dt.datetime) -> str:
    return moment_local.strftime(MS_TIME_FORMAT)


def parse_ms_time(sync: StreamSync, value: Any, what: str, position: str) -> dt.datetime:
    try:
        return parse_local_datetime(value, ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"))
    except ValueError as exc:
        raise sync.error(f"{what}: {exc}", position) from None


# --- stores ---------------------------------------------------------------------------------------------------------

def fetch_store_nodes(sync: StreamSync, ms: MoySkladClient) -> tuple[list[OrgNode], dict[str, str]]:
    """(nodes, store id → href) of the active stores, parents from `parent`, below the account's root."""
    nodes = [OrgNode(external_id=ROOT_ID, name=sync.account.name, type=LocationType.GROUP)]
    hrefs: dict[str, str] = {}
    for position, row in ms.rows("entity/store"):
        store_id = text_of(row.get("id"), 100)
        if not store_id:
            raise sync.error("a store without an id", position)
        if row.get("archived"):
            continue
        hrefs[store_id] = str((row.get("meta") or {}).get("href") or "")
        nodes.append(OrgNode(external_id=store_id, parent_external_id=id_from_meta(row.get("parent")) or ROOT_ID,
                             name=text_of(row.get("name")) or store_id, code=text_of(row.get("code"), 64),
                             type=LocationType.WAREHOUSE))
    return nodes, hrefs


def ensure_stores(sync: StreamSync, nodes: list[OrgNode]) -> dict[str, int]:
    result = apply_locations(sync, nodes)
    sync.details["locations"] = {k: result[k] for k in ("created", "updated", "unchanged", "deactivated")}
    return location_ids(sync.account)


@register_connector(IntegrationKind.MOYSKLAD, SyncStream.ORG)
def sync_moysklad_org(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    progress.phase("Reading stores from MoySklad")
    with MoySkladClient(sync) as ms:
        nodes, _ = fetch_store_nodes(sync, ms)
    with sync.atomic():
        result = apply_locations(sync, nodes)
        sync.save_cursor({"synced_at": sync.now.isoformat(), "stores": len(nodes) - 1})
    return sync.outcome(read=len(nodes), created=result["created"], updated=result["updated"],
                        unchanged=result["unchanged"], deactivated=result["deactivated"])


# --- products -------------------------------------------------------------------------------------------------------

def fetch_folders(sync: StreamSync, ms: MoySkladClient) -> dict[str, dict[str, str]]:
    folders = {}
    for _position, row in ms.rows("entity/productfolder"):
        if row.get("id"):
            folders[str(row["id"])] = {"code": text_of(row.get("code"), 64) or f"ms-{row['id']}",
                                       "name": text_of(row.get("name")) or str(row["id"])}
    return folders


def source_product(sync: StreamSync, row: dict[str, Any], position: str, folders: dict[str, dict[str, str]]
                   ) -> SourceProduct:
    product_id = text_of(row.get("id"), 100)
    if not product_id:
        raise sync.error("a product without an id", position)
    where = f"{position} (id {product_id})"
    price = None
    prices = row.get("salePrices") or []
    if not isinstance(prices, list):
        raise sync.error("salePrices is not a list", where)
    if prices:
        chosen = next((p for p in prices if isinstance(p, dict)
                       and (p.get("priceType") or {}).get("name") == sync.options.get("price_type")), prices[0])
        try:
            price = kopecks(chosen.get("value"), "salePrices[].value") if isinstance(chosen, dict) else None
        except ValueError as exc:
            raise sync.error(str(exc), where) from None
    barcodes = []
    for entry in row.get("barcodes") or []:
        if isinstance(entry, dict):
            barcodes += [text_of(entry[k], 64) for k in BARCODE_KINDS if entry.get(k)]
    folder = folders.get(id_from_meta(row.get("productFolder")))
    return SourceProduct(
        external_id=product_id,
        sku=text_of(row.get("article"), 100) or text_of(row.get("code"), 100) or text_of(row.get("externalCode"), 100),
        name=text_of(row.get("name")) or product_id, kind="goods",
        list_price=price if price is not None and price >= 0 else None, barcodes=barcodes,
        category_code=folder["code"] if folder else None, category_name=folder["name"] if folder else None,
        is_active=not row.get("archived"))


@register_connector(IntegrationKind.MOYSKLAD, SyncStream.PRODUCTS)
def sync_moysklad_products(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    since = None if sync.is_full else sync.cursor.get("updated")
    params = {"filter": f"updated>={since}"} if since else {}
    items: dict[str, SourceProduct] = {}
    newest = since or ""
    with MoySkladClient(sync) as ms:
        folders = fetch_folders(sync, ms)
        for position, row in ms.rows("entity/product", params):
            item = source_product(sync, row, position, folders)
            items[item.external_id] = item
            updated = parse_ms_time(sync, row.get("updated"), "updated", position)
            newest = max(newest, ms_time(updated))
            if len(items) % 1000 == 0:
                progress.phase(f"Read {len(items)} products", done=len(items))
    with sync.atomic():
        counts = apply_products(sync, list(items.values()))
        sync.save_cursor({**sync.cursor, "updated": newest or None, "synced_at": sync.now.isoformat()})
    return sync.outcome(read=len(items), created=counts["created"], updated=counts["updated"],
                        unchanged=counts["unchanged"], since=since)


def fetch_unknown_products(sync: StreamSync, ms: MoySkladClient, assortments: dict[str, str]) -> list[SourceProduct]:
    """Assortment ids (id → meta href) the sales name but this account's products do not: read them first."""
    known = set(product_ids(sync.account, assortments))
    missing = [i for i in assortments if i not in known]
    items = []
    for start in range(0, len(missing), IDS_PER_FILTER):
        chunk = missing[start:start + IDS_PER_FILTER]
        found = {}
        for position, row in ms.rows("entity/product", {"filter": ";".join(f"id={i}" for i in chunk)}):
            found[str(row.get("id"))] = source_product(sync, row, position, {})
        for assortment_id in chunk:
            if assortment_id not in found:  # a variant, service or bundle: read it by its own href
                href = assortments[assortment_id]
                row = ms.get(href, position=f"GET {href}")
                if not isinstance(row, dict):
                    raise sync.error("the assortment is not a JSON object", f"GET {href}")
                found[assortment_id] = source_product(sync, {**row, "id": assortment_id}, f"GET {href}", {})
        items.extend(found.values())
    return items


# --- retail demands ------------------------------------------------------------------------------------------------

def demand_positions(sync: StreamSync, ms: MoySkladClient, demand: dict[str, Any], position: str
                     ) -> list[tuple[str, dict[str, Any]]]:
    block = demand.get("positions")
    if not isinstance(block, dict):
        raise sync.error("positions is missing (expand=positions was asked for)", position)
    rows = block.get("rows")
    size = (block.get("meta") or {}).get("size")
    if isinstance(rows, list) and (not isinstance(size, int) or len(rows) >= size):
        return [(f"{position}, positions[{i}]", r) for i, r in enumerate(rows, start=1)]
    sync.note_shape("retail demand positions", "read separately (not all expanded)")
    return list(ms.rows(f"entity/retaildemand/{demand.get('id')}/positions"))


def parse_demand(sync: StreamSync, ms: MoySkladClient, demand: dict[str, Any], position: str
                 ) -> tuple[dict[str, Any], dict[str, str]]:
    """(order mapping for upsert_orders, assortment id → href of its lines)."""
    demand_id = text_of(demand.get("id"), 100)
    if not demand_id:
        raise sync.error("a retail demand without an id", position)
    where = f"{position} (demand {demand_id})"
    moment = local_to_utc(parse_ms_time(sync, demand.get("moment"), "moment", where), sync.source_tz)
    assortments: dict[str, str] = {}
    lines = []
    for number, (line_position, row) in enumerate(demand_positions(sync, ms, demand, where), start=1):
        assortment = row.get("assortment")
        assortment_id = id_from_meta(assortment)
        if not assortment_id:
            raise sync.error("a position without assortment", line_position)
        try:
            quantity = decimal_of(row.get("quantity"), "quantity")
            price = kopecks(row.get("price"), "price")
            discount_pct = decimal_of(row.get("discount"), "discount", allow_none=True) or Decimal(0)
        except ValueError as exc:
            raise sync.error(str(exc), line_position) from None
        gross = quantity * price
        discount = money(gross * discount_pct / 100)
        assortments[assortment_id] = str((assortment.get("meta") or {}).get("href") or "")
        sync.note_shape("position assortment type", type_from_meta(assortment) or "unknown")
        lines.append({"line_no": number, "product_external_id": assortment_id, "quantity": quantity, "price": price,
                      "discount": discount, "amount": money(gross - discount)})
    if not lines:
        raise sync.error("a retail demand without positions", where)
    store_id = id_from_meta(demand.get("store"))
    applicable = demand.get("applicable", True) is not False
    try:
        total = kopecks(demand["sum"], "sum") if demand.get("sum") is not None else None
    except ValueError as exc:
        raise sync.error(str(exc), where) from None
    order = {"external_id": demand_id, "ordered_at": moment, "business_date": business_day(moment, sync.business_tz),
             "channel": "retail", "status": "delivered" if applicable else "cancelled",
             "source_status": "applicable" if applicable else "not applicable (draft)", "currency": "RUB",
             "total": total, "location_external_id": store_id or ROOT_ID, "lines": lines, "_position": where}
    customer = customer_of(sync, _agent(demand.get("agent")))
    if customer is not None:
        order["customer"] = customer
    return order, assortments


def _agent(agent: Any) -> dict[str, Any] | None:
    """The demand's counterparty (`agent`: a meta reference, with name/email/phone when expanded) as a buyer."""
    if not isinstance(agent, dict) or not id_from_meta(agent):
        return None
    return {"id": id_from_meta(agent), "name": agent.get("name"), "email": agent.get("email"),
            "phone": agent.get("phone")}


@register_connector(IntegrationKind.MOYSKLAD, SyncStream.SALES)
def sync_moysklad_sales(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    since = None if sync.is_full else sync.cursor.get("updated")
    window = None
    if since and sync.explicit_window() is None:
        condition = f"updated>={since}"
        sync.details["filter"] = condition
    else:
        window = sync.date_window(full_days=FULL_DAYS, lookback_days=0)
        end = window.last + dt.timedelta(days=1)
        condition = f"moment>={window.first} 00:00:00;moment<{end} 00:00:00"
        sync.details["window"] = window.as_dict()
    orders: dict[str, dict[str, Any]] = {}
    assortments: dict[str, str] = {}
    newest = since or ""
    with MoySkladClient(sync) as ms:
        nodes, _ = fetch_store_nodes(sync, ms)
        for position, demand in ms.rows("entity/retaildemand", {"filter": condition, "expand": "positions"},
                                        limit=EXPAND_LIMIT):
            order, refs = parse_demand(sync, ms, demand, position)
            orders[order["external_id"]] = order  # a receipt seen twice (paging moved): the later copy wins
            assortments.update(refs)
            if demand.get("updated"):
                newest = max(newest, ms_time(parse_ms_time(sync, demand["updated"], "updated", position)))
            if len(orders) % 200 == 0:
                progress.phase(f"Read {len(orders)} retail demands", done=len(orders))
        unknown = fetch_unknown_products(sync, ms, assortments)
    with sync.atomic():
        locations = ensure_stores(sync, nodes)
        discovered = apply_products(sync, unknown, describe_existing=False)
        full_scope = window is not None and sync.is_full
        written = write_orders(sync, list(orders.values()),
                               rebuild_locations=sorted(locations.values()) if full_scope else None,
                               rebuild_window=(window.first, window.last) if full_scope and window else None)
        sync.save_cursor({**sync.cursor, "updated": newest or None, "synced_at": sync.now.isoformat()})
    report = written["orders"]
    return sync.outcome(read=len(orders), created=report.created, updated=report.updated, unchanged=report.unchanged,
                        lines=report.lines_written, products_discovered=discovered["created"],
                        daily_sales=written["daily_sales"])


# --- stock -----------------------------------------------------------------------------------------------------------

@register_connector(IntegrationKind.MOYSKLAD, SyncStream.STOCK)
def sync_moysklad_stock(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    from sales.services.ingest import ingest_stock_levels

    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    explicit = sync.explicit_window()
    moment_filter = ""
    if explicit is not None:
        end_local = dt.datetime.combine(explicit.last, dt.time(23, 59, 59))
        as_of = local_to_utc(end_local, sync.source_tz)
        moment_filter = f";moment={ms_time(end_local)}"
    else:
        as_of = snapshot_time(sync.now, sync.option("stock_snapshot_minutes", SNAPSHOT_MINUTES))
    sync.details["as_of"] = as_of.isoformat()
    lines: list[dict[str, Any]] = []
    with MoySkladClient(sync) as ms:
        nodes, hrefs = fetch_store_nodes(sync, ms)
        progress.set_total(len(hrefs))
        for number, (store_id, href) in enumerate(hrefs.items(), start=1):
            progress.phase(f"Stock of store {number}/{len(hrefs)}", done=number - 1)
            for position, row in ms.rows("report/stock/all", {"filter": f"store={href}{moment_filter}"}):
                product_id = id_from_meta(row)
                if not product_id:
                    raise sync.error("a stock row without the product's meta", position)
                try:
                    values = [decimal_of(row.get(f), f, allow_none=True) or Decimal(0)
                              for f in ("stock", "reserve", "inTransit")]
                except ValueError as exc:
                    raise sync.error(str(exc), position) from None
                lines.append({"store": store_id, "product": product_id, "href": str((row.get("meta") or {})
                                                                                     .get("href") or ""),
                              "values": values, "position": position})
        unknown = fetch_unknown_products(sync, ms, {line["product"]: line["href"] for line in lines})
    with sync.atomic():
        locations = ensure_stores(sync, nodes)
        discovered = apply_products(sync, unknown, describe_existing=False)
        products = product_ids(account, {line["product"] for line in lines})
        totals: dict[tuple[int, int], list[Decimal]] = {}
        positions: dict[tuple[int, int], str] = {}
        for line in lines:
            key = (locations[line["store"]], products[line["product"]])
            acc = totals.setdefault(key, [Decimal(0)] * 3)
            for i, value in enumerate(line["values"]):
                acc[i] += value
            positions.setdefault(key, line["position"])
        rows = [{"location_id": loc, "product_id": prod, "as_of": as_of, "on_hand": v[0], "reserved": max(v[1], 0),
                 "in_transit": max(v[2], 0)} for (loc, prod), v in totals.items()]
        zeroed = zero_rows_for_missing_stock(account, as_of, rows)
        report = ingest_stock_levels([*rows, *zeroed], source=account)
        check_report(sync, report, "stock", list(positions.values()) + ["a zeroed stock line"] * len(zeroed))
        sync.save_cursor({"as_of": as_of.isoformat(), "synced_at": sync.now.isoformat()})
    return sync.outcome(read=len(lines), created=report.created, updated=report.updated, unchanged=report.unchanged,
                        stores=len(hrefs), stock_rows=len(rows), zeroed=len(zeroed),
                        products_discovered=discovered["created"])
