"""What keeps every forecast plausible: the per-series band, dormant and cold-start series, fallbacks.

A global model is good on the many ordinary series and can be badly wrong on the odd one (one spike
in a sparse history, a new shop, a discontinued item). These rules are plain numpy on the panel, run
after any model, and say per series which ``method`` produced its forecast and ``reason`` why:

* **Band.** ``upper = max(2 x q95 of the non-zero demand of the last 16 seasons' worth of periods,
  1.25 x q99 of the non-zero demand of the last year)``, lower 0. Quantiles, not the maximum, so one
  outlier day does not widen it; the last year keeps seasonal peaks (December) inside. Forecasts are
  clipped to it, and so are the values the recursion feeds back (see ``lgbm.py``), which is what
  makes the recursion unable to diverge.
* **Dormant.** No sale in the last ``dormant_weeks`` (default 8) weeks -> 0, method ``zero``.
* **Cold start.** Less than ``cold_start_weeks`` (default 8) weeks since the first known value ->
  the series' own mean level, shaped by the weekday profile of its product (else category, location,
  all series), method ``cold_start``. Nothing learnt from six days is worth more than its mean.
* **Fallback.** A series whose model forecast leaves the band, or whose backtest on the calibration
  window was worse than a baseline's (chosen in ``lgbm.py``), gets that baseline and the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .panel import Panel

# method names as stored on runs; "lightgbm" is the model's own (blended with the seasonal mean by
# the panel-wide weight chosen in lgbm.py)
LIGHTGBM = "lightgbm"
ZERO = "zero"
COLD_START = "cold_start"
# reasons (empty: the model was trusted)
DORMANT = "dormant"
NO_SALES = "no_sales"
SHORT_HISTORY = "short_history"
BACKTEST_WORSE = "backtest_worse"
OUTSIDE_BAND = "outside_band"
REASONS = (DORMANT, NO_SALES, SHORT_HISTORY, BACKTEST_WORSE, OUTSIDE_BAND)


def weeks_to_periods(weeks: int, kind: str) -> int:
    """A span in weeks as a number of periods of the panel's frequency (at least 1)."""
    if kind == "D":
        return 7 * weeks
    if kind == "W":
        return weeks
    return max(1, int(np.ceil(weeks / 4.345)))


def _nonzero_quantile(y: np.ndarray, q: float) -> np.ndarray:
    """Per-row quantile of the positive known values (NaN where a row has none)."""
    # one sort of the whole block (NaN sort last) and numpy's linear interpolation by hand: nanquantile
    # along an axis loops in Python per row, seconds per call at 20,000 series
    v = np.sort(np.where(np.isnan(y) | (y <= 0), np.nan, y.astype(np.float64)), axis=1)
    k = (~np.isnan(v)).sum(axis=1)
    out = np.full(y.shape[0], np.nan)
    has = k > 0
    if has.any():
        pos = q * (k[has] - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, k[has] - 1)
        rows = v[has]
        a = np.take_along_axis(rows, lo[:, None], axis=1)[:, 0]
        b = np.take_along_axis(rows, hi[:, None], axis=1)[:, 0]
        out[has] = a + (pos - lo) * (b - a)
    return out


def plausible_upper(y_hist: np.ndarray, season: int, year: int) -> np.ndarray:
    """Upper edge of each series' plausible band from its own robust history (0 if it never sold)."""
    recent = y_hist[:, -16 * season if season < 52 else -26:]
    a = 2.0 * _nonzero_quantile(recent, 0.95)
    b = 1.25 * _nonzero_quantile(y_hist[:, -year:], 0.99)
    up = np.fmax(a, b)
    return np.where(np.isnan(up), 0.0, up)


def history_length(panel: Panel, origin: int) -> np.ndarray:
    """Periods from each series' first known value to the origin (0 if none)."""
    known = ~np.isnan(panel.y[:, :origin])
    first = np.where(known.any(axis=1), known.argmax(axis=1), origin)
    return origin - first


def dormant_mask(y_hist: np.ndarray, periods: int) -> np.ndarray:
    """Series that sold something once but nothing in the last ``periods`` periods."""
    ever = np.nansum(np.where(np.isnan(y_hist), 0.0, y_hist), axis=1) > 0
    recent = y_hist[:, -periods:]
    recent_sales = np.nansum(np.where(np.isnan(recent), 0.0, recent), axis=1) > 0
    return ever & ~recent_sales & (y_hist.shape[1] >= periods)


def never_sold(y_hist: np.ndarray) -> np.ndarray:
    return ~(np.nan_to_num(y_hist, nan=0.0) > 0).any(axis=1)


def _weekday_profiles(panel: Panel, origin: int, weeks: int = 8) -> np.ndarray:
    """(n, 7) weekday shape of every series over its last ``weeks`` weeks, mean 1; NaN if not known."""
    lo = max(0, origin - 7 * weeks)
    y = panel.y[:, lo:origin].astype(np.float64)
    dow = panel.dates[lo:origin].day_of_week.to_numpy()
    prof = np.full((panel.n, 7), np.nan)
    for d in range(7):
        cols = y[:, dow == d]
        if cols.shape[1]:
            cnt = (~np.isnan(cols)).sum(axis=1)
            prof[:, d] = np.where(cnt > 0, np.nansum(cols, axis=1) / np.maximum(cnt, 1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        cnt = np.isfinite(prof).sum(axis=1)
        m = np.where(cnt > 0, np.nansum(prof, axis=1) / np.maximum(cnt, 1), np.nan)
        prof = prof / m[:, None]
    prof[~np.isfinite(prof).all(axis=1)] = np.nan
    return prof


TREND_BAND = (0.5, 2.0)  # a borrowed trend never more than halves or doubles a cold start's level


def _trend_window(panel: Panel) -> int:
    """Periods over which a trend is measured and applied: four weeks (daily) or four periods."""
    return 28 if panel.freq.kind == "D" else 4


def _trend_ratios(panel: Panel, origin: int) -> np.ndarray:
    """(n,) growth per trend window of every series: mean of the last window / the window before; NaN if unknown.

    A robust, two-point trend is all a donor can lend a series too young to show its own.
    """
    w = _trend_window(panel)
    if origin < 2 * w:
        return np.full(panel.n, np.nan)
    y = panel.y[:, origin - 2 * w : origin].astype(np.float64)
    known = ~np.isnan(y)
    total = np.where(known, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        before = total[:, :w].sum(axis=1) / known[:, :w].sum(axis=1)
        after = total[:, w:].sum(axis=1) / known[:, w:].sum(axis=1)
        ratio = after / before
    return np.where(np.isfinite(ratio) & (before > 0), ratio, np.nan)


def _borrow(panel: Panel, cold: np.ndarray, donors_ok: np.ndarray, values: np.ndarray, default: float | np.ndarray,
            reduce) -> np.ndarray:
    """Per cold row, ``reduce`` over the donors sharing its product, else category, else location, else all."""
    chosen = np.repeat(np.asarray(default, dtype=np.float64)[None], panel.n, axis=0)  # a row of ``default`` each
    frame = panel.series.reset_index(drop=True)
    for key in ("location", "category", "product"):  # later keys override: product wins
        codes = pd.factorize(frame[key])[0]
        for code in np.unique(codes[cold]):
            donors = donors_ok & (codes == code)
            if donors.any():
                chosen[cold & (codes == code)] = reduce(values[donors])
    return chosen


def cold_start_forecast(
    panel: Panel, origin: int, steps: int, cold: np.ndarray, mature: np.ndarray
) -> np.ndarray:
    """Forecasts (n, steps) for the ``cold`` rows: own level x a borrowed weekday profile x a borrowed trend.

    The profile is the mean profile of ``mature`` series sharing the product, else the category, else
    the location, else of all mature series; flat for non-daily data or when nothing can be borrowed.
    The trend is the median four-week growth of the same donors (median: one promotion among the donors
    must not lend its jump), applied from the middle of the cold series' own history, whose mean is its
    level, and bounded by ``TREND_BAND`` over the whole horizon.
    """
    out = np.zeros((panel.n, steps))
    if not cold.any():
        return out
    y = panel.y[:, :origin].astype(np.float64)
    dates = panel.all_dates[origin : origin + steps]
    prof = np.ones((panel.n, 7))
    if panel.freq.kind == "D":
        own = _weekday_profiles(panel, origin)
        ok = mature & np.isfinite(own).all(axis=1)
        overall = np.nanmean(own[ok], axis=0) if ok.any() else np.ones(7)
        prof = _borrow(panel, cold, ok, own, overall, lambda v: np.nanmean(v, axis=0))
    known = ~np.isnan(y)
    observed_dow = panel.dates[:origin].day_of_week.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        lvl = np.where(known, y, 0.0).sum(axis=1) / np.maximum(known.sum(axis=1), 1)
        # de-season the short mean: divide by the profile's mean over the days actually observed
        seen = np.where(known, prof[:, observed_dow], 0.0).sum(axis=1) / np.maximum(known.sum(axis=1), 1)
        # only once a whole season was seen: one Sunday says little about the week
        lvl = np.where((seen > 0) & (known.sum(axis=1) >= panel.freq.season), lvl / seen, lvl)
    ratios = _trend_ratios(panel, origin)
    trend_ok = mature & np.isfinite(ratios)
    overall_trend = float(np.median(ratios[trend_ok])) if trend_ok.any() else 1.0
    trend = _borrow(panel, cold, trend_ok, ratios, overall_trend, lambda v: float(np.median(v)))
    window = _trend_window(panel)
    first = np.where(known.any(axis=1), known.argmax(axis=1), origin - 1)
    age_mid = (origin - first) / 2.0  # the level is the mean of the cold history, centred here
    reach = (age_mid[:, None] + np.arange(1, steps + 1)[None, :]) / window
    with np.errstate(invalid="ignore", over="ignore"):
        growth = np.clip(np.power(np.clip(trend, 1e-3, None)[:, None], reach), *TREND_BAND)
    fdow = dates.day_of_week.to_numpy() if panel.freq.kind == "D" else np.zeros(steps, dtype=int)
    shape = prof[:, fdow] if panel.freq.kind == "D" else np.ones((panel.n, steps))
    out[cold] = (lvl[:, None] * shape * growth)[cold]
    return np.nan_to_num(out, nan=0.0)
