"""Forecasts a planner can trust: bounded on adversarial shapes, dormant, cold start, recorded fallbacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import ForecastModel, backtest, build_panel, predict, train
from forecasting.engine.baselines import baseline_predict
from forecasting.engine.guards import REASONS, plausible_upper
from forecasting.engine.lgbm import LightGBMForecaster
from forecasting.engine.panel import closed_mask

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


def test_backtest_worse_falls_back_to_a_baseline_and_says_why():
    """A model forecast grossly wrong on the calibration window, where a baseline is not: that series falls back."""
    history, future = make_daily(n_locations=2, n_products=2, days=200, seed=3, horizon=14)
    cfg = fast_config(horizon=14)
    panel = build_panel(history, horizon=14, future=future)
    m = LightGBMForecaster(cfg).fit(panel, panel.T)
    cut = panel.T - 14
    actual = panel.y[:, cut:].astype(np.float64)
    closed = closed_mask(panel, cut, 14)
    good = m.predict(panel, cut, 14)
    broken = good.copy()
    broken[1] = 10 * np.nanmean(actual[1])  # series 1: the model is off by an order of magnitude
    m._choose_methods(panel, cut, 14, actual, broken, closed)
    method, fallback = m.series_choice(panel)
    assert method[1] in ("seasonal_mean", "seasonal_naive", "moving_average") and method[1] == fallback[1]
    assert (method[[0, 2, 3]] == "lightgbm").all()
    out = predict(m.to_model(panel), history, future)
    key = (panel.series["location"][1], panel.series["product"][1])
    s = out[(out["location"] == key[0]) & (out["product"] == key[1])]
    assert set(s["reason"]) == {"backtest_worse"} and set(s["method"]) == {method[1]}
    expected = baseline_predict(method[1], panel.y, 14, panel.freq)[1] * ~closed_mask(panel, panel.T, 14)[1]
    np.testing.assert_allclose(s["yhat"].to_numpy(), expected, rtol=1e-6)
    # the model's own choice on the real calibration window: the model is kept where it is not broken
    m._choose_methods(panel, cut, 14, actual, good, closed)
    assert (m.series_choice(panel)[0] == "lightgbm").all()


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


def _cold_panel(donor_growth: float, days: int = 120):
    """Three mature series of product A growing by ``donor_growth`` per 4 weeks, one 14-day-old series of A."""
    dates = pd.date_range("2024-01-01", periods=days)
    t = np.arange(days)
    frames = [
        pd.DataFrame({"location": f"S{i}", "product": "A", "date": dates,
                      "y": (20 + 5 * i) * donor_growth ** (t / 28) * DOW[dates.day_of_week]})
        for i in range(3)
    ]
    frames.append(pd.DataFrame({"location": "new", "product": "A", "date": dates[-14:],
                                "y": 30 * DOW[dates[-14:].day_of_week]}))
    panel = build_panel(pd.concat(frames, ignore_index=True), horizon=28)
    cold = (panel.series["location"] == "new").to_numpy()
    return panel, cold


@pytest.mark.parametrize("growth, lo, hi", [(1.0, 0.97, 1.03), (1.2, 1.1, 1.35), (10.0, 1.0, 2.0001)])
def test_cold_start_borrows_its_donors_trend_within_a_band(growth, lo, hi):
    from forecasting.engine.guards import cold_start_forecast

    panel, cold = _cold_panel(growth)
    out = cold_start_forecast(panel, panel.T, 28, cold, ~cold)[cold][0]
    first, last = out[:7].sum(), out[-7:].sum()
    assert lo <= last / first <= hi
    # never more than doubles the series' own level over the horizon, however fast the donors grow
    own = panel.y[cold][0, -14:].mean()
    assert out.mean() <= 2.0 * own * 1.05
