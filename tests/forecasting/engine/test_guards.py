"""Forecasts a planner can trust: bounded on adversarial shapes, dormant, cold start, recorded fallbacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import ForecastModel, backtest, build_panel, predict, train
from forecasting.engine.guards import REASONS, plausible_upper

from .adversarial import DOW, make_adversarial
from .adversarial import future_drivers as adversarial_future
from .conftest import fast_config, make_daily

H = 28


@pytest.fixture(scope="module")
def adversarial():
    history = make_adversarial()
    model = train(history, fast_config(horizon=H))
    out = predict(model, history, adversarial_future(history, H))
    return history, model, out


def _recent(history: pd.DataFrame, name: str, days: int = 28) -> float:
    s = history[history["location"] == name]
    return float(s[s["date"] > s["date"].max() - pd.Timedelta(days=days)]["y"].mean())


def _series(out: pd.DataFrame, name: str) -> pd.DataFrame:
    return out[out["location"] == name]


def test_every_forecast_inside_its_band(adversarial):
    history, _, out = adversarial
    panel = build_panel(history[["location", "product", "date", "y"]])
    upper = plausible_upper(panel.y, 7, 364)
    keys = list(zip(panel.series["location"], panel.series["product"], strict=True))
    band = pd.Series(upper, index=pd.MultiIndex.from_tuples(keys))
    limit = band.reindex(pd.MultiIndex.from_frame(out[["location", "product"]])).to_numpy()
    assert np.isfinite(out[["yhat", "p10", "p50", "p90"]].to_numpy()).all()
    assert (out["yhat"].to_numpy() <= limit + 1e-6).all()
    assert (out["p90"].to_numpy() <= np.maximum(limit, out["yhat"].to_numpy()) + 1e-6).all()
    assert (out["p10"] >= 0).all()
    assert (out["p10"] <= out["p50"] + 1e-9).all() and (out["p50"] <= out["p90"] + 1e-9).all()


def test_outlier_day_is_not_learnt_as_the_new_level(adversarial):
    history, _, out = adversarial
    recent = _recent(history, "spike", 28)  # ~8/day after the 262 spike, which sits 30 days back
    assert _series(out, "spike")["yhat"].mean() <= 2.0 * recent
    assert _series(out, "spike")["yhat"].max() < 262 / 4


def test_level_change_is_followed(adversarial):
    _, _, out = adversarial
    mean = _series(out, "step")["yhat"].mean()
    assert 0.7 * 27 * DOW.mean() <= mean <= 1.3 * 27 * DOW.mean()


def test_ordinary_stores_stay_near_their_recent_level(adversarial):
    history, _, out = adversarial
    for name in sorted(history["location"].unique()):
        if name.startswith("store"):
            ratio = _series(out, name)["yhat"].mean() / _recent(history, name)
            assert 0.8 <= ratio <= 1.2, (name, ratio)


def test_dormant_series_forecasts_zero_and_is_flagged(adversarial):
    _, _, out = adversarial
    s = _series(out, "dormant")
    assert (s["yhat"] == 0).all() and (s["p90"] == 0).all()
    assert set(s["method"]) == {"zero"} and set(s["reason"]) == {"dormant"}


def test_trailing_zeros_short_of_dormant_do_not_ramp_up(adversarial):
    history, _, out = adversarial
    s = _series(out, "trailing_zeros")
    assert set(s["reason"]) != {"dormant"}  # 35 days < 8 weeks
    assert s["yhat"].max() <= _recent(history, "trailing_zeros", 120)


def test_dormant_weeks_is_configurable():
    history = make_adversarial()
    model = train(history, fast_config(horizon=H, dormant_weeks=4))
    out = predict(model, history, adversarial_future(history, H))
    s = _series(out, "trailing_zeros")
    assert (s["yhat"] == 0).all() and set(s["reason"]) == {"dormant"}


def test_cold_start_near_own_level_with_borrowed_weekday_shape(adversarial):
    history, _, out = adversarial
    s = _series(out, "new")
    own = history[history["location"] == "new"]["y"].mean()
    assert set(s["method"]) == {"cold_start"} and set(s["reason"]) == {"short_history"}
    assert 0.6 * own <= s["yhat"].mean() <= 1.5 * own
    by_dow = s.groupby(s["date"].dt.day_of_week)["yhat"].mean()
    assert by_dow[5] > by_dow[6]  # Saturday busier than Sunday, as in every mature store


def test_single_day_series(adversarial):
    _, _, out = adversarial
    spike = _series(out, "single_spike")
    assert set(spike["method"]) == {"cold_start"}
    assert spike["yhat"].mean() <= 300 * 1.5
    zero = _series(out, "single_zero")
    assert (zero["yhat"] == 0).all() and set(zero["reason"]) == {"no_sales"}


def test_closed_days_forecast_as_closed(adversarial):
    _, _, out = adversarial
    s = _series(out, "closure")
    sunday = s["date"].dt.day_of_week == 6
    assert (s.loc[sunday, ["yhat", "p10", "p50", "p90"]] == 0).all().all()
    assert (s.loc[~sunday, "yhat"] > 5).all()


def test_method_and_reason_recorded_for_every_series(adversarial):
    _, model, out = adversarial
    per_series = out.groupby(["location", "product"])[["method", "reason"]].nunique()
    assert (per_series == 1).all().all()
    assert set(out["reason"]) <= {"", *REASONS}
    trusted = out["reason"] == ""
    assert set(out.loc[trusted, "method"]) == {"lightgbm"}
    assert "lightgbm" not in set(out.loc[~trusted, "method"])
    # the backtest choice travels with the stored model
    again = ForecastModel.from_bytes(model.to_bytes())
    assert again.series_choice == model.series_choice


def test_backtest_worse_falls_back_to_a_baseline():
    """A series that repeats one odd week exactly: every baseline is perfect, the model is not."""
    history, future = make_daily(n_locations=2, n_products=2, days=200, seed=3, horizon=14)
    dates = pd.date_range(history["date"].min(), history["date"].max())
    odd = pd.DataFrame({"location": "ODD", "product": "P0", "category": "C0", "date": dates,
                        "y": np.where(dates.day_of_week == 2, 70.0, 1.0), "promo": 0.0, "is_open": 1.0})
    history = pd.concat([history, odd], ignore_index=True)
    model = train(history, fast_config(horizon=14))
    chosen = {(loc, prod): (m, b) for loc, prod, m, b in model.series_choice}
    assert chosen[("ODD", "P0")][0] in ("seasonal_mean", "seasonal_naive", "moving_average")
    fut = pd.concat([future, pd.DataFrame({"location": "ODD", "product": "P0",
                                           "date": future["date"].unique(), "promo": 0.0, "is_open": 1.0})])
    out = predict(model, history, fut)
    s = out[out["location"] == "ODD"]
    assert set(s["reason"]) == {"backtest_worse"} and set(s["method"]) == {chosen[("ODD", "P0")][0]}
    np.testing.assert_allclose(s["yhat"], np.where(s["date"].dt.day_of_week == 2, 70.0, 1.0))
    for (loc, prod), g in out.groupby(["location", "product"]):
        if g["reason"].iloc[0] in ("", "backtest_worse"):
            assert g["method"].iloc[0] == chosen.get((loc, prod), ("lightgbm",))[0]


def test_weekly_spike_is_bounded():
    rng = np.random.default_rng(0)
    dates = pd.date_range("2020-01-02", periods=150, freq="W-THU")
    frames = []
    for i in range(8):
        y = rng.poisson(rng.uniform(20, 80), len(dates)).astype(float)
        if i == 0:
            y[:] = rng.poisson(1.0, len(dates))
            y[-5] = 400.0
        frames.append(pd.DataFrame({"location": f"S{i}", "product": "OJ", "date": dates, "y": y}))
    history = pd.concat(frames, ignore_index=True)
    model = train(history, fast_config(horizon=8))
    out = predict(model, history)
    s = out[out["location"] == "S0"]
    assert s["yhat"].max() < 400 / 4


def test_coverage_on_simulated_data():
    history, _ = make_daily(n_locations=4, n_products=3, days=240, seed=5)
    r = backtest(history, fast_config(horizon=14), folds=3, models=["lightgbm"])
    assert 0.7 <= r["models"]["lightgbm"]["coverage_80"] <= 0.9


def test_thread_count_changes_results_only_by_floating_point_noise(daily):
    history, future = daily
    one = predict(train(history, fast_config(num_threads=1)), history, future)
    two = predict(train(history, fast_config(num_threads=2)), history, future)
    np.testing.assert_allclose(one["yhat"], two["yhat"], rtol=1e-3, atol=1e-3)
    again = predict(train(history, fast_config(num_threads=2)), history, future)
    np.testing.assert_array_equal(two["yhat"], again["yhat"])
