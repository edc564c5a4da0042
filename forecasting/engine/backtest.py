"""Rolling-origin backtest: K folds of horizon H ending at the last date, every model on the same points."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .config import EngineConfig, make_config
from .errors import EngineError
from .finalize import finish_forecast
from .forecasters import forecaster, validate_models
from .lgbm import Progress
from .metrics import all_metrics, rmsse_per_series
from .panel import build_panel

DEFAULT_MODELS = ("lightgbm", "seasonal_naive", "moving_average", "zero")


def fold_origins(T: int, horizon: int, folds: int, step: int | None = None) -> list[int]:
    """Origins (first forecast period index) of the folds, oldest first; the last fold ends at T."""
    step = step or horizon
    return [T - horizon - (folds - 1 - k) * step for k in range(folds)]


def backtest(
    history: pd.DataFrame,
    config: EngineConfig | Mapping | None = None,
    *,
    folds: int = 3,
    models: Sequence[str] = DEFAULT_MODELS,
    step: int | None = None,
    progress: Progress | None = None,
    **overrides: object,
) -> dict:
    """Fit and score every model on K rolling origins; returns a JSON-able report.

    ``{"horizon", "folds", "series", "freq", "models": {name: {wape, rmsse, mae, rmse, bias, coverage_80}},
    "seconds": {"features", "train", "predict"}, "per_fold": [...]}``. Aggregates pool all folds' points
    (RMSSE: mean over series x fold). Series with no known value before a fold's origin are not scored in
    that fold. Timings are the LightGBM model's.
    """
    cfg = make_config(config, **overrides)
    if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds <= 0:
        raise EngineError(f"folds: must be a positive integer, got {folds!r}")
    if step is not None and (not isinstance(step, (int, np.integer)) or step <= 0):
        raise EngineError(f"step: must be a positive integer, got {step!r}")
    names = validate_models(models)
    H = cfg.horizon
    panel = build_panel(
        history, horizon=0, freq=cfg.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=cfg.drivers,
    )
    origins = fold_origins(panel.T, H, folds, step)
    if origins[0] < 2:
        raise EngineError(
            f"folds: not enough history for {folds} fold(s) of horizon {H}: {panel.T} periods available"
        )
    collected: dict[str, dict[str, list]] = {n: {"y": [], "f": [], "lo": [], "hi": [], "rmsse": []} for n in names}
    seconds = {"features": 0.0, "train": 0.0, "predict": 0.0}
    per_fold = []
    total = len(origins) * len(names)
    done = 0
    for k, origin in enumerate(origins):
        actual = panel.y[:, origin : origin + H].astype(np.float64)
        hist = panel.y[:, :origin]
        scored = (~np.isnan(hist)).any(axis=1)
        actual[~scored] = np.nan
        fold = {"fold": k + 1, "origin": str(panel.dates[origin].date()), "models": {}}
        for name in names:
            m = forecaster(name, cfg)
            t0 = time.perf_counter()
            m.fit(panel, origin, progress=progress)
            final = finish_forecast(panel, m, m.predict(panel, origin, H), origin, H, cfg)
            pred, q = final.pred, final.quantiles
            if name == "lightgbm":
                for key in seconds:
                    seconds[key] += m.seconds[key]
            fold["models"][name] = all_metrics(actual, pred, hist, q[0.1], q[0.9])
            fold["models"][name]["seconds"] = round(time.perf_counter() - t0, 3)
            c = collected[name]
            c["y"].append(actual)
            c["f"].append(pred)
            c["lo"].append(q[0.1])
            c["hi"].append(q[0.9])
            c["rmsse"].append(rmsse_per_series(actual, pred, hist))
            done += 1
            if progress is not None:
                progress("backtest", done, total)
        per_fold.append(fold)
    result_models = {}
    for name, c in collected.items():
        y = np.concatenate(c["y"])
        metrics = all_metrics(y, np.concatenate(c["f"]), None, np.concatenate(c["lo"]),
                              np.concatenate(c["hi"]))
        r = np.concatenate(c["rmsse"])
        r = r[~np.isnan(r)]
        metrics["rmsse"] = round(float(r.mean()), 6) if len(r) else None
        result_models[name] = metrics
    return {
        "horizon": H,
        "folds": len(origins),
        "series": int(panel.n),
        "freq": panel.freq.alias,
        "models": result_models,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "per_fold": per_fold,
    }
