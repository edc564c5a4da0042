"""The one door to start a sync: every trigger — the API, the admin actions, the workbench's "Sync now", the
`sync*` commands, the django-q2 schedules, the main job, the legacy endpoints and the demo — calls
:func:`sync_account`, so "at most one active run per account and stream" and what happens to a run that is
already active are decided in one place:

* a new run is claimed through `start_sync` (the database's partial UNIQUE constraint; a dead active run, whose
  worker stopped beating, is failed on the way and replaced), so a trigger never hands back a dead run;
* inline (`background=False`: commands, schedules, the main job, the account task), a run already queued elsewhere
  is claimed and run here, and one running elsewhere is waited for (`wait=True`) before the next stream starts;
* in the background (`background=True`: API, admin, workbench, legacy), runs are queued now (visible at once)
  and handed to django-q2 after the commit: one stream → its run's own task, several → one task that runs them
  in `STREAM_ORDER`, because an account's streams never run side by side (iiko gives each session a licence
  seat and rate limits are per account).

    [started] = sync_account(account, "org", mode="full", trigger=SyncTrigger.API, background=True)
    finished = [s.run for s in sync_account(account, mode="incremental", trigger=SyncTrigger.SCHEDULE)]
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from core.jobs import enqueue_after_commit
from integrations.choices import ACTIVE_SYNC_STATUSES, SyncMode, SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import full_streams, ordered_streams
from integrations.services.runs import ProgressListener, SyncNotAllowed, execute_run, start_sync

logger = logging.getLogger("integrations")

WAIT_FOR_OTHER_RUN_S = 30 * 60
POLL_S = 1.0


@dataclass(frozen=True)
class StreamSync:
    """What the door did for one stream: the run (new, claimed or found active), whether this call created it,
    and whether this process ran it to its end."""

    run: SyncRun
    created: bool
    executed: bool = False


def sync_account(
    account: IntegrationAccount,
    streams: str | Iterable[str] | None = None,
    *,
    mode: str = SyncMode.FULL,
    trigger: str,
    params: dict[str, Any] | None = None,
    background: bool = False,
    wait: bool = True,
    listener: ProgressListener | None = None,
    wait_timeout: float = WAIT_FOR_OTHER_RUN_S,
) -> list[StreamSync]:
    """Sync `streams` of the account (one name, several, or None = its full-sync streams), in stream order.

    One stream named on its own is strict: a stream or mode the account cannot sync raises ValidationError naming
    the field, a disabled account SyncNotAllowed (409). Several streams are lenient, as a schedule must be: an
    unsyncable one is skipped and logged, a disabled account ends the list. `mode` "live" means incremental.
    `trigger` says which door was used (api, admin, command, schedule) and is recorded on every run.
    """
    mode = SyncMode.INCREMENTAL if mode == "live" else mode
    strict = isinstance(streams, str)
    if strict:
        chosen = [streams]
    else:
        chosen = ordered_streams(account.kind, streams) if streams is not None else full_streams(account)
    results: list[StreamSync] = []
    for stream in chosen:
        try:
            run, created = start_sync(account, stream, mode, trigger, params)
        except SyncNotAllowed as exc:
            if strict:
                raise
            logger.info("sync skipped", extra={"account": account.name, "reason": str(exc)})
            break
        except ValidationError as exc:  # e.g. a stream option names a stream the connector cannot sync
            if strict:
                raise
            logger.warning("sync skipped", extra={"account": account.name, "stream": stream, "reason": str(exc)})
            continue
        if background:
            results.append(StreamSync(run, created))
        else:  # one after another: the next stream is claimed once this one has ended
            results.append(_run_here(run, created, listener=listener, wait=wait, wait_timeout=wait_timeout))
    if background:
        _hand_to_worker(account, results, mode, trigger, several=not strict)
    return results


def _run_here(run: SyncRun, created: bool, *, listener: ProgressListener | None, wait: bool,
              wait_timeout: float) -> StreamSync:
    """Claim and run a queued run in this process; wait for one another worker is running (if asked)."""
    executed = False
    if created or run.status == SyncStatus.QUEUED:
        run = execute_run(run.pk, listener=listener)
        executed = run.status not in ACTIVE_SYNC_STATUSES  # else another worker claimed it first
    if wait and run.status in ACTIVE_SYNC_STATUSES:  # do not start the next stream beside it
        run = _wait_for(run.pk, wait_timeout)
    return StreamSync(run, created, executed)


def _hand_to_worker(account: IntegrationAccount, queued: list[StreamSync], mode: str, trigger: str,
                    *, several: bool) -> None:
    """After the commit: a new single-stream run gets its own task; several streams get one account task that
    runs them in order (already-queued runs too: it claims them, or waits for the ones running)."""
    if not several:
        for started in queued:
            if started.created:
                enqueue_after_commit("integrations.tasks.run_sync", started.run.pk, run=started.run,
                                     task_name=f"sync-run-{started.run.pk}", group="integrations")
    elif queued:
        enqueue_after_commit("integrations.tasks.sync_account_streams", account.pk, mode,
                             [started.run.stream for started in queued], trigger,
                             task_name=f"sync-account-{account.pk}-{mode}", group="integrations")


def _wait_for(run_id: int, timeout: float, sleep: Callable[[float], None] = time.sleep) -> SyncRun:
    deadline = time.monotonic() + timeout
    run = SyncRun.objects.select_related("account").get(pk=run_id)
    while run.status in ACTIVE_SYNC_STATUSES and time.monotonic() < deadline:
        sleep(POLL_S)
        run.refresh_from_db()
    if run.status in ACTIVE_SYNC_STATUSES:
        logger.warning("gave up waiting for a run started elsewhere", extra={"run_id": run_id})
    return run
