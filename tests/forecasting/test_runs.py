"""Training, forecasting and reuse runs with real LightGBM on small data (about a second per training)."""

import datetime as dt
import hashlib

import pytest

from forecasting import engine
from forecasting.choices import RunKind, RunStatus
from forecasting.models import Forecast, ModelRun
from forecasting.services import (
    ForecastingError,
    InvalidParameter,
    ModelUnavailable,
    NoHistory,
    forecast_with_run,
    resolve_scope,
    run_backtest,
    train_and_forecast,
)
from forecasting.services.runs import create_run
from tests.forecasting.conftest import END, FAST

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage, done, total):
        self.calls.append((stage, done, total))

    @property
    def stages(self) -> list[str]:
        seen: list[str] = []
        for stage, _, _ in self.calls:
            if stage not in seen:
                seen.append(stage)
        return seen


def test_train_and_forecast_records_everything_on_the_run(world, settings):
    world.standard()
    progress = Recorder()
    run = train_and_forecast(horizon=7, parameters=FAST, progress=progress)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.kind == RunKind.TRAIN
    assert run.error == "" and run.stage == "done"
    assert (run.data_start, run.data_end) == (END - dt.timedelta(days=89), END)
    assert (run.forecast_start, run.forecast_end) == (END + dt.timedelta(days=1), END + dt.timedelta(days=7))
    assert run.series_count == 4 and run.forecast_count == 28 == Forecast.objects.filter(run=run).count()
    assert run.frequency == "D" and len(run.data_fingerprint) == 64
    assert run.parameters["horizon"] == 7 and run.parameters["num_rounds"] == 30
    assert "day_of_week" in run.features
    shares = run.feature_importance.values()
    assert abs(sum(shares) - 1) < 1e-3 and all(share >= 0 for share in shares)
    assert {"load", "train", "predict", "write"} <= set(run.seconds)
    assert run.started_at <= run.finished_at
    # The model is stored under ARTIFACTS_ROOT, checksummed, and loads back in the engine.
    path = settings.ARTIFACTS_ROOT / run.model_file.name
    blob = path.read_bytes()
    assert hashlib.sha256(blob).hexdigest() == run.model_sha256
    assert engine.ForecastModel.from_bytes(blob).n_series == 4
    # Progress went through every stage, in order, to the write.
    stages = progress.stages
    assert stages[0] == "load" and stages[-1] == "write" and "train" in stages
    for point in Forecast.objects.filter(run=run):
        assert 0 <= point.p10 <= point.p50 <= point.p90 and point.yhat >= 0


def test_backtest_folds_store_metrics_on_the_run(world):
    world.standard()
    run = train_and_forecast(horizon=7, backtest_folds=2, parameters=FAST)
    assert set(run.metrics["models"]) == {"lightgbm", "seasonal_naive", "moving_average"}
    assert len(run.metrics["per_fold"]) == 2
    assert 0 < run.metrics["models"]["lightgbm"]["wape"] < 1
    assert "backtest" in run.seconds


def test_known_closed_day_is_forecast_as_zero_for_every_product_of_the_location(world):
    world.standard()
    closed = END + dt.timedelta(days=3)
    world.driver(world.store_a, closed, is_open=False)
    run = train_and_forecast(horizon=7, parameters=FAST)
    on_day = Forecast.objects.filter(run=run, date=closed)
    assert {(f.location_id, f.yhat, f.p90) for f in on_day.filter(location=world.store_a)} == {
        (world.store_a.pk, 0.0, 0.0)
    }
    assert all(f.yhat > 0 for f in on_day.exclude(location=world.store_a))


def test_single_series(world):
    world.sales(world.store_a, world.bread, days=60, seed=7)
    run = train_and_forecast(horizon=5, parameters=FAST)
    assert run.series_count == 1
    assert list(Forecast.objects.filter(run=run).values_list("location", "product").distinct()) == [
        (world.store_a.pk, world.bread.pk)
    ]


def test_scope_limits_the_run(world):
    world.standard(days=60)
    run = train_and_forecast(horizon=5, scope=resolve_scope(location="NORTH", category="FOOD"), parameters=FAST)
    assert run.scope == {"location": [world.region.pk], "category": [world.food.pk]}
    assert set(Forecast.objects.filter(run=run).values_list("location", "product").distinct()) == {
        (world.store_a.pk, world.bread.pk), (world.store_a.pk, world.milk.pk), (world.store_b.pk, world.bread.pk)
    }


def test_empty_database_fails_the_run_with_a_readable_error(db):
    with pytest.raises(NoHistory, match="no daily sales"):
        train_and_forecast(horizon=7)
    run = ModelRun.objects.get()
    assert run.status == RunStatus.FAILED and "no daily sales" in run.error
    assert run.finished_at is not None and not Forecast.objects.exists()


def test_too_little_history_is_an_engine_error_on_the_run(world):
    world.sales(world.store_a, world.bread, days=10)
    with pytest.raises(ForecastingError) as info:
        train_and_forecast(horizon=7, parameters=FAST)
    assert info.value.field == "history"
    run = ModelRun.objects.get()
    assert run.status == RunStatus.FAILED and "not enough history" in run.error
    assert not run.model_file
    assert run.data_end == END and run.series_count == 1  # what it tried to train on


def test_a_failure_while_writing_leaves_no_forecasts_and_no_model_file(world, settings):
    world.standard(days=60)

    def crash_after_first_batch(stage, done, total):
        if stage == "write" and done > 0:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        train_and_forecast(horizon=7, parameters=FAST, progress=crash_after_first_batch)
    run = ModelRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: disk full" and run.stage == "failed during write"
    assert run.forecast_count == 0 and not Forecast.objects.exists()
    assert run.model_file.name == "" and not list((settings.ARTIFACTS_ROOT / "models").rglob("*.gz"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": 400}, "horizon"),
        ({"backtest_folds": -1}, "backtest_folds"),
        ({"parameters": {"num_leaves": -3}}, "parameters"),
        ({"parameters": {"horizon": 3}}, "parameters"),
        ({"parameters": {"no_such_knob": 1}}, "parameters"),
        ({"scope": {"location": [424242]}}, "location"),
        ({"scope": {"shop": [1]}}, "scope"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(db, kwargs, field):
    with pytest.raises(InvalidParameter) as info:
        train_and_forecast(**kwargs)
    assert info.value.field == field
    assert not ModelRun.objects.exists()


def test_queued_run_executes_with_its_recorded_settings(world):
    world.standard(days=60)
    queued = create_run(horizon=4, scope={"location": [world.warehouse.pk]}, parameters=FAST)
    run = train_and_forecast(run=queued)
    assert run.pk == queued.pk and run.status == RunStatus.SUCCEEDED
    assert run.forecast_count == 4 and run.series_count == 1
    with pytest.raises(ForecastingError, match="not queued"):
        train_and_forecast(run=run)


def test_forecast_with_run_reuses_the_stored_model_on_newer_data(world, settings):
    world.standard(days=60, )
    trained = train_and_forecast(horizon=7, parameters=FAST)
    for location, product in [(world.store_a, world.bread), (world.store_a, world.milk), (world.store_b, world.bread),
                              (world.warehouse, world.cola)]:
        world.sales(location, product, days=3, end=END + dt.timedelta(days=3), seed=11)
    reused = forecast_with_run(trained, horizon=5)
    assert reused.kind == RunKind.FORECAST and reused.source_run_id == trained.pk
    assert reused.model_file.name == trained.model_file.name and reused.model_sha256 == trained.model_sha256
    assert reused.forecast_start == END + dt.timedelta(days=4) and reused.forecast_count == 4 * 5
    assert reused.data_end == END + dt.timedelta(days=3)
    assert "train" not in reused.seconds
    # Reusing a reuse run goes back to the model's training run.
    again = forecast_with_run(reused)
    assert again.source_run_id == trained.pk
    # Deleting a run that shares the file keeps it; deleting the last user removes it.
    path = settings.ARTIFACTS_ROOT / trained.model_file.name
    reused.delete()
    again.delete()
    assert path.exists()


def test_model_file_is_removed_with_its_last_run(world, settings, django_capture_on_commit_callbacks):
    world.sales(world.store_a, world.bread, days=60)
    trained = train_and_forecast(horizon=3, parameters=FAST)
    reused = forecast_with_run(trained)
    path = settings.ARTIFACTS_ROOT / trained.model_file.name
    with django_capture_on_commit_callbacks(execute=True):
        reused.delete()
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        trained.delete()
    assert not path.exists()


def test_forecast_with_run_refuses_runs_without_a_usable_model(world, settings):
    world.sales(world.store_a, world.bread, days=60)
    with pytest.raises(NoHistory):
        train_and_forecast(horizon=3, scope={"product": [world.milk.pk]})
    failed = ModelRun.objects.get(status=RunStatus.FAILED)
    with pytest.raises(ForecastingError, match="failed"):
        forecast_with_run(failed)
    trained = train_and_forecast(horizon=3, parameters=FAST)
    (settings.ARTIFACTS_ROOT / trained.model_file.name).unlink()
    with pytest.raises(ModelUnavailable, match="missing"):
        forecast_with_run(trained)


def test_run_backtest_report(world):
    world.standard(days=60)
    report = run_backtest(7, 2, resolve_scope(location="NORTH"), parameters=FAST)
    assert report["horizon"] == 7 and report["folds"] == 2 and report["series"] == 3
    assert set(report["models"]) == {"lightgbm", "seasonal_naive", "moving_average"}
    assert set(report["models"]["lightgbm"]) >= {"wape", "rmsse", "mae", "rmse", "bias", "coverage_80"}
    assert report["data"]["end"] == str(END)


@pytest.mark.parametrize(("args", "field"), [((0, 2), "horizon"), ((7, 0), "folds"), ((7, 99), "folds")])
def test_run_backtest_bad_parameters(db, args, field):
    with pytest.raises(InvalidParameter) as info:
        run_backtest(*args)
    assert info.value.field == field


def test_run_backtest_on_an_empty_database(db):
    with pytest.raises(NoHistory):
        run_backtest(7, 2)


@pytest.mark.slow
def test_the_engine_backend_setting_switches_who_trains_the_run(world, settings):
    """FORECAST_ENGINE_BACKEND=dask trains over a LocalCluster started for the run; the run records the backend."""
    world.standard()
    local = train_and_forecast(horizon=7, parameters=FAST)
    settings.FORECAST_ENGINE_BACKEND = "dask"
    settings.FORECAST_DASK_SCHEDULER = ""  # a LocalCluster for the run, no fixed ports
    settings.FORECAST_DASK_WORKERS = 2
    distributed = train_and_forecast(horizon=7, parameters=FAST)
    assert (local.parameters["backend"], distributed.parameters["backend"]) == ("local", "dask")
    assert distributed.status == RunStatus.SUCCEEDED and distributed.forecast_count == local.forecast_count == 28

    def machines(run: ModelRun) -> str:
        blob = (settings.ARTIFACTS_ROOT / run.model_file.name).read_bytes()
        booster = engine.ForecastModel.from_bytes(blob).boosters[0]
        return next(line for line in booster.splitlines() if line.startswith("[num_machines:"))

    assert (machines(local), machines(distributed)) == ("[num_machines: 1]", "[num_machines: 2]")
    # the backend is a fact of the run, not an engine parameter: a retrain or a caller cannot pass it on
    from forecasting.services.runs import reusable_overrides

    assert "backend" not in reusable_overrides(distributed)
    with pytest.raises(InvalidParameter):
        train_and_forecast(horizon=7, parameters={**FAST, "backend": "local"})
