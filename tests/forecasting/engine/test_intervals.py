"""Conformal intervals: monotone, non-negative, and close to 80 % coverage on simulated data."""

from __future__ import annotations

import numpy as np

from forecasting.engine import backtest
from forecasting.engine.intervals import apply_intervals, calibrate, horizon_bucket

from .conftest import fast_config, make_daily


def test_horizon_buckets():
    assert horizon_bucket(np.array([1, 2, 3, 4, 7, 8, 15, 16, 28])).tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_calibrated_quantiles_cover_simulated_noise():
    rng = np.random.default_rng(0)
    n, h = 400, 14
    level = rng.uniform(5, 50, n)
    pred = np.repeat(level[:, None], h, axis=1)
    cal = calibrate(rng.poisson(pred).astype(float), pred, level)
    fresh = rng.poisson(pred).astype(float)
    q = apply_intervals(cal, pred, level)
    inside = ((fresh >= q[0.1]) & (fresh <= q[0.9])).mean()
    assert 0.74 <= inside <= 0.86
    assert (q[0.1] <= q[0.5]).all() and (q[0.5] <= q[0.9]).all() and (q[0.1] >= 0).all()


def test_closed_periods_have_zero_width():
    pred = np.ones((2, 3))
    cal = calibrate(pred + 1, pred, np.ones(2))
    closed = np.array([[False, True, False], [False, False, False]])
    q = apply_intervals(cal, pred, np.ones(2), closed)
    assert q[0.9][0, 1] == 0 and q[0.9][0, 0] > 0


def test_backtest_coverage_near_80_percent():
    history, _ = make_daily(n_locations=4, n_products=3, days=200, seed=5)
    report = backtest(history, fast_config(horizon=14), folds=2, models=["lightgbm"])
    cov = report["models"]["lightgbm"]["coverage_80"]
    assert 0.65 <= cov <= 0.93, cov
