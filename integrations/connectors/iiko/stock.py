"""iiko stock stream: store balances (`v2/reports/balance/stores`) as a stock snapshot per department.

Stock is kept where the sales are: each iiko store's balance is booked on its department (the store's
`parentId` in `corporation/stores`), summed when a department has several stores, so days-of-cover and order
proposals compare like with like. A store whose department is unknown but which is itself in the location
tree (org option `include_stores`) is booked on the store. iiko leaves zero lines out; products the previous
snapshot had and this one omits are written as zero. Negative amounts are normal in iiko and kept.

Snapshots are slotted (option `stock_snapshot_minutes`, default 60): live runs within one slot overwrite it.
With `date_to` (commands' --to) the balance at the end of that business day is read instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import (
    MOSCOW,
    StreamSync,
    apply_products,
    check_report,
    decimal_of,
    local_to_utc,
    location_ids,
    product_ids,
    snapshot_time,
    zero_rows_for_missing_stock,
)
from integrations.connectors.iiko.org import nodes_from_xml
from integrations.connectors.iiko.products import fetch_unknown_products
from integrations.connectors.iiko.session import API_ROOT, IikoSession
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

BALANCE_PATH = "v2/reports/balance/stores"
STORES_PATH = "corporation/stores"
SNAPSHOT_MINUTES = 60


def store_parents(sync: StreamSync, iiko: IikoSession) -> dict[str, str | None]:
    """store id → its department id, from `corporation/stores`."""
    root = iiko.get_xml(STORES_PATH, params={"revisionFrom": -1})
    nodes = nodes_from_xml(root, account=sync.account.name, path=f"{API_ROOT}/{STORES_PATH}")
    return {node.external_id: node.parent_external_id for node in nodes if node.external_id}


def read_balances(sync: StreamSync, iiko: IikoSession, timestamp: str) -> list[dict[str, Any]]:
    position = f"GET {BALANCE_PATH}?timestamp={timestamp}"
    response = iiko.request("GET", BALANCE_PATH, params={"timestamp": timestamp})
    body = sync.json(response, position)
    if not isinstance(body, list):
        raise sync.error(f"expected a JSON array of balances, got {type(body).__name__}", position)
    balances = []
    for index, row in enumerate(body, start=1):
        where = f"{position}, row {index}"
        if not isinstance(row, dict) or not row.get("store") or not row.get("product"):
            raise sync.error("a balance row without store or product", where)
        try:
            amount = decimal_of(row.get("amount"), "amount")
        except ValueError as exc:
            raise sync.error(str(exc), where) from None
        balances.append({"store": str(row["store"]), "product": str(row["product"]), "amount": amount,
                         "position": where})
    return balances


@register_connector(IntegrationKind.IIKO, SyncStream.STOCK)
def sync_iiko_stock(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    from sales.services.ingest import ingest_stock_levels

    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    explicit = sync.explicit_window()
    if explicit is not None:  # the balance at the end of that business day
        end_local = dt.datetime.combine(explicit.last, dt.time(23, 59, 59))
        as_of = local_to_utc(end_local, sync.source_tz)
    else:
        end_local = sync.now.astimezone(sync.source_tz).replace(tzinfo=None, microsecond=0)
        as_of = snapshot_time(sync.now, sync.option("stock_snapshot_minutes", SNAPSHOT_MINUTES))
    timestamp = end_local.strftime("%Y-%m-%dT%H:%M:%S")
    sync.details.update(as_of=as_of.isoformat(), read_at_local=timestamp)
    locations = location_ids(account)
    if not locations:
        raise sync.error("no iiko departments of this account are in the location tree yet; run the org stream "
                         "first (sync_iiko --stream org)")
    progress.phase("Reading store balances from iiko")
    with IikoSession.for_account(account) as iiko:
        sync.track(iiko.http)
        parents = store_parents(sync, iiko)
        balances = read_balances(sync, iiko, timestamp)
        unknown = fetch_unknown_products(sync, iiko, {b["product"] for b in balances})
    with sync.atomic():
        discovered = apply_products(sync, unknown, describe_existing=False)
        products = product_ids(account, {b["product"] for b in balances})
        totals: dict[tuple[int, int], dict[str, Any]] = {}
        skipped = 0
        unplaced: set[str] = set()
        for balance in balances:
            store = balance["store"]
            location = locations.get(parents.get(store) or "") or locations.get(store)
            product = products.get(balance["product"])
            if location is None or product is None:
                skipped += 1
                if location is None:
                    unplaced.add(store)
                continue
            entry = totals.setdefault((location, product), {"amount": Decimal(0), "position": balance["position"]})
            entry["amount"] += balance["amount"]
        for store in sorted(unplaced)[:5]:
            sync.warn(f"store {store} belongs to no department of this account in the location tree; its balances "
                      "were skipped (run the org stream)")
        rows = [{"location_id": loc, "product_id": prod, "as_of": as_of, "on_hand": entry["amount"], "reserved": 0,
                 "in_transit": 0} for (loc, prod), entry in totals.items()]
        positions = [entry["position"] for entry in totals.values()]
        zeroed = zero_rows_for_missing_stock(account, as_of, rows)
        report = ingest_stock_levels([*rows, *zeroed], source=account)
        check_report(sync, report, "stock", positions + ["a line zeroed because iiko no longer lists it"]
                     * len(zeroed))
        sync.save_cursor({"as_of": as_of.isoformat(), "synced_at": sync.now.isoformat()})
    return sync.outcome(read=len(balances), created=report.created, updated=report.updated,
                        unchanged=report.unchanged, skipped=skipped, stock_rows=len(rows), zeroed=len(zeroed),
                        products_discovered=discovered["created"])
