"""From a model's raw forecast to what a planner sees: guards, per-series method/reason, intervals.

One function for production forecasts and for every backtest fold, so a stored backtest measures
exactly what a run would have forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .baselines import baseline_predict
from .config import EngineConfig
from .guards import (
    BACKTEST_WORSE,
    COLD_START,
    DORMANT,
    LIGHTGBM,
    NO_SALES,
    OUTSIDE_BAND,
    SHORT_HISTORY,
    ZERO,
    cold_start_forecast,
    dormant_mask,
    history_length,
    never_sold,
    plausible_upper,
    weeks_to_periods,
)
from .intervals import apply_intervals
from .lgbm import CANDIDATE_BASELINES, YEAR, LightGBMForecaster
from .panel import Panel, closed_mask, series_level


@dataclass
class Finished:
    """Final point forecasts (n, H), quantiles, and per series the method used and why (``""``: trusted)."""

    pred: np.ndarray
    quantiles: dict[float, np.ndarray]
    method: np.ndarray
    reason: np.ndarray
    upper: np.ndarray


def stale_series(panel: Panel, origin: int, stale_after: int) -> np.ndarray:
    """Series whose last input row is more than ``stale_after`` periods before the origin."""
    last = panel.last_observed_index(origin)
    return (last < 0) | (origin - 1 - last > stale_after)


def finish_forecast(panel: Panel, m, pred: np.ndarray, origin: int, H: int, cfg: EngineConfig) -> Finished:
    """Apply the guards of ``guards.py`` to ``m``'s forecast ``pred`` from ``origin``; add intervals.

    Baseline contenders (``m`` not the LightGBM forecaster) only get the stopped-series and closed-day
    rules, so they stay honest anchors.
    """
    n = panel.n
    y_hist = panel.y[:, :origin]
    kind = panel.freq.kind
    upper = plausible_upper(y_hist, panel.freq.season, YEAR[kind])
    closed = closed_mask(panel, origin, H)
    pred = np.array(pred, dtype=np.float64, copy=True)
    method = np.full(n, getattr(m, "name", LIGHTGBM), dtype=object)
    reason = np.full(n, "", dtype=object)
    stale = stale_series(panel, origin, cfg.stale_after or 2 * cfg.horizon)
    zeroed = stale.copy()
    if isinstance(m, LightGBMForecaster):
        chosen, fallback = m.series_choice(panel)
        baselines = {b: baseline_predict(b, y_hist, H, panel.freq) for b in np.unique(fallback)}
        base = np.zeros_like(pred)
        for b, f in baselines.items():
            rows = fallback == b
            base[rows] = f[rows]
        w = m.blend_weight
        if w > 0:
            pred = (1 - w) * pred + w * baseline_predict(CANDIDATE_BASELINES[0], y_hist, H, panel.freq)
        worse = chosen != LIGHTGBM
        # a single clipped peak (a promotion week) is no reason to distrust the series; a forecast that
        # leaves the band on most steps has lost its level
        exceeded = m.exceeded if m.exceeded is not None else np.zeros(n, dtype=np.int64)
        outside = ~worse & (exceeded > H / 2)
        for rows, why in ((worse, BACKTEST_WORSE), (outside, OUTSIDE_BAND)):
            pred[rows] = base[rows]
            method[rows] = fallback[rows]
            reason[rows] = why
        length = history_length(panel, origin)
        cold = (length < weeks_to_periods(cfg.cold_start_weeks, kind)) & (length > 0)
        pred[cold] = cold_start_forecast(panel, origin, H, cold, ~cold & (length > 0))[cold]
        method[cold], reason[cold] = COLD_START, SHORT_HISTORY
        dormant = dormant_mask(y_hist, weeks_to_periods(cfg.dormant_weeks, kind))
        nothing = never_sold(y_hist)
        zeroed |= dormant | nothing
        method[dormant | nothing] = ZERO
        reason[dormant] = DORMANT
        reason[nothing & ~dormant] = NO_SALES
        method[stale & ~nothing] = ZERO
        reason[stale & ~nothing] = DORMANT
        pred = np.minimum(pred, upper[:, None])
    pred[zeroed] = 0.0
    pred[closed] = 0.0
    level = series_level(y_hist, 2 * m.spec.scale_window)
    q = apply_intervals(m.calibration, pred, level, closed | zeroed[:, None])
    if isinstance(m, LightGBMForecaster):
        q = {k: np.minimum(v, np.maximum(upper[:, None], pred)) for k, v in q.items()}
    return Finished(pred, q, method, reason, upper)
