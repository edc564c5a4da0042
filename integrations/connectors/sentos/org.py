"""Sentos warehouses as locations: one root per account ("the shop") with the warehouses below it.

Sentos has no hierarchy, only `GET /warehouses` [C]. The root holds orders that name no warehouse. Every
Sentos stream that books something on a warehouse applies this feed first (it is one cheap call and a no-op
when nothing changed), so no stream depends on another having run.
"""

from __future__ import annotations

from typing import Any

from branches.choices import LocationType
from branches.services.org_sync import OrgNode
from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.commerce import ISTANBUL, StreamSync, apply_locations, location_ids
from integrations.connectors.sentos.client import SentosClient
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

ROOT_ID = "account"


def fetch_warehouse_nodes(sync: StreamSync, sentos: SentosClient) -> list[OrgNode]:
    nodes = [OrgNode(external_id=ROOT_ID, name=sync.account.name, type=LocationType.GROUP)]
    seen: set[str] = set()
    for page, index, item in sentos.pages("warehouses"):
        warehouse_id = str(item.get("id") or "").strip()
        if not warehouse_id:
            raise sync.error("a warehouse without an id", f"GET /warehouses page {page}, item {index}")
        if warehouse_id in seen:
            continue
        seen.add(warehouse_id)
        nodes.append(OrgNode(external_id=warehouse_id, parent_external_id=ROOT_ID,
                             name=str(item.get("name") or "").strip() or f"Warehouse {warehouse_id}",
                             code=warehouse_id, type=LocationType.WAREHOUSE))
    return nodes


def warehouse_id_of(sync: StreamSync, value: Any, what: str) -> str:
    """A warehouse reference is an id or an object {id, name} [C]; which one was seen is recorded."""
    if isinstance(value, dict):
        sync.note_shape(what, "object {id, name}")
        value = value.get("id")
    elif value is not None:
        sync.note_shape(what, "id")
    return str(value).strip() if value not in (None, "") else ""


def ensure_warehouses(sync: StreamSync, nodes: list[OrgNode]) -> dict[str, int]:
    """Apply the warehouse feed inside the run's transaction; external id → location id."""
    result = apply_locations(sync, nodes)
    sync.details["locations"] = {k: result[k] for k in ("created", "updated", "unchanged", "deactivated")}
    return location_ids(sync.account)


@register_connector(IntegrationKind.SENTOS, SyncStream.ORG)
def sync_sentos_org(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    sync = StreamSync(run, account, progress, source_tz=ISTANBUL)
    progress.phase("Reading warehouses from Sentos")
    with SentosClient(sync) as sentos:
        nodes = fetch_warehouse_nodes(sync, sentos)
    with sync.atomic():
        result = apply_locations(sync, nodes)
        sync.save_cursor({"synced_at": sync.now.isoformat(), "warehouses": len(nodes) - 1})
    return sync.outcome(read=len(nodes), created=result["created"], updated=result["updated"],
                        unchanged=result["unchanged"], deactivated=result["deactivated"])
