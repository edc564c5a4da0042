"""Sync status per account and stream: what runs now, what happened last, what comes next.

`sync_status()` answers `GET /api/v1/integrations/status/` in a constant number of queries whatever the number of
accounts and runs (window functions pick the latest runs per account/stream/mode on SQLite and PostgreSQL).
For each account: its schedules (cron, next run) and, per stream it can sync, whether a run is active (with
progress), the last full and the last live (incremental) run with outcome and counts, the next scheduled run that
covers the stream, consecutive failures, and the stored cursor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from integrations.choices import ACTIVE_SYNC_STATUSES, SyncMode, SyncStatus
from integrations.models import IntegrationAccount, SyncCursor, SyncRun
from integrations.options import OptionsError
from integrations.services.schedules import (
    full_streams,
    full_sync_cron,
    live_streams,
    live_sync_cron,
    next_runs,
    ordered_streams,
)

FINISHED = (SyncStatus.SUCCEEDED, SyncStatus.PARTIAL, SyncStatus.FAILED)
FAILURE_LOOKBACK = 50  # consecutive failures are counted up to this many ("50" means "50 or more")


def run_summary(run: SyncRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "run_id": run.pk, "status": run.status, "mode": run.mode, "trigger": run.trigger,
        "started_at": run.started_at, "finished_at": run.finished_at, "duration_seconds": run.duration_seconds,
        "read": run.rows_read, "created": run.rows_created, "updated": run.rows_updated,
        "unchanged": run.rows_unchanged, "skipped": run.rows_skipped, "failed": run.rows_failed,
        "error": run.error,
    }


def active_summary(run: SyncRun) -> dict[str, Any]:
    total = run.progress_total
    return {
        "run_id": run.pk, "status": run.status, "mode": run.mode, "trigger": run.trigger,
        "created_at": run.created_at, "started_at": run.started_at, "heartbeat_at": run.heartbeat_at,
        "progress_done": run.progress_done, "progress_total": total,
        "progress_percent": round(100 * run.progress_done / total, 1) if total else None,
        "phase": run.stage or (run.details or {}).get("phase", ""),
    }


def _latest_finished(account_ids: list[int]) -> dict[tuple[int, str, str], SyncRun]:
    ranked = (SyncRun.objects.filter(account_id__in=account_ids, status__in=FINISHED)
              .annotate(rank=Window(RowNumber(), partition_by=[F("account_id"), F("stream"), F("mode")],
                                    order_by=[F("finished_at").desc(nulls_last=True), F("pk").desc()]))
              .filter(rank=1))
    return {(run.account_id, run.stream, run.mode): run for run in ranked}


def _consecutive_failures(account_ids: list[int]) -> dict[tuple[int, str], int]:
    recent = (SyncRun.objects.filter(account_id__in=account_ids, status__in=FINISHED)
              .annotate(rank=Window(RowNumber(), partition_by=[F("account_id"), F("stream")],
                                    order_by=[F("finished_at").desc(nulls_last=True), F("pk").desc()]))
              .filter(rank__lte=FAILURE_LOOKBACK)
              .values_list("account_id", "stream", "status", "rank")
              .order_by("account_id", "stream", "rank"))
    counts: dict[tuple[int, str], int] = {}
    broken: set[tuple[int, str]] = set()
    for account_id, stream, status, _rank in recent:
        key = (account_id, stream)
        counts.setdefault(key, 0)
        if key in broken:
            continue
        if status == SyncStatus.FAILED:
            counts[key] += 1
        else:
            broken.add(key)
    return counts


def sync_status(accounts: list[IntegrationAccount] | None = None, now: dt.datetime | None = None
                ) -> dict[str, Any]:
    """The status document of the given accounts (default: all), see the module docstring."""
    if accounts is None:
        accounts = list(IntegrationAccount.objects.order_by("name"))
    ids = [a.pk for a in accounts]
    if not ids:
        return {"generated_at": now or timezone.now(), "accounts": []}
    active = {(r.account_id, r.stream): r for r in SyncRun.objects.filter(account_id__in=ids,
                                                                         status__in=ACTIVE_SYNC_STATUSES)}
    latest = _latest_finished(ids)
    failures = _consecutive_failures(ids)
    scheduled = next_runs(ids)
    cursors = {(c.account_id, c.stream): c for c in SyncCursor.objects.filter(account_id__in=ids)}
    documents = []
    for account in accounts:
        full_on = account.enabled and account.full_sync_enabled
        live_on = account.enabled and account.live_sync_enabled
        try:
            full_set, live_set = set(full_streams(account)), set(live_streams(account))
        except OptionsError:  # a bad stored row has no schedules (they are skipped); still show its runs
            full_set, live_set = set(), set()
        next_full = scheduled.get((account.pk, str(SyncMode.FULL))) if full_on else None
        next_live = scheduled.get((account.pk, str(SyncMode.INCREMENTAL))) if live_on else None
        streams = []
        for stream in ordered_streams(account.kind):
            run = active.get((account.pk, stream))
            options = [(when, mode) for when, mode, covered in ((next_full, SyncMode.FULL, stream in full_set),
                                                               (next_live, SyncMode.INCREMENTAL, stream in live_set))
                       if when is not None and covered]
            when, mode = min(options) if options else (None, None)
            cursor = cursors.get((account.pk, stream))
            streams.append({
                "stream": stream,
                "running": run is not None and run.status == SyncStatus.RUNNING,
                "active_run": active_summary(run) if run is not None else None,
                "last_full": run_summary(latest.get((account.pk, stream, str(SyncMode.FULL)))),
                "last_live": run_summary(latest.get((account.pk, stream, str(SyncMode.INCREMENTAL)))),
                "next_run": when, "next_run_mode": mode,
                "consecutive_failures": failures.get((account.pk, stream), 0),
                "cursor": cursor.value if cursor else None,
                "cursor_updated_at": cursor.updated_at if cursor else None,
            })
        documents.append({
            "id": account.pk, "name": account.name, "kind": account.kind, "enabled": account.enabled,
            "schedule": {
                "full": {"enabled": full_on, "cron": full_sync_cron(account), "next_run": next_full,
                         "streams": sorted(full_set, key=list(ordered_streams(account.kind)).index)},
                "live": {"enabled": live_on, "cron": live_sync_cron(account), "next_run": next_live,
                         "streams": sorted(live_set, key=list(ordered_streams(account.kind)).index)},
            },
            "streams": streams,
        })
    return {"generated_at": now or timezone.now(), "accounts": documents}
