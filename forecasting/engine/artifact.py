"""The stored form of a trained model: gzipped JSON (no pickle), byte-identical for identical models."""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass, field

from .config import EngineConfig
from .errors import EngineError

FORMAT_VERSION = 3


@dataclass
class ForecastModel:
    """A trained model plus everything needed to forecast with it later (see :meth:`to_bytes`)."""

    config: dict
    freq: str
    spec: dict
    feature_names: list[str]
    drivers: list[str]
    binary: dict[str, bool]
    categories: dict[str, list[str]]
    boosters: list[str]
    iterations: list[int]
    calibration: dict
    trained_through: str
    n_series: int
    best_iteration: int
    feature_importance: dict[str, float]
    seconds: dict[str, float] = field(default_factory=dict)
    # [location, product, method, fallback baseline] where the backtest did not simply pick the model
    series_choice: list[list[str]] = field(default_factory=list)
    blend_weight: float = 0.0  # share of the seasonal-mean baseline in the model's forecasts
    version: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        """Gzipped JSON (no pickle: safe to load from a database), byte-identical for identical models.

        Timings (``seconds``) are left out: they are run facts, not part of the model.
        """
        d = asdict(self)
        d.pop("seconds")
        payload = json.dumps(d, sort_keys=True, separators=(",", ":")).encode()
        return gzip.compress(payload, compresslevel=6, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> ForecastModel:
        try:
            d = json.loads(gzip.decompress(data).decode())
        except (OSError, ValueError) as exc:
            raise EngineError(f"model: bytes are not a serialised forecasting model ({exc})") from exc
        if d.get("version") == 2:
            # stored before per-series choices existed: its spec is stored with it, so it still forecasts
            # (every series by the model, subject to the guards); no blend
            d = {**d, "version": FORMAT_VERSION}
        if d.get("version") != FORMAT_VERSION:
            raise EngineError(f"model: format version {d.get('version')!r} is not supported")
        return cls(**d)

    @property
    def engine_config(self) -> EngineConfig:
        return EngineConfig.from_dict(self.config)
