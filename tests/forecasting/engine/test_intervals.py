"""Conformal intervals: monotone, non-negative, and close to 80 % coverage on simulated data."""

from __future__ import annotations

import numpy as np

from forecasting.engine import backtest
from forecasting.engine.intervals import Calibration, apply_intervals, bucket_width, calibrate, horizon_bucket

from .conftest import fast_config, make_daily


def test_horizon_buckets():
    assert horizon_bucket(np.array([1, 2, 3, 4, 7, 8, 15, 16, 28])).tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert horizon_bucket(np.array([1, 14, 15, 28, 29]), 14).tolist() == [0, 0, 1, 1, 2]
    # daily: two whole weeks per bucket, so every bucket mixes every weekday; a weekly 8-step horizon
    # cannot hold two years, so it keeps the doubling buckets
    assert bucket_width(7, 28) == 14 and bucket_width(7, 7) == 0 and bucket_width(52, 8) == 0


def test_interval_is_centred_on_the_forecast_not_on_the_windows_bias():
    rng = np.random.default_rng(1)
    n, h = 300, 28
    level = rng.uniform(10, 30, n)
    pred = np.repeat(level[:, None], h, axis=1)
    # the calibration window ran 20 % below the forecast (a quiet month): its spread, not its bias, is kept
    cal = calibrate(rng.normal(0.8 * pred, 0.1 * pred), pred, level, width=14)
    q = apply_intervals(cal, pred, level)
    np.testing.assert_allclose(q[0.5], pred)
    below, above = pred - q[0.1], q[0.9] - pred
    assert (below > 0).all() and (above > 0).all()
    np.testing.assert_allclose(below.mean() / above.mean(), 1.0, rtol=0.1)


def test_stored_calibration_without_width_keeps_doubling_buckets():
    old = {"quantiles": [0.1, 0.5, 0.9], "table": [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0]], "pooled": [-1, 0, 1],
           "count": 60}
    cal = Calibration.from_dict(old)
    assert cal.width == 0
    q = apply_intervals(cal, np.ones((1, 3)), np.ones(1))
    np.testing.assert_allclose(q[0.9][0], [2.0, 3.0, 3.0])  # step 1 in bucket 0, steps 2-3 in bucket 1
    assert Calibration.from_dict(cal.to_dict()) == cal


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
