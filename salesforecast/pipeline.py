"""The main job: sync every enabled account → forecast → order proposals → monitoring snapshot.

Each step calls one app's service; this module only orders them and records what happened, so cron
(`manage.py run_main_job`), the demo and the scheduler run exactly the same thing. A failing step does not
stop the later ones (a failed sync still leaves yesterday's data to forecast on); the job as a whole fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("salesforecast")

Progress = Callable[[str, int, int | None], None]

STEPS = ("sync", "forecast", "proposals", "snapshot")


@dataclass
class StepResult:
    name: str
    ok: bool
    summary: str
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """One line for a command's output."""
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name:<10} {self.seconds:>7.1f}s  {self.summary}"


def parse_steps(text: str) -> tuple[str, ...]:
    """'sync, forecast' → ('sync', 'forecast'); ValueError naming unknown steps (empty text → no steps)."""
    steps = tuple(s.strip() for s in text.split(",") if s.strip())
    _check_steps(steps)
    return steps


def _check_steps(steps: tuple[str, ...]) -> None:
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; valid steps: {', '.join(STEPS)}")


def _sync_step(progress: Progress | None, mode: str) -> StepResult:
    runs = _sync_every_account(progress, mode)
    failed = [r for r in runs if r.status == "failed"]
    summary = f"{len(runs)} sync runs, {len(failed)} failed"
    details = {"runs": [{"id": r.pk, "account": r.account.name, "stream": r.stream, "status": r.status} for r in runs]}
    return StepResult("sync", not failed, summary, 0.0, details)


def _sync_every_account(progress: Progress | None, mode: str) -> list[Any]:
    """Every enabled account, every full-sync stream, inline and in order, through the one door; progress per
    account. A disabled or unsyncable stream is skipped by the door, so one account never stops the others."""
    from integrations.choices import SyncTrigger
    from integrations.models import IntegrationAccount
    from integrations.services.sync import sync_account

    accounts = list(IntegrationAccount.objects.filter(enabled=True).order_by("kind", "name"))
    runs = []
    for index, account in enumerate(accounts):
        if progress is not None:
            progress(f"sync {account.name}", index, len(accounts))
        runs += [started.run for started in sync_account(account, mode=mode, trigger=SyncTrigger.COMMAND)]
    if progress is not None:
        progress("sync", len(accounts), len(accounts))
    return runs


def _forecast_step(progress: Progress | None, mode: str) -> StepResult:
    from forecasting.services import train_and_forecast, update_accuracy
    from forecasting.services.fanout import batch_scopes, start_batch

    if batch_scopes() != [None]:  # forecast scopes are configured: each scope's record is refreshed
        batch = start_batch(trigger="main_job", inline=True)
        logged = update_accuracy(progress=progress)
        ok = batch.status == "succeeded"
        summary = f"batch #{batch.pk} {batch.status}: {batch.scopes_succeeded} of {batch.scopes_total} scopes"
        if not ok:
            summary += f" — {batch.error}"
        return StepResult("forecast", ok, summary, 0.0, {"batch_id": batch.pk, "accuracy_points": logged})
    run = train_and_forecast(progress=progress)
    logged = update_accuracy(progress=progress)
    ok = run.status == "succeeded"
    summary = f"run #{run.pk} {run.status}: {run.series_count} series × {run.horizon} days"
    if not ok:
        summary += f" — {run.error}"
    return StepResult("forecast", ok, summary, 0.0, {"run_id": run.pk, "accuracy_points": logged})


def _proposals_step(progress: Progress | None, mode: str) -> StepResult:
    from planning.services.proposals import propose_orders

    result = propose_orders(progress=progress, trigger="schedule")
    summary = (f"{result.proposals_created} proposals for {result.locations} locations "
               f"({result.with_quantity} to order: {result.buy} buy, {result.make} make, "
               f"{result.component_proposals} component) from forecast run #{result.forecast_run_id}")
    return StepResult("proposals", True, summary, 0.0, result.as_dict())


def _snapshot_step(progress: Progress | None, mode: str) -> StepResult:
    from monitoring.services.snapshots import build_and_persist_snapshot

    outcome = build_and_persist_snapshot(trigger="command")
    snapshot = outcome.snapshot
    summary = f"snapshot #{snapshot.pk} ({outcome.status})" if snapshot is not None else f"snapshot {outcome.status}"
    return StepResult("snapshot", True, summary, 0.0, {"status": outcome.status})


_STEP_FUNCTIONS: dict[str, Callable[[Progress | None, str], StepResult]] = {
    "sync": _sync_step,
    "forecast": _forecast_step,
    "proposals": _proposals_step,
    "snapshot": _snapshot_step,
}


def run_main_job(*, steps: tuple[str, ...] = STEPS, progress: Progress | None = None, sync_mode: str = "incremental",
                 on_step: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Run the given steps in order; every step runs even if an earlier one failed.

    `sync_mode`: "incremental" (from each stream's cursor; the nightly default) or "full" (a full refresh)."""
    _check_steps(steps)
    results: list[StepResult] = []
    for name in steps:
        started = time.perf_counter()
        try:
            result = _STEP_FUNCTIONS[name](progress, sync_mode)
        except Exception as exc:  # a step's failure is reported, and the job goes on
            logger.exception("main job step failed", extra={"step": name})
            result = StepResult(name, False, f"{type(exc).__name__}: {exc}", 0.0)
        result.seconds = round(time.perf_counter() - started, 2)
        logger.info("main job step", extra={"step": name, "ok": result.ok, "seconds": result.seconds})
        results.append(result)
        if on_step is not None:
            on_step(result)
    return results
