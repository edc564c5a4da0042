"""Leak-free features for a global model, computed on dense (n_series, n_periods) arrays.

Every target-derived feature for period t reads only ``y[:, :t]`` (lags >= 1 and windows that end at
t-1), so the same function serves training (all t at once) and recursive forecasting (one t at a time,
with earlier forecasts written into ``y``). Window statistics come from running sums that are appended
one column at a time, which makes the batch and step-by-step values bit-identical.

Target-derived features are divided by a per-series, per-period scale (the mean of the last
``scale_window`` known values before t), so one model learns shape rather than size; the model's
target is divided by the same scale.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .panel import Frequency, Panel

CATEGORICAL = ("location_id", "product_id", "category_id")


@dataclass(frozen=True)
class FeatureSpec:
    """Which lags and windows to build; defaults depend on the frequency (see :func:`default_spec`)."""

    season: int
    lags: tuple[int, ...]
    windows: tuple[int, ...]
    season_means: tuple[int, ...]
    std_window: int
    scale_window: int
    driver_window: int
    calendar: tuple[str, ...]
    # drivers seen across the location's other series (share on promotion, own price vs theirs); False in
    # models stored before the feature existed, so they keep their feature list
    location_drivers: bool = False

    @property
    def driver_lookahead(self) -> int:
        """How many periods past t the features of t read drivers from (``_next``, ``_next_<window>``)."""
        return self.driver_window

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> FeatureSpec:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def default_spec(freq: Frequency) -> FeatureSpec:
    """Lags/windows that cover one season, recent level and (daily) last year."""
    if freq.kind == "D":
        return FeatureSpec(
            season=7,
            lags=(1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35, 42, 49, 56, 364),
            windows=(7, 14, 56, 112),  # no 28: the scale window itself, always 1
            season_means=(2, 4, 8, 13, 26),
            std_window=28,
            scale_window=28,
            driver_window=7,
            calendar=("day_of_week", "day", "month", "week_of_year", "day_of_year"),
            location_drivers=True,
        )
    if freq.kind == "W":
        return FeatureSpec(
            season=52,
            lags=(1, 2, 3, 4, 5, 6, 8, 13, 26, 52),
            windows=(2, 4, 8, 13, 52),  # no 26: the scale window
            season_means=(),
            std_window=8,
            scale_window=26,
            driver_window=2,
            calendar=("week_of_year", "month", "day"),
            location_drivers=True,
        )
    return FeatureSpec(
        season=12,
        lags=(1, 2, 3, 4, 6, 12, 24),
        windows=(3, 12),  # no 6: the scale window
        season_means=(2,),
        std_window=6,
        scale_window=6,
        driver_window=1,
        calendar=("month",),
        location_drivers=True,
    )


def calendar_table(dates: pd.DatetimeIndex, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Calendar features per date (float32)."""
    out = {}
    for name in names:
        if name == "week_of_year":
            v = dates.isocalendar().week.to_numpy()
        else:
            v = getattr(dates, name)
        out[name] = np.asarray(v, dtype=np.float32)
    return out


class SeriesState:
    """y with running sums, growable one period at a time (for recursive forecasting).

    ``S[:, k]`` is the sum of known y in periods ``[0, k)``; window sums are differences of ``S``.
    """

    def __init__(self, y: np.ndarray, capacity: int):
        n, length = y.shape
        self.length = length
        self.y = np.full((n, capacity), np.nan, dtype=np.float32)
        self.y[:, :length] = y
        v = y.astype(np.float64)
        known = ~np.isnan(v)
        v0 = np.where(known, v, 0.0)
        self.S = np.zeros((n, capacity + 1))
        self.SS = np.zeros((n, capacity + 1))
        # counts are exact in int32 at half the memory of float64 (20,000 series x 2 years: 58 MB each)
        self.C = np.zeros((n, capacity + 1), dtype=np.int32)
        self.Z = np.zeros((n, capacity + 1), dtype=np.int32)
        np.cumsum(v0, axis=1, out=self.S[:, 1 : length + 1])
        np.cumsum(v0 * v0, axis=1, out=self.SS[:, 1 : length + 1])
        del v
        np.cumsum(known, axis=1, dtype=np.int32, out=self.C[:, 1 : length + 1])
        np.cumsum(known & (v0 == 0), axis=1, dtype=np.int32, out=self.Z[:, 1 : length + 1])

    def append(self, values: np.ndarray) -> None:
        """Write period ``length`` (e.g. a forecast) and extend the running sums."""
        t = self.length
        v = values.astype(np.float32)
        self.y[:, t] = v
        v64 = v.astype(np.float64)
        known = ~np.isnan(v64)
        v0 = np.where(known, v64, 0.0)
        self.S[:, t + 1] = self.S[:, t] + v0
        self.SS[:, t + 1] = self.SS[:, t] + v0 * v0
        self.C[:, t + 1] = self.C[:, t] + known
        self.Z[:, t + 1] = self.Z[:, t] + (known & (v0 == 0))
        self.length += 1

    def lag(self, cols: np.ndarray, k: int) -> np.ndarray:
        idx = cols - k
        out = np.full((self.y.shape[0], len(cols)), np.nan, dtype=np.float32)
        ok = idx >= 0
        out[:, ok] = self.y[:, idx[ok]]
        return out

    @staticmethod
    def _start(cols: np.ndarray, w: int | None) -> np.ndarray:
        """First period of the window [t-w, t) for every t in ``cols`` (0 for the whole history)."""
        return np.zeros_like(cols) if w is None else np.maximum(cols - w, 0)

    def window(self, cols: np.ndarray, w: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sums over periods [t-w, t) (or [0, t) when w is None): sum, sum of squares, count, zeros."""
        lo = self._start(cols, w)
        return (
            self.S[:, cols] - self.S[:, lo],
            self.SS[:, cols] - self.SS[:, lo],
            self.C[:, cols] - self.C[:, lo],
            self.Z[:, cols] - self.Z[:, lo],
        )

    def mean(self, cols: np.ndarray, w: int | None) -> np.ndarray:
        lo = self._start(cols, w)  # only the two sums a mean needs, not all four of window()
        s = self.S[:, cols] - self.S[:, lo]
        c = self.C[:, cols] - self.C[:, lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(c > 0, s / np.maximum(c, 1), np.nan)

    def scale(self, cols: np.ndarray, w: int) -> np.ndarray:
        """Recent level used to normalise: window mean, else all-history mean, else 1."""
        m = self.mean(cols, w)
        e = self.mean(cols, None)
        s = np.where(m > 0, m, np.where(e > 0, e, 1.0))
        return np.where(np.isfinite(s), s, 1.0)


class FeatureBuilder:
    """Builds the design matrix for any set of periods from a :class:`SeriesState` and the panel's drivers."""

    def __init__(self, spec: FeatureSpec, panel: Panel, codes: dict[str, np.ndarray], drivers: list[str]):
        self.spec = spec
        self.panel = panel
        self.codes = codes
        self.drivers = drivers
        self.calendar = calendar_table(panel.all_dates, spec.calendar)
        self._driver_sums: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name in drivers:
            d = panel.drivers[name].astype(np.float64)
            known = ~np.isnan(d)
            s = np.zeros((d.shape[0], d.shape[1] + 1))
            c = np.zeros((d.shape[0], d.shape[1] + 1), dtype=np.int32)
            np.cumsum(np.where(known, d, 0.0), axis=1, out=s[:, 1:])
            np.cumsum(known, axis=1, dtype=np.int32, out=c[:, 1:])
            self._driver_sums[name] = (s, c)
        self._location_tables: dict[str, np.ndarray] = {}
        self._location_of = pd.factorize(panel.series["location"])[0] if panel.n else np.zeros(0, dtype=np.int64)
        # only where a location holds several series: alone on its shelf, a series' table is itself
        if spec.location_drivers and drivers and panel.n and np.bincount(self._location_of).max() > 1:
            self._location_tables = self._location_driver_tables()
        self.names = self._names()

    def _location_driver_tables(self) -> dict[str, np.ndarray]:
        """Per driver, a (locations x periods) mean over the location's series, known in advance like the driver.

        A shopper picks between the products on the same shelf: a promotion on the neighbour takes sales
        from this one, and a price cut is only deep relative to what the others cost. Binary drivers give
        the share of the location's series on the driver; numeric ones the mean of the series' relative
        value (current / own trailing mean, so a 128 oz pack and a 64 oz one compare as discounts).
        """
        width = self.panel.drivers[self.drivers[0]].shape[1]
        # rows grouped by location once; each table is then one reduceat per driver (np.add.at is unbuffered
        # and takes seconds at 20,000 series)
        order = np.argsort(self._location_of, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(self._location_of[order]) != 0])
        cols = np.arange(width)
        out = {}
        for d in self.drivers:
            if self.panel.binary.get(d, False):
                v = self.panel.drivers[d].astype(np.float64)
            else:
                v = self._relative(d, cols)
            known = np.isfinite(v)
            tot = np.add.reduceat(np.where(known, v, 0.0)[order], starts, axis=0)
            cnt = np.add.reduceat(known[order].astype(np.int32), starts, axis=0)
            del v, known
            with np.errstate(invalid="ignore", divide="ignore"):
                out[d] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan).astype(np.float32)
        return out

    def _relative(self, name: str, cols: np.ndarray, cur: np.ndarray | None = None) -> np.ndarray:
        """A numeric driver (``cur``, when the caller has read it) over its own trailing mean (the scale window)."""
        cur = self._driver_at(name, cols) if cur is None else cur
        with np.errstate(invalid="ignore", divide="ignore"):
            ref = self._driver_mean(name, cols - self.spec.scale_window, cols)
            return np.where(ref > 0, cur / ref, np.nan)

    def _names(self) -> list[str]:
        sp = self.spec
        names = [f"lag_{k}" for k in sp.lags]
        names += [f"mean_{w}" for w in sp.windows]
        names += [f"smean_{k}" for k in sp.season_means]
        names += [f"std_{sp.std_window}", f"zero_frac_{sp.std_window}", "mean_all", "log_scale", "age"]
        names += list(sp.calendar)
        for d in self.drivers:
            if self.panel.binary.get(d, False):
                names += [d, f"{d}_prev", f"{d}_next", f"{d}_past_{sp.driver_window}", f"{d}_next_{sp.driver_window}"]
            else:
                names += [d, f"{d}_rel", f"{d}_chg"]
        for d in self._location_tables:
            names += [f"{d}_location" if self.panel.binary.get(d, False) else f"{d}_rel_location"]
        names += list(CATEGORICAL)
        return names

    def _driver_at(self, name: str, cols: np.ndarray) -> np.ndarray:
        d = self.panel.drivers[name]
        out = np.full((d.shape[0], len(cols)), np.nan, dtype=np.float32)
        ok = (cols >= 0) & (cols < d.shape[1])
        out[:, ok] = d[:, cols[ok]]
        return out

    def _driver_mean(self, name: str, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Mean of a driver over periods [lo, hi) (clipped to the known range)."""
        s, c = self._driver_sums[name]
        width = s.shape[1] - 1
        lo = np.clip(lo, 0, width)
        hi = np.clip(hi, 0, width)
        num = s[:, hi] - s[:, lo]
        den = c[:, hi] - c[:, lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.maximum(den, 1), np.nan)

    def build(self, state: SeriesState, cols: np.ndarray, mask: np.ndarray | None = None):
        """Features for periods ``cols`` -> (X float32 [rows, F], scale float64 [rows]).

        Rows are series-major within each period column ((i, j) for j in cols), restricted to ``mask``
        (shape (n, len(cols))) when given. Feature j at period t reads y only from periods < t.
        """
        sp = self.spec
        cols = np.asarray(cols, dtype=np.int64)
        n = state.y.shape[0]
        rows = n * len(cols) if mask is None else int(mask.sum())
        X = np.empty((rows, len(self.names)), dtype=np.float32)
        scale = state.scale(cols, sp.scale_window)
        inv = 1.0 / scale
        j = 0

        def put(a: np.ndarray) -> None:
            nonlocal j
            a = np.broadcast_to(a, (n, len(cols)))
            X[:, j] = a[mask] if mask is not None else a.reshape(-1)
            j += 1

        for k in sp.lags:
            put(state.lag(cols, k) * inv)
        for w in sp.windows:
            put(state.mean(cols, w) * inv)
        if sp.season_means:
            # mean of the same season position over the last k seasons, accumulated lag by lag
            tot = np.zeros((n, len(cols)))
            cnt = np.zeros((n, len(cols)))
            for i in range(1, max(sp.season_means) + 1):
                v = state.lag(cols, sp.season * i)
                known = ~np.isnan(v)
                tot += np.where(known, v, 0.0)
                cnt += known
                if i in sp.season_means:
                    with np.errstate(invalid="ignore", divide="ignore"):
                        put(np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan) * inv)
            del tot, cnt
        s, ss, c, z = state.window(cols, sp.std_window)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = s / np.maximum(c, 1)
            var = np.maximum(ss / np.maximum(c, 1) - mu * mu, 0.0)
            put(np.where(c > 1, np.sqrt(var), np.nan) * inv)
            put(np.where(c > 0, z / np.maximum(c, 1), np.nan))
        put(state.mean(cols, None) * inv)
        put(np.log1p(scale))
        put(state.C[:, cols])  # how many known periods the series has behind it
        for name in sp.calendar:
            put(self.calendar[name][cols][None, :])
        w = sp.driver_window
        relative: dict[str, np.ndarray] = {}  # each numeric driver's relative value, read again by its location column
        for d in self.drivers:
            cur = self._driver_at(d, cols)
            put(cur)
            if self.panel.binary.get(d, False):
                put(self._driver_at(d, cols - 1))
                put(self._driver_at(d, cols + 1))
                put(self._driver_mean(d, cols - w, cols))
                put(self._driver_mean(d, cols + 1, cols + 1 + w))
            else:
                relative[d] = self._relative(d, cols, cur)
                put(relative[d])
                with np.errstate(invalid="ignore", divide="ignore"):
                    prev = self._driver_at(d, cols - 1)
                    put(np.where(prev > 0, cur / prev, np.nan))
        for d, table in self._location_tables.items():
            theirs = table[:, np.clip(cols, 0, table.shape[1] - 1)][self._location_of]
            if self.panel.binary.get(d, False):
                put(theirs)
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    put(np.where(theirs > 0, relative[d] / theirs, np.nan))
        for name in CATEGORICAL:
            put(self.codes[name][:, None])
        keep = np.broadcast_to(scale, (n, len(cols)))
        return X, (keep[mask] if mask is not None else keep.reshape(-1))
