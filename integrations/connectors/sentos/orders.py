"""Sentos orders stream: orders with lines, read in date windows and pages, into orders and daily sales.

`GET /orders?start_date&end_date&page&size` (both dates inclusive). Incremental runs re-read from the cursor's
day minus `lookback_days` (default 3: statuses and cancellations change after the order day). `order_date` is
Turkey local time [U: "YYYY-MM-DD HH:MM:SS" assumed; ISO with T/offset accepted and recorded]. The order's
warehouse (`warehouse_id` or `warehouse`) picks its location; orders without one are booked on the account's
root location. What each status code means is not documented [U]: the default map below follows the fakes
(6 = cancelled) and can be replaced per account with option `status_map` ({"6": "cancelled", …}).
The buyer (`customer{…}`) becomes a Customer (keyed by its id, else its e-mail, else its phone; see
`commerce.customer_of`); a marketplace commission, when Sentos passes one on (`commission`/`commission_amount` per
line, `commission_total`/`commission` per order [U: not in the public clients]), is stored like Wildberries'.
Orders go through `sales.services.ingest.upsert_orders`, daily sales through `rebuild_daily_sales`.
"""

from __future__ import annotations

from typing import Any

from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import (
    ISTANBUL,
    SourceProduct,
    StreamSync,
    apply_products,
    business_day,
    customer_of,
    date_windows,
    decimal_of,
    local_to_utc,
    parse_local_datetime,
    text_of,
    write_orders,
)
from integrations.connectors.sentos.client import SentosClient
from integrations.connectors.sentos.org import ROOT_ID, ensure_warehouses, fetch_warehouse_nodes, warehouse_id_of
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

FULL_DAYS = 62
LOOKBACK_DAYS = 3
WINDOW_DAYS = 31
DEFAULT_STATUS_MAP = {"1": "new", "2": "confirmed", "3": "shipped", "4": "shipped", "5": "delivered",
                      "6": "cancelled", "99": "other"}


def parse_order(sync: StreamSync, item: dict[str, Any], position: str, status_map: dict[str, str]
                ) -> dict[str, Any]:
    """One Sentos order as an upsert_orders mapping (lines keyed by SKU, money as Decimal)."""
    order_id = text_of(item.get("id"), 100)
    if not order_id:
        raise sync.error("an order without an id", position)
    raw_date = item.get("order_date") or item.get("created_at")
    try:
        local = parse_local_datetime(raw_date, ("%Y-%m-%d %H:%M:%S",))
    except ValueError as exc:
        raise sync.error(f"order_date: {exc}", f"{position} (order {order_id})") from None
    sync.note_shape("order_date", "with offset" if local.tzinfo else (
        "YYYY-MM-DD HH:MM:SS" if " " in str(raw_date).strip() else "ISO without offset"))
    ordered_at = local_to_utc(local, sync.source_tz)
    status_code = text_of(item.get("status"), 50)
    warehouse = warehouse_id_of(sync, item.get("warehouse_id", item.get("warehouse")), "order warehouse reference")
    lines = []
    currency = ""
    raw_lines = item.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise sync.error("an order without lines", f"{position} (order {order_id})")
    for number, line in enumerate(raw_lines, start=1):
        where = f"{position} (order {order_id}), lines[{number}]"
        if not isinstance(line, dict) or not text_of(line.get("sku"), 100):
            raise sync.error("a line without a sku", where)
        try:
            quantity = decimal_of(line.get("quantity"), "quantity")
            price = decimal_of(line.get("price"), "price", allow_none=True)
            discount = decimal_of(line.get("discount"), "discount", allow_none=True)
            amount = decimal_of(line.get("amount"), "amount", allow_none=True)
            commission = decimal_of(line.get("commission", line.get("commission_amount")), "commission",
                                    allow_none=True)
        except ValueError as exc:
            raise sync.error(str(exc), where) from None
        currency = currency or text_of(line.get("currency"), 3).upper()
        lines.append({"line_no": number, "product_external_id": text_of(line["sku"], 100), "quantity": quantity,
                      "price": price, "discount": discount, "amount": amount, "commission": commission,
                      "_name": text_of(line.get("name")), "_barcode": text_of(line.get("barcode"), 64)})
    try:
        total = decimal_of(item.get("total"), "total", allow_none=True)
        commission_total = decimal_of(item.get("commission_total", item.get("commission")), "commission_total",
                                      allow_none=True)
    except ValueError as exc:
        raise sync.error(str(exc), f"{position} (order {order_id})") from None
    extra: dict[str, Any] = {}
    customer = customer_of(sync, item.get("customer"))
    if customer is not None:
        extra["customer"] = customer
    if commission_total is not None:
        extra["commission_total"] = commission_total
    return {**extra,
        "external_id": order_id, "ordered_at": ordered_at,
        "business_date": business_day(ordered_at, sync.business_tz),
        "channel": text_of(item.get("source") or item.get("marketplace") or item.get("shop"), 50),
        "status": status_map.get(status_code, "other" if status_code else "new"), "source_status": status_code,
        "currency": currency or "TRY", "total": total,
        "location_external_id": warehouse or ROOT_ID, "lines": lines, "_position": f"{position} (order {order_id})",
    }


def unknown_line_products(sync: StreamSync, orders: list[dict[str, Any]]) -> list[SourceProduct]:
    """Products that order lines name but the catalogue sync has not stored (yet): created from the lines."""
    from integrations.connectors.commerce import product_ids

    skus = {line["product_external_id"] for order in orders for line in order["lines"]}
    known = set(product_ids(sync.account, skus))
    items: dict[str, SourceProduct] = {}
    for order in orders:
        for line in order["lines"]:
            sku = line["product_external_id"]
            if sku not in known and sku not in items:
                items[sku] = SourceProduct(external_id=sku, sku=sku, name=line["_name"] or sku, kind="goods",
                                           barcodes=[line["_barcode"]] if line["_barcode"] else [])
    return list(items.values())


@register_connector(IntegrationKind.SENTOS, SyncStream.ORDERS)
def sync_sentos_orders(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=ISTANBUL)
    window = sync.date_window(full_days=FULL_DAYS, lookback_days=LOOKBACK_DAYS)
    windows = date_windows(window.first, window.last, max(1, sync.option("window_days", WINDOW_DAYS)))
    sync.details["window"] = window.as_dict()
    status_map = {**DEFAULT_STATUS_MAP, **{str(k): str(v) for k, v in (sync.options.get("status_map") or {}).items()}}
    progress.set_total(len(windows))
    raw: dict[str, tuple[str, dict[str, Any]]] = {}
    with SentosClient(sync) as sentos:
        nodes = fetch_warehouse_nodes(sync, sentos)
        for number, (first, last) in enumerate(windows, start=1):
            progress.phase(f"Orders {first}..{last} ({number}/{len(windows)})", done=number - 1)
            params = {"start_date": first.isoformat(), "end_date": last.isoformat()}
            for page, index, item in sentos.pages("orders", params):
                position = f"GET /orders {first}..{last} page {page}, item {index}"
                # The same order on two pages (a boundary moved while paging): the later copy wins.
                raw[text_of(item.get("id"), 100) or position] = (position, item)
    orders = [parse_order(sync, item, position, status_map) for position, item in raw.values()]
    read = len(orders)
    with sync.atomic():
        locations = ensure_warehouses(sync, nodes)
        discovered = apply_products(sync, unknown_line_products(sync, orders), describe_existing=False)
        written = write_orders(sync, orders, rebuild_locations=sorted(locations.values()) if sync.is_full else None,
                               rebuild_window=(window.first, window.last) if sync.is_full else None)
        sync.save_cursor(sync.window_cursor(window))
    report = written["orders"]
    cancelled = sum(1 for o in orders if o["status"] == "cancelled")
    return sync.outcome(read=read, created=report.created, updated=report.updated, unchanged=report.unchanged,
                        windows=len(windows), cancelled=cancelled, lines=report.lines_written,
                        products_discovered=discovered["created"], daily_sales=written["daily_sales"])
