"""Peak memory of training on a 3,000-series x 5-year daily history (aim: under 4 GB).

Run by hand: ``.venv/bin/python bench/forecast_memory.py [--series 3000] [--days 1826] [--rounds 50]``.
Synthetic Poisson demand with weekday shape, promotions, prices and closed days; the frame uses
category / float32 dtypes as the Django side should. Memory does not depend on the number of boosting
rounds (the trees are tiny next to the data), so a few rounds keep the run short; peak RSS is the
process high-water mark (``ru_maxrss``), which includes the input frame.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecasting.engine import EngineConfig, predict, train  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(series: int, days: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_loc = max(1, series // 100)
    dates = pd.date_range("2020-01-01", periods=days)
    dow = np.array([1.0, 0.9, 0.9, 1.0, 1.3, 1.7, 0.6], dtype=np.float32)[dates.day_of_week]
    level = rng.gamma(1.5, 4.0, series).astype(np.float32)
    promo = (rng.random((series, days)) < 0.1).astype(np.float32)
    is_open = np.ones((series, days), dtype=np.float32)
    is_open[:, (dates.month == 12) & (dates.day == 25)] = 0
    lam = level[:, None] * dow[None, :] * (1 + promo) * is_open
    y = rng.poisson(lam).astype(np.float32)
    price = (rng.uniform(1, 20, series)[:, None] * (1 - 0.2 * promo)).astype(np.float32)
    loc = np.arange(series) % n_loc
    return pd.DataFrame({
        "location": pd.Categorical.from_codes(np.repeat(loc, days), [f"L{i:03d}" for i in range(n_loc)]),
        "product": pd.Categorical.from_codes(np.repeat(np.arange(series), days),
                                             [f"SKU{i:05d}" for i in range(series)]),
        "category": pd.Categorical.from_codes(np.repeat(np.arange(series) % 20, days), [f"C{i}" for i in range(20)]),
        "date": np.tile(dates.to_numpy(), series),
        "y": y.reshape(-1), "promo": promo.reshape(-1), "is_open": is_open.reshape(-1), "price": price.reshape(-1),
    })


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=3000)
    ap.add_argument("--days", type=int, default=1826)
    ap.add_argument("--rounds", type=int, default=None, help="max_rounds (default: the engine's own)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    df = synthetic(args.series, args.days)
    print(f"history: {len(df):,} rows, {df.memory_usage(deep=True).sum() / 2**20:.0f} MB in memory; "
          f"peak RSS so far {rss_mb():.0f} MB")
    # threads: FORECAST_THREADS, else every core (the engine's default)
    cfg = EngineConfig(horizon=28, **({"max_rounds": args.rounds} if args.rounds else {}))
    t1 = time.perf_counter()
    model = train(df, cfg)
    t2 = time.perf_counter()
    print(f"train: {t2 - t1:.0f} s ({model.best_iteration} rounds); peak RSS {rss_mb():.0f} MB")
    out = predict(model, df)
    t3 = time.perf_counter()
    peak = rss_mb()
    print(f"predict: {t3 - t2:.0f} s, {len(out):,} rows; peak RSS {peak:.0f} MB; total {t3 - t0:.0f} s")
    print(f"model: {len(model.to_bytes()) / 2**20:.1f} MB serialised")
    print(f"RESULT peak RSS {peak / 1024:.2f} GB for {args.series} series x {args.days} days "
          f"({'OK' if peak < 4096 else 'OVER'} the 4 GB aim)")


if __name__ == "__main__":
    main()
