"""Per-series method and reason on a run (admin, API, chart), and one truth for backtests."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from forecasting.models import SeriesMethod
from forecasting.services import chart_data, train_and_forecast
from sales.models import DailySale
from tests.forecasting.conftest import END, FAST

pytestmark = pytest.mark.django_db
RUNS = "/api/v1/forecasting/runs/"


def test_stored_backtest_equals_the_command(world):
    world.standard()
    run = train_and_forecast(horizon=7, backtest_folds=2, parameters=FAST)
    out = io.StringIO()
    call_command("backtest", "--horizon", "7", "--folds", "2", "--json",
                 *[f"--param={k}={v}" for k, v in FAST.items()], stdout=out)
    command = json.loads(out.getvalue())["models"]
    stored = {name: {k: m.get(k) for k in command[name]} for name, m in run.metrics["models"].items()}
    assert stored == command
    assert set(command) == {"lightgbm", "seasonal_naive", "moving_average"}


def test_method_and_reason_recorded_per_series_with_counts(world):
    world.standard()
    # store B stopped selling milk nine weeks ago (rows of 0 since): dormant, forecast 0
    world.sales(world.store_b, world.milk, days=90, level=5, seed=7)
    DailySale.objects.filter(location=world.store_b, product=world.milk,
                             date__gt=END - dt.timedelta(days=63)).update(quantity=0)
    run = train_and_forecast(horizon=7, parameters=FAST)
    rows = {(r.location_id, r.product_id): r for r in SeriesMethod.objects.filter(run=run)}
    assert len(rows) == run.series_count == 5
    dormant = rows[(world.store_b.pk, world.milk.pk)]
    assert (dormant.method, dormant.reason) == ("zero", "dormant")
    assert run.method_counts.get("zero/dormant") == 1
    assert sum(run.method_counts.values()) == 5
    data = chart_data(location=world.store_b, product=world.milk, run=run)
    assert (data["run"]["method"], data["run"]["reason"]) == ("zero", "dormant")
    assert all(p["yhat"] == 0 for p in data["forecast"])


def test_api_shows_counts_and_series(world, client_for):
    world.standard()
    run = train_and_forecast(horizon=7, parameters=FAST)
    client = client_for("viewer")
    detail = client.get(f"{RUNS}{run.pk}/").json()
    assert sum(detail["method_counts"].values()) == 4
    series = client.get(f"{RUNS}{run.pk}/series/").json()
    assert series["count"] == 4
    assert {row["method"] for row in series["results"]} <= {"lightgbm", "seasonal_mean", "seasonal_naive",
                                                             "moving_average", "cold_start", "zero"}
    assert client.get(f"{RUNS}{run.pk}/series/?reason=dormant").json()["count"] == 0
