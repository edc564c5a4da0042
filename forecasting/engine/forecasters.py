"""Baselines behind the forecaster interface, and the lookup of a forecaster by name."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .baselines import BASELINES, baseline_predict
from .config import EngineConfig
from .errors import EngineError
from .features import default_spec
from .intervals import Calibration, bucket_width, calibrate
from .lgbm import LightGBMForecaster, Progress
from .panel import Panel, closed_mask, series_level


class BaselineForecaster:
    """A baseline with the same fit/predict/calibration interface as :class:`LightGBMForecaster`."""

    def __init__(self, name: str, cfg: EngineConfig):
        if name not in BASELINES:
            raise EngineError(f"models: unknown model {name!r}; choose from {['lightgbm', *BASELINES]}")
        self.name = name
        self.cfg = cfg
        self.seconds = {"features": 0.0, "train": 0.0, "predict": 0.0}

    def fit(self, panel: Panel, end: int, progress: Progress | None = None) -> BaselineForecaster:
        H = self.cfg.horizon
        self.spec = default_spec(panel.freq)
        if end < 2:
            raise EngineError(f"history: not enough history for {self.name}: {end} periods")
        if self.cfg.calibrate and end - H >= 2:
            cut = end - H
            pred = self.predict(panel, cut, H)
            level = series_level(panel.y[:, :cut], 2 * self.spec.scale_window)
            self.calibration = calibrate(
                panel.y[:, cut:end], pred, level, exclude=closed_mask(panel, cut, H),
                width=bucket_width(self.spec.season, H),
            )
        else:
            self.calibration = Calibration((0.1, 0.5, 0.9), [[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0], 0)
        return self

    def predict(self, panel: Panel, origin: int, steps: int, progress: Progress | None = None) -> np.ndarray:
        t0 = time.perf_counter()
        out = baseline_predict(self.name, panel.y[:, :origin], steps, panel.freq)
        out[closed_mask(panel, origin, steps)] = 0.0
        self.seconds["predict"] += time.perf_counter() - t0
        return out


def forecaster(name: str, cfg: EngineConfig) -> LightGBMForecaster | BaselineForecaster:
    return LightGBMForecaster(cfg) if name == "lightgbm" else BaselineForecaster(name, cfg)


def validate_models(models: Sequence[str]) -> list[str]:
    names = list(models)
    if not names:
        raise EngineError("models: at least one model is required")
    for name in names:
        if name != "lightgbm" and name not in BASELINES:
            raise EngineError(f"models: unknown model {name!r}; choose from {['lightgbm', *BASELINES]}")
    return names
