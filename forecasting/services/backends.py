"""Which engine backend trains a run's model, chosen by FORECAST_ENGINE_BACKEND (docs/scaling.md).

The engine stays free of Django: it takes a trainer object. This is the one place that reads the settings and makes
it, so the training run, the command and the schedule all train the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from forecasting import engine

LOCAL = "local"
DASK = "dask"


@contextmanager
def engine_trainer() -> Iterator[tuple[str, engine.BoosterTrainer | None]]:
    """(backend name, trainer) for one run's training; the Dask client lives only as long as the block.

    ``local`` gives ``None`` (the engine's in-process default). ``dask`` imports Dask only now, connects to
    ``FORECAST_DASK_SCHEDULER`` or, when that is empty, starts a LocalCluster for the run and stops it afterwards.
    """
    backend = getattr(settings, "FORECAST_ENGINE_BACKEND", LOCAL)
    if backend != DASK:
        yield LOCAL, None
        return
    from forecasting.engine.dask_backend import DaskTrainer, dask_client

    with dask_client(settings.FORECAST_DASK_SCHEDULER, workers=settings.FORECAST_DASK_WORKERS) as client:
        yield DASK, DaskTrainer(client)
