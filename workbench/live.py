"""What live screens receive: run progress (syncs, forecasts, proposals, imports) and production-task moves.

Two paths reach an open WebSocket, so a change arrives whichever process made it:

- push: a run's progress write (``core.jobs.on_progress``), a saved run or task (post_save, after commit) is
  sent to a channel-layer group at once — every process when the layer is Redis (``REDIS_URL``), this process
  with the default in-memory layer;
- poll: each connection also looks at the active and just-finished runs (and recently moved tasks) every
  ``WORKBENCH_LIVE_POLL_SECONDS`` and sends what changed, which covers progress written by a worker process
  through ``.update()`` without any signal.

A user only joins the groups of what they may view (the model's view permission).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from forecasting.models import ModelRun
from integrations.models import SyncRun
from planning.models import ProductionTask, ProposalRun
from sales.models import ImportJob

logger = logging.getLogger("salesforecast.live")

KANBAN_GROUP = "kanban"
RECENT_SECONDS = 120


@dataclass(frozen=True)
class RunKind:
    name: str
    model: type[Model]
    permission: str
    label: str

    @property
    def group(self) -> str:
        return f"runs.{self.name}"


RUN_KINDS: tuple[RunKind, ...] = (
    RunKind("sync", SyncRun, "integrations.view_syncrun", "Sync"),
    RunKind("forecast", ModelRun, "forecasting.view_modelrun", "Forecast"),
    RunKind("proposals", ProposalRun, "planning.view_proposalrun", "Order proposals"),
    RunKind("import", ImportJob, "sales.view_importjob", "Import"),
)
KIND_OF_MODEL = {kind.model: kind for kind in RUN_KINDS}


def allowed_run_kinds(user) -> list[RunKind]:
    return [kind for kind in RUN_KINDS if user.has_perm(kind.permission)]


def may_see_board(user) -> bool:
    return user.has_perm("planning.view_productiontask")


def run_message(run: Model) -> dict[str, Any]:
    """One run as live screens show it: status, stage and progress in words and numbers."""
    kind = KIND_OF_MODEL[type(run)]
    done = getattr(run, "progress_done", None)
    total = getattr(run, "progress_total", None)
    percent: float | None
    if isinstance(run, ImportJob):
        percent, done, total = round(run.progress, 1), run.rows_processed, None
    else:
        percent = round(100 * done / total, 1) if total else None
    details = getattr(run, "details", None)
    stage = getattr(run, "stage", "") or (details.get("phase", "") if isinstance(details, dict) else "")
    text = f"{done}/{total}" if total else (str(done) if done else "")
    return {
        "type": "run", "kind": kind.name, "id": run.pk, "status": run.status,
        "status_label": run.get_status_display(), "stage": stage, "progress_done": done,
        "progress_total": total, "percent": percent, "text": text,
    }


def task_message(task: ProductionTask) -> dict[str, Any]:
    return {"type": "task", "task": {"id": task.pk, "status": task.status, "status_label": task.get_status_display(),
                                     "board_position": task.board_position}}


def _send(group: str, message: dict[str, Any]) -> None:
    """Send to a group; never let a live screen break the write that caused it."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, {"type": "live.message", "message": message})
    except Exception:  # noqa: BLE001 - live updates are a courtesy
        logger.warning("live update not sent", extra={"group": group}, exc_info=True)


def publish_run(run: Model) -> None:
    kind = KIND_OF_MODEL.get(type(run))
    if kind is not None:
        _send(kind.group, run_message(run))


def publish_task(task: ProductionTask) -> None:
    _send(KANBAN_GROUP, task_message(task))


def on_run_saved(sender, instance, **kwargs) -> None:
    transaction.on_commit(lambda: publish_run(instance))


def on_task_saved(sender, instance, **kwargs) -> None:
    transaction.on_commit(lambda: publish_task(instance))


def on_job_progress(run) -> None:
    """core.jobs.on_progress hook: progress written mid-run reaches screens at once."""
    if type(run) in KIND_OF_MODEL:
        publish_run(run)


# -- polling (one connection's view of what changed) ---------------------------------------------------------


def current_runs(kinds: list[RunKind], now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Active runs and runs finished in the last two minutes, one query per kind, keyed "kind:id"."""
    now = now or timezone.now()
    recent = now - timedelta(seconds=RECENT_SECONDS)
    found: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        qs = kind.model.objects.filter(status__in=("queued", "running")) | kind.model.objects.filter(
            finished_at__gte=recent
        )
        for run in qs.order_by("-pk")[:50]:
            message = run_message(run)
            found[f"{kind.name}:{run.pk}"] = message
    return found


def tasks_changed_since(since: datetime) -> list[dict[str, Any]]:
    return [task_message(t) for t in ProductionTask.objects.filter(updated_at__gt=since).order_by("updated_at")[:200]]
