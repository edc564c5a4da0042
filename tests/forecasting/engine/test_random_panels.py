"""Random panels of awkward shapes: the engine either refuses them with an EngineError or forecasts them sanely.

Each seed draws daily or weekly data, 1-24 series that may start late, horizons of 1-28, and per series one of
the shapes planners meet (one spike, gone quiet, a step up, intermittent, brand new, tiny or huge values,
returns, holes), with and without a promotion driver that has gaps, under either missing-day policy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineConfig, EngineError, build_panel, predict, train
from forecasting.engine.guards import plausible_upper

DOW = np.array([1.0, 0.9, 0.9, 1.0, 1.3, 1.7, 0.6])


def _shape(rng: np.random.Generator, n: int) -> np.ndarray:
    base = float(rng.choice([0.01, 0.5, 3.0, 40.0, 1e4, 1e7]))
    t = np.arange(n)
    mean = base * DOW[t % 7]
    y = rng.poisson(mean).astype(float) if base < 1e5 else mean * rng.lognormal(0.0, 0.2, n)
    kind = int(rng.integers(0, 14))
    if kind == 1:
        y[:] = 0.0  # never sold
    elif kind == 2:
        y[rng.integers(0, n)] = base * 80 + 100  # one spike
    elif kind == 3:
        y[-int(rng.integers(1, n + 1)):] = 0.0  # gone quiet
    elif kind == 4:
        y = y * (1 + 3 * (t > n - rng.integers(1, n + 1)))  # stepped up
    elif kind == 5:
        y = np.where(rng.random(n) < 0.95, 0.0, y * 5)  # intermittent
    elif kind == 6:
        y[rng.random(n) < 0.3] = np.nan  # holes
    elif kind == 7:
        y = y * 0.001  # fractions
    elif kind == 8:
        y = np.full(n, float(rng.integers(0, 5)))  # flat
    elif kind == 9:
        y[-1] = base * 1000 + 1000  # a spike on the last day
    elif kind == 10:
        y = y * np.exp(t / n * 3)  # fast growth
    elif kind == 12:
        y[: n - int(rng.integers(1, 5))] = np.nan  # brand new
    elif kind == 13:
        y[rng.random(n) < 0.1] = -float(rng.integers(1, 5))  # returns
    return y


def _panel(seed: int) -> tuple[pd.DataFrame, EngineConfig]:
    rng = np.random.default_rng(seed)
    weekly = rng.random() < 0.25
    periods = int(rng.integers(20, 160)) if weekly else int(rng.integers(30, 500))
    dates = pd.date_range("2022-01-03", periods=periods, freq="W-MON" if weekly else "D")
    promo = rng.random() < 0.5
    frames = []
    for i in range(int(rng.integers(1, 25))):
        start = int(rng.integers(0, periods - 1)) if rng.random() < 0.3 else 0
        d = dates[start:]
        f = pd.DataFrame({"location": f"L{i % 4}", "product": f"P{i}", "category": f"C{i % 2}", "date": d,
                          "y": _shape(rng, len(d))})
        if promo:
            f["promo"] = (rng.random(len(d)) < 0.2).astype(float)
            f.loc[rng.random(len(d)) < 0.05, "promo"] = np.nan
        frames.append(f)
    history = pd.concat(frames, ignore_index=True)
    if rng.random() < 0.7:
        history = history.dropna(subset=["y"]).reset_index(drop=True)  # missing rows rather than NaN values
    horizon = int(rng.choice([1, 4, 8])) if weekly else int(rng.choice([1, 7, 14, 28]))
    cfg = EngineConfig(
        horizon=horizon, missing_policy=str(rng.choice(["zero", "unknown"])), max_rounds=40, min_rounds=10,
        num_leaves=7, min_data_in_leaf=5, learning_rate=0.2, num_threads=1, calibrate=bool(rng.random() < 0.8),
    )
    return history, cfg


@pytest.mark.parametrize("seed", range(16))
def test_random_awkward_panels_forecast_sanely(seed):
    history, cfg = _panel(seed)
    try:
        model = train(history, cfg)
    except EngineError:
        return  # refused with a message that names the problem: also an answer
    out = predict(model, history)
    assert len(out) == cfg.horizon * history.groupby(["location", "product"]).ngroups
    v = out[["yhat", "p10", "p50", "p90"]].to_numpy()
    assert np.isfinite(v).all() and (v >= 0).all()
    assert (out["p10"] <= out["p50"] + 1e-9).all() and (out["p50"] <= out["p90"] + 1e-9).all()
    panel = build_panel(history[["location", "product", "date", "y"]], freq=model.freq,
                        missing_policy=cfg.missing_policy)
    upper = plausible_upper(panel.y, panel.freq.season, 52 if panel.freq.kind == "W" else 364)
    band = pd.Series(upper, index=pd.MultiIndex.from_frame(panel.series[["location", "product"]]))
    limit = band.reindex(pd.MultiIndex.from_frame(out[["location", "product"]])).to_numpy()
    assert (out["yhat"].to_numpy() <= limit * (1 + 1e-6) + 1e-9).all()


def test_row_order_does_not_change_the_forecast():
    history, cfg = _panel(3)
    keys = ["location", "product", "date"]
    a = predict(train(history, cfg), history).sort_values(keys).reset_index(drop=True)
    shuffled = history.sample(frac=1.0, random_state=1).reset_index(drop=True)
    b = predict(train(shuffled, cfg), shuffled).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
