"""Metric functions against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecasting.engine import metrics as M

Y = np.array([[2.0, 0.0, 4.0], [10.0, np.nan, 6.0]])
F = np.array([[1.0, 1.0, 4.0], [12.0, 99.0, 3.0]])
# scored points: (2,1) (0,1) (4,4) (10,12) (6,3) -> errors f-y: -1, 1, 0, 2, -3


def test_wape_mae_rmse_bias():
    assert M.wape(Y, F) == pytest.approx((1 + 1 + 0 + 2 + 3) / 22)
    assert M.mae(Y, F) == pytest.approx(7 / 5)
    assert M.rmse(Y, F) == pytest.approx(math.sqrt((1 + 1 + 0 + 4 + 9) / 5))
    assert M.bias(Y, F) == pytest.approx((-1 + 1 + 0 + 2 - 3) / 22)


def test_rmsse_by_hand():
    hist = np.array([[0.0, 0.0, 1.0, 3.0, 2.0], [4.0, np.nan, 6.0, 6.0, 8.0]])
    # series 0 starts at its first non-zero (1): diffs 2, -1 -> mean sq 2.5; errors 1,1,0 -> mse 2/3
    # series 1 known values 4,6,6,8: diffs 2,0,2 -> 8/3; errors 2,-3 -> mse 13/2
    r0 = math.sqrt((2 / 3) / 2.5)
    r1 = math.sqrt((13 / 2) / (8 / 3))
    np.testing.assert_allclose(M.rmsse_per_series(Y, F, hist), [r0, r1])
    assert M.rmsse(Y, F, hist) == pytest.approx((r0 + r1) / 2)


def test_rmsse_skips_flat_and_all_zero_series():
    hist = np.array([[0.0, 0.0, 0.0], [5.0, 5.0, 5.0], [1.0, 2.0, 3.0]])
    y = np.ones((3, 2))
    v = M.rmsse_per_series(y, np.zeros((3, 2)), hist)
    assert np.isnan(v[0]) and np.isnan(v[1]) and v[2] == pytest.approx(1.0)


def test_coverage_and_metric_dict():
    lo = np.array([[1.0, 0.0, 5.0], [9.0, 0.0, 7.0]])
    hi = np.array([[3.0, 1.0, 6.0], [11.0, 0.0, 8.0]])
    assert M.coverage(Y, lo, hi) == pytest.approx(3 / 5)
    d = M.all_metrics(Y, F, np.array([[1.0, 2.0], [3.0, 5.0]]), lo, hi)
    assert set(d) == {"wape", "rmsse", "mae", "rmse", "bias", "coverage_80"}
    assert d["coverage_80"] == pytest.approx(0.6)
    assert M.all_metrics(Y, F, None)["coverage_80"] is None


def test_all_unknown_gives_nan_not_error():
    y = np.full((2, 2), np.nan)
    assert math.isnan(M.wape(y, y)) and math.isnan(M.mae(y, y))


def test_rmsse_with_a_precomputed_scale_equals_rmsse_from_history():
    rng = np.random.default_rng(3)
    hist = rng.poisson(5, size=(4, 30)).astype(float)
    hist[1, :10] = np.nan
    y = rng.poisson(5, size=(4, 7)).astype(float)
    f = np.full_like(y, 5.0)
    np.testing.assert_array_equal(
        M.rmsse_per_series(y, f, hist), M.rmsse_per_series(y, f, scale=M.naive_scale(hist))
    )
