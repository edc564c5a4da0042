"""iiko products stream: `v2/entities/products/list` (+ groups as categories) into the item master.

iiko has no paging and no "changed since" for products: every run reads the whole list. An incremental run
whose list hashes the same as the last stored one writes nothing. Deleted products are read too, so products
this account already knows are deactivated when iiko deletes them; deleted ones never seen are not created.
"""

from __future__ import annotations

from typing import Any

from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import MOSCOW, SourceProduct, StreamSync, apply_products, decimal_of, fingerprint
from integrations.connectors.iiko.session import IikoSession
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

PRODUCTS_PATH = "v2/entities/products/list"
GROUPS_PATH = "v2/entities/products/group/list"
KIND_BY_TYPE = {"GOODS": "goods", "DISH": "dish", "PREPARED": "semi_finished", "SERVICE": "service",
                "MODIFIER": "dish", "OUTER": "goods", "RATE": "service"}
IDS_PER_REQUEST = 200  # ids go in the query string; keep URLs short


def fetch_product_rows(sync: StreamSync, iiko: IikoSession, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The product list (deleted included), or just the products with these ids."""
    if ids is None:
        batches: list[list[str] | None] = [None]
    else:
        batches = [ids[i:i + IDS_PER_REQUEST] for i in range(0, len(ids), IDS_PER_REQUEST)]
    rows: list[dict[str, Any]] = []
    for batch in batches:
        params: dict[str, Any] = {"includeDeleted": "true"}
        if batch:
            params["ids"] = batch  # requests repeats the key: ids=a&ids=b
        response = iiko.request("GET", PRODUCTS_PATH, params=params)
        body = sync.json(response, f"GET {PRODUCTS_PATH}")
        if isinstance(body, dict) and isinstance(body.get("response"), list):
            sync.note_shape("products list", "object with response[]")
            body = body["response"]
        elif isinstance(body, list):
            sync.note_shape("products list", "bare array")
        if not isinstance(body, list):
            raise sync.error(f"expected a JSON array of products, got {type(body).__name__}", f"GET {PRODUCTS_PATH}")
        rows.extend(body)
    return rows


def fetch_groups(sync: StreamSync, iiko: IikoSession) -> dict[str, dict[str, Any]]:
    response = iiko.request("GET", GROUPS_PATH, params={"includeDeleted": "false"})
    body = sync.json(response, f"GET {GROUPS_PATH}")
    if not isinstance(body, list):
        raise sync.error(f"expected a JSON array of product groups, got {type(body).__name__}", f"GET {GROUPS_PATH}")
    return {str(g.get("id")): g for g in body if isinstance(g, dict) and g.get("id")}


def source_products(sync: StreamSync, rows: list[dict[str, Any]], groups: dict[str, dict[str, Any]],
                    known_ids: set[str]) -> tuple[list[SourceProduct], int]:
    """Normalise product rows; returns (items, skipped deleted-and-unknown count)."""
    items: list[SourceProduct] = []
    skipped = 0
    for index, row in enumerate(rows, start=1):
        position = f"{PRODUCTS_PATH} item {index}"
        if not isinstance(row, dict) or not row.get("id"):
            raise sync.error("a product without an id (or not a JSON object)", position)
        product_id = str(row["id"])
        deleted = bool(row.get("deleted"))
        if deleted and product_id not in known_ids:
            skipped += 1
            continue
        try:
            price = decimal_of(row.get("defaultSalePrice"), "defaultSalePrice", allow_none=True)
        except ValueError as exc:
            raise sync.error(str(exc), f"{position} (id {product_id})") from None
        group = groups.get(str(row.get("parent") or ""))
        items.append(SourceProduct(
            external_id=product_id,
            sku=str(row.get("num") or row.get("code") or "").strip(),
            name=str(row.get("name") or "").strip() or product_id,
            kind=KIND_BY_TYPE.get(str(row.get("type") or "").upper(), "goods"),
            list_price=price if price is not None and price >= 0 else None,
            category_code=(str(group.get("num") or "").strip() or f"iiko-{group['id']}") if group else None,
            category_name=(str(group.get("name") or "").strip() or None) if group else None,
            is_active=not deleted,
        ))
    return items, skipped


def fetch_unknown_products(sync: StreamSync, iiko: IikoSession, ids: set[str]) -> list[SourceProduct]:
    """Products named in sales/stock rows but unknown to this account, read from iiko (stored by the caller)."""
    from integrations.connectors.commerce import product_ids as known_product_ids

    missing = sorted(ids - set(known_product_ids(sync.account, ids)))
    if not missing:
        return []
    items, _ = source_products(sync, fetch_product_rows(sync, iiko, ids=missing), {}, known_ids=set(missing))
    return items


@register_connector(IntegrationKind.IIKO, SyncStream.PRODUCTS)
def sync_iiko_products(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=MOSCOW)
    progress.phase("Reading products from iiko")
    with IikoSession.for_account(account) as iiko:
        sync.track(iiko.http)
        rows = fetch_product_rows(sync, iiko)
        groups = fetch_groups(sync, iiko)
    digest = fingerprint([rows, groups])
    if not sync.is_full and sync.cursor.get("fingerprint") == digest:
        return sync.outcome(read=len(rows), unchanged=len(rows), catalogue="unchanged since the last run")
    from integrations.connectors.commerce import product_ids as known_product_ids

    known = set(known_product_ids(account, [str(r.get("id")) for r in rows if isinstance(r, dict)]))
    items, skipped = source_products(sync, rows, groups, known)
    progress.phase("Writing products", done=0, total=len(items))
    with sync.atomic():
        counts = apply_products(sync, items)
        sync.save_cursor({"fingerprint": digest, "synced_at": sync.now.isoformat(), "products": len(rows)})
    progress.phase("Products written", done=len(items), total=len(items))
    return sync.outcome(read=len(rows), created=counts["created"], updated=counts["updated"],
                        unchanged=counts["unchanged"], skipped=skipped, deleted_unknown_skipped=skipped)
