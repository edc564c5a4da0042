"""The `forecast.run_finished` webhook event, for succeeded and failed runs alike (the status says which)."""

from __future__ import annotations

from forecasting.models import ModelRun
from webhooks.services import emit_event


def emit_run_finished(run: ModelRun) -> None:
    emit_event("forecast.run_finished", {
        "run_id": run.pk, "kind": run.kind, "status": run.status, "error": run.error or "",
        "horizon": run.horizon, "forecast_count": run.forecast_count,
        "forecast_start": run.forecast_start, "forecast_end": run.forecast_end,
        "data_start": run.data_start, "data_end": run.data_end, "finished_at": run.finished_at,
    })
