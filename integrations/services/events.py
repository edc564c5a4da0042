"""Webhook events of syncs: `sync.failed` on the first failure of a streak, `sync.recovered` on the first good
run after one, on the same streak rule as the failure and recovery mails (services/notifications.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from integrations.choices import SyncStatus
from integrations.models import SyncRun
from webhooks.services import emit_event


def emit_sync_outcome(run: SyncRun, streak: list[SyncRun]) -> None:
    if run.status == SyncStatus.FAILED and streak:
        return  # the streak was announced by its first failure
    if run.status != SyncStatus.FAILED and not streak:
        return  # nothing to recover from
    payload = {
        "account": {"id": run.account_id, "name": run.account.name, "kind": run.account.kind},
        "stream": run.stream, "run_id": run.pk, "status": run.status, "error": run.error or "",
        "finished_at": run.finished_at, "failed_runs_before": len(streak),
        "url": f"{settings.SITE_URL}{reverse('admin:integrations_syncrun_change', args=[run.pk])}",
    }
    emit_event("sync.failed" if run.status == SyncStatus.FAILED else "sync.recovered", payload)
