"""Rolling-origin backtest: report shape, fold placement, baselines vs model, bad parameters."""

from __future__ import annotations

import json

import pytest

from forecasting.engine import EngineError, backtest
from forecasting.engine.backtest import fold_origins

from .conftest import fast_config, make_daily


def test_fold_origins_end_at_the_last_period():
    assert fold_origins(100, 10, 3) == [70, 80, 90]
    assert fold_origins(100, 10, 3, step=5) == [80, 85, 90]


def test_report_shape_and_values():
    history, _ = make_daily(days=150)
    r = backtest(history, fast_config(), folds=2)
    json.dumps(r)  # JSON-able
    assert (r["horizon"], r["folds"], r["series"], r["freq"]) == (14, 2, 6, "D")
    assert set(r["models"]) == {"lightgbm", "seasonal_naive", "moving_average", "zero"}
    for m in r["models"].values():
        assert set(m) == {"wape", "rmsse", "mae", "rmse", "bias", "coverage_80"}
    assert set(r["seconds"]) == {"features", "train", "predict"}
    assert [f["fold"] for f in r["per_fold"]] == [1, 2]
    assert r["per_fold"][1]["origin"] == str((history["date"].max() - __import__("pandas").Timedelta(days=13)).date())
    assert r["models"]["zero"]["wape"] == pytest.approx(1.0)
    assert r["models"]["zero"]["bias"] == pytest.approx(-1.0)
    assert r["models"]["lightgbm"]["rmsse"] < r["models"]["moving_average"]["rmsse"]


def test_progress_reports_each_fold_and_model():
    history, _ = make_daily(days=100, n_locations=1)
    seen = []
    backtest(history, fast_config(horizon=7), folds=2, models=["zero", "moving_average"],
             progress=lambda s, d, t: seen.append((s, d, t)))
    assert ("backtest", 4, 4) in seen


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"folds": 0}, "folds"),
        ({"folds": -1}, "folds"),
        ({"folds": 50}, "not enough history"),
        ({"models": ["lightgbm", "arima"]}, "models"),
        ({"models": []}, "models"),
        ({"horizon": 0}, "horizon"),
        ({"step": 0}, "step"),
    ],
)
def test_bad_backtest_parameters(kwargs, match):
    history, _ = make_daily(days=60, n_locations=1)
    with pytest.raises(EngineError, match=match):
        backtest(history, fast_config(horizon=7), **kwargs)
