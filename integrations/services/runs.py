"""Sync run lifecycle: start (at most one active run per account and stream), execute, progress, stale runs.

    run, created = enqueue_sync(account, "org")      # API / admin / schedule: the work runs in django-q2
    run, created = start_sync(account, "org", trigger=SyncTrigger.COMMAND); execute_run(run.pk)  # inline

The "one queued/running run per account+stream" rule is the database's partial UNIQUE constraint, so it
holds on SQLite and PostgreSQL alike, across processes: `start_sync` simply tries to insert and, on
IntegrityError, returns the run that is already active.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from integrations.choices import ACTIVE_SYNC_STATUSES, SyncMode, SyncStatus, SyncStream, SyncTrigger
from integrations.errors import IntegrationError
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, get_connector, streams_for_kind

logger = logging.getLogger("integrations")

STALE_AFTER = timedelta(minutes=15)  # no heartbeat for this long → the worker is gone
NEVER_STARTED_AFTER = timedelta(hours=6)  # queued this long → no worker is consuming the queue

ProgressListener = Callable[[SyncRun, str], None]


class SyncNotAllowed(Exception):
    """The account cannot be synced now (disabled); the API answers 409 with this text."""


def validate_sync_request(account: IntegrationAccount, stream: str, mode: str) -> None:
    """ValidationError naming the field (stream/mode) when the account's connector cannot do this."""
    supported = streams_for_kind(account.kind)
    if stream not in SyncStream.values or stream not in supported:
        raise ValidationError({"stream": [
            f"{stream!r} is not a stream account {account.name!r} ({account.kind}) can sync; "
            f"choose one of: {', '.join(supported) or 'none (no connector yet)'}."
        ]})
    if mode not in SyncMode.values:
        raise ValidationError({"mode": [f"{mode!r} is not a sync mode; choose one of: {', '.join(SyncMode.values)}."]})
    if not account.enabled:
        raise SyncNotAllowed(f"Account {account.name!r} is disabled (enabled=false); enable it before syncing.")


def start_sync(
    account: IntegrationAccount,
    stream: str,
    mode: str = SyncMode.FULL,
    trigger: str = SyncTrigger.API,
    params: dict[str, Any] | None = None,
) -> tuple[SyncRun, bool]:
    """Create a queued run, or return the account's active run for this stream: (run, created)."""
    validate_sync_request(account, stream, mode)
    for _attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint when called inside a transaction
                run = SyncRun.objects.create(account=account, stream=stream, mode=mode, trigger=trigger,
                                             params=params or {}, status=SyncStatus.QUEUED)
            logger.info("sync run queued", extra={"run_id": run.pk, "account": account.name, "stream": stream,
                                                  "mode": mode, "trigger": trigger})
            return run, True
        except IntegrityError:
            active = SyncRun.objects.filter(account=account, stream=stream, status__in=ACTIVE_SYNC_STATUSES).first()
            if active is not None:
                return active, False
            # The active run finished between our insert and our look-up: try again.
    raise IntegrityError(f"Could not start a {stream} sync for {account.name!r}: another run keeps starting.")


def enqueue_sync(
    account: IntegrationAccount,
    stream: str,
    mode: str = SyncMode.FULL,
    trigger: str = SyncTrigger.API,
    params: dict[str, Any] | None = None,
) -> tuple[SyncRun, bool]:
    """start_sync, then hand a new run to django-q2 once the surrounding transaction commits."""
    run, created = start_sync(account, stream, mode, trigger, params)
    if created:
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    return run, created


def _enqueue(run_id: int) -> None:
    from django.conf import settings
    from django_q.tasks import async_task

    # django-q reads Q_CLUSTER once at import; honour a later "sync" override (tests, one-off scripts) too.
    inline = {"sync": True} if settings.Q_CLUSTER.get("sync") else {}
    task_id = async_task("integrations.tasks.run_sync", run_id, task_name=f"sync-run-{run_id}",
                         group="integrations", **inline)
    SyncRun.objects.filter(pk=run_id).update(task_id=str(task_id or "")[:64])


class RunProgress:
    """Progress, heartbeat and messages of a running run, written at most every `min_interval` seconds.

    Connectors call `set_total`, `advance`, `phase`; each write also refreshes the heartbeat. An optional
    listener (the management commands' progress bar) is told about every change, unthrottled.
    """

    def __init__(self, run: SyncRun, *, listener: ProgressListener | None = None, min_interval: float = 1.0):
        self.run = run
        self.listener = listener
        self.min_interval = min_interval
        self._last_write = 0.0

    def set_total(self, total: int | None) -> None:
        self.run.progress_total = total
        self._changed("", force=True)

    def advance(self, count: int = 1) -> None:
        self.run.progress_done += count
        self._changed("")

    def phase(self, message: str, done: int | None = None, total: int | None = None) -> None:
        if total is not None:
            self.run.progress_total = total
        if done is not None:
            self.run.progress_done = done
        self.run.details = {**self.run.details, "phase": message}
        self._changed(message, force=False)

    def heartbeat(self) -> None:
        self._changed("")

    def _changed(self, message: str, force: bool = False) -> None:
        if self.listener is not None:
            self.listener(self.run, message)
        now = time.monotonic()
        if not force and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        self.run.heartbeat_at = timezone.now()
        SyncRun.objects.filter(pk=self.run.pk).update(
            progress_done=self.run.progress_done, progress_total=self.run.progress_total,
            heartbeat_at=self.run.heartbeat_at, details=self.run.details,
        )


def execute_run(run_id: int, *, listener: ProgressListener | None = None) -> SyncRun:
    """Claim a queued run, run its connector and record the outcome. Never raises for connector failures."""
    now = timezone.now()
    claimed = SyncRun.objects.filter(pk=run_id, status=SyncStatus.QUEUED).update(
        status=SyncStatus.RUNNING, started_at=now, heartbeat_at=now)
    run = SyncRun.objects.select_related("account").get(pk=run_id)
    if not claimed:
        logger.warning("sync run not started: not queued", extra={"run_id": run_id, "status": run.status})
        return run
    account = run.account
    connector = get_connector(account.kind, run.stream)
    progress = RunProgress(run, listener=listener)
    if listener is not None:
        listener(run, "started")
    try:
        if connector is None:
            raise IntegrationError(f"no connector syncs stream {run.stream!r} for kind {account.kind!r}",
                                   account=account.name)
        if not account.enabled:
            raise IntegrationError("the account was disabled after the run was queued", account=account.name)
        _check_stored_options(account)
        outcome = connector(run, account, progress)
    except IntegrationError as exc:
        logger.warning("sync run failed", extra={"run_id": run.pk, "account": account.name, "stream": run.stream,
                                                 "error": str(exc)})
        return _finish(run, SyncStatus.FAILED, error=str(exc), listener=listener)
    except (OperationalError, InterfaceError) as exc:
        logger.exception("sync run lost its database connection",
                         extra={"run_id": run.pk, "account": account.name, "stream": run.stream})
        _drop_broken_connection()
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        return _finish(run, SyncStatus.FAILED, listener=listener, error=(
            f"{account.name}: the database connection was lost during the sync ({type(exc).__name__}: "
            f"{first_line}). Nothing of this run was stored; run it again once the database is reachable."))
    except Exception as exc:  # noqa: BLE001 - a bug must still end the run, with the trace in the log
        logger.exception("sync run crashed", extra={"run_id": run.pk, "account": account.name, "stream": run.stream})
        return _finish(run, SyncStatus.FAILED, listener=listener, error=(
            f"{account.name}: unexpected error {type(exc).__name__}: {str(exc)[:300]}. Nothing of this run was "
            "stored. This is a bug or an unexpected answer; the traceback is in the worker log (run "
            f"#{run.pk})."))
    status = SyncStatus.PARTIAL if (outcome.failed or outcome.error) else SyncStatus.SUCCEEDED
    return _finish(run, status, outcome=outcome, listener=listener)


def _drop_broken_connection() -> None:
    """Close a connection the database has dropped (restart, failover, killed backend) so the next query reconnects.

    Django only does this between requests; a worker or command must do it itself, or it cannot even record that
    the run failed and the run stays "running". Inside a transaction nothing can be done: the caller's atomic
    block handles it.
    """
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _finish(run: SyncRun, status: str, *, outcome: SyncOutcome | None = None, error: str = "",
            listener: ProgressListener | None = None) -> SyncRun:
    run.status = status
    run.finished_at = run.heartbeat_at = timezone.now()
    run.error = error or (outcome.error if outcome else "")
    fields = ["status", "finished_at", "heartbeat_at", "error", "details"]
    details = {k: v for k, v in run.details.items() if k != "phase"}
    if outcome is not None:
        run.rows_read, run.rows_created, run.rows_updated = outcome.read, outcome.created, outcome.updated
        run.rows_unchanged, run.rows_skipped, run.rows_failed = outcome.unchanged, outcome.skipped, outcome.failed
        details.update(outcome.details)
        fields += ["rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_skipped", "rows_failed"]
        run.progress_total = max(run.progress_total or 0, run.progress_done, outcome.read)
        run.progress_done = run.progress_total  # finished: the bar is full, whatever the last throttled write said
    fields += ["progress_done", "progress_total"]
    run.details = details
    run.save(update_fields=fields)
    logger.info("sync run finished", extra={"run_id": run.pk, "account": run.account.name, "stream": run.stream,
                                            "status": status, "read": run.rows_read, "created": run.rows_created,
                                            "updated": run.rows_updated, "unchanged": run.rows_unchanged})
    if listener is not None:
        listener(run, "finished")
    return run


def run_sync_now(account: IntegrationAccount, stream: str, mode: str = SyncMode.FULL,
                 trigger: str = SyncTrigger.COMMAND, *, listener: ProgressListener | None = None
                 ) -> tuple[SyncRun, bool]:
    """For commands: start and execute in this process. Returns (run, executed); an active run is not touched."""
    run, created = start_sync(account, stream, mode, trigger)
    if not created:
        return run, False
    return execute_run(run.pk, listener=listener), True


def mark_stale_runs(now: datetime | None = None, stale_after: timedelta = STALE_AFTER,
                    never_started_after: timedelta = NEVER_STARTED_AFTER) -> int:
    """Fail runs whose worker died (no heartbeat) or that no worker ever picked up, so new ones can start."""
    now = now or timezone.now()
    dead = SyncRun.objects.filter(status=SyncStatus.RUNNING).filter(
        Q(heartbeat_at__lt=now - stale_after) | Q(heartbeat_at__isnull=True, started_at__lt=now - stale_after))
    count = 0
    for run in dead.select_related("account"):
        last = run.heartbeat_at or run.started_at
        failed = SyncRun.objects.filter(pk=run.pk, status=SyncStatus.RUNNING).update(
            status=SyncStatus.FAILED, finished_at=now,
            error=(f"{run.account.name}: the worker stopped responding (last heartbeat at "
                   f"{last:%Y-%m-%d %H:%M:%S} UTC). Nothing of this run was stored; trigger the sync again, "
                   "and if it recurs check the background worker (qcluster) logs."))
        count += _announce_failure(run.pk, failed)
    for run in SyncRun.objects.filter(status=SyncStatus.QUEUED, created_at__lt=now - never_started_after
                                      ).select_related("account"):
        failed = SyncRun.objects.filter(pk=run.pk, status=SyncStatus.QUEUED).update(
            status=SyncStatus.FAILED, finished_at=now,
            error=(f"{run.account.name}: the run was queued at {run.created_at:%Y-%m-%d %H:%M} UTC and never "
                   "started. Is the background worker (`manage.py qcluster`) running?"))
        count += _announce_failure(run.pk, failed)
    if count:
        logger.warning("stale sync runs failed", extra={"count": count})
    return count


def _announce_failure(run_id: int, failed: int) -> int:
    """A run the sweep failed mails like any failed run (the update() above sends no post_save)."""
    if failed:
        from integrations.services.notifications import notify_after_commit

        notify_after_commit(run_id)
    return failed


def enqueue_due_org_syncs(now: datetime | None = None) -> list[SyncRun]:
    """The daily org sync: for each enabled account with an org connector whose full_sync_at hour is now."""
    from integrations.registry import kinds_with_stream

    now = now or timezone.now()
    started = []
    accounts = IntegrationAccount.objects.filter(
        enabled=True, full_sync_enabled=True, kind__in=kinds_with_stream(SyncStream.ORG))
    for account in accounts:
        if account.full_sync_at.hour != now.hour:
            continue
        run, created = enqueue_sync(account, SyncStream.ORG, SyncMode.FULL, SyncTrigger.SCHEDULE)
        if created:
            started.append(run)
    return started


def _check_stored_options(account: IntegrationAccount) -> None:
    """A row stored before options had a schema fails its run with a message naming the option, not a crash."""
    from integrations.errors import ConfigurationError
    from integrations.options import OptionsError, checked_options

    try:
        checked_options(account)
    except OptionsError as exc:
        raise ConfigurationError(f"the account's options are invalid ({exc})", account=account.name) from None
