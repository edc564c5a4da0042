"""The engine's public entry points: train, predict and baseline_forecast on long pandas frames."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .artifact import ForecastModel
from .config import EngineConfig, make_config
from .errors import EngineError
from .finalize import Finished, finish_forecast
from .forecasters import BaselineForecaster
from .lgbm import BoosterTrainer, LightGBMForecaster, Progress
from .panel import Panel, build_panel


def forecast_frame(panel: Panel, done: Finished, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Long output frame: location, product, date, yhat, p10, p50, p90 (float64), method, reason.

    ``method`` is what produced the series' forecast and ``reason`` why it is not the model's own
    (empty when the model was trusted); both repeat on every row of the series.
    """
    pred, quantiles = done.pred, done.quantiles
    n, h = pred.shape
    frame = pd.DataFrame(
        {
            "location": np.repeat(panel.series["location"].to_numpy(), h),
            "product": np.repeat(panel.series["product"].to_numpy(), h),
            "date": np.tile(dates.to_numpy(), n),
            "yhat": pred.reshape(-1).astype(np.float64),
            "p10": quantiles[0.1].reshape(-1).astype(np.float64),
            "p50": quantiles[0.5].reshape(-1).astype(np.float64),
            "p90": quantiles[0.9].reshape(-1).astype(np.float64),
        }
    )
    frame["location"] = frame["location"].astype(str)
    frame["product"] = frame["product"].astype(str)
    frame["method"] = np.repeat(done.method.astype(str), h)
    frame["reason"] = np.repeat(done.reason.astype(str), h)
    return frame


def _check_history_frame(history: pd.DataFrame) -> None:
    if not isinstance(history, pd.DataFrame):
        raise EngineError(f"history: expected a pandas DataFrame, got {type(history).__name__}")


def train(
    history: pd.DataFrame,
    config: EngineConfig | Mapping | None = None,
    *,
    progress: Progress | None = None,
    trainer: BoosterTrainer | None = None,
    **overrides: object,
) -> ForecastModel:
    """Train the global model on the whole history (and calibrate its intervals on the last horizon).

    ``trainer`` trains the boosters (default: in this process; ``dask_backend.DaskTrainer`` over a Dask cluster);
    everything else, the forecast included, is the same whichever trained them.
    """
    _check_history_frame(history)
    cfg = make_config(config, **overrides)
    panel = build_panel(
        history, horizon=0, freq=cfg.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=cfg.drivers,
    )
    m = LightGBMForecaster(cfg, trainer).fit(panel, panel.T, progress=progress)
    return m.to_model(panel)


def predict(
    model: ForecastModel | bytes,
    history: pd.DataFrame,
    future: pd.DataFrame | None = None,
    *,
    horizon: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Forecast ``horizon`` periods after the last date of ``history`` with a trained model.

    ``future`` holds known-in-advance drivers for the horizon (location, product, date + driver
    columns); gaps get defaults (open, no promotion, no holiday, last known price). Closed periods
    (``is_open`` = 0) are forecast as exactly 0; series with no row in the last ``stale_after`` periods
    (default 2 x horizon) are treated as stopped and forecast as 0.
    """
    if isinstance(model, (bytes, bytearray)):
        model = ForecastModel.from_bytes(bytes(model))
    if not isinstance(model, ForecastModel):
        raise EngineError(f"model: expected a ForecastModel or its bytes, got {type(model).__name__}")
    _check_history_frame(history)
    cfg = model.engine_config
    H = cfg.horizon if horizon is None else horizon
    if isinstance(H, bool) or not isinstance(H, (int, np.integer)) or H <= 0:
        raise EngineError(f"horizon: must be a positive integer, got {H!r}")
    missing = [d for d in model.drivers if d not in history.columns]
    if missing:
        raise EngineError(f"history: driver column(s) {missing} used in training are missing")
    m = LightGBMForecaster.from_model(model)
    panel = build_panel(
        history, horizon=int(H), future=future, freq=model.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=model.drivers,
        lookahead=m.spec.driver_lookahead,
    )
    panel.binary = dict(model.binary)
    pred = m.predict(panel, panel.T, int(H), progress=progress)
    return _finish(panel, m, pred, panel.T, int(H), cfg)


def _finish(panel: Panel, m, pred: np.ndarray, origin: int, H: int, cfg: EngineConfig) -> pd.DataFrame:
    done = finish_forecast(panel, m, pred, origin, H, cfg)
    return forecast_frame(panel, done, panel.all_dates[origin : origin + H])


def baseline_forecast(
    history: pd.DataFrame,
    method: str,
    future: pd.DataFrame | None = None,
    config: EngineConfig | Mapping | None = None,
    **overrides: object,
) -> pd.DataFrame:
    """Forecast with a baseline ('seasonal_naive', 'moving_average', 'zero'); same output as :func:`predict`."""
    cfg = make_config(config, **overrides)
    panel = build_panel(
        history, horizon=cfg.horizon, future=future, freq=cfg.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=cfg.drivers,
    )
    b = BaselineForecaster(method, cfg).fit(panel, panel.T)
    pred = b.predict(panel, panel.T, cfg.horizon)
    return _finish(panel, b, pred, panel.T, cfg.horizon, cfg)

