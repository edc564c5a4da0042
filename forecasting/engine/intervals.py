"""Prediction intervals by split-conformal calibration of normalised residuals, per horizon bucket.

A model is fitted on history up to ``origin - H``, forecasts the last H known periods exactly as it
would in production (recursively), and the residuals ``(y - yhat) / d`` with
``d = (yhat + level) / 2`` are stored as empirical quantiles per horizon bucket (steps 1, 2-3, 4-7,
8-15, 16-31, ...). Normalising by a blend of the forecast and the series level lets one small table
serve big and small series and busy and quiet days. Quantiles (not a symmetric width) keep the
asymmetry of zero-bounded demand. This needs no extra models, so p10/p50/p90 cost one extra fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUANTILES = (0.1, 0.5, 0.9)


def horizon_bucket(step: np.ndarray) -> np.ndarray:
    """1-based step -> bucket index: 1 ->0, 2-3 ->1, 4-7 ->2, 8-15 ->3, 16-31 ->4, ..."""
    return np.floor(np.log2(np.maximum(np.asarray(step), 1))).astype(int)


def normaliser(pred: np.ndarray, level: np.ndarray) -> np.ndarray:
    return 0.5 * np.maximum(pred, 0.0) + 0.5 * level[:, None] + 1e-9


@dataclass
class Calibration:
    """Quantiles of normalised residuals: ``table[bucket][k]`` for ``quantiles[k]``."""

    quantiles: tuple[float, ...]
    table: list[list[float]]
    pooled: list[float]
    count: int

    def to_dict(self) -> dict:
        return {"quantiles": list(self.quantiles), "table": self.table, "pooled": self.pooled, "count": self.count}

    @classmethod
    def from_dict(cls, d: dict) -> Calibration:
        return cls(tuple(d["quantiles"]), [list(r) for r in d["table"]], list(d["pooled"]), int(d["count"]))


def calibrate(
    actual: np.ndarray,
    pred: np.ndarray,
    level: np.ndarray,
    exclude: np.ndarray | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
    min_count: int = 30,
) -> Calibration:
    """Residual quantiles from one or more calibration windows (arrays (n, H); NaN actuals skipped)."""
    r = (actual - pred) / normaliser(pred, level)
    ok = ~np.isnan(r)
    if exclude is not None:
        ok &= ~exclude
    steps = np.broadcast_to(np.arange(1, actual.shape[1] + 1)[None, :], actual.shape)
    buckets = horizon_bucket(steps)
    pooled_vals = r[ok]
    pooled = [float(np.quantile(pooled_vals, q)) for q in quantiles] if len(pooled_vals) else [0.0] * len(quantiles)
    table = []
    for b in range(int(buckets.max()) + 1):
        vals = r[ok & (buckets == b)]
        if len(vals) >= min_count:
            table.append([float(np.quantile(vals, q)) for q in quantiles])
        else:  # too few residuals in this bucket: fall back to all horizons pooled
            table.append(list(pooled))
    return Calibration(tuple(quantiles), table, pooled, int(len(pooled_vals)))


def apply_intervals(
    cal: Calibration, pred: np.ndarray, level: np.ndarray, closed: np.ndarray | None = None
) -> dict[float, np.ndarray]:
    """Quantile forecasts (n, H) per calibrated quantile; non-negative and non-crossing."""
    steps = np.arange(1, pred.shape[1] + 1)
    buckets = horizon_bucket(steps)
    d = normaliser(pred, level)
    out = []
    for k, _q in enumerate(cal.quantiles):
        offs = np.array([cal.table[b][k] if b < len(cal.table) else cal.pooled[k] for b in buckets])
        out.append(np.maximum(pred + offs[None, :] * d, 0.0))
    stacked = np.sort(np.stack(out), axis=0)  # guarantees p10 <= p50 <= p90
    if closed is not None:
        stacked[:, closed] = 0.0
    return {q: stacked[k] for k, q in enumerate(cal.quantiles)}
