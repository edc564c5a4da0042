"""Frequency detection, missing-period policies, drivers over the horizon, input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineError, build_panel, detect_frequency


def frame(rows):
    return pd.DataFrame(rows, columns=["location", "product", "date", "y"])


def test_detects_daily_despite_gaps():
    dates = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-09"])
    assert detect_frequency(dates).alias == "D"


def test_detects_weekly_with_anchor_and_missing_weeks():
    dates = pd.date_range("1990-06-14", periods=20, freq="7D").delete([3, 4, 10])
    f = detect_frequency(dates)
    assert (f.alias, f.kind, f.season) == ("W-THU", "W", 52)


def test_detects_monthly():
    assert detect_frequency(pd.date_range("2020-01-01", periods=6, freq="MS")).alias == "MS"
    assert detect_frequency(pd.date_range("2020-01-31", periods=6, freq="ME")).alias == "ME"


def test_irregular_dates_raise():
    with pytest.raises(EngineError, match="freq"):
        detect_frequency(pd.to_datetime(["2024-01-01", "2024-01-04", "2024-01-07"]))
    with pytest.raises(EngineError, match="freq"):
        detect_frequency(pd.to_datetime(["2024-01-01"]))


def test_weekly_panel_counts_periods_not_days():
    dates = pd.date_range("2024-01-04", periods=10, freq="W-THU")
    df = frame([("S", "I", d, float(k)) for k, d in enumerate(dates)])
    p = build_panel(df, horizon=3)
    assert p.freq.alias == "W-THU" and p.T == 10
    assert list(p.future_dates) == list(pd.date_range(dates[-1], periods=4, freq="W-THU")[1:])


def test_zero_policy_fills_inside_span_and_closes_the_day():
    df = pd.DataFrame({
        "location": ["A"] * 3 + ["B"] * 2, "product": ["ALL"] * 5,
        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-03", "2024-01-05"]),
        "y": [5.0, 6.0, 7.0, 1.0, 2.0], "is_open": [1.0] * 5,
    })
    p = build_panel(df)
    a, b = 0, 1
    assert p.y[a, 2] == 0.0 and not p.observed[a, 2]  # the missing 3rd = closed day with zero demand
    assert p.drivers["is_open"][a, 2] == 0.0
    assert np.isnan(p.y[b, 0]) and np.isnan(p.y[b, 1])  # before B's first row: unknown, not zero
    assert p.y[a, 4] == 0.0  # after A's last row but inside the history: zero under the default policy


def test_unknown_policy_per_location():
    df = frame([("A", "ALL", "2024-01-01", 1.0), ("A", "ALL", "2024-01-03", 1.0),
                ("B", "ALL", "2024-01-01", 1.0), ("B", "ALL", "2024-01-03", 1.0)])
    p = build_panel(df, freq="D", missing_policy="zero", missing_policy_by_location={"B": "unknown"})
    assert p.y[0, 1] == 0.0
    assert np.isnan(p.y[1, 1])
    with pytest.raises(EngineError, match="missing_policy"):
        build_panel(df, freq="D", missing_policy="skip")
    with pytest.raises(EngineError, match="missing_policy"):
        build_panel(df, freq="D", missing_policy_by_location={"B": "ffill"})


def test_future_driver_defaults_and_given_values():
    hist = pd.DataFrame({
        "location": "A", "product": "P", "date": pd.date_range("2024-01-01", periods=5),
        "y": 1.0, "price": [2.0, 2.0, 2.5, 2.5, 3.0], "promo": [0, 1, 0, 1, 0], "is_open": 1.0,
    })
    fut = pd.DataFrame({"location": ["A"], "product": ["P"], "date": [pd.Timestamp("2024-01-07")],
                        "promo": [1.0], "is_open": [0.0]})
    p = build_panel(hist, horizon=3, future=fut)
    T = p.T
    assert list(p.drivers["price"][0, T:]) == [3.0, 3.0, 3.0]  # last price carried
    assert list(p.drivers["promo"][0, T:]) == [0.0, 1.0, 0.0]
    assert list(p.drivers["is_open"][0, T:]) == [1.0, 0.0, 1.0]



def test_drivers_reach_past_the_horizon_by_the_lookahead():
    hist = pd.DataFrame({
        "location": "A", "product": "P", "date": pd.date_range("2024-01-01", periods=5),
        "y": 1.0, "promo": [0, 1, 0, 1, 0], "is_open": 1.0,
    })
    # a closure and a promotion the day after a 3-day horizon: the last day's "next" features read them
    fut = pd.DataFrame({"location": ["A"], "product": ["P"], "date": [pd.Timestamp("2024-01-09")],
                        "promo": [1.0], "is_open": [0.0]})
    p = build_panel(hist, horizon=3, future=fut, lookahead=2)
    assert p.horizon == 3 and len(p.future_dates) == 3
    # the horizon's gaps get defaults; after it, only what the future frame says (unknown elsewhere)
    np.testing.assert_array_equal(p.drivers["promo"][0, p.T:], [0.0, 0.0, 0.0, 1.0, np.nan])
    np.testing.assert_array_equal(p.drivers["is_open"][0, p.T:], [1.0, 1.0, 1.0, 0.0, np.nan])
    assert build_panel(hist, horizon=3, future=fut).drivers["promo"].shape[1] == p.T + 3
    assert build_panel(hist, lookahead=2).drivers["promo"].shape[1] == p.T  # no horizon, nothing to look past
    with pytest.raises(EngineError, match="lookahead"):
        build_panel(hist, horizon=3, lookahead=-1)

@pytest.mark.parametrize(
    "df, match",
    [
        (pd.DataFrame({"location": ["A"], "date": ["2024-01-01"], "y": [1.0]}), "missing column"),
        (pd.DataFrame(columns=["location", "product", "date", "y"]), "no rows"),
        (frame([("A", "P", "2024-01-01", 1.0), ("A", "P", "2024-01-01", 2.0)]), "duplicate"),
        (frame([("A", "P", "not a date", 1.0)]), "date"),
    ],
)
def test_bad_frames_raise_engine_error(df, match):
    with pytest.raises(EngineError, match=match):
        build_panel(df, freq="D")


def test_off_grid_date_raises():
    df = frame([("A", "P", d, 1.0) for d in ["2024-01-04", "2024-01-11", "2024-01-18"]])
    df.loc[3] = ("A", "P", "2024-01-20", 1.0)
    with pytest.raises(EngineError, match="grid"):
        build_panel(df, freq="W-THU")


def test_negative_demand_is_clipped():
    p = build_panel(frame([("A", "P", "2024-01-01", -3.0), ("A", "P", "2024-01-02", 2.0)]))
    assert p.y[0, 0] == 0.0
