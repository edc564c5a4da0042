"""Wildberries streams: products (content cards), orders, sales (sales and returns), stock.

Identity
    A WB product is one size of a card: external id `"<nmId>/<techSize>"` (statistics rows carry both; cards
    carry nmID and sizes[].techSize). Warehouses are named, not numbered: a warehouse's external id is its
    `warehouseName`; they are created below one root location per account the first time a row names them.

Orders and sales are one order per `srid` (WB's id of an ordered item, shared by its order, sale and return rows)
    * the orders stream creates/updates the order: order time, warehouse, price; `isCancel` → cancelled;
    * the sales stream marks it delivered (`saleID` "S…") keeping the order's own date, place and lines (or
      creates it from the sale when the order is older than anything read), and books a return (`saleID`
      "R…") as its own return order (negative line) on the return day;
    so `rebuild_daily_sales` counts each unit once: demand on the order day, cancellations left out, returns
    subtracted on the return day.

Incremental runs read rows with `lastChangeDate >= cursor` (WB's own "changed since" flag=0), de-duplicated by
`srid` (orders) or `saleID` (sales): the cursor is the largest lastChangeDate stored, treated as ">=". A full run
reads the whole retention (90 days, option `full_days`). Times are Moscow time without offset.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

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
    decimal_of,
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
from integrations.connectors.wildberries.client import CARDS, ORDERS, SALES, STAT_TS_FORMAT, STOCKS, WildberriesClient
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

ROOT_ID = "account"
FULL_DAYS = 90  # WB keeps statistics for 90 days
CARDS_LIMIT = 100
MAX_CARD_PAGES = 10_000
SNAPSHOT_MINUTES = 60
CHANNEL = "wildberries"


def product_key(nm_id: Any, tech_size: Any) -> str:
    return f"{text_of(nm_id, 40)}/{text_of(tech_size, 40) or '0'}"


def size_sku(vendor_code: str, tech_size: str) -> str:
    return f"{vendor_code}-{tech_size}" if tech_size and tech_size != "0" else vendor_code


# --- statistics rows ----------------------------------------------------------------------------------------------

def statistics_start(sync: StreamSync) -> tuple[str, str]:
    """(dateFrom, why): explicit --from, the cursor (incremental), or the retention window (full)."""
    explicit = sync.explicit_window()
    if explicit is not None:
        return f"{explicit.first.isoformat()}T00:00:00", "explicit"
    cursor = sync.cursor.get("last_change")
    if not sync.is_full and cursor:
        return str(cursor), "incremental"
    first = sync.today - dt.timedelta(days=max(1, sync.option("full_days", FULL_DAYS)) - 1)
    return f"{first.isoformat()}T00:00:00", "full" if sync.is_full else "incremental without a cursor: full window"


def parse_row(sync: StreamSync, row: dict[str, Any], position: str, *, key_field: str) -> dict[str, Any]:
    """The fields every statistics row shares, checked; money as Decimal, times as aware UTC."""
    key = text_of(row.get(key_field), 100)
    if not key:
        raise sync.error(f"a row without {key_field}", position)
    try:
        moment = local_to_utc(parse_local_datetime(row.get("date")), sync.source_tz)
        changed = parse_local_datetime(row.get("lastChangeDate"))
        total_price = decimal_of(row.get("totalPrice"), "totalPrice", allow_none=True) or Decimal(0)
        discount_pct = decimal_of(row.get("discountPercent"), "discountPercent", allow_none=True) or Decimal(0)
        with_disc = decimal_of(row.get("priceWithDisc"), "priceWithDisc", allow_none=True) or Decimal(0)
        for_pay = decimal_of(row.get("forPay"), "forPay", allow_none=True)
    except ValueError as exc:
        raise sync.error(str(exc), f"{position} ({key_field} {key})") from None
    if row.get("nmId") in (None, "") or not text_of(row.get("warehouseName")):
        raise sync.error("nmId or warehouseName is missing", f"{position} ({key_field} {key})")
    price = abs(total_price)
    # priceWithDisc is 0 for about a day after the sale: derive it from the list price and discount then.
    paid = abs(with_disc) if with_disc else money(price * (100 - discount_pct) / 100)
    return {"key": key, "srid": text_of(row.get("srid"), 100), "moment": moment,
            "last_change": changed.strftime(STAT_TS_FORMAT), "warehouse": text_of(row.get("warehouseName"), 100),
            "product": product_key(row.get("nmId"), row.get("techSize")),
            "article": text_of(row.get("supplierArticle"), 90), "size": text_of(row.get("techSize"), 40),
            "barcode": text_of(row.get("barcode"), 64), "subject": text_of(row.get("subject")),
            "brand": text_of(row.get("brand")), "price": money(price), "paid": money(paid),
            "for_pay": for_pay, "raw": row, "position": f"{position} ({key_field} {key})"}


def warehouse_nodes(sync: StreamSync, names: set[str]) -> list[OrgNode]:
    nodes = [OrgNode(external_id=ROOT_ID, name=sync.account.name, type=LocationType.GROUP)]
    nodes += [OrgNode(external_id=name, parent_external_id=ROOT_ID, name=name, type=LocationType.WAREHOUSE)
              for name in sorted(names)]
    return nodes


def ensure_warehouses(sync: StreamSync, names: set[str]) -> dict[str, int]:
    """Root + the warehouses these rows name; warehouses seen before and not now are left as they are."""
    known = location_ids(sync.account)
    if ROOT_ID not in known or names - set(known):
        apply_locations(sync, warehouse_nodes(sync, names | (set(known) - {ROOT_ID})), deactivate_missing=False)
        known = location_ids(sync.account)
    return known


def discovered_products(sync: StreamSync, rows: list[dict[str, Any]]) -> list[SourceProduct]:
    """Products statistics rows name that the card sync has not stored: created from what the rows carry."""
    known = set(product_ids(sync.account, {r["product"] for r in rows}))
    items: dict[str, SourceProduct] = {}
    for row in rows:
        if row["product"] in known or row["product"] in items:
            continue
        sku = size_sku(row["article"], row["size"]) or f"wb-{row['product']}"
        name = " ".join(p for p in (row["subject"], row["brand"], sku) if p)
        items[row["product"]] = SourceProduct(external_id=row["product"], sku=sku, name=name, kind="goods",
                                              barcodes=[row["barcode"]] if row["barcode"] else [])
    return list(items.values())


def read_statistics(sync: StreamSync, wb: WildberriesClient, endpoint: Any, key_field: str
                    ) -> tuple[dict[str, dict[str, Any]], int, str]:
    """Rows by key (later copies win), rows read, dateFrom used."""
    date_from, reason = statistics_start(sync)
    sync.details["date_from"] = {"value": date_from, "reason": reason}
    by_key: dict[str, dict[str, Any]] = {}
    read = 0

    def on_page(page: int, count: int) -> None:
        sync.progress.phase(f"Read page {page} ({count} rows)", done=read)

    for position, raw in wb.statistics(endpoint, date_from, on_page=on_page):
        read += 1
        row = parse_row(sync, raw, position, key_field=key_field)
        by_key[row["key"]] = row
    sync.details["pages_rows"] = read
    sync.details["duplicates_dropped"] = read - len(by_key)
    return by_key, read, date_from


def statistics_cursor(sync: StreamSync, rows: list[dict[str, Any]]) -> dict[str, Any]:
    newest = max((r["last_change"] for r in rows), default=None)
    old = sync.cursor.get("last_change")
    value = max(filter(None, (newest, old)), default=None)
    return {**sync.cursor, "last_change": value, "synced_at": sync.now.isoformat()}


def existing_orders(account: IntegrationAccount, external_ids: list[str]) -> dict[str, Any]:
    from sales.models import Order, OrderLine

    found: dict[str, Any] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start:start + 500]
        orders = (Order.objects.filter(account=account, external_id__in=chunk)
                  .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("line_no"))))
        found.update({o.external_id: o for o in orders})
    return found


def order_line(row: dict[str, Any]) -> dict[str, Any]:
    return {"line_no": 1, "product_external_id": row["product"], "quantity": 1, "price": row["price"],
            "discount": max(row["price"] - row["paid"], Decimal(0)), "amount": row["paid"]}


def order_from_row(sync: StreamSync, row: dict[str, Any], external_id: str, status: str, *,
                   is_return: bool = False) -> dict[str, Any]:
    event = row["raw"].get("saleID") or ("isCancel" if status == "cancelled" else "order")
    return {"external_id": external_id, "ordered_at": row["moment"],
            "business_date": business_day(row["moment"], sync.business_tz), "channel": CHANNEL, "status": status,
            "source_status": text_of(event, 50),
            "currency": "RUB", "location_external_id": row["warehouse"], "is_return": is_return,
            "lines": [order_line(row)], "_position": row["position"]}


def order_from_stored(order: Any, *, status: str, commission: Decimal | None, position: str) -> dict[str, Any]:
    """An order exactly as stored, with a new status (and commission): the sales stream never moves an order."""
    return {"external_id": order.external_id, "ordered_at": order.ordered_at, "business_date": order.business_date,
            "channel": order.channel, "status": status, "source_status": order.source_status,
            "currency": order.currency, "location_id": order.location_id, "is_return": order.is_return,
            "total": order.total, "discount_total": order.discount_total,
            "commission_total": commission if commission is not None else order.commission_total,
            "lines": [{"line_no": line.line_no, "product_id": line.product_id, "quantity": abs(line.quantity),
                       "price": line.price, "discount": line.discount, "amount": abs(line.amount),
                       "commission": Decimal(0) if commission is not None else line.commission}
                      for line in order.lines.all()],
            "_position": position}


def commission_of(row: dict[str, Any]) -> Decimal | None:
    """What WB keeps of a sale (price after the seller's discount − forPay); unknown while forPay is still 0."""
    for_pay = row["for_pay"]
    if for_pay is None or for_pay == 0:
        return None
    return max(money(row["paid"] - abs(for_pay)), Decimal(0))


# --- streams ------------------------------------------------------------------------------------------------------

@register_connector(IntegrationKind.WILDBERRIES, SyncStream.ORDERS)
def sync_wb_orders(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    with WildberriesClient(sync) as wb:
        by_srid, read, _ = read_statistics(sync, wb, ORDERS, "srid")
    rows = list(by_srid.values())
    with sync.atomic():
        ensure_warehouses(sync, {r["warehouse"] for r in rows})
        discovered = apply_products(sync, discovered_products(sync, rows), describe_existing=False)
        stored = existing_orders(account, list(by_srid))
        orders = []
        for row in rows:
            cancelled = bool(row["raw"].get("isCancel"))
            current = stored.get(row["key"])
            # A sale already marked the order delivered (or it was returned): an order row never undoes that.
            status = "cancelled" if cancelled else (
                current.status if current is not None and current.status in ("delivered", "returned") else "new")
            order = order_from_row(sync, row, row["key"], status)
            if current is not None:
                order["commission_total"] = current.commission_total
                if status == current.status:
                    order["source_status"] = current.source_status  # e.g. the saleID that delivered it
            orders.append(order)
        written = write_orders(sync, orders)
        sync.save_cursor(statistics_cursor(sync, rows))
    report = written["orders"]
    return sync.outcome(read=read, created=report.created, updated=report.updated, unchanged=report.unchanged,
                        cancelled=sum(1 for o in orders if o["status"] == "cancelled"),
                        products_discovered=discovered["created"], daily_sales=written["daily_sales"])


@register_connector(IntegrationKind.WILDBERRIES, SyncStream.SALES)
def sync_wb_sales(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    with WildberriesClient(sync) as wb:
        by_sale_id, read, _ = read_statistics(sync, wb, SALES, "saleID")
    rows = list(by_sale_id.values())
    unknown_kind = [r for r in rows if r["key"][:1].upper() not in ("S", "R")]
    for row in unknown_kind[:5]:
        sync.warn(f"{row['position']}: saleID is neither a sale (S…) nor a return (R…); skipped")
    sales = [r for r in rows if r["key"][:1].upper() == "S"]
    returns = [r for r in rows if r["key"][:1].upper() == "R"]
    with sync.atomic():
        ensure_warehouses(sync, {r["warehouse"] for r in rows})
        discovered = apply_products(sync, discovered_products(sync, rows), describe_existing=False)
        stored = existing_orders(account, [r["srid"] or r["key"] for r in sales] + [r["key"] for r in returns])
        orders = []
        for row in sales:
            srid = row["srid"] or row["key"]
            current = stored.get(srid)
            if current is not None and not current.is_return:
                status = "cancelled" if current.status == "cancelled" else "delivered"
                order = order_from_stored(current, status=status, commission=commission_of(row),
                                          position=row["position"])
                order["source_status"] = current.source_status if status == "cancelled" else row["key"]
                orders.append(order)
            else:
                order = order_from_row(sync, row, srid, "delivered")
                commission = commission_of(row)
                if commission is not None:
                    order["commission_total"] = commission
                orders.append(order)
        for row in returns:
            order = order_from_row(sync, row, row["key"], "returned", is_return=True)
            orders.append(order)
        written = write_orders(sync, orders)
        sync.save_cursor(statistics_cursor(sync, rows))
    report = written["orders"]
    return sync.outcome(read=read, created=report.created, updated=report.updated, unchanged=report.unchanged,
                        skipped=len(unknown_kind), sales=len(sales), returns=len(returns),
                        products_discovered=discovered["created"], daily_sales=written["daily_sales"])


@register_connector(IntegrationKind.WILDBERRIES, SyncStream.STOCK)
def sync_wb_stock(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    """`supplier/stocks` is a full snapshot whatever dateFrom says; quantity → on hand, to-client → reserved,
    from-client → in transit. (Deprecated by WB; its successor, the analytics stocks report, is not served by
    the fakes yet.)"""
    from sales.services.ingest import ingest_stock_levels

    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    as_of = snapshot_time(sync.now, sync.option("stock_snapshot_minutes", SNAPSHOT_MINUTES))
    sync.details["as_of"] = as_of.isoformat()
    progress.phase("Reading the stock snapshot from Wildberries")
    with WildberriesClient(sync) as wb:
        position = f"GET /{STOCKS.path}"
        raw_rows = wb.get_rows(STOCKS, {"dateFrom": "2019-06-20"}, position)
    lines = []
    for index, raw in enumerate(raw_rows, start=1):
        where = f"{position}, row {index}"
        if raw.get("nmId") in (None, "") or not text_of(raw.get("warehouseName")):
            raise sync.error("nmId or warehouseName is missing", where)
        try:
            values = [decimal_of(raw.get(f), f, allow_none=True) or Decimal(0)
                      for f in ("quantity", "inWayToClient", "inWayFromClient")]
        except ValueError as exc:
            raise sync.error(str(exc), where) from None
        lines.append({"warehouse": text_of(raw.get("warehouseName"), 100),
                      "product": product_key(raw.get("nmId"), raw.get("techSize")),
                      "article": text_of(raw.get("supplierArticle"), 90), "size": text_of(raw.get("techSize"), 40),
                      "barcode": text_of(raw.get("barcode"), 64), "subject": text_of(raw.get("subject")),
                      "brand": text_of(raw.get("brand")), "values": values, "position": where})
    with sync.atomic():
        locations = ensure_warehouses(sync, {line["warehouse"] for line in lines})
        discovered = apply_products(sync, discovered_products(sync, lines), describe_existing=False)
        products = product_ids(account, {line["product"] for line in lines})
        totals: dict[tuple[int, int], list[Decimal]] = {}
        positions: dict[tuple[int, int], str] = {}
        for line in lines:
            key = (locations[line["warehouse"]], products[line["product"]])
            acc = totals.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
            for i, value in enumerate(line["values"]):
                acc[i] += value
            positions.setdefault(key, line["position"])
        rows = [{"location_id": loc, "product_id": prod, "as_of": as_of, "on_hand": v[0], "reserved": v[1],
                 "in_transit": v[2]} for (loc, prod), v in totals.items()]
        zeroed = zero_rows_for_missing_stock(account, as_of, rows)
        report = ingest_stock_levels([*rows, *zeroed], source=account)
        check_report(sync, report, "stock", list(positions.values()) + ["a zeroed stock line"] * len(zeroed))
        sync.save_cursor({"as_of": as_of.isoformat(), "synced_at": sync.now.isoformat()})
    return sync.outcome(read=len(raw_rows), created=report.created, updated=report.updated,
                        unchanged=report.unchanged, stock_rows=len(rows), zeroed=len(zeroed),
                        products_discovered=discovered["created"])


@register_connector(IntegrationKind.WILDBERRIES, SyncStream.PRODUCTS)
def sync_wb_products(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    """Content cards, newest first, with cursor paging (`updatedAt` + `nmID`); an incremental run stops at the
    first card not newer than the stored cursor. Each size of a card is a product (barcodes = its skus)."""
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    since = None if sync.is_full else sync.cursor.get("updated_at")
    cards: dict[int, tuple[str, dict[str, Any]]] = {}
    reached_cursor = False
    with WildberriesClient(sync) as wb:
        cursor: dict[str, Any] = {"limit": CARDS_LIMIT}
        for page in range(1, MAX_CARD_PAGES + 1):
            position = f"POST /{CARDS.path} page {page}"
            body = wb.post(CARDS, {"settings": {"cursor": cursor, "filter": {"withPhoto": -1}}}, position)
            if not isinstance(body, dict) or not isinstance(body.get("cards"), list):
                raise sync.error("expected an object with cards[]", position)
            for index, card in enumerate(body["cards"], start=1):
                where = f"{position}, card {index}"
                if not isinstance(card, dict) or not card.get("nmID"):
                    raise sync.error("a card without nmID", where)
                if since and str(card.get("updatedAt") or "") < since:
                    reached_cursor = True
                    break
                cards[int(card["nmID"])] = (where, card)
            progress.phase(f"Read cards page {page}", done=len(cards))
            next_cursor = body.get("cursor") or {}
            total = next_cursor.get("total")
            if reached_cursor or not body["cards"] or not isinstance(total, int) or total < CARDS_LIMIT:
                break
            cursor = {"limit": CARDS_LIMIT, "updatedAt": next_cursor.get("updatedAt"), "nmID": next_cursor.get("nmID")}
        else:
            raise sync.error(f"more than {MAX_CARD_PAGES} pages of cards; stopping", f"POST /{CARDS.path}")
    items: list[SourceProduct] = []
    for where, card in cards.values():
        vendor_code = text_of(card.get("vendorCode"), 90)
        sizes = card.get("sizes") or [{"techSize": "0", "skus": []}]
        if not isinstance(sizes, list):
            raise sync.error("sizes is not a list", where)
        subject = card.get("subjectID")
        for size in sizes:
            if not isinstance(size, dict):
                raise sync.error("a size is not a JSON object", where)
            tech = text_of(size.get("techSize"), 40) or "0"
            title = text_of(card.get("title")) or vendor_code
            items.append(SourceProduct(
                external_id=product_key(card["nmID"], tech),
                sku=size_sku(vendor_code, tech) or f"wb-{card['nmID']}-{tech}",
                name=f"{title} {tech}" if tech != "0" else title, kind="goods",
                barcodes=[text_of(s, 64) for s in size.get("skus") or [] if text_of(s, 64)],
                category_code=f"wb-{subject}" if subject else None,
                category_name=text_of(card.get("subjectName")) or None))
    newest = max((str(c.get("updatedAt") or "") for _, c in cards.values()), default="")
    with sync.atomic():
        counts = apply_products(sync, items)
        sync.save_cursor({**sync.cursor, "updated_at": max(newest, since or ""), "synced_at": sync.now.isoformat()})
    return sync.outcome(read=len(cards), created=counts["created"], updated=counts["updated"],
                        unchanged=counts["unchanged"], sizes=len(items), stopped_at_cursor=reached_cursor)
