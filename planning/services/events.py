"""The `proposals.ready` webhook event: a proposal run stored its order and production proposals."""

from __future__ import annotations

from datetime import date

from webhooks.services import emit_event


def emit_proposals_ready(*, proposal_run_id: int, forecast_run_id: int | None, planning_date: date | None,
                         counts: dict[str, int], warnings: list[str]) -> None:
    emit_event("proposals.ready", {
        "proposal_run_id": proposal_run_id, "forecast_run_id": forecast_run_id, "planning_date": planning_date,
        "counts": counts, "warnings": warnings[:20],
    })
