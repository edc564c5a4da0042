"""Train the global model's boosters over a Dask cluster (``lightgbm.dask``) instead of in this process.

Why a second backend: the default trains one model per forecast scope in one worker process, and the nightly batch
scales by running many scopes side by side (docs/scaling.md). Some companies want *one* model over all their
series instead (a product line sold everywhere, where every store teaches the others); its training matrix can
outgrow one process's cores. Here the same matrix is split by rows over the cluster's workers and LightGBM's
data-parallel learner trains one booster on all of them together.

Only the training changes. :class:`DaskTrainer` is a ``lgbm.BoosterTrainer``: the engine builds its design matrix,
hands it over, and gets back a plain ``lgb.Booster`` (``DaskLGBMRegressor.to_local()``); the multi-step round choice,
the per-series fallbacks, the conformal intervals and the bounded recursive forecast run in this process exactly
as for the local backend. What differs, and why:

* **No one-step early stopping.** ``lightgbm.dask`` does not support early stopping (each worker would judge its own
  part of the validation rows). It is only a loose guard in the engine; the rounds are chosen by the multi-step
  error of the whole booster, so the Dask backend trains ``max_rounds`` (or ``num_rounds``) and chooses the same way.
  Set ``num_rounds`` for shorter runs.
* **Not bit-identical to the local backend.** Data-parallel LightGBM builds its histograms and bin boundaries from
  the workers' parts; the splits differ slightly, so the forecasts agree within a few per cent of the level, not
  to the bit: about as much as two local runs with different seeds (tests/forecasting/engine/test_dask_backend.py).
  Nor is it repeatable run to run: which worker becomes LightGBM's rank 0 (and so which rows it bins first) follows
  the cluster's addresses, which change. The local backend stays the default, and the one whose bytes are stable.
* **Threads**: each Dask worker trains with its own thread count (``lightgbm.dask`` overrides ``num_threads``).

``dask`` and ``distributed`` are imported here only, and this module only when the backend is chosen.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import lightgbm as lgb
import numpy as np

from .errors import EngineError
from .lgbm import Progress, _notify

NAME = "dask"


class DaskTrainer:
    """Boosters trained by ``lightgbm.DaskLGBMRegressor`` on the rows of the design matrix, split over the workers."""

    name = NAME

    def __init__(self, client):
        self.client = client
        self.X: np.ndarray | None = None
        self.label: np.ndarray | None = None

    def prepare(
        self, X: np.ndarray, label: np.ndarray, feature_names: list[str], categorical: list[int], params: dict
    ) -> None:
        # kept as numpy here: the calibration fit trains on a subset of the rows, the refit on all of them, and each
        # fit scatters exactly the rows it needs
        self.X, self.label = X, label
        self.feature_names, self.categorical = list(feature_names), list(categorical)

    def train(
        self, params: dict, rounds: int, *, rows: np.ndarray | None = None, valid_rows: np.ndarray | None = None,
        early_stopping: int | None = None, progress: Progress | None = None, guard_from: int = 0,
    ) -> lgb.Booster:
        """Train ``rounds`` rounds over the cluster; ``valid_rows``, ``early_stopping`` and ``guard_from`` are
        ignored (see module)."""
        if self.X is None or self.label is None:
            raise EngineError("model: the Dask trainer was given no training matrix")
        X = self.X if rows is None else self.X[rows]
        y = self.label if rows is None else self.label[rows]
        data, labels = self._scatter(X, y)
        # num_threads is the workers' own (lightgbm.dask overrides it); the rest is the local backend's parameters
        local = {k: v for k, v in params.items() if k not in ("num_threads", "n_jobs")}
        model = lgb.DaskLGBMRegressor(client=self.client, n_estimators=int(rounds), **local)
        with warnings.catch_warnings():
            # the scikit-learn wrapper always carries n_jobs, and lightgbm.dask warns that it drops it: as intended
            warnings.filterwarnings("ignore", message="Parameter n_jobs will be ignored")
            model.fit(data, labels, feature_name=self.feature_names, categorical_feature=self.categorical)
        _notify(progress, "train", int(rounds), int(rounds))
        return model.to_local().booster_

    def _scatter(self, X: np.ndarray, y: np.ndarray):
        """The rows as dask arrays of one block per worker, already on the workers (not embedded in the graph)."""
        import dask
        import dask.array as da

        workers = list(self.client.scheduler_info()["workers"])
        if not workers:
            raise EngineError("dask: the cluster has no workers; start workers or check FORECAST_DASK_SCHEDULER")
        bounds = np.linspace(0, len(y), min(len(workers), max(len(y), 1)) + 1).astype(int)
        blocks = [(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi > lo]
        xs, ys = [], []
        for (lo, hi), worker in zip(blocks, workers, strict=False):
            fx, fy = self.client.scatter([X[lo:hi], y[lo:hi]], workers=[worker])
            xs.append(da.from_delayed(dask.delayed(fx), shape=(hi - lo, X.shape[1]), dtype=X.dtype))
            ys.append(da.from_delayed(dask.delayed(fy), shape=(hi - lo,), dtype=y.dtype))
        return da.concatenate(xs), da.concatenate(ys)

    def release(self) -> None:
        self.X = self.label = None


@contextmanager
def dask_client(address: str = "", *, workers: int = 2, threads_per_worker: int = 1) -> Iterator[object]:
    """A ``distributed.Client`` for one run: the scheduler at ``address``, else a LocalCluster started for the run.

    The local cluster runs its workers as threads of this process (``processes=False``): LightGBM's network state is
    per thread, the GIL is released while it trains, and a django-q2 worker (a daemon process) may not start child
    processes. No fixed ports: the scheduler takes a free one and there is no dashboard.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of the product (requirements.txt)
        raise EngineError(f"dask: the Dask backend needs dask and distributed installed ({exc})") from exc
    if address:
        try:
            client = Client(address, timeout="30s")
        except OSError as exc:
            raise EngineError(f"dask: cannot reach the Dask scheduler at {address!r} ({exc})") from exc
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=threads_per_worker, processes=False,
        dashboard_address=None, scheduler_port=0,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
