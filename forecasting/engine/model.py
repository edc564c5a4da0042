"""The global LightGBM forecaster: configuration, training, recursive forecasting, serialisation."""

from __future__ import annotations

import gc
import gzip
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import lightgbm as lgb
import numpy as np
import pandas as pd

from .baselines import BASELINES, baseline_predict
from .errors import EngineError
from .features import CATEGORICAL, FeatureBuilder, FeatureSpec, SeriesState, default_spec
from .intervals import Calibration, apply_intervals, calibrate
from .panel import MISSING_POLICIES, Panel, build_panel, closed_mask, frequency_from_alias, series_level

Progress = Callable[[str, int, int], None]
OBJECTIVES = ("tweedie", "poisson", "regression", "huber")
FORMAT_VERSION = 2


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
    learning_rate: float = 0.1
    num_leaves: int = 63
    min_data_in_leaf: int = 40
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    lambda_l2: float = 1.0
    max_rounds: int = 600
    num_rounds: int | None = None  # fixed rounds; None = chosen on the calibration window (see fit)
    early_stopping_rounds: int = 50
    early_stopping_metric: str = "tweedie"  # one-step guard only; rounds are chosen by multi-step error
    calibrate: bool = True  # hold out the last horizon: early stopping + conformal intervals
    refit: bool = True  # after calibrating, retrain on all history with the chosen rounds
    scale_window: int | None = None  # periods in the per-series scale; None: 28 daily, 26 weekly, 6 monthly
    max_train_periods: int | None = None  # only the most recent periods as training targets
    feed_back_gaps: bool = True  # see LightGBMForecaster._feedback
    stale_after: int | None = None  # periods without any row before a series counts as stopped
    seed: int = 0
    num_threads: int = 1  # 1 is fastest on a busy shared host; results do not depend on it

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
        pos_int("max_train_periods", self.max_train_periods, allow_none=True)
        pos_int("stale_after", self.stale_after, allow_none=True)
        pos_int("scale_window", self.scale_window, allow_none=True)
        pos_int("num_leaves", self.num_leaves)
        pos_int("min_data_in_leaf", self.min_data_in_leaf)
        pos_int("num_threads", self.num_threads)
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
        if d.get("version") != FORMAT_VERSION:
            raise EngineError(f"model: format version {d.get('version')!r} is not supported")
        return cls(**d)

    @property
    def engine_config(self) -> EngineConfig:
        return EngineConfig.from_dict(self.config)


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
        "cat_smooth": 10,
        "max_cat_to_onehot": 8,
        "seed": cfg.seed + member,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": cfg.num_threads,
        "verbosity": -1,
    }
    if objective == "tweedie":
        p["tweedie_variance_power"] = cfg.tweedie_variance_power
    elif p["metric"] == "tweedie":
        p["metric"] = {"poisson": "poisson", "regression": "l2", "huber": "huber"}[objective]
    return p


def _category_codes(panel: Panel, categories: dict[str, list[str]]) -> dict[str, np.ndarray]:
    out = {}
    for feat, col in zip(CATEGORICAL, ("location", "product", "category"), strict=True):
        lookup = {v: i for i, v in enumerate(categories[col])}
        out[feat] = np.array([lookup.get(v, np.nan) for v in panel.series[col]], dtype=np.float32)
    return out


def _notify(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


class LightGBMForecaster:
    """Fits one global model on a panel and forecasts recursively; used by training and backtests."""

    name = "lightgbm"

    def __init__(self, cfg: EngineConfig):
        self.cfg = cfg
        self.seconds = {"features": 0.0, "train": 0.0, "predict": 0.0}
        self.members: list[tuple[lgb.Booster, int]] = []
        self.calibration: Calibration | None = None
        self.best_iteration = 0

    # -- setup ---------------------------------------------------------------------------------
    def _prepare(self, panel: Panel, drivers: list[str] | None = None, categories=None, spec=None) -> None:
        self.panel = panel
        if spec is None:
            spec = default_spec(panel.freq)
            if self.cfg.scale_window:
                spec = FeatureSpec.from_dict({**spec.to_dict(), "scale_window": self.cfg.scale_window})
        self.spec = spec
        self.drivers = list(panel.drivers) if drivers is None else drivers
        self.categories = categories or {
            c: sorted(panel.series[c].unique().tolist()) for c in ("location", "product", "category")
        }
        self.builder = FeatureBuilder(self.spec, panel, _category_codes(panel, self.categories), self.drivers)

    def _min_periods(self) -> int:
        return max(2 * self.spec.season if self.panel.freq.kind == "D" else 8, 8)

    # -- training ------------------------------------------------------------------------------
    def fit(self, panel: Panel, end: int, progress: Progress | None = None) -> LightGBMForecaster:
        """Train on targets in periods [0, end); with calibration, learn intervals from [end-H, end)."""
        cfg = self.cfg
        self._prepare(panel)
        H = cfg.horizon
        need = self._min_periods() + (H if cfg.calibrate else 0)
        if end < need:
            raise EngineError(
                f"history: not enough history: {end} periods, need at least {need} "
                f"({'horizon ' + str(H) + ' for calibration + ' if cfg.calibrate else ''}"
                f"{self._min_periods()} to learn from); shorten horizon or set calibrate=False"
            )
        t0 = time.perf_counter()
        _notify(progress, "features", 0, 1)
        start = 1 if cfg.max_train_periods is None else max(1, end - cfg.max_train_periods)
        cols = np.arange(start, end)
        state = SeriesState(panel.y[:, :end], capacity=end)
        target = panel.y[:, cols]
        mask = ~np.isnan(target) & (state.C[:, cols] >= 1) & ~closed_mask(panel, start, len(cols))
        if not mask.any():
            raise EngineError("history: no usable training targets (all unknown or closed)")
        X, scale = self.builder.build(state, cols, mask)
        label = (target[mask] / scale).astype(np.float32)
        tcol = np.broadcast_to(cols[None, :], mask.shape)[mask]
        self.seconds["features"] += time.perf_counter() - t0
        _notify(progress, "features", 1, 1)

        params = lgb_params(cfg)
        cat_idx = [self.builder.names.index(c) for c in CATEGORICAL]
        full = lgb.Dataset(
            X, label, feature_name=self.builder.names, categorical_feature=cat_idx, params=params,
        ).construct()
        del X, label, scale, mask, target  # LightGBM keeps its own 1-byte bins; the float matrix can go
        gc.collect()
        objectives = [cfg.objective, *(cfg.blend or [])]
        t0 = time.perf_counter()
        if cfg.calibrate:
            cut = end - H
            tr = np.flatnonzero(tcol < cut)
            va = np.flatnonzero(tcol >= cut)
            if len(tr) == 0:
                raise EngineError("history: no training targets before the calibration window; shorten horizon")
            actual = panel.y[:, cut:end].astype(np.float64)
            level = series_level(panel.y[:, :cut], 2 * self.spec.scale_window)
            chosen = []
            for k, objective in enumerate(objectives):
                t0 = time.perf_counter()
                rounds = cfg.num_rounds or cfg.max_rounds
                callbacks = [_progress_callback(progress, "train", rounds)]
                if cfg.num_rounds is None and len(va):
                    # a loose guard against runaway overfitting; the real choice is made below
                    callbacks.append(lgb.early_stopping(cfg.early_stopping_rounds, verbose=False))
                booster = lgb.train(
                    lgb_params(cfg, objective, k), full.subset(tr), num_boost_round=rounds,
                    valid_sets=[full.subset(va)] if len(va) else None, callbacks=callbacks,
                )
                self.seconds["train"] += time.perf_counter() - t0
                booster.free_dataset()  # drop the training subset before the next fit
                best = self._choose_rounds(panel, cut, H, actual, level, booster, progress)
                chosen.append((booster, best))
            self.members = chosen
            pred = self.predict(panel, cut, H, progress=progress, stage="calibrate")
            t0 = time.perf_counter()
            self.calibration = calibrate(actual, pred, level, exclude=closed_mask(panel, cut, H))
            if cfg.refit:
                chosen = [(None, best) for _, best in chosen]
                self.members = []
                gc.collect()
                grow = 1 + H / max(end - start, 1)
                members = []
                for k, (objective, (_, best)) in enumerate(zip(objectives, chosen, strict=True)):
                    final_rounds = max(1, int(round(best * grow)))
                    booster = lgb.train(
                        lgb_params(cfg, objective, k), full, num_boost_round=final_rounds,
                        callbacks=[_progress_callback(progress, "train", final_rounds)],
                    )
                    members.append((booster, final_rounds))
                self.members = members
        else:
            rounds = cfg.num_rounds or 300
            self.members = [
                (lgb.train(lgb_params(cfg, objective, k), full, num_boost_round=rounds,
                           callbacks=[_progress_callback(progress, "train", rounds)]), rounds)
                for k, objective in enumerate(objectives)
            ]
            self.calibration = Calibration((0.1, 0.5, 0.9), [[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0], 0)
        self.best_iteration = self.members[0][1]
        self.seconds["train"] += time.perf_counter() - t0
        self.end = end
        return self

    def _choose_rounds(
        self, panel: Panel, cut: int, H: int, actual: np.ndarray, level: np.ndarray, booster: lgb.Booster,
        progress: Progress | None,
    ) -> int:
        """Pick the number of boosting rounds by the *recursive* H-step error on the held-out window.

        One-step validation loss (early stopping) rewards rounds that fit teacher-forced lags; what
        matters is the multi-step forecast, so a few checkpoints are forecast recursively and scored by
        the mean over series of MSE / level^2 (RMSSE-like, every series counts equally).
        """
        trained = booster.current_iteration()
        if self.cfg.num_rounds is not None:
            return min(self.cfg.num_rounds, trained)
        grid = [25, 50, 100, 150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1600, 2000]
        cands = sorted({c for c in grid if c < trained} | {trained})
        best, best_score = cands[-1], np.inf
        for k, it in enumerate(cands):
            pred = self.predict(panel, cut, H, members=[(booster, it)])
            err = (actual - pred) ** 2 / (level[:, None] ** 2)
            known = ~np.isnan(err)
            cnt = known.sum(axis=1)
            per_series = np.where(known, err, 0.0).sum(axis=1)[cnt > 0] / cnt[cnt > 0]
            score = float(per_series.mean()) if len(per_series) else 0.0
            if score < best_score - 1e-12:
                best, best_score = it, score
            _notify(progress, "calibrate", k + 1, len(cands))
        return best

    # -- forecasting ---------------------------------------------------------------------------
    def predict(
        self,
        panel: Panel,
        origin: int,
        steps: int,
        progress: Progress | None = None,
        stage: str = "predict",
        members: list[tuple[lgb.Booster, int]] | None = None,
    ) -> np.ndarray:
        """Recursive forecasts (n, steps) from ``origin``: features recomputed from y and earlier forecasts.

        With several members (a blend) their predictions are averaged inside every step, so the
        recursion feeds back the blended forecast.
        """
        members = members or self.members
        if not members:
            raise EngineError("model: not trained")
        if panel is not self.panel:
            self._prepare(panel, self.drivers, self.categories, self.spec)
        t0 = time.perf_counter()
        state = SeriesState(panel.y[:, :origin], capacity=origin + steps)
        closed = closed_mask(panel, origin, steps)
        out = np.empty((panel.n, steps))
        for h in range(steps):
            t = origin + h
            X, scale = self.builder.build(state, np.array([t]))
            p = members[0][0].predict(X, num_iteration=members[0][1], num_threads=self.cfg.num_threads)
            for booster, it in members[1:]:
                p = p + booster.predict(X, num_iteration=it, num_threads=self.cfg.num_threads)
            p = np.maximum(p / len(members) * scale, 0.0)
            p[closed[:, h]] = 0.0
            out[:, h] = p
            state.append(self._feedback(state, t, p))
            _notify(progress, stage, h + 1, steps)
        self.seconds["predict"] += time.perf_counter() - t0
        return out

    def _feedback(self, state: SeriesState, t: int, p: np.ndarray) -> np.ndarray:
        """What the recursion writes back for period t.

        Under the 'unknown' policy a series can be closed on a fixed weekday (no rows, e.g. every
        Sunday); training never saw a value there, so writing the forecast back would feed the next
        steps lags the model has never seen. Daily series whose same weekday was unknown in each of the
        last 4 weeks, after at least 4 weeks of known history, get an unknown written back instead (the
        forecast itself is still reported).
        """
        if self.spec.season != 7 or not self.cfg.feed_back_gaps:
            return p
        m = self.spec.season
        lags = [state.lag(np.array([t]), m * k)[:, 0] for k in range(1, 5)]
        gap = np.all([np.isnan(v) for v in lags], axis=0) & (state.C[:, t] >= 4 * m)
        return np.where(gap, np.nan, p)

    def to_model(self, panel: Panel) -> ForecastModel:
        imp = sum(b.feature_importance(importance_type="gain") for b, _ in self.members)
        total = float(imp.sum()) or 1.0
        return ForecastModel(
            config=self.cfg.to_dict(),
            freq=panel.freq.alias,
            spec=self.spec.to_dict(),
            feature_names=list(self.builder.names),
            drivers=list(self.drivers),
            binary={d: bool(panel.binary.get(d, False)) for d in self.drivers},
            categories=self.categories,
            boosters=[b.model_to_string(num_iteration=it) for b, it in self.members],
            iterations=[int(it) for _, it in self.members],
            calibration=self.calibration.to_dict(),
            trained_through=str(panel.dates[self.end - 1].date()),
            n_series=panel.n,
            best_iteration=self.best_iteration,
            feature_importance={
                n: round(float(v) / total, 6) for n, v in zip(self.builder.names, imp, strict=True)
            },
            seconds={k: round(v, 4) for k, v in self.seconds.items()},
        )

    @classmethod
    def from_model(cls, model: ForecastModel) -> LightGBMForecaster:
        self = cls(model.engine_config)
        self.members = [
            (lgb.Booster(model_str=b), it) for b, it in zip(model.boosters, model.iterations, strict=True)
        ]
        self.calibration = Calibration.from_dict(model.calibration)
        self.spec = FeatureSpec.from_dict(model.spec)
        self.drivers = list(model.drivers)
        self.categories = {k: list(v) for k, v in model.categories.items()}
        self.binary = dict(model.binary)
        self.panel = None
        self.best_iteration = model.best_iteration
        return self


def _progress_callback(progress: Progress | None, stage: str, total: int):
    def cb(env: lgb.callback.CallbackEnv) -> None:
        if progress is not None and ((env.iteration + 1) % 50 == 0 or env.iteration + 1 == total):
            progress(stage, env.iteration + 1, total)

    return cb


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
            self.calibration = calibrate(panel.y[:, cut:end], pred, level, exclude=closed_mask(panel, cut, H))
        else:
            self.calibration = Calibration((0.1, 0.5, 0.9), [[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0], 0)
        return self

    def predict(self, panel: Panel, origin: int, steps: int, progress: Progress | None = None) -> np.ndarray:
        t0 = time.perf_counter()
        out = baseline_predict(self.name, panel.y[:, :origin], steps, panel.freq)
        out[closed_mask(panel, origin, steps)] = 0.0
        self.seconds["predict"] += time.perf_counter() - t0
        return out


def interval_level(panel: Panel, origin: int, spec_scale_window: int) -> np.ndarray:
    return series_level(panel.y[:, :origin], 2 * spec_scale_window)


def stale_series(panel: Panel, origin: int, stale_after: int) -> np.ndarray:
    """Series whose last input row is more than ``stale_after`` periods before the origin."""
    last = panel.last_observed_index(origin)
    return (last < 0) | (origin - 1 - last > stale_after)


def forecast_frame(
    panel: Panel, origin: int, pred: np.ndarray, quantiles: dict[float, np.ndarray], dates: pd.DatetimeIndex
) -> pd.DataFrame:
    """Long output frame: location, product, date, yhat, p10, p50, p90 (sorted, float64)."""
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
    return frame


def _check_history_frame(history: pd.DataFrame) -> None:
    if not isinstance(history, pd.DataFrame):
        raise EngineError(f"history: expected a pandas DataFrame, got {type(history).__name__}")


def train(
    history: pd.DataFrame,
    config: EngineConfig | Mapping | None = None,
    *,
    progress: Progress | None = None,
    **overrides: object,
) -> ForecastModel:
    """Train the global model on the whole history (and calibrate its intervals on the last horizon)."""
    _check_history_frame(history)
    cfg = make_config(config, **overrides)
    panel = build_panel(
        history, horizon=0, freq=cfg.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=cfg.drivers,
    )
    m = LightGBMForecaster(cfg).fit(panel, panel.T, progress=progress)
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
    panel = build_panel(
        history, horizon=int(H), future=future, freq=model.freq, missing_policy=cfg.missing_policy,
        missing_policy_by_location=cfg.missing_policy_by_location, drivers=model.drivers,
    )
    panel.binary = dict(model.binary)
    m = LightGBMForecaster.from_model(model)
    pred = m.predict(panel, panel.T, int(H), progress=progress)
    return _finish(panel, m, pred, panel.T, int(H), cfg)


def _finish(panel: Panel, m, pred: np.ndarray, origin: int, H: int, cfg: EngineConfig) -> pd.DataFrame:
    level = interval_level(panel, origin, m.spec.scale_window)
    closed = closed_mask(panel, origin, H)
    stale = stale_series(panel, origin, cfg.stale_after or 2 * cfg.horizon)
    pred = pred.copy()
    pred[stale] = 0.0
    q = apply_intervals(m.calibration, pred, level, closed | stale[:, None])
    dates = panel.all_dates[origin : origin + H]
    return forecast_frame(panel, origin, pred, q, dates)


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
