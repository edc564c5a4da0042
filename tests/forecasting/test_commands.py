"""Forecasting commands: output shapes, exports, and bad input as CommandError."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from forecasting.choices import RunKind, RunStatus
from forecasting.models import ForecastAccuracyLog, ModelRun
from sales.models import DailySale
from tests.forecasting.conftest import END, FAST, make_run

pytestmark = pytest.mark.django_db
FAST_ARGS = [f"--param={k}={v}" for k, v in FAST.items()]
METRICS = {"wape", "rmsse", "mae", "rmse", "bias", "coverage_80"}


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_backtest_json_shape_is_exactly_the_documented_one(world):
    world.standard(days=60)
    out, _ = run_command("backtest", "--horizon", "7", "--folds", "2", "--json", *FAST_ARGS)
    report = json.loads(out)  # one JSON object, nothing else on stdout
    assert set(report) == {"horizon", "folds", "series", "models", "seconds"}
    assert (report["horizon"], report["folds"], report["series"]) == (7, 2, 4)
    assert set(report["models"]) == {"lightgbm", "seasonal_naive", "moving_average"}
    for metrics in report["models"].values():
        assert set(metrics) == METRICS
    assert set(report["seconds"]) == {"features", "train", "predict"}
    assert report["models"]["lightgbm"]["wape"] > 0


def test_backtest_table_and_scope(world):
    world.standard(days=60)
    out, _ = run_command("backtest", "--horizon", "7", "--folds", "1", "--location", "=WH", "--models",
                         "seasonal_naive,zero")
    assert "1 series" in out and "seasonal_naive" in out and "zero" in out and "lightgbm" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--folds", "0"], "folds"),
        (["--horizon", "0"], "horizon"),
        (["--location", "NOWHERE"], "location"),
        (["--category", "SWEETS"], "category"),
        (["--models", "prophet"], "--models"),
        (["--param", "num_leaves"], "--param"),
        (["--param", "num_leaves=-1"], "parameters"),
    ],
)
def test_backtest_bad_input_is_a_command_error(world, args, message):
    world.standard(days=30)
    with pytest.raises(CommandError, match=message):
        run_command("backtest", "--json", *args)


def test_backtest_on_empty_database(db):
    with pytest.raises(CommandError, match="no daily sales"):
        run_command("backtest", "--json")


def test_train_forecast_then_forecast_then_accuracy(world):
    world.standard(days=60)
    out, _ = run_command("train_forecast", "--horizon", "5", "--product", "BREAD", *FAST_ARGS)
    trained = ModelRun.objects.get()
    assert trained.status == RunStatus.SUCCEEDED and trained.forecast_count == 2 * 5
    assert f"Run #{trained.pk} succeeded" in out
    for location in (world.store_a, world.store_b):
        DailySale.objects.create(location=location, product=world.bread, date=END + dt.timedelta(days=1),
                                 quantity=Decimal(5))
    out, _ = run_command("forecast", "--run", "latest", "--horizon", "3")
    reused = ModelRun.objects.get(kind=RunKind.FORECAST)
    assert reused.source_run_id == trained.pk and reused.forecast_start == END + dt.timedelta(days=2)
    assert f"model of run #{trained.pk}" in out
    out, _ = run_command("update_accuracy")
    assert out.strip() == "2 accuracy row(s) written." and ForecastAccuracyLog.objects.count() == 2
    out, _ = run_command("update_accuracy")
    assert out.startswith("0 accuracy")


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("train_forecast", ["--horizon", "0"], "horizon"),
        ("train_forecast", ["--backtest-folds", "100"], "backtest_folds"),
        ("train_forecast", ["--location", "NOWHERE"], "location"),
        ("forecast", ["--run", "abc"], "run"),
        ("forecast", ["--run", "424242"], "run"),
        ("forecast", [], "no succeeded run"),
    ],
)
def test_bad_input_is_a_command_error(world, command, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(command, *args)


def test_train_forecast_on_empty_database(db):
    with pytest.raises(CommandError, match="no daily sales"):
        run_command("train_forecast")
    assert ModelRun.objects.get().status == RunStatus.FAILED


def test_export_csv_columns_and_formula_safety(world):
    run = make_run([(world.store_a, world.bread), (world.warehouse, world.cola)], days=3, yhat=4.5, band=1.5)
    out, _ = run_command("export_forecasts", "--run", str(run.pk))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["location_code", "sku", "date", "yhat", "p10", "p50", "p90"]
    assert len(rows) == 1 + 2 * 3
    assert ["A01", "BREAD", str(END + dt.timedelta(days=1)), "4.5", "3.0", "4.5", "6.0"] in rows
    # "=WH" and "+COLA" would run as formulas in a spreadsheet: they are neutralised.
    assert {(r[0], r[1]) for r in rows[1:]} == {("A01", "BREAD"), ("'=WH", "'+COLA")}


def test_export_xlsx_and_filters(world, tmp_path):
    make_run([(world.store_a, world.bread), (world.store_b, world.bread), (world.warehouse, world.cola)], days=4)
    target = tmp_path / "forecasts.xlsx"
    _, err = run_command("export_forecasts", "--output", str(target), "--location", "NORTH",
                         "--from", str(END + dt.timedelta(days=2)))
    assert "6 forecast row(s)" in err
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("location_code", "sku", "date", "yhat", "p10", "p50", "p90")
    assert {(r[0], r[1]) for r in rows[1:]} == {("A01", "BREAD"), ("B02", "BREAD")} and len(rows) == 7
    everything = tmp_path / "all.xlsx"
    run_command("export_forecasts", "--output", str(everything), "--format", "xlsx")
    cells = [row for row in load_workbook(everything).active.iter_rows() if row[0].value == "=WH"]
    assert cells and all(row[0].data_type == "s" and row[1].data_type == "s" for row in cells)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--output"),
        (["--run", "424242"], "run"),
        (["--from", "tomorrow"], "YYYY-MM-DD"),
        (["--product", "NOPE"], "product"),
        (["--output", "/nonexistent/dir/f.csv"], "--output"),
    ],
)
def test_export_bad_input(world, args, message):
    make_run([(world.store_a, world.bread)])
    with pytest.raises(CommandError, match=message):
        run_command("export_forecasts", *args)


def test_export_with_no_runs(db):
    with pytest.raises(CommandError, match="no succeeded run"):
        run_command("export_forecasts")
