"""iiko sales stream: daily sales per department × business day × dish through OLAP v2 (SALES report).

external-apis.md 1(c): one request at a time (one IikoSession), at most one calendar month per request,
`OpenDate.Typed` is the business day, deleted orders are filtered out by the server (`OrderDeleted` =
NOT_DELETED and `DeletedWithWriteoff` excluded), `buildSummary=false`. The window's rows replace what is
stored for the account's departments on those days: a dish whose orders were all deleted since the last run
is written as zero, so a re-run gives the same table and a full run repairs any drift.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import (
    MOSCOW,
    StreamSync,
    Window,
    apply_products,
    check_report,
    decimal_of,
    location_ids,
    money,
    month_windows,
    product_ids,
)
from integrations.connectors.iiko.products import fetch_unknown_products
from integrations.connectors.iiko.session import IikoSession
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

OLAP_PATH = "v2/reports/olap"
FULL_DAYS = 92  # a daily full run re-reads about three months (3-4 OLAP requests)
LOOKBACK_DAYS = 1  # live runs re-read yesterday too: late corrections and deletions
ROW_FIELDS = ["Department.Id", "OpenDate.Typed", "DishId"]
AGGREGATES = ["DishAmountInt", "DishSumInt", "DishDiscountSumInt"]
DELETED_WRITEOFF_VALUES = ["DELETED_WITH_WRITEOFF", "DELETED_WITHOUT_WRITEOFF"]


def olap_request(first: dt.date, last: dt.date) -> dict[str, Any]:
    """SALES by department × business day × dish for [first, last], deleted orders left out."""
    return {
        "reportType": "SALES",
        "buildSummary": False,
        "groupByRowFields": ROW_FIELDS,
        "groupByColFields": [],
        "aggregateFields": AGGREGATES,
        "filters": {
            "OpenDate.Typed": {"filterType": "DateRange", "periodType": "CUSTOM", "from": first.isoformat(),
                               "to": (last + dt.timedelta(days=1)).isoformat(), "includeLow": True,
                               "includeHigh": False},
            "OrderDeleted": {"filterType": "IncludeValues", "values": ["NOT_DELETED"]},
            "DeletedWithWriteoff": {"filterType": "ExcludeValues", "values": DELETED_WRITEOFF_VALUES},
        },
    }


def parse_business_day(sync: StreamSync, value: Any, position: str) -> dt.date:
    """`2026-03-01` (OpenDate.Typed), or the older `2026.03.01`, or a date-time; recorded as a shape."""
    text = str(value or "").strip()
    for fmt, shape in (("%Y-%m-%d", "YYYY-MM-DD"), ("%Y.%m.%d", "YYYY.MM.DD")):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        sync.note_shape("OLAP business day", shape)
        return day
    try:
        day = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise sync.error(f"OpenDate.Typed {value!r} is not a date", position) from None
    sync.note_shape("OLAP business day", "date-time")
    return day


def read_window(sync: StreamSync, iiko: IikoSession, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    position = f"OLAP window {first}..{last}"
    body = sync.json(iiko.request("POST", OLAP_PATH, json=olap_request(first, last)), position)
    if isinstance(body, list):
        sync.note_shape("OLAP answer", "bare array")
        data = body
    elif isinstance(body, dict) and isinstance(body.get("data"), list):
        data = body["data"]
    else:
        raise sync.error("the OLAP answer has no data[] list", position)
    facts = []
    for index, row in enumerate(data, start=1):
        where = f"{position}, row {index}"
        if not isinstance(row, dict):
            raise sync.error("a data row is not a JSON object", where)
        department, dish = row.get("Department.Id"), row.get("DishId")
        if not department or not dish:
            raise sync.error("Department.Id or DishId is missing", where)
        day = parse_business_day(sync, row.get("OpenDate.Typed"), where)
        if not first <= day <= last:
            raise sync.error(f"business day {day} is outside the requested window", where)
        try:
            amount = decimal_of(row.get("DishAmountInt"), "DishAmountInt")
            full_sum = decimal_of(row.get("DishSumInt"), "DishSumInt", allow_none=True) or Decimal(0)
            paid = decimal_of(row.get("DishDiscountSumInt"), "DishDiscountSumInt", allow_none=True)
        except ValueError as exc:
            raise sync.error(str(exc), where) from None
        facts.append({"department": str(department), "dish": str(dish), "date": day, "amount": amount,
                      "sum": full_sum, "paid": full_sum if paid is None else paid, "position": where})
    return facts


def daily_rows(sync: StreamSync, facts: list[dict[str, Any]], locations: dict[str, int], products: dict[str, int]
               ) -> tuple[list[dict[str, Any]], list[str], int]:
    """DailySale rows keyed by ids; net negative amounts (storno) become returns. (rows, positions, skipped)."""
    merged: dict[tuple[int, int, dt.date], dict[str, Any]] = {}
    skipped = 0
    unknown_departments: set[str] = set()
    for fact in facts:
        location = locations.get(fact["department"])
        product = products.get(fact["dish"])
        if location is None:
            unknown_departments.add(fact["department"])
            skipped += 1
            continue
        if product is None:
            skipped += 1
            continue
        key = (location, product, fact["date"])
        row = merged.setdefault(key, {"amount": Decimal(0), "sum": Decimal(0), "paid": Decimal(0),
                                      "position": fact["position"]})
        row["amount"] += fact["amount"]
        row["sum"] += fact["sum"]
        row["paid"] += fact["paid"]
    for department in sorted(unknown_departments)[:5]:
        sync.warn(f"department {department} is not in the location tree of this account; its sales were skipped "
                  "(run the org stream)")
    rows, positions = [], []
    for (location, product, day), agg in merged.items():
        quantity = agg["amount"]
        returns = Decimal(0)
        if quantity < 0:
            quantity, returns = Decimal(0), -quantity
        revenue = money(agg["paid"])
        rows.append({"location_id": location, "product_id": product, "date": day, "quantity": quantity,
                     "returns": returns, "revenue": revenue, "discount": max(money(agg["sum"] - agg["paid"]),
                                                                             Decimal(0)),
                     "price_paid": money(revenue / quantity) if quantity > 0 and revenue >= 0 else None})
        positions.append(agg["position"])
    return rows, positions, skipped


def zero_rows_for_vanished(account: IntegrationAccount, window: Window, rows: list[dict[str, Any]]
                           ) -> list[dict[str, Any]]:
    """Stored sales of the account's departments in the window that the source no longer reports → zero."""
    from sales.models import DailySale

    present = {(r["location_id"], r["product_id"], r["date"]) for r in rows}
    stale = (DailySale.objects.filter(location__source=account, date__gte=window.first, date__lte=window.last)
             .exclude(quantity=0, returns=0, revenue=0, discount=0)
             .values_list("location_id", "product_id", "date"))
    return [{"location_id": loc, "product_id": prod, "date": day, "quantity": 0, "returns": 0, "revenue": 0,
             "discount": 0, "price_paid": None} for loc, prod, day in stale if (loc, prod, day) not in present]


@register_connector(IntegrationKind.IIKO, SyncStream.SALES)
def sync_iiko_sales(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    from sales.services.ingest import ingest_daily_sales

    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    window = sync.date_window(full_days=FULL_DAYS, lookback_days=LOOKBACK_DAYS)
    windows = month_windows(window.first, window.last)
    sync.details["window"] = window.as_dict()
    locations = location_ids(account)
    if not locations:
        raise sync.error("no iiko departments of this account are in the location tree yet; run the org stream "
                         "first (sync_iiko --stream org)")
    progress.set_total(len(windows))
    facts: list[dict[str, Any]] = []
    with IikoSession.for_account(account) as iiko:
        sync.track(iiko.http)
        for number, (first, last) in enumerate(windows, start=1):
            progress.phase(f"OLAP {first}..{last} ({number}/{len(windows)})", done=number - 1)
            facts.extend(read_window(sync, iiko, first, last))
        progress.phase("Read every window", done=len(windows))
        unknown = fetch_unknown_products(sync, iiko, {f["dish"] for f in facts})
    with sync.atomic():
        discovered = apply_products(sync, unknown, describe_existing=False)
        products = product_ids(account, {f["dish"] for f in facts})
        rows, positions, skipped = daily_rows(sync, facts, locations, products)
        zeroed = zero_rows_for_vanished(account, window, rows)
        report = ingest_daily_sales([*rows, *zeroed], source=account)
        check_report(sync, report, "daily sale",
                     positions + ["a row zeroed because iiko no longer reports it"] * len(zeroed))
        sync.save_cursor(sync.window_cursor(window))
    return sync.outcome(read=len(facts), created=report.created, updated=report.updated, unchanged=report.unchanged,
                        skipped=skipped, windows=len(windows), daily_rows=len(rows), zeroed=len(zeroed),
                        products_discovered=discovered["created"])
