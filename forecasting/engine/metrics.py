"""Accuracy metrics on (n_series, H) arrays; NaN actuals (unknown periods) are ignored everywhere.

* WAPE = sum|y - yhat| / sum|y|
* MAE, RMSE over all scored points
* bias = sum(yhat - y) / sum|y| (positive = over-forecast), scale-free like WAPE
* RMSSE (M5): per series sqrt(mean((y - yhat)^2) / mean((y_t - y_{t-1})^2)), the denominator from
  that series' own history starting at its first non-zero value; averaged over series with a positive
  denominator (unweighted)
* coverage_80 = share of actuals inside [p10, p90]
"""

from __future__ import annotations

import numpy as np


def _pair(y: np.ndarray, yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=np.float64)
    yhat = np.asarray(yhat, dtype=np.float64)
    ok = ~np.isnan(y)
    return y[ok], yhat[ok]


def wape(y: np.ndarray, yhat: np.ndarray) -> float:
    a, f = _pair(y, yhat)
    den = np.abs(a).sum()
    return float(np.abs(a - f).sum() / den) if den > 0 else float("nan")


def mae(y: np.ndarray, yhat: np.ndarray) -> float:
    a, f = _pair(y, yhat)
    return float(np.abs(a - f).mean()) if len(a) else float("nan")


def rmse(y: np.ndarray, yhat: np.ndarray) -> float:
    a, f = _pair(y, yhat)
    return float(np.sqrt(((a - f) ** 2).mean())) if len(a) else float("nan")


def bias(y: np.ndarray, yhat: np.ndarray) -> float:
    a, f = _pair(y, yhat)
    den = np.abs(a).sum()
    return float((f - a).sum() / den) if den > 0 else float("nan")


def coverage(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    y = np.asarray(y, dtype=np.float64)
    ok = ~np.isnan(y)
    if not ok.any():
        return float("nan")
    inside = (y[ok] >= np.asarray(lo)[ok] - 1e-9) & (y[ok] <= np.asarray(hi)[ok] + 1e-9)
    return float(inside.mean())


def naive_scale(y_hist: np.ndarray) -> np.ndarray:
    """Per series mean squared one-step change of known values from the first non-zero one (M5)."""
    y_hist = np.asarray(y_hist, dtype=np.float64)
    out = np.full(y_hist.shape[0], np.nan)
    for i, row in enumerate(y_hist):
        v = row[~np.isnan(row)]
        nz = np.flatnonzero(v != 0)
        if len(nz) == 0:
            continue
        v = v[nz[0] :]
        if len(v) < 2:
            continue
        out[i] = float(np.mean(np.diff(v) ** 2))
    return out


def rmsse_per_series(
    y: np.ndarray, yhat: np.ndarray, y_hist: np.ndarray | None = None, *, scale: np.ndarray | None = None
) -> np.ndarray:
    """RMSSE of each series (NaN where it has no scored point or a zero denominator).

    ``scale`` (from :func:`naive_scale`) may be given instead of ``y_hist`` when one history is scored
    many times.
    """
    y = np.asarray(y, dtype=np.float64)
    err = (y - np.asarray(yhat, dtype=np.float64)) ** 2
    ok = ~np.isnan(y)
    cnt = ok.sum(axis=1)
    mse = np.where(cnt > 0, np.where(ok, err, 0.0).sum(axis=1) / np.maximum(cnt, 1), np.nan)
    if scale is None:
        scale = naive_scale(y_hist)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((scale > 0) & (cnt > 0), np.sqrt(mse / scale), np.nan)


def rmsse(y: np.ndarray, yhat: np.ndarray, y_hist: np.ndarray) -> float:
    v = rmsse_per_series(y, yhat, y_hist)
    v = v[~np.isnan(v)]
    return float(v.mean()) if len(v) else float("nan")


def all_metrics(
    y: np.ndarray,
    yhat: np.ndarray,
    y_hist: np.ndarray | None,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
) -> dict[str, float | None]:
    """The standard metric dict (JSON-able; coverage None when no interval is given)."""
    out: dict[str, float | None] = {
        "wape": wape(y, yhat),
        "rmsse": rmsse(y, yhat, y_hist) if y_hist is not None else float("nan"),
        "mae": mae(y, yhat),
        "rmse": rmse(y, yhat),
        "bias": bias(y, yhat),
        "coverage_80": coverage(y, lo, hi) if lo is not None and hi is not None else None,
    }
    return {k: (None if v is None or not np.isfinite(v) else round(float(v), 6)) for k, v in out.items()}
