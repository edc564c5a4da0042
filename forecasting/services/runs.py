"""Training and forecasting runs: load history, train (and backtest), forecast, store, all on a ModelRun.

A run is the unit a person looks at in the admin to answer "what happened at 03:30 and why": it carries
status, stage and progress while it works, then the data window and fingerprint, parameters, features,
feature importance, backtest metrics, timings, the stored model, and the error if it failed. Forecast
rows and the run's "succeeded" state are written in one transaction, so a failed run never leaves half
its forecasts behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.jobs import RunProgress, enqueue_after_commit, sweep_stale_runs, worker_time_limit
from forecasting import engine
from forecasting.choices import Algorithm, RunKind, RunStatus
from forecasting.models import Forecast, ModelRun, SeriesMethod
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.services.artifacts import delete_model_file, load_model_bytes, store_model
from forecasting.services.backends import engine_trainer
from forecasting.services.errors import ForecastingError, InvalidParameter, NoHistory
from forecasting.services.events import emit_run_finished
from forecasting.services.history import History, load_history
from forecasting.services.scope import ForecastScope, as_scope
from forecasting.services.scopes import claim_run, conflicting_run, filters_of, refusal
from sales.models import DailySale

logger = logging.getLogger("forecasting")

Progress = Callable[[str, int, int], None]

MAX_HORIZON = 366
MAX_BACKTEST_FOLDS = 20
WRITE_BATCH_SIZE = 20_000
PROGRESS_SAVE_SECONDS = 1.0
# Set per run from the data and the policy table, never by a caller.
MANAGED_PARAMETERS = frozenset({"horizon", "missing_policy", "missing_policy_by_location", "drivers"})
# Recorded with the parameters but not engine parameters: the backend that trained the run (FORECAST_ENGINE_BACKEND)
RUN_FACTS = frozenset({"backend"})
BACKTEST_MODELS = ("lightgbm", "seasonal_naive", "moving_average")


# -- validation --------------------------------------------------------------------------------------------


def _positive_int(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        try:
            value = int(str(value))
        except ValueError:
            raise InvalidParameter(gettext("%(field)s: must be a whole number, got %(value)r") % {
                                       "field": field,
                                       "value": value,
                                   }, field=field) from None
    if not low <= int(value) <= high:
        raise InvalidParameter(gettext("%(field)s: must be between %(low)s and %(high)s, got %(value)s") % {
                                   "field": field,
                                   "low": low,
                                   "high": high,
                                   "value": value,
                               }, field=field)
    return int(value)


def validate_horizon(horizon: object) -> int:
    return _positive_int("horizon", horizon, 1, MAX_HORIZON)


def validate_folds(folds: object, *, low: int = 0, field: str = "backtest_folds") -> int:
    return _positive_int(field, folds, low, MAX_BACKTEST_FOLDS)


def engine_overrides(parameters: Mapping | None) -> dict:
    """Caller-chosen engine parameters, checked against the engine (400-able errors name the parameter)."""
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise InvalidParameter(gettext("parameters: must be an object of engine parameters"), field="parameters")
    managed = sorted(set(parameters) & MANAGED_PARAMETERS)
    if managed:
        raise InvalidParameter(
            gettext("parameters: %(managed)s are set by the run itself (horizon by its own field, "
                    "missing-day policy per location in the admin, drivers from the data); remove them") % {
                "managed": managed,
            },
            field="parameters",
        )
    try:
        engine.make_config(dict(parameters))
    except engine.EngineError as exc:
        raise InvalidParameter(f"parameters: {exc}", field="parameters") from None
    return dict(parameters)


def reusable_overrides(run: ModelRun) -> dict:
    """The engine parameters of a past run, minus those a new run sets for itself."""
    return {k: v for k, v in (run.parameters or {}).items() if k not in MANAGED_PARAMETERS | RUN_FACTS}


# -- progress and failure ----------------------------------------------------------------------------------


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, (ForecastingError, engine.EngineError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _as_forecasting_error(exc: BaseException) -> BaseException:
    """Engine errors become ForecastingError naming the same field, so callers catch one type."""
    if isinstance(exc, engine.EngineError):
        message = str(exc)
        field = message.split(":", 1)[0] if ":" in message else None
        return ForecastingError(message, field=field if field and " " not in field else None)
    return exc


def _mark_failed(run: ModelRun, exc: BaseException) -> None:
    run.status = RunStatus.FAILED
    run.error = _error_text(exc)[:10_000]
    run.finished_at = timezone.now()
    run.stage = f"failed during {run.stage}"[:200] if run.stage else "failed"
    # The data window is kept too: "what did it try to train on" is half of "why did it fail".
    ModelRun.objects.filter(pk=run.pk).update(
        status=run.status, error=run.error, finished_at=run.finished_at, stage=run.stage,
        data_start=run.data_start, data_end=run.data_end, data_fingerprint=run.data_fingerprint,
        series_count=run.series_count,
    )
    emit_run_finished(run)
    if isinstance(exc, (ForecastingError, engine.EngineError)):
        logger.warning("forecast run failed", extra={"run": run.pk, "error": run.error})
    else:
        logger.exception("forecast run failed", extra={"run": run.pk})


def _mark_running(run: ModelRun) -> None:
    run.status, run.stage, run.error = RunStatus.RUNNING, "load", ""
    run.started_at = run.heartbeat_at = timezone.now()
    run.save(update_fields=["status", "started_at", "heartbeat_at", "stage", "error"])


# -- writing -----------------------------------------------------------------------------------------------


def _write_forecasts(run: ModelRun, frame: pd.DataFrame, progress: Progress) -> int:
    """Insert the engine's forecast frame as Forecast rows of ``run`` (the caller holds the transaction).

    PostgreSQL gets the rows through ``COPY … FROM STDIN`` (about 3× faster than bulk INSERTs on a nightly
    run's ~100k rows); other databases through ``bulk_create``. Either way, in chunks with progress.
    """
    total = len(frame)
    progress("write", 0, total)
    rows = pd.DataFrame(
        {
            "run_id": run.pk,
            "location_id": frame["location"].astype(np.int64).to_numpy(),
            "product_id": frame["product"].astype(np.int64).to_numpy(),
            "date": pd.to_datetime(frame["date"]).dt.date.to_numpy(),
        }
        | {k: np.round(frame[k].to_numpy(np.float64), 4) for k in ("yhat", "p10", "p50", "p90")}
    )
    connection = connections[router.db_for_write(Forecast)]
    for start in range(0, total, WRITE_BATCH_SIZE):
        chunk = rows.iloc[start : start + WRITE_BATCH_SIZE]
        if connection.vendor == "postgresql":
            _copy_forecasts(connection, chunk)
        else:
            Forecast.objects.bulk_create(
                [Forecast(**values) for values in chunk.to_dict("records")], batch_size=WRITE_BATCH_SIZE
            )
        progress("write", start + len(chunk), total)
    return total


def _copy_forecasts(connection, chunk: pd.DataFrame) -> None:
    quote = connection.ops.quote_name
    table, columns = quote(Forecast._meta.db_table), ", ".join(quote(c) for c in chunk.columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(chunk.to_csv(header=False, index=False))


def method_counts(per_series: pd.DataFrame) -> dict[str, int]:
    """Series per ``method`` (``method/reason`` where the model was not trusted), most common first."""
    label = per_series["method"].where(per_series["reason"] == "", per_series["method"] + "/" + per_series["reason"])
    return {str(k): int(v) for k, v in label.value_counts().items()}


def _series_methods(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per series of the engine's forecast frame: location, product, method, reason."""
    if "method" not in frame.columns:
        return pd.DataFrame(columns=["location", "product", "method", "reason"])
    return frame.groupby(["location", "product"], sort=False, as_index=False)[["method", "reason"]].first()


def _write_series_methods(run: ModelRun, per_series: pd.DataFrame) -> None:
    SeriesMethod.objects.bulk_create(
        [
            SeriesMethod(run=run, location_id=int(loc), product_id=int(prod), method=method[:30], reason=reason[:30])
            for loc, prod, method, reason in per_series.itertuples(index=False)
        ],
        batch_size=WRITE_BATCH_SIZE,
    )


def _record_history(run: ModelRun, history: History) -> None:
    run.data_start, run.data_end = history.data_start, history.data_end
    run.data_fingerprint = history.fingerprint
    run.series_count = history.series_count


def _finish(run: ModelRun, forecasts: pd.DataFrame, progress: Progress, seconds: dict, fields: list[str]) -> None:
    """Write forecasts and mark the run succeeded, in one transaction."""
    started = time.perf_counter()
    per_series = _series_methods(forecasts)
    with transaction.atomic():
        run.forecast_count = _write_forecasts(run, forecasts, progress)
        _write_series_methods(run, per_series)
        run.method_counts = method_counts(per_series)
        if len(forecasts):
            dates = pd.to_datetime(forecasts["date"])
            run.forecast_start, run.forecast_end = dates.min().date(), dates.max().date()
        seconds["write"] = round(time.perf_counter() - started, 3)
        run.seconds = seconds
        run.status, run.stage, run.finished_at = RunStatus.SUCCEEDED, "done", timezone.now()
        run.progress_done = run.progress_total = run.forecast_count
        run.save(
            update_fields=[
                *fields, "forecast_count", "method_counts", "forecast_start", "forecast_end", "seconds", "status",
                "stage",
                "finished_at", "progress_done", "progress_total", "data_start", "data_end", "data_fingerprint",
                "series_count",
            ]
        )
        emit_run_finished(run)


# -- entry points ------------------------------------------------------------------------------------------


def _filters_for(unit: ScopeUnit | None, scope: ForecastScope | Mapping | None) -> ForecastScope:
    """A run on a configured scope reads exactly that scope (its forecasts are then its record)."""
    filters = as_scope(scope)
    if unit is None:
        return filters
    if not filters.is_everything and filters != filters_of(unit):
        raise InvalidParameter(
            gettext("scope: a run on forecast scope %(name)r reads that scope; leave location, product and "
                    "category empty") % {"name": unit.name}, field="scope",
        )
    return filters_of(unit)


def create_run(
    *,
    horizon: int = 28,
    scope: ForecastScope | Mapping | None = None,
    backtest_folds: int = 0,
    parameters: Mapping | None = None,
    user=None,
    kind: str = RunKind.TRAIN,
    status: str = RunStatus.QUEUED,
    forecast_scope: ScopeUnit | None = None,
    batch=None,
) -> ModelRun:
    """Validate a request and record it as a run (not started); 409 while an overlapping run is active."""
    return claim_run(
        forecast_scope,
        kind=kind,
        algorithm=Algorithm.LIGHTGBM,
        status=status,
        horizon=validate_horizon(horizon),
        backtest_folds=validate_folds(backtest_folds),
        scope=_filters_for(forecast_scope, scope).to_json(),
        parameters=engine_overrides(parameters),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **({"batch": batch} if batch is not None else {}),
    )


def active_run() -> ModelRun | None:
    """A training run that is queued or running and not older than the worker's time limit."""
    cutoff = timezone.now() - timedelta(seconds=int(settings.Q_CLUSTER.get("timeout") or 3 * 3600))
    return (
        ModelRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__gte=cutoff)
        .order_by("created_at")
        .first()
    )


def stale_run_message(run: ModelRun) -> str:
    minutes = int(worker_time_limit().total_seconds()) // 60
    return (f"The worker stopped before this run finished (no result within the {minutes}-minute job "
            "limit: killed, out of memory or restarted). Start the run again.")


def mark_stale_runs(now=None) -> int:
    """Fail runs left queued/running by a worker that died (killed, OOM, host restart)."""
    count = sweep_stale_runs(now, models=[ModelRun]).get(ModelRun._meta.label, 0)
    if count:
        logger.warning("stale forecast runs marked failed", extra={"runs": count})
    return count


def queue_training_run(
    *,
    horizon: int = 28,
    scope: ForecastScope | Mapping | None = None,
    backtest_folds: int = 0,
    parameters: Mapping | None = None,
    user=None,
    forecast_scope: ScopeUnit | None = None,
) -> ModelRun:
    """Validate, record a queued run and hand it to the worker once the transaction commits.

    Refuses (:class:`RunInProgress`) while a run on the same or an overlapping forecast scope is queued or
    running, and (:class:`NoHistory`) when the scope holds no sales at all, so the person asking learns it now
    rather than from a failed run. Runs on disjoint scopes are queued side by side.
    """
    filters = _filters_for(forecast_scope, scope)
    horizon, backtest_folds = validate_horizon(horizon), validate_folds(backtest_folds)
    parameters = engine_overrides(parameters)
    busy = conflicting_run(forecast_scope)
    if busy is not None:
        raise refusal(forecast_scope, busy)
    if not DailySale.objects.filter(filters.series_q()).exists():
        where = (gettext("forecast scope %(name)r") % {"name": forecast_scope.name}) if forecast_scope \
            else filters.describe()
        raise NoHistory(gettext("history: no daily sales for %(scope)s; load or sync sales first") % {
            "scope": where,
        }, field="history")
    run = create_run(horizon=horizon, scope=filters, backtest_folds=backtest_folds, parameters=parameters,
                     user=user, forecast_scope=forecast_scope)

    enqueue_after_commit("forecasting.tasks.run_training", run.pk, run=run, task_name=f"forecast-run-{run.pk}")
    return run


def train_and_forecast(
    *,
    horizon: int = 28,
    scope: ForecastScope | Mapping | None = None,
    backtest_folds: int = 0,
    progress: Progress | None = None,
    run: ModelRun | None = None,
    user=None,
    parameters: Mapping | None = None,
    forecast_scope: ScopeUnit | None = None,
) -> ModelRun:
    """Train the global model on all history in scope, optionally backtest it, forecast ``horizon`` days.

    With ``run`` (a queued run from :func:`queue_training_run`), that run is executed with the settings it
    recorded and the other arguments are ignored. Returns the succeeded run; on failure the run is marked
    failed with the error and the error is raised (:class:`ForecastingError` for bad data or parameters).
    """
    if run is None:
        run = create_run(
            horizon=horizon, scope=scope, backtest_folds=backtest_folds, parameters=parameters, user=user,
            status=RunStatus.RUNNING, forecast_scope=forecast_scope,
        )
    elif run.status != RunStatus.QUEUED:
        raise ForecastingError(gettext("run: run #%(run_id)s is %(status)s, not queued; start a new run") % {
                                   "run_id": run.pk,
                                   "status": run.status,
                               }, field="run")
    recorder = RunProgress(run, listener=progress)
    _mark_running(run)
    blob_name = ""
    try:
        seconds: dict[str, float] = {}
        history = load_history(as_scope(run.scope), horizon=run.horizon)
        seconds["load"] = history.seconds
        _record_history(run, history)
        recorder("load", 1, 1)
        config = engine.make_config(
            reusable_overrides(run), horizon=run.horizon, drivers=history.drivers, **history.engine_overrides()
        )
        if run.backtest_folds:
            started = time.perf_counter()
            run.metrics = backtest_history(history, config, run.backtest_folds, progress=recorder)
            seconds["backtest"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        with engine_trainer() as (backend, trainer):
            model = engine.train(history.frame, config, progress=recorder, trainer=trainer)
        seconds["train"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        forecasts = engine.predict(model, history.frame, history.future, horizon=run.horizon, progress=recorder)
        seconds["predict"] = round(time.perf_counter() - started, 3)
        seconds["engine"] = model.seconds
        run.parameters = {**config.to_dict(), "backend": backend}
        run.features = list(model.feature_names)
        run.feature_importance = dict(sorted(model.feature_importance.items(), key=lambda kv: -kv[1]))
        run.frequency = model.freq
        blob_name, run.model_sha256 = store_model(run, model.to_bytes())
        run.model_file.name = blob_name
        _finish(
            run, forecasts, recorder, seconds,
            ["parameters", "features", "feature_importance", "frequency", "metrics", "model_file", "model_sha256"],
        )
    except BaseException as exc:
        _mark_failed(run, exc)
        if blob_name:
            delete_model_file(blob_name, unless_used_by_other_than=run.pk)
            ModelRun.objects.filter(pk=run.pk).update(model_file="", model_sha256="")
        raise _as_forecasting_error(exc) from exc
    logger.info(
        "forecast run succeeded",
        extra={"run": run.pk, "series": run.series_count, "forecasts": run.forecast_count, "seconds": seconds},
    )
    return run


def forecast_with_run(
    run: ModelRun,
    *,
    horizon: int | None = None,
    scope: ForecastScope | Mapping | None = None,
    progress: Progress | None = None,
    user=None,
) -> ModelRun:
    """Forecast from the latest data with the model stored by ``run`` (no retraining) into a new run.

    Cheap between retrains: new sales move the forecast origin and the lags; the model, its parameters and
    its per-location missing-day policies stay those of training. Defaults: the source run's horizon and
    scope. Series the model has never seen are forecast with an unknown location/product id.
    """
    if run.status != RunStatus.SUCCEEDED:
        raise ForecastingError(gettext("run: run #%(run_id)s is %(status)s; use a succeeded training run") % {
                                   "run_id": run.pk,
                                   "status": run.status,
                               }, field="run")
    source = run.source_run if run.kind == RunKind.FORECAST and run.source_run_id else run
    model = engine.ForecastModel.from_bytes(load_model_bytes(source))
    horizon = validate_horizon(run.horizon if horizon is None else horizon)
    unit = source.forecast_scope
    scope = _filters_for(unit, source.scope if scope is None else scope)
    new = claim_run(
        unit,
        kind=RunKind.FORECAST,
        algorithm=source.algorithm,
        status=RunStatus.QUEUED,
        source_run=source,
        horizon=horizon,
        scope=scope.to_json(),
        parameters=source.parameters,
        features=source.features,
        feature_importance=source.feature_importance,
        frequency=source.frequency,
        model_file=source.model_file.name,
        model_sha256=source.model_sha256,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    recorder = RunProgress(new, listener=progress)
    _mark_running(new)
    try:
        seconds: dict[str, float] = {}
        history = load_history(scope, horizon=horizon, drivers=model.drivers)
        seconds["load"] = history.seconds
        _record_history(new, history)
        recorder("load", 1, 1)
        started = time.perf_counter()
        forecasts = engine.predict(model, history.frame, history.future, horizon=horizon, progress=recorder)
        seconds["predict"] = round(time.perf_counter() - started, 3)
        _finish(new, forecasts, recorder, seconds, [])
    except BaseException as exc:
        _mark_failed(new, exc)
        raise _as_forecasting_error(exc) from exc
    return new


def run_backtest(
    horizon: int = 28,
    folds: int = 3,
    scope: ForecastScope | Mapping | None = None,
    *,
    progress: Progress | None = None,
    parameters: Mapping | None = None,
    models: tuple[str, ...] = BACKTEST_MODELS,
) -> dict:
    """Rolling-origin backtest of LightGBM against the baselines on the history in scope (nothing stored).

    Returns the engine's report (``horizon``, ``folds``, ``series``, ``freq``, ``models`` → metrics,
    ``seconds``, ``per_fold``) plus ``data`` (window, rows, fingerprint, load seconds).
    """
    horizon, folds = validate_horizon(horizon), validate_folds(folds, low=1, field="folds")
    overrides = engine_overrides(parameters)
    # loaded exactly as a training run loads it (with the horizon), so the drivers are the same
    history = load_history(as_scope(scope), horizon=horizon)
    if progress is not None:
        progress("load", 1, 1)
    try:
        config = engine.make_config(overrides, horizon=horizon, drivers=history.drivers, **history.engine_overrides())
        return backtest_history(history, config, folds, models=models, progress=progress)
    except engine.EngineError as exc:
        raise _as_forecasting_error(exc) from exc


def backtest_history(
    history: History,
    config: engine.EngineConfig,
    folds: int,
    *,
    models: tuple[str, ...] = BACKTEST_MODELS,
    progress: Progress | None = None,
) -> dict:
    """The one backtest: a run's stored metrics and ``manage.py backtest`` both come from here.

    Same history loading, same engine config, same contenders, and the engine scores LightGBM after the
    same guards and fallbacks a production forecast gets, so the two can never disagree.
    """
    report = engine.backtest(history.frame, config, folds=folds, models=models, progress=progress)
    report["data"] = {
        "start": str(history.data_start),
        "end": str(history.data_end),
        "rows": history.row_count,
        "fingerprint": history.fingerprint,
        "load_seconds": history.seconds,
    }
    return report


def retrain(run: ModelRun, *, user=None) -> ModelRun:
    """Queue a new training run with the horizon, scope, folds and engine parameters of ``run``."""
    return queue_training_run(
        horizon=run.horizon,
        scope=run.scope,
        forecast_scope=run.forecast_scope,
        backtest_folds=run.backtest_folds,
        parameters=reusable_overrides(run),
        user=user,
    )


__all__ = [
    "BACKTEST_MODELS",
    "MAX_BACKTEST_FOLDS",
    "MAX_HORIZON",
    "NoHistory",
    "active_run",
    "backtest_history",
    "create_run",
    "method_counts",
    "forecast_with_run",
    "queue_training_run",
    "retrain",
    "run_backtest",
    "train_and_forecast",
]
