"""Answers in the shapes of the old ERP (a FastAPI service, snake_case JSON), computed by today's services.

Nothing here owns a rule: branches come from `branches`, syncs are started through
`integrations.services.sync.sync_account` (the one door to start a sync, in the background), the sync status
is read from `integrations.services.status.sync_status`, kanban tasks from
`planning.services.production.kanban_board`, import templates from `sales.services.tabular.LAYOUTS`.
This module only picks what an old call meant (which account is "the configured 1C account", which stream is
"sales" for a source) and reshapes the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from branches.models import Location
from core.errors import Conflict
from integrations.choices import IntegrationKind, SyncMode, SyncStream, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import streams_for_kind
from integrations.services.runs import SyncNotAllowed
from integrations.services.status import sync_status
from integrations.services.sync import sync_account

MAX_LIMIT = 1000


# --- branches ------------------------------------------------------------------------------------------------------

def branch_rows(*, skip: int = 0, limit: int = 100, search: str = "", active_only: bool = False
                ) -> list[dict[str, Any]]:
    """Locations as the old `GET /api/branches/` listed them (a plain list, paged with skip/limit)."""
    qs: QuerySet = Location.objects.order_by("tree_path", "name", "id")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if active_only:
        qs = qs.filter(is_active=True)
    return [
        {"id": loc.pk, "code": loc.code, "name": loc.name, "parent_id": loc.parent_id, "type": loc.type,
         "external_id": loc.external_id, "inn": loc.taxpayer_id_number, "is_active": loc.is_active}
        for loc in qs[skip:skip + limit]
    ]


def configured_onec_account(name: str = "") -> IntegrationAccount:
    """The 1C account the old "sync branches" button meant: the only enabled one, or the one named."""
    accounts = IntegrationAccount.objects.filter(kind=IntegrationKind.ONEC, enabled=True).order_by("name")
    if name:
        accounts = accounts.filter(name=name)
    found = list(accounts[:10])
    if not found:
        raise Conflict(gettext("No enabled 1C account%(value)s is configured.") % {
                           "value": f' named {name!r}' if name else '',
                       },
                       code="no_account", hint=gettext("Add a 1C integration account (or enable it) first."))
    if len(found) > 1:
        raise Conflict(gettext("Several 1C accounts are configured: ") + ", ".join(a.name for a in found) + ".",
                       code="ambiguous_account", hint=gettext("Name the one to sync with ?account=<name>."))
    return found[0]


def _enqueue(account: IntegrationAccount, stream: str, mode: str, params: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    try:
        [started] = sync_account(account, stream, mode=mode, trigger=SyncTrigger.API, params=params, background=True)
    except SyncNotAllowed as exc:
        raise Conflict(str(exc)) from None
    return _run_row(started.run, started.created)


def _run_row(run: SyncRun, created: bool) -> dict[str, Any]:
    return {"run_id": run.pk, "account": run.account.name, "stream": run.stream, "mode": run.mode,
            "status": run.status, "created": created}


def _started(runs: list[dict[str, Any]], what: str) -> dict[str, Any]:
    new = sum(1 for r in runs if r["created"])
    status = "started" if new else "already_running"
    message = (f"{what}: {new} run(s) queued" + (f", {len(runs) - new} already running" if len(runs) > new else "")
               + "." if runs else f"{what}: nothing to sync.")
    return {"status": status, "message": message, "runs": runs}


def sync_branches(account_name: str = "") -> dict[str, Any]:
    """`POST /api/branches/sync`: the org structure of the configured 1C account, in the background."""
    account = configured_onec_account(account_name)
    row = _enqueue(account, SyncStream.ORG, SyncMode.FULL)
    return {**_started([row], f"1C org sync of {account.name!r}"), "task_id": row["run_id"]}


# --- sync status and triggers --------------------------------------------------------------------------------------

def legacy_sync_status() -> dict[str, Any]:
    """`GET /api/sync/status`: one status for all accounts, as the old single-source ERP had it."""
    document = sync_status()
    accounts = document["accounts"]
    streams = [stream for account in accounts for stream in account["streams"]]

    def latest(key: str) -> dt.datetime | None:
        moments = [s[key]["finished_at"] for s in streams if s[key] and s[key]["finished_at"]]
        return max(moments) if moments else None

    enabled = IntegrationAccount.objects.filter(enabled=True).order_by("name")
    full = [a.full_sync_at for a in enabled if a.full_sync_enabled]
    live = [a.live_sync_every_minutes for a in enabled if a.live_sync_enabled]
    return {
        "is_running": any(s["active_run"] is not None for s in streams),
        "last_full_sync": latest("last_full"),
        "last_live_sync": latest("last_live"),
        "full_sync_time": min(full).strftime("%H:%M") if full else None,
        "live_sync_interval_minutes": min(live) if live else None,
    }


@transaction.atomic  # every run is queued, or none (the work starts after the commit)
def trigger_all(mode: str) -> dict[str, Any]:
    """`POST /api/sync/trigger/{full|live}`: every enabled account, every stream of the mode, in the background."""
    mode = SyncMode.FULL if mode == "full" else SyncMode.INCREMENTAL
    rows = []
    for account in IntegrationAccount.objects.filter(enabled=True).order_by("name"):
        for started in sync_account(account, mode=mode, trigger=SyncTrigger.API, background=True):
            rows.append(_run_row(started.run, started.created))
    return {**_started(rows, f"{'Full' if mode == SyncMode.FULL else 'Live'} sync"),
            "mode": "full" if mode == SyncMode.FULL else "live"}


# --- data ----------------------------------------------------------------------------------------------------------

@transaction.atomic  # every run is queued, or none (the work starts after the commit)
def sync_products() -> dict[str, Any]:
    """`POST /api/data/sync-products`: the product catalogue of every enabled account that has one."""
    rows = [_enqueue(account, SyncStream.PRODUCTS, SyncMode.FULL)
            for account in IntegrationAccount.objects.filter(enabled=True).order_by("name")
            if SyncStream.PRODUCTS in streams_for_kind(account.kind)]
    return _started(rows, "Product sync")


def sales_stream(kind: str) -> str | None:
    """What "sales" means for a source: its day-level sales stream, else its orders (which build daily sales)."""
    streams = streams_for_kind(kind)
    for stream in (SyncStream.SALES, SyncStream.ORDERS):
        if stream in streams:
            return stream
    return None


@transaction.atomic  # every run is queued, or none (the work starts after the commit)
def fetch_sales(start_date: dt.date, end_date: dt.date, max_pages: int | None = None) -> dict[str, Any]:
    """`POST /api/data/fetch-sales`: re-read the sales of these business days from every enabled account.

    `max_pages` is recorded in each run's parameters; today's connectors read a window completely (a partial
    window would leave daily sales half-rebuilt), so it does not cut the read short.
    """
    params: dict[str, Any] = {"date_from": start_date.isoformat(), "date_to": end_date.isoformat()}
    if max_pages is not None:
        params["max_pages"] = max_pages
    rows = []
    for account in IntegrationAccount.objects.filter(enabled=True).order_by("name"):
        stream = sales_stream(account.kind)
        if stream is not None:
            rows.append(_enqueue(account, stream, SyncMode.FULL, params))
    return {**_started(rows, f"Sales {start_date}..{end_date}"), "start_date": start_date, "end_date": end_date}


# --- kanban and templates ------------------------------------------------------------------------------------------

def kanban_tasks(*, status: str = "", skip: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """`GET /kanban/tasks`: production tasks in board order (column by column), as a plain list."""
    from planning.models import ProductionTask
    from planning.services.production import kanban_board

    queryset = ProductionTask.objects.filter(status=status) if status else None
    tasks = [task for column in kanban_board(queryset) for task in column.tasks]
    return [
        {"id": t.pk, "title": f"{t.product.name} × {t.quantity.normalize():f} {t.product.unit}",
         "status": t.status, "position": t.board_position, "product_id": t.product_id, "product_sku": t.product.sku,
         "product_name": t.product.name, "quantity": t.quantity, "unit": t.product.unit,
         "location_id": t.location_id, "location_name": t.location.name, "due_date": t.due_date,
         "notes": t.notes, "created_at": t.created_at}
        for t in tasks[skip:skip + limit]
    ]


def import_templates(base_url: str) -> list[dict[str, Any]]:
    """`GET /import-export/templates`: every import kind with its columns and where to download the file."""
    from sales.choices import ImportKind
    from sales.services.tabular import LAYOUTS

    return [
        {"kind": kind.value, "name": kind.label,
         "columns": [{"name": c.name, "type": c.type, "required": c.required, "example": c.example,
                      "description": c.help} for c in LAYOUTS[kind.value]],
         "download_url": {fmt: f"{base_url}{kind.value}/?format={fmt}" for fmt in ("csv", "xlsx")}}
        for kind in ImportKind
    ]
