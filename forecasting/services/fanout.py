"""The nightly forecast fanned out over the company's forecast scopes, on the existing job system.

:func:`start_batch` splits the company into its active scopes (or "everything" when none are configured),
records one queued run per scope under a :class:`ForecastBatch`, and queues each as a django-q2 task in one
group: any number of ``qcluster`` workers, on any number of machines sharing the broker (Redis in
production), pick them up side by side — active scopes are disjoint, so their runs never conflict. Each
run's end rolls up into the batch (:func:`roll_up`): progress, and "2 of 8 scopes failed: …".

The schedule, ``manage.py train_forecast --all-scopes`` and the API all call :func:`start_batch`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.errors import Conflict
from core.jobs import (
    ACTIVE_STATUSES,
    JobStatus,
    enqueue_after_commit,
    fail_if_stale,
    mark_finished,
    register_stale_sweep,
    worker_time_limit,
)
from forecasting.models import ForecastBatch, ModelRun
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.services.errors import ForecastingError
from forecasting.services.runs import create_run, engine_overrides, train_and_forecast, validate_horizon
from forecasting.services.scopes import EVERYTHING

logger = logging.getLogger("forecasting")

MEMBER_TASK = "forecasting.tasks.run_batch_member"
FAILED_NAMES_SHOWN = 5


def _name(scope: ScopeUnit | None) -> str:
    return scope.name if scope is not None else EVERYTHING


def batch_scopes(names: Iterable[str] | None = None) -> list[ScopeUnit | None]:
    """The units of a batch: the named scopes, else every active scope, else [None] ("everything")."""
    if names is not None:
        from forecasting.services.scopes import resolve_scope_unit

        return [resolve_scope_unit(name, field="scope") for name in names]
    scopes: list[ScopeUnit | None] = list(ScopeUnit.objects.filter(active=True).order_by("name"))
    return scopes or [None]


def start_batch(
    *,
    horizon: int = 28,
    scopes: Iterable[ScopeUnit | None] | None = None,
    parameters: Mapping | None = None,
    trigger: str = "schedule",
    user=None,
    inline: bool = False,
) -> ForecastBatch:
    """Record a batch and one queued run per scope, then queue them as one django-q2 group (``inline``: run
    them here one after the other, for a command without workers).

    A scope whose run cannot start (an overlapping run is active, no history) is recorded on the batch as
    failed with the reason; the others go ahead. 409 while another batch is queued or running.
    """
    horizon = validate_horizon(horizon)
    overrides = engine_overrides(parameters)
    units = list(scopes) if scopes is not None else batch_scopes()
    try:
        with transaction.atomic():
            batch = ForecastBatch.objects.create(
                trigger=trigger,
                horizon=horizon,
                scopes_total=len(units),
                progress_total=len(units),
                status=JobStatus.RUNNING,
                started_at=timezone.now(),
                heartbeat_at=timezone.now(),
                created_by=user if getattr(user, "is_authenticated", False) else None,
                stage=f"{len(units)} scope(s) queued",
            )
    except IntegrityError:
        busy = ForecastBatch.objects.filter(status__in=ACTIVE_STATUSES).first()
        if busy is not None and fail_if_stale(busy):
            return start_batch(
                horizon=horizon, scopes=units, parameters=parameters, trigger=trigger, user=user, inline=inline
            )
        raise Conflict(
            f"forecast batch #{getattr(busy, 'pk', '?')} is still running; wait for it to finish",
            code="batch_in_progress",
            extra={"batch_id": getattr(busy, "pk", None)},
        ) from None
    outcome: dict[str, dict] = {}
    queued: list[ModelRun] = []
    for unit in units:
        try:
            run = create_run(horizon=horizon, parameters=overrides, forecast_scope=unit, batch=batch, user=user)
        except ForecastingError as exc:  # an overlapping run is active: this scope waits for tomorrow
            outcome[_name(unit)] = {"run": None, "status": "failed", "error": exc.message}
            continue
        outcome[_name(unit)] = {"run": run.pk, "status": run.status, "error": ""}
        queued.append(run)
    ForecastBatch.objects.filter(pk=batch.pk).update(outcome=outcome)
    batch.outcome = outcome
    if inline:
        for run in queued:
            run_member(run.pk)
    else:
        for run in queued:
            enqueue_after_commit(
                MEMBER_TASK, run.pk, run=run, group=batch.group, task_name=f"forecast-batch-{batch.pk}-run-{run.pk}"
            )
    if not queued:
        roll_up(batch.pk)
    batch.refresh_from_db()
    return batch


def run_member(run_id: int) -> int:
    """Execute one scope's run of a batch and roll its end up into the batch; a failure stays on the run."""
    run = ModelRun.objects.select_related("forecast_scope").get(pk=run_id)
    try:
        train_and_forecast(run=run)
    except ForecastingError as exc:
        logger.warning("batch scope failed", extra={"run": run_id, "error": str(exc)})
    except Exception:  # noqa: BLE001 - recorded on the run by the service; the batch must still roll up
        logger.exception("batch scope failed", extra={"run": run_id})
    finally:
        if run.batch_id:
            roll_up(run.batch_id)
    return run_id


def roll_up(batch_id: int) -> ForecastBatch:
    """Recount a batch from its runs (under a row lock: runs end on several workers at once); finish it
    when none is left active, with a message naming the failed scopes."""
    with transaction.atomic():
        batch = ForecastBatch.objects.select_for_update().get(pk=batch_id)
        outcome = dict(batch.outcome or {})
        for run in ModelRun.objects.filter(batch_id=batch_id).select_related("forecast_scope"):
            outcome[_name(run.forecast_scope)] = {"run": run.pk, "status": run.status, "error": run.error[:500]}
        failed = {name: o for name, o in outcome.items() if o["status"] not in (*ACTIVE_STATUSES, "succeeded")}
        succeeded = sum(1 for o in outcome.values() if o["status"] == "succeeded")
        active = sum(1 for o in outcome.values() if o["status"] in ACTIVE_STATUSES)
        now = timezone.now()
        values = {
            "outcome": outcome,
            "scopes_succeeded": succeeded,
            "scopes_failed": len(failed),
            "progress_done": succeeded + len(failed),
            "heartbeat_at": now,
            "stage": ngettext(
                "%(done)d of %(total)d scope done, %(failed)d failed",
                "%(done)d of %(total)d scopes done, %(failed)d failed",
                batch.scopes_total,
            ) % {"done": succeeded + len(failed), "total": batch.scopes_total, "failed": len(failed)},
        }
        ForecastBatch.objects.filter(pk=batch_id).update(**values)
        for key, value in values.items():
            setattr(batch, key, value)
        if not active and batch.status in ACTIVE_STATUSES:
            if not failed:
                status, error = JobStatus.SUCCEEDED, ""
            else:
                status = JobStatus.FAILED if not succeeded else JobStatus.PARTIAL
                shown = "; ".join(
                    f"{name} ({o['error'].splitlines()[0][:200] if o['error'] else o['status']})"
                    for name, o in list(failed.items())[:FAILED_NAMES_SHOWN]
                )
                if len(failed) > FAILED_NAMES_SHOWN:
                    shown += gettext("; and %(count)d more") % {"count": len(failed) - FAILED_NAMES_SHOWN}
                # the noun agrees with the total ("1 of 1 scope", "2 of 8 scopes"; Russian "из 8 областей")
                error = ngettext(
                    "%(failed)d of %(total)d scope failed: %(names)s",
                    "%(failed)d of %(total)d scopes failed: %(names)s",
                    batch.scopes_total,
                ) % {"failed": len(failed), "total": batch.scopes_total, "names": shown}
            mark_finished(batch, status, error=error, stage="done")
            logger.info("forecast batch finished", extra={"batch": batch_id, "status": status})
    return batch


def register_sweeps() -> None:
    """Batches in the one stale-run sweep, and a swept run of a batch rolls the batch up (AppConfig.ready).

    A batch beats at every scope's end; scopes run one job each, so twice the job limit without one means
    its workers are gone."""
    from forecasting.services.runs import stale_run_message

    register_stale_sweep(
        ModelRun, stale_after=worker_time_limit(), message=stale_run_message, on_failed=roll_up_after_sweep
    )
    register_stale_sweep(ForecastBatch, stale_after=2 * worker_time_limit())


def roll_up_after_sweep(run: ModelRun) -> None:
    """The stale-run sweep failed a run of a batch (its worker died): the batch must still finish."""
    batch_id = ModelRun.objects.filter(pk=run.pk).values_list("batch_id", flat=True).first()
    if batch_id:
        roll_up(batch_id)


__all__ = ["batch_scopes", "register_sweeps", "roll_up", "roll_up_after_sweep", "run_member", "start_batch"]
