"""The Dask backend trains over a real LocalCluster and forecasts like the in-process backend.

Distributed LightGBM is not bit-identical to the local one (the workers bin and histogram their own rows), so the
comparison is against the engine's own noise: the Dask forecasts may differ from the local ones by no more than the
local ones differ from themselves when only the seed changes (bagging draws other rows), with a margin of 1.5x.
On this panel both are about 3 % of the series' level on average.
"""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.engine import predict, train
from forecasting.engine.dask_backend import DaskTrainer, dask_client

from .conftest import fast_config, make_daily

pytestmark = pytest.mark.slow


def _relative_gap(a: pd.DataFrame, b: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """Per series: mean absolute difference of yhat over the horizon / the series' mean of its last 28 days."""
    keys = ["location", "product", "date"]
    gap = (a.set_index(keys)["yhat"] - b.set_index(keys)["yhat"]).abs().groupby(level=[0, 1]).mean()
    level = history.groupby(["location", "product"])["y"].apply(lambda s: s.tail(28).mean())
    return gap / level


@pytest.fixture(scope="module")
def panel():
    return make_daily(n_locations=6, n_products=5, days=200, horizon=14)


def test_dask_forecasts_match_the_local_backend_within_the_seed_noise(panel):
    history, future = panel
    config = fast_config(num_rounds=40)
    local = predict(train(history, config), history, future)
    reseeded = predict(train(history, fast_config(num_rounds=40, seed=1)), history, future)
    with dask_client(workers=2) as client:
        trainer = DaskTrainer(client)
        model = train(history, config, trainer=trainer)
        assert trainer.X is None  # the matrix was released after training
    distributed = predict(model, history, future)

    # really trained over two LightGBM machines, not quietly in-process
    import lightgbm as lgb

    booster = lgb.Booster(model_str=model.boosters[0])
    assert booster.params.get("num_machines") == 2 or "num_machines: 2" in model.boosters[0]
    # the same forecast frame, through the same guards: shape, keys, methods, bounds
    assert len(distributed) == len(local) and list(distributed.columns) == list(local.columns)
    assert (distributed["method"] == local["method"]).all()
    assert (distributed[["p10", "p50", "p90"]].to_numpy() >= 0).all()
    assert (distributed["p10"] <= distributed["p90"]).all()

    noise = _relative_gap(local, reseeded, history)
    gap = _relative_gap(local, distributed, history)
    print(f"local vs reseeded {noise.mean():.4f}, local vs dask {gap.mean():.4f} (max {gap.max():.4f})")
    assert gap.mean() <= 1.5 * noise.mean(), (gap.mean(), noise.mean())
    assert gap.max() <= 0.25, gap.sort_values().tail()
