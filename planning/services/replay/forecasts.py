"""Forecast sources for a replay: what each forecaster would have said on the morning of a review day.

Every source is handed the index of the review day and builds its answer from the history *before* that
day only (rows are cut by date before the engine sees them; known-in-advance drivers — planned promotions,
holidays, planned closures — are the only columns taken from the days ahead, as in the nightly run). The
model source re-trains the product's LightGBM engine every ``retrain_every_days`` (rolling origin) and, in
between, forecasts with the last model from the history known that morning, as a nightly run reusing a
stored model would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from forecasting import engine
from forecasting.engine.baselines import moving_average, seasonal_naive
from planning.services.replay.simulate import ForecastBlock

KEY_COLUMNS = ("location", "product", "date", "y")


class HistoryCut:
    """The engine's history frame, cut at any day: rows before it, and the drivers of the days after it."""

    def __init__(self, frame: pd.DataFrame, series: Sequence[tuple[str, str]], days: Sequence[date]) -> None:
        self.frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
        self.dates = self.frame["date"].to_numpy()
        self.days = list(days)
        self.series = [(str(loc), str(prod)) for loc, prod in series]
        self.index = {key: i for i, key in enumerate(self.series)}
        self.drivers = [c for c in frame.columns if c not in KEY_COLUMNS and c != "category"]
        self._matrix: np.ndarray | None = None

    def matrix_before(self, origin: int) -> np.ndarray:
        """Demand as (series, day) up to the day before window day ``origin`` (NaN: no row that day)."""
        if self._matrix is None:
            first = pd.Timestamp(self.frame["date"].min()).normalize() if len(self.frame) else pd.Timestamp(
                self.days[0])
            self._first = first
            width = (pd.Timestamp(self.days[-1]) - first).days + 1
            matrix = np.full((len(self.series), max(width, 0)), np.nan, dtype=np.float32)
            if len(self.frame):
                keys = zip(self.frame["location"].astype(str), self.frame["product"].astype(str), strict=True)
                rows = np.array([self.index.get(k, -1) for k in keys])
                cols = (self.frame["date"] - first).dt.days.to_numpy()
                ok = (rows >= 0) & (cols >= 0) & (cols < width)
                matrix[rows[ok], cols[ok]] = self.frame["y"].to_numpy(np.float32)[ok]
            self._matrix = matrix
        end = (pd.Timestamp(self.days[origin]) - self._first).days
        return self._matrix[:, : max(end, 0)]

    def before(self, origin: int) -> pd.DataFrame:
        """Rows dated before the morning of window day ``origin``."""
        cutoff = np.datetime64(pd.Timestamp(self.days[origin]))
        return self.frame.iloc[: int(np.searchsorted(self.dates, cutoff, side="left"))]

    def gap(self, origin: int, history: pd.DataFrame) -> int:
        """Days between the last row known that morning and the review day (the engine forecasts from there)."""
        last = pd.Timestamp(history["date"].max()).normalize()
        return max((pd.Timestamp(self.days[origin]) - last).days - 1, 0)

    def future_drivers(self, first: pd.Timestamp, periods: int) -> pd.DataFrame | None:
        """Known-in-advance driver columns of ``periods`` days from ``first`` (never the demand)."""
        if not self.drivers:
            return None
        start = np.datetime64(first)
        end = start + np.timedelta64(periods, "D")
        lo, hi = np.searchsorted(self.dates, start, side="left"), np.searchsorted(self.dates, end, side="left")
        rows = self.frame.iloc[lo:hi]
        if rows.empty:
            return None
        future = rows[["location", "product", "date", *self.drivers]].copy()
        future["location"] = future["location"].astype(str)
        future["product"] = future["product"].astype(str)
        return future.reset_index(drop=True)

    def to_block(self, origin: int, steps: int, forecast: pd.DataFrame) -> ForecastBlock:
        """The engine's long output as (series, steps) arrays in the replay's series order (0 where absent)."""
        n = len(self.series)
        out = {q: np.zeros((n, steps)) for q in ("p10", "p50", "p90")}
        if len(forecast):
            keys = list(zip(forecast["location"].astype(str), forecast["product"].astype(str), strict=True))
            rows = np.array([self.index.get(k, -1) for k in keys])
            start = pd.Timestamp(self.days[origin])
            offsets = ((pd.to_datetime(forecast["date"]) - start).dt.days).to_numpy()
            ok = (rows >= 0) & (offsets >= 0) & (offsets < steps)
            for q in out:
                values = np.maximum(np.nan_to_num(forecast[q].to_numpy(np.float64), nan=0.0), 0.0)
                out[q][rows[ok], offsets[ok]] = values[ok]
        p10 = np.minimum(out["p10"], out["p50"])
        p90 = np.maximum(out["p90"], out["p50"])
        return ForecastBlock(origin=origin, p10=p10, p50=out["p50"], p90=p90)


def model_source(cut: HistoryCut, *, retrain_every_days: int, overrides: Mapping[str, object] | None = None,
                 on_train: Callable[[int], None] | None = None) -> Callable[[int, int], ForecastBlock]:
    """The product's LightGBM engine, re-trained every ``retrain_every_days`` on the history known then."""
    state: dict[str, object] = {"model": None, "trained_at": None}

    def forecast(origin: int, steps: int) -> ForecastBlock:
        history = cut.before(origin)
        if history.empty or history["date"].nunique() < 2:
            return cut.to_block(origin, steps, pd.DataFrame())
        trained_at = state["trained_at"]
        if state["model"] is None or origin - int(trained_at) >= retrain_every_days:  # type: ignore[arg-type]
            state["model"] = engine.train(history, {"horizon": steps, "freq": "D", **dict(overrides or {})})
            state["trained_at"] = origin
            if on_train is not None:
                on_train(origin)
        gap = cut.gap(origin, history)
        first = pd.Timestamp(cut.days[origin]) - pd.Timedelta(days=gap)
        result = engine.predict(state["model"], history, cut.future_drivers(first, steps + gap), horizon=steps + gap)
        return cut.to_block(origin, steps, result)

    return forecast


SEASON = 7
BAND_DAYS = 56
MOVING_AVERAGE_DAYS = 28


def baseline_source(cut: HistoryCut, method: str) -> Callable[[int, int], ForecastBlock]:
    """The engine's ``seasonal_naive`` or ``moving_average`` on the history known that morning."""
    if method not in ("seasonal_naive", "moving_average"):
        raise ValueError(f"method: {method!r} is not seasonal_naive or moving_average")

    def forecast(origin: int, steps: int) -> ForecastBlock:
        y = cut.matrix_before(origin).astype(np.float64)
        n = len(cut.series)
        if y.shape[1] < 2:
            zero = np.zeros((n, steps))
            return ForecastBlock(origin, zero, zero, zero)
        if method == "moving_average":
            p50 = np.maximum(moving_average(y, steps, MOVING_AVERAGE_DAYS), 0.0)
            return ForecastBlock(origin, p50, p50, p50)
        p50 = np.maximum(seasonal_naive(y, steps, SEASON if y.shape[1] >= 2 * SEASON else 1), 0.0)
        recent = y[:, -(BAND_DAYS + SEASON):]
        errors = recent[:, SEASON:] - recent[:, :-SEASON] if recent.shape[1] > SEASON else np.full((n, 1), np.nan)
        enough = (~np.isnan(errors)).sum(axis=1) >= 8
        with np.errstate(all="ignore"):
            low = np.where(enough, np.nanquantile(np.where(enough[:, None], errors, 0.0), 0.1, axis=1), 0.0)
            high = np.where(enough, np.nanquantile(np.where(enough[:, None], errors, 0.0), 0.9, axis=1), 0.0)
        widen = np.sqrt(np.ceil((np.arange(steps) + 1) / SEASON))[None, :]
        p10 = np.clip(p50 + np.minimum(low, 0.0)[:, None] * widen, 0.0, p50)
        p90 = np.maximum(p50 + np.maximum(high, 0.0)[:, None] * widen, p50)
        return ForecastBlock(origin, p10, p50, p90)

    return forecast
