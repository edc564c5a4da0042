"""Synthetic sales frames for the engine tests (no database, no shared data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineConfig

DOW = np.array([1.0, 0.9, 0.9, 1.0, 1.3, 1.7, 0.6])


def make_daily(
    n_locations: int = 3,
    n_products: int = 2,
    days: int = 160,
    start: str = "2023-01-02",
    seed: int = 0,
    horizon: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Poisson demand with weekday shape, promotions and weekly closed Sundays at location L0.

    Returns (history, future): future holds the drivers of the ``horizon`` days after the history.
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days + horizon)
    frames = []
    for i in range(n_locations):
        for j in range(n_products):
            level = rng.uniform(3, 40)
            promo = (rng.random(len(dates)) < 0.15).astype(float)
            is_open = np.ones(len(dates))
            if i == 0:
                is_open[dates.day_of_week == 6] = 0.0
            lam = level * DOW[dates.day_of_week] * (1 + 0.8 * promo) * is_open
            frames.append(pd.DataFrame({
                "location": f"L{i}", "product": f"P{j}", "category": "C0" if j % 2 == 0 else "C1",
                "date": dates, "y": rng.poisson(lam).astype(float), "promo": promo, "is_open": is_open,
            }))
    df = pd.concat(frames, ignore_index=True)
    cut = dates[days - 1]
    history = df[df["date"] <= cut].reset_index(drop=True)
    future = df[df["date"] > cut].drop(columns=["y"]).reset_index(drop=True)
    return history, future


def fast_config(**kw) -> EngineConfig:
    """Small trees and few rounds: real LightGBM, test-suite speed."""
    base = dict(horizon=14, max_rounds=60, num_leaves=15, min_data_in_leaf=10, learning_rate=0.15, num_threads=1)
    base.update(kw)
    return EngineConfig(**base)


@pytest.fixture(scope="session")
def daily():
    return make_daily(horizon=14)


@pytest.fixture(scope="session")
def trained(daily):
    from forecasting.engine import train

    history, _ = daily
    return train(history, fast_config())
