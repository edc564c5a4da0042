"""Adversarial daily series, each a real situation a planner meets, next to ordinary stores.

Every shape has a name (the ``location``) so tests can check its forecast and the ``method`` /
``reason`` the engine recorded for it. Built from a seed; no database, no shared data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DOW = np.array([1.0, 0.9, 0.9, 1.0, 1.3, 1.7, 0.6])
END = pd.Timestamp("2024-06-30")


def _frame(name: str, dates: pd.DatetimeIndex, y: np.ndarray, product: str = "P0", **drivers) -> pd.DataFrame:
    d = {"location": name, "product": product, "category": "C0", "date": dates, "y": np.asarray(y, dtype=float)}
    d.update({k: np.asarray(v, dtype=float) for k, v in drivers.items()})
    return pd.DataFrame(d)


def make_adversarial(days: int = 400, n_ordinary: int = 12, seed: int = 0) -> pd.DataFrame:
    """History ending at ``END``: ordinary stores plus one series per adversarial shape.

    Shapes (location names): ``spike`` sparse visits, then one day 50x the usual, then ~8/day;
    ``dormant`` nothing sold for the last 60 days; ``step`` level 10 -> 27 seventy days ago;
    ``new`` 10 days of history; ``single_spike`` one day of 300; ``single_zero`` one day of 0;
    ``intermittent`` rare small sales; ``trailing_zeros`` 35 zero days at the end (not dormant);
    ``closure`` closed two weeks in the middle and every Sunday (``is_open`` = 0, no sales).
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=END, periods=days)
    dow = DOW[dates.day_of_week]
    frames = []
    for i in range(n_ordinary):
        level = rng.uniform(5, 60)
        frames.append(_frame(f"store{i:02d}", dates, rng.poisson(level * dow), product=f"P{i % 3}",
                             is_open=np.ones(days)))
    ones = np.ones(days)
    # sparse history (a visit or two most days), one holiday spike, then a steady ~8/day
    y = rng.poisson(0.6 * dow).astype(float)
    y[-30] = 262.0
    y[-29:] = rng.poisson(8 * dow[-29:])
    frames.append(_frame("spike", dates, y, is_open=ones))
    y = rng.poisson(20 * dow).astype(float)
    y[-60:] = 0.0
    frames.append(_frame("dormant", dates, y, is_open=ones))
    y = rng.poisson(10 * dow).astype(float)
    y[-70:] = rng.poisson(27 * dow[-70:])
    frames.append(_frame("step", dates, y, is_open=ones))
    frames.append(_frame("new", dates[-10:], rng.poisson(15 * dow[-10:]), is_open=np.ones(10)))
    frames.append(_frame("single_spike", dates[-1:], [300.0], is_open=[1.0]))
    frames.append(_frame("single_zero", dates[-1:], [0.0], is_open=[1.0]))
    y = np.where(rng.random(days) < 0.08, rng.integers(1, 4, days), 0).astype(float)
    frames.append(_frame("intermittent", dates, y, is_open=ones))
    y = rng.poisson(12 * dow).astype(float)
    y[-35:] = 0.0
    frames.append(_frame("trailing_zeros", dates, y, is_open=ones))
    is_open = np.ones(days)
    is_open[dates.day_of_week == 6] = 0.0
    is_open[-120:-106] = 0.0
    frames.append(_frame("closure", dates, rng.poisson(25 * dow) * is_open, is_open=is_open))
    return pd.concat(frames, ignore_index=True)


def future_drivers(history: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Known-in-advance drivers for the horizon: open every day, except Sundays at ``closure``."""
    keys = history[["location", "product"]].drop_duplicates()
    dates = pd.date_range(history["date"].max(), periods=horizon + 1)[1:]
    fut = keys.merge(pd.DataFrame({"date": dates}), how="cross")
    fut["is_open"] = np.where((fut["location"] == "closure") & (fut["date"].dt.day_of_week == 6), 0.0, 1.0)
    return fut
