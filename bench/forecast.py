"""Anchor benchmark: our engine vs Nixtla mlforecast (LightGBM) and statsforecast on real data.

Run by hand (not part of the test suite)::

    .venv/bin/pip install --no-deps -r requirements-bench.txt
    .venv/bin/python bench/forecast.py [--data ../shared/data] [--only rossmann,recruit,dominicks]

Every contender gets the same history and predicts exactly the same held-out points: the last 28 days
(daily sets) or 8 weeks (weekly set) of the data, scored only where a row exists and the series has
history before the holdout. Metrics come from ``forecasting.engine.metrics`` for everyone; RMSSE is
scaled by each series' recorded history (M5 style). The data is read in place and never copied.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.engine import EngineConfig, build_panel, predict, train  # noqa: E402
from forecasting.engine import metrics as M  # noqa: E402
from forecasting.engine.config import resolve_threads  # noqa: E402

THREADS = resolve_threads(None)  # FORECAST_THREADS, else every core; the same for every contender


@dataclass
class DataSet:
    name: str
    history: pd.DataFrame  # engine format: location, product, date, y, [category], drivers
    holdout: pd.DataFrame  # rows to predict (same columns)
    horizon: int
    freq: str
    season: int
    drivers: list[str]
    config: dict = field(default_factory=dict)
    future: pd.DataFrame | None = None  # drivers for every (series, horizon date)


def _split(df: pd.DataFrame, horizon: int, freq: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DatetimeIndex]:
    last = df["date"].max()
    dates = pd.date_range(end=last, periods=horizon, freq=freq)
    hold = df["date"] >= dates[0]
    return df[~hold].reset_index(drop=True), df[hold].reset_index(drop=True), dates


def _future(history: pd.DataFrame, dates: pd.DatetimeIndex, known: pd.DataFrame, drivers: list[str]) -> pd.DataFrame:
    keys = history[["location", "product"]].drop_duplicates()
    grid = keys.merge(pd.DataFrame({"date": dates}), how="cross")
    return grid.merge(known[["location", "product", "date", *drivers]], on=["location", "product", "date"], how="left")


def load_rossmann(root: Path) -> DataSet:
    raw = pd.read_csv(root / "rossmann_top100_daily" / "sales.csv.gz")
    df = pd.DataFrame({
        "location": raw["store_id"].astype(str), "product": raw["item_id"].astype(str),
        "date": pd.to_datetime(raw["date"]), "y": raw["units"].astype(float),
        "category": raw["store_type"].astype(str),
        "is_open": raw["open"].astype(float), "promo": raw["promo"].astype(float),
        "school_holiday": raw["school_holiday"].astype(float), "promo2": raw["promo2"].astype(float),
    })
    drivers = ["is_open", "promo", "school_holiday", "promo2"]
    hist, hold, dates = _split(df, 28, "D")
    # the mid-2014 hole of some stores is missing data, not closures (closures are explicit rows)
    return DataSet("rossmann_top100_daily", hist, hold, 28, "D", 7, drivers,
                   {"missing_policy": "unknown"}, _future(hist, dates, hold, drivers))


def load_recruit(root: Path) -> DataSet:
    raw = pd.read_csv(root / "recruit_restaurant_daily" / "visits.csv.gz")
    cal = pd.read_csv(root / "recruit_restaurant_daily" / "date_info.csv.gz")
    cal = pd.DataFrame({"date": pd.to_datetime(cal["calendar_date"]), "holiday": cal["holiday_flg"].astype(float)})
    df = pd.DataFrame({
        "location": raw["store_id"].astype(str), "product": raw["item_id"].astype(str),
        "date": pd.to_datetime(raw["date"]), "y": raw["units"].astype(float),
    }).merge(cal, on="date", how="left")
    drivers = ["holiday"]
    hist, hold, dates = _split(df, 28, "D")
    keys = hist[["location", "product"]].drop_duplicates()
    future = keys.merge(pd.DataFrame({"date": dates}), how="cross").merge(cal, on="date", how="left")
    # closed days are missing rows: unknown, so they are neither trained on nor scored
    return DataSet("recruit_restaurant_daily", hist, hold, 28, "D", 7, drivers,
                   {"missing_policy": "unknown"}, future)


def load_dominicks(root: Path) -> DataSet:
    raw = pd.read_csv(root / "dominicks_oj_weekly" / "sales.csv.gz")
    df = pd.DataFrame({
        "location": raw["store_id"].astype(str), "product": raw["item_id"].astype(str),
        "date": pd.to_datetime(raw["date"]), "y": raw["units"].astype(float),
        "price": raw["price"].astype(float), "promo": raw["deal"].astype(float), "feat": raw["feat"].astype(float),
    })
    drivers = ["price", "promo", "feat"]
    hist, hold, dates = _split(df, 8, "W-THU")
    return DataSet("dominicks_oj_weekly", hist, hold, 8, "W-THU", 52, drivers,
                   {"missing_policy": "unknown"}, _future(hist, dates, hold, drivers))


LOADERS = {"rossmann": load_rossmann, "recruit": load_recruit, "dominicks": load_dominicks}


# --- contenders: each returns a frame location, product, date, yhat[, lo, hi] --------------------------
def engine_config(ds: DataSet) -> EngineConfig:
    """The engine's parameters for a data set: its horizon, frequency, drivers and missing policy, THREADS threads."""
    return EngineConfig(horizon=ds.horizon, freq=ds.freq, drivers=ds.drivers, num_threads=THREADS, **ds.config)


def run_engine(ds: DataSet) -> pd.DataFrame:
    model = train(ds.history, engine_config(ds))
    print(f"  engine: {model.best_iteration} rounds", file=sys.stderr)
    out = predict(model, ds.history, ds.future)
    return out.rename(columns={"p10": "lo", "p90": "hi"})


def _nixtla_frame(ds: DataSet) -> pd.DataFrame:
    df = ds.history.copy()
    df["unique_id"] = df["location"] + "|" + df["product"]
    return df.rename(columns={"date": "ds"})


def _back(pred: pd.DataFrame, col: str, lo: str | None, hi: str | None) -> pd.DataFrame:
    loc_prod = pred["unique_id"].str.split("|", n=1, expand=True)
    out = pd.DataFrame({"location": loc_prod[0], "product": loc_prod[1], "date": pd.to_datetime(pred["ds"]),
                        "yhat": pred[col].to_numpy(dtype=float)})
    if lo and hi:
        out["lo"] = pred[lo].to_numpy(dtype=float)
        out["hi"] = pred[hi].to_numpy(dtype=float)
    return out


def run_mlforecast(ds: DataSet) -> pd.DataFrame:
    """mlforecast + LightGBM set up like its M5-style examples: lags 7/14/21/28 (weekly data: 1-4, 8, 13, 26,
    52), rolling means on lags 7 and 28, expanding mean, date
    features, categorical ids as static features, known drivers as dynamic exogenous features, Tweedie,
    conformal intervals (2 windows)."""
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.lag_transforms import ExpandingMean, RollingMean
    from mlforecast.utils import PredictionIntervals

    df = _regular(ds)
    statics = ["store", "item"]
    df["store"] = df["unique_id"].str.split("|").str[0].astype("category")
    df["item"] = df["unique_id"].str.split("|").str[1].astype("category")
    df = df[["unique_id", "ds", "y", *statics, *ds.drivers]]
    df["y"] = df["y"].fillna(0.0)  # mlforecast refuses missing targets: the usual M5 zero fill
    if ds.freq == "D":
        # as in mlforecast's M5 examples: seasonal lags only, rolling means on lags 7 and 28
        lags = [7, 14, 21, 28]
        lag_tf = {7: [RollingMean(7), RollingMean(28), ExpandingMean()], 28: [RollingMean(7), RollingMean(28)]}
        date_features = ["dayofweek", "day", "month", "week", "dayofyear"]
    else:
        lags = [1, 2, 3, 4, 8, 13, 26, 52]
        lag_tf = {1: [RollingMean(4), RollingMean(8), RollingMean(13), ExpandingMean()], 4: [RollingMean(4)]}
        date_features = ["week", "month"]
    model = lgb.LGBMRegressor(
        objective="tweedie", n_estimators=500, learning_rate=0.05, num_leaves=127, min_child_samples=20,
        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=0, n_jobs=THREADS, verbosity=-1,
    )
    fcst = MLForecast(models={"lgbm": model}, freq=ds.freq, lags=lags, lag_transforms=lag_tf,
                      date_features=date_features, num_threads=THREADS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shortest = int(df.groupby("unique_id", observed=True).size().min())
        # conformal intervals need (n_windows + 1) * h + lags periods in every series
        intervals = shortest >= 3 * ds.horizon + 1 + max(lags)
        fcst.fit(df, static_features=statics, dropna=False,
                 prediction_intervals=PredictionIntervals(n_windows=2, h=ds.horizon) if intervals else None)
        X = _nixtla_frame(DataSet(ds.name, ds.future.assign(y=0.0), ds.holdout, ds.horizon, ds.freq, ds.season,
                                  ds.drivers))[["unique_id", "ds", *ds.drivers]]
        X = _future_exog(df, X, ds)
        pred = fcst.predict(ds.horizon, X_df=X, level=[80] if intervals else None)
    return _back(pred, "lgbm", "lgbm-lo-80", "lgbm-hi-80") if intervals else _back(pred, "lgbm", None, None)


def _future_exog(df: pd.DataFrame, X: pd.DataFrame, ds: DataSet) -> pd.DataFrame:
    """mlforecast forecasts the next h grid dates after each series' own last date: supply drivers for
    them (from the future frame, else the series' last values)."""
    last = df.groupby("unique_id", observed=True)["ds"].max()
    need = pd.concat([pd.DataFrame({"unique_id": uid, "ds": pd.date_range(d, periods=ds.horizon + 1,
                                                                           freq=ds.freq)[1:]})
                      for uid, d in last.items()])
    out = need.merge(X, on=["unique_id", "ds"], how="left")
    lastvals = df.sort_values("ds").groupby("unique_id", observed=True)[ds.drivers].last()
    for c in ds.drivers:
        out[c] = out[c].fillna(out["unique_id"].map(lastvals[c]))
    return out


def _regular(ds: DataSet) -> pd.DataFrame:
    """History on a regular grid (mlforecast and statsforecast need one): missing periods get y = NaN
    (the callers fill 0, which both libraries require),
    drivers carried forward within the series (holidays: the date's value in any series)."""
    from utilsforecast.preprocessing import fill_gaps

    df = _nixtla_frame(ds)[["unique_id", "ds", "y", *ds.drivers]]
    full = fill_gaps(df[["unique_id", "ds"]], freq=ds.freq, start="per_serie", end="global")
    full = full.merge(df, on=["unique_id", "ds"], how="left").sort_values(["unique_id", "ds"])
    for c in ds.drivers:
        if c == "holiday":
            full[c] = full[c].fillna(full.groupby("ds")[c].transform("max")).fillna(0.0)
        else:
            full[c] = full.groupby("unique_id")[c].ffill().fillna(0.0)
    return full.reset_index(drop=True)


def run_statsforecast(ds: DataSet, which: str) -> pd.DataFrame:
    """statsforecast on a regular grid (missing periods filled with 0, as its models need)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, SeasonalNaive

    df = _regular(ds)[["unique_id", "ds", "y"]]
    df["y"] = df["y"].fillna(0.0)
    model = SeasonalNaive(season_length=ds.season) if which == "seasonal_naive" else AutoETS(season_length=ds.season)
    sf = StatsForecast(models=[model], freq=ds.freq, n_jobs=THREADS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = sf.forecast(df=df, h=ds.horizon, level=[80])
    col = "SeasonalNaive" if which == "seasonal_naive" else "AutoETS"
    return _back(pred, col, f"{col}-lo-80", f"{col}-hi-80")


# --- scoring ------------------------------------------------------------------------------------------
def score(ds: DataSet, pred: pd.DataFrame, panel) -> dict:
    """Align a prediction frame to the held-out points and compute the shared metrics."""
    T = panel.T
    hist = panel.y[:, : T - ds.horizon].astype(np.float64)
    actual = panel.y[:, T - ds.horizon :].astype(np.float64)
    actual[~(~np.isnan(hist)).any(axis=1)] = np.nan
    keys = pd.MultiIndex.from_frame(panel.series[["location", "product"]])
    dates = panel.dates[T - ds.horizon :]
    i = keys.get_indexer(pd.MultiIndex.from_arrays([pred["location"].astype(str), pred["product"].astype(str)]))
    j = dates.get_indexer(pd.DatetimeIndex(pred["date"]))
    ok = (i >= 0) & (j >= 0)
    f = np.full(actual.shape, np.nan)
    f[i[ok], j[ok]] = pred["yhat"].to_numpy()[ok]
    missing = ~np.isnan(actual) & np.isnan(f)
    f = np.where(missing, 0.0, f)  # a contender that skipped a point is scored as forecasting 0
    lo = hi = None
    if "lo" in pred:
        lo = np.full(actual.shape, np.nan)
        hi = np.full(actual.shape, np.nan)
        lo[i[ok], j[ok]] = pred["lo"].to_numpy()[ok]
        hi[i[ok], j[ok]] = pred["hi"].to_numpy()[ok]
    m = M.all_metrics(actual, f, hist, lo, hi)
    m["points"] = int((~np.isnan(actual)).sum())
    m["skipped"] = int(missing.sum())
    return m


def run(ds: DataSet, repeats: int = 3) -> list[tuple[str, dict, float]]:
    """Every contender ``repeats`` times, interleaved (A B C D A B C D ...), so background load hits all
    alike; the minimum wall time is reported (results are deterministic: scored from the first run)."""
    full = pd.concat([ds.history, ds.holdout], ignore_index=True)
    panel = build_panel(full[["location", "product", "date", "y"]], freq=ds.freq, missing_policy="unknown")
    contenders = [
        ("ours (engine)", lambda: run_engine(ds)),
        ("mlforecast lgbm", lambda: run_mlforecast(ds)),
        ("sf SeasonalNaive", lambda: run_statsforecast(ds, "seasonal_naive")),
        ("sf AutoETS", lambda: run_statsforecast(ds, "autoets")),
    ]
    scored: dict[str, dict] = {}
    best: dict[str, float] = {}
    for _ in range(repeats):
        for name, fn in contenders:
            t0 = time.perf_counter()
            pred = fn()
            secs = time.perf_counter() - t0
            best[name] = min(best.get(name, np.inf), secs)
            if name not in scored:
                scored[name] = score(ds, pred, panel)
                if "method" in pred:
                    per = pred.groupby(["location", "product"])[["method", "reason"]].first()
                    scored[name]["methods"] = per.value_counts().to_dict()
    return [(name, scored[name], best[name]) for name, _ in contenders]


def fmt(v: float | None, digits: int = 3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def report(ds: DataSet, rows: list[tuple[str, dict, float]]) -> str:
    n_series = ds.history.groupby(["location", "product"]).ngroups
    lines = [f"## {ds.name}  (freq {ds.freq}, horizon {ds.horizon}, {n_series} series, "
             f"{rows[0][1]['points']} held-out points)",
             f"{'contender':<18} {'WAPE':>7} {'RMSSE':>7} {'cov80':>6} {'bias':>7} {'seconds':>8}"]
    for name, m, secs in rows:
        lines.append(f"{name:<18} {fmt(m['wape']):>7} {fmt(m['rmsse']):>7} {fmt(m['coverage_80'], 2):>6} "
                     f"{fmt(m['bias']):>7} {secs:>8.1f}")
    by = {name: (m, secs) for name, m, secs in rows}
    ours, ours_t = by["ours (engine)"]
    mlf, mlf_t = by["mlforecast lgbm"]
    best_name = min(("mlforecast lgbm", "sf AutoETS"), key=lambda k: by[k][0]["rmsse"])
    best = by[best_name][0]["rmsse"]
    snaive = by["sf SeasonalNaive"][0]["rmsse"]
    r1 = ours["rmsse"] / best
    r2 = ours["rmsse"] / snaive
    r3 = ours_t / mlf_t
    wbest = min(by[k][0]["wape"] for k in ("mlforecast lgbm", "sf AutoETS"))
    lines.append(
        f"ratios: RMSSE ours/best-of(mlforecast,AutoETS)[{best_name}] = {r1:.3f} (aim <= 0.95)"
        f"{' OK' if r1 <= 0.95 else ' MISSED'}; RMSSE ours/SeasonalNaive = {r2:.3f} (aim <= 0.85)"
        f"{' OK' if r2 <= 0.85 else ' MISSED'}; time ours/mlforecast = {r3:.2f} (aim <= 1)"
        f"{' OK' if r3 <= 1 else ' MISSED'}; WAPE ours/best = {ours['wape'] / wbest:.3f}"
    )
    if "methods" in ours:
        lines.append("engine methods per series: " + ", ".join(
            f"{m}{'/' + r if r else ''} {c}" for (m, r), c in sorted(ours["methods"].items())))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--only", default="rossmann,recruit,dominicks")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per contender, interleaved (min reported)")
    args = ap.parse_args()
    root = Path(args.data)
    if not root.is_dir():
        sys.exit(f"data folder {root} not found (expected ../shared/data next to the repo)")
    print(f"forecast benchmark on {root} ({THREADS} threads for every contender, "
          f"min of {args.repeats} interleaved runs)\n")
    for key in args.only.split(","):
        ds = LOADERS[key.strip()](root)
        print(report(ds, run(ds, args.repeats)), flush=True)
        print()


if __name__ == "__main__":
    main()
