"""Sync run lifecycle: claim (at most one active run per account and stream), execute, progress, stale runs.

Entry points never call these steps themselves: they go through the one door,
`integrations.services.sync.sync_account`, which claims with `start_sync` and runs with `execute_run` (inline, or
in the django-q2 task `integrations.tasks.run_sync`).

The "one queued/running run per account+stream" rule is the database's partial UNIQUE constraint, so it
holds on SQLite and PostgreSQL alike, across processes: `start_sync` simply tries to insert and, on
IntegrityError, returns the run that is already active.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import Conflict
from core.jobs import (
    RunProgress,
    claim_active,
    mark_running,
    register_stale_sweep,
    sweep_stale_runs,
)
from integrations.choices import SyncMode, SyncStatus, SyncStream, SyncTrigger
from integrations.errors import IntegrationError
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, get_connector, streams_for_kind

logger = logging.getLogger("integrations")

STALE_AFTER = timedelta(minutes=15)  # no heartbeat for this long → the worker is gone
NEVER_STARTED_AFTER = timedelta(hours=6)  # queued this long → no worker is consuming the queue

ProgressListener = Callable[[SyncRun, str], None]


class SyncNotAllowed(Conflict):
    """The account cannot be synced now (disabled); the API answers 409 with this text."""

    code = "sync_not_allowed"
    hint = gettext_lazy("Enable the account in the admin (Integrations → Accounts), then sync again.")

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.message, "code": self.code}


def validate_sync_request(account: IntegrationAccount, stream: str, mode: str) -> None:
    """ValidationError naming the field (stream/mode) when the account's connector cannot do this."""
    supported = streams_for_kind(account.kind)
    if stream not in SyncStream.values or stream not in supported:
        raise ValidationError({"stream": [
            gettext("%(stream)r is not a stream account %(account)r (%(kind)s) can sync; choose one of: "
                    "%(value)s.") % {
                "stream": stream,
                "account": account.name,
                "kind": account.kind,
                "value": ', '.join(supported) or 'none (no connector yet)',
            }
        ]})
    if mode not in SyncMode.values:
        raise ValidationError({"mode": [gettext("%(mode)r is not a sync mode; choose one of: %(values)s.") % {
                                            "mode": mode,
                                            "values": ', '.join(SyncMode.values),
                                        }]})
    if not account.enabled:
        raise SyncNotAllowed(gettext("Account %(account)r is disabled (enabled=false); enable it before "
                                     "syncing.") % {"account": account.name})


def start_sync(
    account: IntegrationAccount,
    stream: str,
    mode: str = SyncMode.FULL,
    trigger: str = SyncTrigger.API,
    params: dict[str, Any] | None = None,
) -> tuple[SyncRun, bool]:
    """Create a queued run, or return the account's active run for this stream: (run, created).

    The claim step of the one door (`services.sync.sync_account`); a trigger calls the door, not this.
    """
    validate_sync_request(account, stream, mode)
    # The constraint one_active_sync_per_account_stream decides; a dead active run (stale heartbeat) is failed
    # on the way, so a trigger never hands back a run whose worker is gone.
    run, created = claim_active(SyncRun, {"account": account, "stream": stream},
                                {"mode": mode, "trigger": trigger, "params": params or {}, "status": SyncStatus.QUEUED})
    if created:
        logger.info("sync run queued", extra={"run_id": run.pk, "account": account.name, "stream": stream,
                                              "mode": mode, "trigger": trigger})
    return run, created


def execute_run(run_id: int, *, listener: ProgressListener | None = None) -> SyncRun:
    """Claim a queued run, run its connector and record the outcome. Never raises for connector failures."""
    run = SyncRun.objects.select_related("account").get(pk=run_id)
    if not mark_running(run):
        logger.warning("sync run not started: not queued", extra={"run_id": run_id, "status": run.status})
        return run
    account = run.account
    connector = get_connector(account.kind, run.stream)
    progress = RunProgress(run, listener=(lambda stage, done, total: listener(run, stage)) if listener else None)
    if listener is not None:
        listener(run, "started")
    try:
        if connector is None:
            raise IntegrationError(gettext("no connector syncs stream %(stream)r for kind %(kind)r") % {
                                       "stream": run.stream,
                                       "kind": account.kind,
                                   },
                                   account=account.name)
        if not account.enabled:
            raise IntegrationError(gettext("the account was disabled after the run was queued"), account=account.name)
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
    details = dict(run.details)
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


def stale_run_message(run: SyncRun) -> str:
    """The error a sync run gets when its worker died (or no worker ever picked it up)."""
    name = SyncRun.objects.filter(pk=run.pk).values_list("account__name", flat=True).first() or "?"
    if run.status == SyncStatus.QUEUED:
        return (f"{name}: the run was queued at {run.created_at:%Y-%m-%d %H:%M} UTC and never started. "
                "Is the background worker (`manage.py qcluster`) running?")
    last = run.heartbeat_at or run.started_at or run.created_at
    return (f"{name}: the worker stopped responding (last heartbeat at {last:%Y-%m-%d %H:%M:%S} UTC). Nothing of "
            "this run was stored; trigger the sync again, and if it recurs check the background worker (qcluster) "
            "logs.")


def announce_stale_failure(run: SyncRun) -> None:
    """A run the sweep failed mails like any failed run (the sweep's update() sends no post_save)."""
    from integrations.services.notifications import notify_after_commit

    notify_after_commit(run.pk)


def register_sweep() -> None:
    """Sync runs in the one stale-run sweep (core.tasks.sweep_stale_runs); called from AppConfig.ready."""
    register_stale_sweep(SyncRun, stale_after=STALE_AFTER, never_started_after=NEVER_STARTED_AFTER,
                         message=stale_run_message, on_failed=announce_stale_failure)


def mark_stale_runs(now: datetime | None = None) -> int:
    """Fail sync runs whose worker died (no heartbeat) or that no worker ever picked up, so new ones can start."""
    count = sweep_stale_runs(now, models=[SyncRun]).get(SyncRun._meta.label, 0)
    if count:
        logger.warning("stale sync runs failed", extra={"count": count})
    return count
def _check_stored_options(account: IntegrationAccount) -> None:
    """A row stored before options had a schema fails its run with a message naming the option, not a crash."""
    from integrations.errors import ConfigurationError
    from integrations.options import OptionsError, checked_options

    try:
        checked_options(account)
    except OptionsError as exc:
        raise ConfigurationError(gettext("the account's options are invalid (%(exc)s)") % {"exc": exc},
                                 account=account.name) from None
