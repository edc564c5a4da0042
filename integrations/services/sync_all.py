"""Synchronous "sync everything" for the daily schedule, `manage.py sync --all`, the main job and the demo.

An account's streams run one after another in this process, in `STREAM_ORDER` (org first: places before what
happens in them): iiko gives each session a licence seat and rate limits are per account, so one account's
streams never run side by side. A stream whose run is already queued elsewhere (e.g. by the API) is claimed and
run here; one already running elsewhere is waited for before the next stream starts. A failed stream never
stops the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError

from integrations.choices import ACTIVE_SYNC_STATUSES, SyncMode, SyncStatus, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import full_streams, ordered_streams
from integrations.services.runs import ProgressListener, SyncNotAllowed, execute_run, start_sync

logger = logging.getLogger("integrations")

WAIT_FOR_OTHER_RUN_S = 30 * 60
POLL_S = 1.0
Progress = Callable[[str, int, int | None], None]


def _wait_for(run_id: int, timeout: float, sleep: Callable[[float], None] = time.sleep) -> SyncRun:
    deadline = time.monotonic() + timeout
    run = SyncRun.objects.select_related("account").get(pk=run_id)
    while run.status in ACTIVE_SYNC_STATUSES and time.monotonic() < deadline:
        sleep(POLL_S)
        run.refresh_from_db()
    if run.status in ACTIVE_SYNC_STATUSES:
        logger.warning("gave up waiting for a run started elsewhere", extra={"run_id": run_id})
    return run


def sync_stream_now(account: IntegrationAccount, stream: str, mode: str = SyncMode.INCREMENTAL, *,
                    trigger: str = SyncTrigger.COMMAND, params: dict[str, Any] | None = None,
                    listener: ProgressListener | None = None, wait_timeout: float = WAIT_FOR_OTHER_RUN_S
                    ) -> SyncRun:
    """Run one stream in this process: a new run, or the account's queued one claimed, or a running one awaited."""
    run, created = start_sync(account, stream, mode, trigger, params)
    if created or run.status == SyncStatus.QUEUED:
        run = execute_run(run.pk, listener=listener)
    if run.status in ACTIVE_SYNC_STATUSES:  # another worker has it: do not start the next stream beside it
        run = _wait_for(run.pk, wait_timeout)
    return run


def sync_account_all_streams(account: IntegrationAccount, mode: str = SyncMode.INCREMENTAL, *,
                             streams: Iterable[str] | None = None, trigger: str = SyncTrigger.COMMAND,
                             params: dict[str, Any] | None = None, listener: ProgressListener | None = None,
                             wait_timeout: float = WAIT_FOR_OTHER_RUN_S) -> list[SyncRun]:
    """Every stream of the account (or `streams`), in order, synchronously; returns the finished runs.

    `mode` is "full" or "incremental" ("live" is accepted for incremental). A disabled account gives [].
    """
    mode = SyncMode.INCREMENTAL if mode == "live" else mode
    chosen = ordered_streams(account.kind, streams) if streams is not None else full_streams(account)
    runs = []
    for stream in chosen:
        try:
            runs.append(sync_stream_now(account, stream, mode, trigger=trigger, params=params, listener=listener,
                                        wait_timeout=wait_timeout))
        except SyncNotAllowed as exc:
            logger.info("sync skipped", extra={"account": account.name, "reason": str(exc)})
            return runs
        except ValidationError as exc:  # a stream option names a stream the connector cannot sync
            logger.warning("sync skipped", extra={"account": account.name, "stream": stream, "reason": str(exc)})
    return runs


def sync_all_accounts(progress: Progress | None = None, *, mode: str = SyncMode.INCREMENTAL,
                      kinds: Iterable[str] | None = None, trigger: str = SyncTrigger.COMMAND) -> list[SyncRun]:
    """Every enabled account (optionally of `kinds`), every stream; progress(label, done, total) per run."""
    accounts = IntegrationAccount.objects.filter(enabled=True).order_by("kind", "name")
    if kinds is not None:
        accounts = accounts.filter(kind__in=list(kinds))
    plan = [(account, stream) for account in accounts for stream in full_streams(account)]
    runs: list[SyncRun] = []
    for index, (account, stream) in enumerate(plan, start=1):
        if progress is not None:
            progress(f"sync {account.name} {stream}", index - 1, len(plan))
        try:
            runs.append(sync_stream_now(account, stream, mode, trigger=trigger))
        except (SyncNotAllowed, ValidationError) as exc:
            logger.info("sync skipped", extra={"account": account.name, "stream": stream, "reason": str(exc)})
    if progress is not None:
        progress("sync", len(plan), len(plan))
    return runs


def enqueue_account_sync(account: IntegrationAccount, mode: str = SyncMode.INCREMENTAL, *,
                         streams: Iterable[str] | None = None, trigger: str = SyncTrigger.ADMIN) -> list[SyncRun]:
    """Queue a run per stream now (visible at once) and one background task that runs them in order."""
    from django.db import transaction

    mode = SyncMode.INCREMENTAL if mode == "live" else mode
    chosen = ordered_streams(account.kind, streams) if streams is not None else full_streams(account)
    runs = []
    for stream in chosen:
        try:
            runs.append(start_sync(account, stream, mode, trigger)[0])
        except ValidationError as exc:
            logger.warning("sync not queued", extra={"account": account.name, "stream": stream, "reason": str(exc)})
    if runs:
        account_id, names = account.pk, [r.stream for r in runs]
        transaction.on_commit(lambda: _enqueue_account_task(account_id, mode, names, trigger))
    return runs


def _enqueue_account_task(account_id: int, mode: str, streams: list[str], trigger: str) -> None:
    from django_q.tasks import async_task

    async_task("integrations.tasks.sync_account_streams", account_id, mode, streams, trigger,
               task_name=f"sync-account-{account_id}-{mode}", group="integrations")
