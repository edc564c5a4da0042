"""Engine parameters: one JSON-able dataclass (stored on a run), validation and LightGBM parameters."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np

from .errors import EngineError
from .panel import MISSING_POLICIES, frequency_from_alias

OBJECTIVES = ("tweedie", "poisson", "regression", "huber")



@dataclass
class EngineConfig:
    """Everything that shapes a model run; JSON-able so a ModelRun can store it as its parameters."""

    horizon: int = 28
    freq: str | None = None  # None: detect from the dates
    missing_policy: str = "zero"  # 'zero' | 'unknown'
    missing_policy_by_location: dict[str, str] | None = None
    drivers: list[str] | None = None  # None: every numeric non-key column of the history
    objective: str = "tweedie"
    blend: list[str] | None = None  # extra objectives whose models are averaged with the main one
    tweedie_variance_power: float = 1.2
    learning_rate: float = 0.05
    num_leaves: int = 63
    min_data_in_leaf: int = 40
    # half the columns per tree: the lags, windows and weekday means overlap, and a tree on half of them
    # costs 25 % less (Recruit 18 -> 14 ms a round) at the same accuracy (bench/README.md, fourth session)
    feature_fraction: float = 0.5
    bagging_fraction: float = 0.8
    lambda_l2: float = 1.0
    max_rounds: int = 600
    num_rounds: int | None = None  # fixed rounds; None = chosen on the calibration window (see fit)
    early_stopping_rounds: int = 15
    # the one-step guard waits this long: on store-level data its loss flattens by ~120 rounds while the
    # multi-step forecast keeps improving to 300 (Rossmann 134 rounds 0.158 RMSSE, 307 rounds 0.149)
    min_rounds: int = 200
    early_stopping_metric: str = "tweedie"  # one-step guard only; rounds are chosen by multi-step error
    calibrate: bool = True  # hold out the last horizon: early stopping + conformal intervals
    refit: bool = True  # after calibrating, retrain on all history with the chosen rounds
    scale_window: int | None = None  # periods in the per-series scale; None: 28 daily, 26 weekly, 6 monthly
    max_train_periods: int | None = None  # only the most recent periods as training targets
    # training cells above this are sampled (see LightGBMForecaster._sample_cells): a round costs time linear
    # in rows, and a global model stops gaining from more rows of the same shapes long before 20k series x 2 years
    max_train_rows: int | None = 1_500_000
    feed_back_gaps: bool = True  # see LightGBMForecaster._feedback
    stale_after: int | None = None  # periods without any row before a series counts as stopped
    seed: int = 0
    num_threads: int | None = None  # None: FORECAST_THREADS, else every core (see resolve_threads)
    label_cap: float = 100.0  # scaled training labels above this are outliers, clipped (one spike is not a level)
    dormant_weeks: int = 8  # no sale for this long -> forecast 0, flagged dormant
    cold_start_weeks: int = 8  # less history than this -> own level x borrowed weekday shape
    fallback_margin: float = 0.1  # a baseline replaces the model where its backtest MSE < margin x the model's
    baseline_blend: bool = False  # blend with the seasonal mean by a weight chosen on the calibration window

    def validate(self) -> None:
        """Raise :class:`EngineError` naming the first bad parameter."""

        def pos_int(name: str, v: object, allow_none: bool = False) -> None:
            if v is None and allow_none:
                return
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
                raise EngineError(f"{name}: must be a positive integer, got {v!r}")

        pos_int("horizon", self.horizon)
        pos_int("max_rounds", self.max_rounds)
        pos_int("num_rounds", self.num_rounds, allow_none=True)
        pos_int("early_stopping_rounds", self.early_stopping_rounds)
        pos_int("min_rounds", self.min_rounds)
        pos_int("max_train_periods", self.max_train_periods, allow_none=True)
        pos_int("max_train_rows", self.max_train_rows, allow_none=True)
        pos_int("stale_after", self.stale_after, allow_none=True)
        pos_int("scale_window", self.scale_window, allow_none=True)
        pos_int("num_leaves", self.num_leaves)
        pos_int("min_data_in_leaf", self.min_data_in_leaf)
        pos_int("num_threads", self.num_threads, allow_none=True)
        pos_int("dormant_weeks", self.dormant_weeks)
        pos_int("cold_start_weeks", self.cold_start_weeks)
        if not float(self.label_cap) > 1.0:
            raise EngineError("label_cap: must be greater than 1")
        if not 0.0 < float(self.fallback_margin) <= 1.0:
            raise EngineError("fallback_margin: must be in (0, 1]")
        if self.freq is not None:
            frequency_from_alias(self.freq)
        for p in [self.missing_policy, *(self.missing_policy_by_location or {}).values()]:
            if p not in MISSING_POLICIES:
                raise EngineError(f"missing_policy: unknown policy {p!r}; choose one of {list(MISSING_POLICIES)}")
        if self.objective not in OBJECTIVES:
            raise EngineError(f"objective: {self.objective!r} is not one of {list(OBJECTIVES)}")
        for b in self.blend or []:
            if b not in OBJECTIVES:
                raise EngineError(f"blend: {b!r} is not one of {list(OBJECTIVES)}")
        if not 1.0 < float(self.tweedie_variance_power) < 2.0:
            raise EngineError("tweedie_variance_power: must be between 1 and 2 (exclusive)")
        if not 0.0 < float(self.learning_rate) <= 1.0:
            raise EngineError("learning_rate: must be in (0, 1]")
        for name in ("feature_fraction", "bagging_fraction"):
            if not 0.0 < float(getattr(self, name)) <= 1.0:
                raise EngineError(f"{name}: must be in (0, 1]")
        if not isinstance(self.seed, (int, np.integer)) or isinstance(self.seed, bool):
            raise EngineError(f"seed: must be an integer, got {self.seed!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> EngineConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise EngineError(f"config: unknown parameter(s) {sorted(unknown)}")
        return cls(**dict(d))


def make_config(config: EngineConfig | Mapping | None = None, **overrides: object) -> EngineConfig:
    """Config from an object, a dict or keyword overrides; validated."""
    if config is None:
        cfg = EngineConfig()
    elif isinstance(config, EngineConfig):
        cfg = EngineConfig.from_dict(config.to_dict())
    else:
        cfg = EngineConfig.from_dict(config)
    for k, v in overrides.items():
        if not hasattr(cfg, k):
            raise EngineError(f"config: unknown parameter {k!r}")
        setattr(cfg, k, v)
    cfg.validate()
    return cfg



def resolve_threads(num_threads: int | None) -> int:
    """Threads for LightGBM: the configured number, else ``FORECAST_THREADS``, else every core.

    Results are identical for a fixed thread count (``deterministic``); across thread counts they
    differ only by floating-point summation order.
    """
    if num_threads:
        return int(num_threads)
    env = os.environ.get("FORECAST_THREADS", "").strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            raise EngineError(f"FORECAST_THREADS: must be a positive integer, got {env!r}") from None
        if value <= 0:
            raise EngineError(f"FORECAST_THREADS: must be a positive integer, got {env!r}")
        return value
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def lgb_params(cfg: EngineConfig, objective: str | None = None, member: int = 0) -> dict:
    """LightGBM parameters; deterministic and thread-capped so the same input gives the same bytes."""
    objective = objective or cfg.objective
    p = {
        "objective": objective,
        "learning_rate": cfg.learning_rate,
        "num_leaves": cfg.num_leaves,
        "min_data_in_leaf": cfg.min_data_in_leaf,
        "feature_fraction": cfg.feature_fraction,
        "bagging_fraction": cfg.bagging_fraction,
        "bagging_freq": 1 if cfg.bagging_fraction < 1 else 0,
        "lambda_l2": cfg.lambda_l2,
        "metric": cfg.early_stopping_metric,
        "max_bin": 127,
        # bin edges from a 50,000-row sample (LightGBM's default reads 200,000): 127 quantile edges per column
        # need no more, and binning every row of a mid-size panel cost a third of a second
        "bin_construct_sample_cnt": 50_000,
        "cat_smooth": 10,
        "max_cat_to_onehot": 8,
        "seed": cfg.seed + member,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": resolve_threads(cfg.num_threads),
        "verbosity": -1,
    }
    if objective == "tweedie":
        p["tweedie_variance_power"] = cfg.tweedie_variance_power
    elif p["metric"] == "tweedie":
        p["metric"] = {"poisson": "poisson", "regression": "l2", "huber": "huber"}[objective]
    return p
