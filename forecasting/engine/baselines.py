"""Baselines that go through the same panel, closed-day rule, intervals and metrics as the model.

* seasonal naive: the last known value one season back (7 for daily, 52 for weekly, 12 for monthly;
  plain naive when the history is shorter than two seasons),
* moving average: mean of the last ``window`` known values (28 daily, 8 weekly, 6 monthly),
* seasonal mean: mean of the same season position over the last 4 seasons (daily: the last four
  Mondays for a Monday); for weekly and monthly data, the moving average (a season is a year there),
* zero: always 0 (the honest floor for intermittent demand).
"""

from __future__ import annotations

import numpy as np

from .panel import Frequency

BASELINES = ("seasonal_naive", "moving_average", "seasonal_mean", "zero")


def baseline_season(freq: Frequency, n_periods: int) -> int:
    """Seasonal period, or 1 when there is too little history to see a season twice."""
    return freq.season if n_periods >= 2 * freq.season else 1


def baseline_window(freq: Frequency) -> int:
    return {"D": 28, "W": 8, "M": 6}.get(freq.kind, 28)


def _last_known(y_hist: np.ndarray) -> np.ndarray:
    known = ~np.isnan(y_hist)
    idx = np.where(known.any(axis=1), y_hist.shape[1] - 1 - known[:, ::-1].argmax(axis=1), -1)
    return np.where(idx >= 0, y_hist[np.arange(len(idx)), np.maximum(idx, 0)], np.nan)


def moving_average(y_hist: np.ndarray, steps: int, window: int) -> np.ndarray:
    """Mean of the last ``window`` periods' known values, flat over the horizon (0 if none known)."""
    recent = y_hist[:, -window:]
    cnt = (~np.isnan(recent)).sum(axis=1)
    m = np.where(cnt > 0, np.nansum(recent, axis=1) / np.maximum(cnt, 1), np.nan)
    m = np.where(np.isnan(m), _last_known(y_hist), m)
    m = np.nan_to_num(m, nan=0.0)
    return np.repeat(m[:, None], steps, axis=1).astype(np.float64)


def seasonal_naive(y_hist: np.ndarray, steps: int, season: int, max_seasons_back: int = 8) -> np.ndarray:
    """y[t] = last known y[t - k*season]; unknown periods look further back, then fall back to the last value."""
    n, L = y_hist.shape
    out = np.full((n, steps), np.nan)
    for h in range(steps):
        t = L + h
        k = (h // season) + 1
        for _ in range(max_seasons_back):
            idx = t - k * season
            if idx < 0:
                break
            v = y_hist[:, idx]
            fill = np.isnan(out[:, h]) & ~np.isnan(v)
            out[fill, h] = v[fill]
            if not np.isnan(out[:, h]).any():
                break
            k += 1
    last = _last_known(y_hist)
    out = np.where(np.isnan(out), last[:, None], out)
    return np.nan_to_num(out, nan=0.0)


def seasonal_mean(y_hist: np.ndarray, steps: int, season: int, seasons: int = 4) -> np.ndarray:
    """Mean of the known values at the same season position over the last ``seasons`` seasons.

    Robust to one odd day and quick to follow a level change (4 weeks for daily data); falls back to the
    last known value where a position has no known value.
    """
    n, L = y_hist.shape
    out = np.full((n, steps), np.nan)
    for h in range(min(steps, season)):
        idx = [L - season * k + (h % season) for k in range(1, seasons + 1)]
        idx = [i for i in idx if 0 <= i < L]
        if not idx:
            continue
        with np.errstate(invalid="ignore"):
            block = y_hist[:, idx]
            cnt = (~np.isnan(block)).sum(axis=1)
            out[:, h] = np.where(cnt > 0, np.nansum(block, axis=1) / np.maximum(cnt, 1), np.nan)
    for h in range(season, steps):
        out[:, h] = out[:, h % season]
    last = _last_known(y_hist)
    out = np.where(np.isnan(out), last[:, None], out)
    return np.nan_to_num(out, nan=0.0)


def zero(y_hist: np.ndarray, steps: int) -> np.ndarray:
    return np.zeros((y_hist.shape[0], steps))


def baseline_predict(name: str, y_hist: np.ndarray, steps: int, freq: Frequency) -> np.ndarray:
    """Point forecasts (n, steps) of one baseline from history ``y_hist`` (n, L)."""
    if name == "seasonal_naive":
        return seasonal_naive(y_hist, steps, baseline_season(freq, y_hist.shape[1]))
    if name == "moving_average":
        return moving_average(y_hist, steps, baseline_window(freq))
    if name == "seasonal_mean":
        if freq.kind == "D" and y_hist.shape[1] >= 2 * freq.season:
            return seasonal_mean(y_hist, steps, freq.season)
        return moving_average(y_hist, steps, baseline_window(freq))
    if name == "zero":
        return zero(y_hist, steps)
    from .errors import EngineError

    raise EngineError(f"models: unknown baseline {name!r}; choose from {list(BASELINES)}")
