"""Old forecast runs go (their forecasts, series methods and accuracy rows with them), records stay.

``FORECAST_RUN_RETENTION_DAYS`` (0 = keep everything) bounds the forecasts table, which otherwise grows by a
full horizon of every series every night. Never deleted, whatever their age: each scope's forecast of record
(active or not), the runs the "everything" record is read from, the runs whose stored model a kept run
reuses, and anything still queued or running. ``manage.py prune_forecast_runs`` and the nightly schedule call
:func:`prune_forecast_runs`, which then drops the forecast partitions (PostgreSQL) no run is left in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from core.jobs import ACTIVE_STATUSES
from core.partitions import drop_empty_partitions, registered_tables
from forecasting.models import Forecast, ModelRun
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.services.errors import InvalidParameter
from forecasting.services.records import _everything_runs, succeeded_runs

logger = logging.getLogger("forecasting")

DELETE_BATCH = 50  # runs per transaction: each takes its forecast rows with it


@dataclass
class PruneResult:
    cutoff: datetime | None
    deleted_runs: list[int] = field(default_factory=list)
    kept_records: list[int] = field(default_factory=list)
    dropped_partitions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.cutoff is None:
            return "retention is off (FORECAST_RUN_RETENTION_DAYS=0): nothing deleted"
        return (
            f"{len(self.deleted_runs)} forecast run(s) created before {self.cutoff:%Y-%m-%d %H:%M} deleted; "
            f"{len(self.kept_records)} forecast(s) of record kept whatever their age; "
            f"{len(self.dropped_partitions)} empty forecast partition(s) dropped"
        )


def protected_run_ids() -> set[int]:
    """Runs retention never deletes: every scope's record, the "everything" record's runs, and their models."""
    keep: set[int] = set()
    for scope in ScopeUnit.objects.all():
        record = succeeded_runs().filter(forecast_scope=scope).values_list("pk", flat=True).first()
        if record:
            keep.add(record)
    keep.update(run.pk for run in _everything_runs())
    keep.update(ModelRun.objects.filter(pk__in=keep, source_run__isnull=False).values_list("source_run_id", flat=True))
    return keep


def prune_forecast_runs(
    retention_days: int | None = None, *, now: datetime | None = None, dry_run: bool = False
) -> PruneResult:
    """Delete finished runs created more than ``retention_days`` (default the setting) days ago, except the
    protected ones; returns what was (or, with ``dry_run``, would be) deleted."""
    days = settings.FORECAST_RUN_RETENTION_DAYS if retention_days is None else retention_days
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise InvalidParameter(gettext("days: must be a whole number of days, 0 or more, got %(value)r") % {
            "value": days
        }, field="days")
    if days == 0:
        return PruneResult(cutoff=None)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    keep = protected_run_ids()
    doomed = list(
        ModelRun.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=ACTIVE_STATUSES)
        .exclude(pk__in=keep)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    old_kept = ModelRun.objects.filter(created_at__lt=cutoff, pk__in=keep).values_list("pk", flat=True)
    result = PruneResult(cutoff=cutoff, kept_records=sorted(old_kept))
    if dry_run:
        result.deleted_runs = doomed
        return result
    for start in range(0, len(doomed), DELETE_BATCH):
        chunk = doomed[start : start + DELETE_BATCH]
        with transaction.atomic():
            # A kept run may have reused a doomed run's model: that link goes, the kept run's file stays its own.
            ModelRun.objects.filter(source_run_id__in=chunk).update(source_run=None)
            ModelRun.objects.filter(pk__in=chunk).delete()
        result.deleted_runs.extend(chunk)
    if result.deleted_runs:
        logger.info("old forecast runs pruned", extra={"runs": len(result.deleted_runs), "cutoff": str(cutoff)})
    result.dropped_partitions = drop_empty_run_partitions()
    return result


def drop_empty_run_partitions() -> list[str]:
    """Detach and drop the forecast partitions (blocks of run ids, PostgreSQL) that no run uses any more.

    A block goes only when no run of its range is left at all (so neither a forecast of record nor a run still
    queued or running, whose forecasts would land there) and it is below the newest run's block; the default
    partition never goes. Pruning empties blocks oldest first, so this is what keeps the table's partition
    count flat rather than growing by one every 200 runs forever.
    """
    table = Forecast._meta.db_table
    scheme = registered_tables().get(table)
    newest = ModelRun.objects.aggregate(newest=Max("pk"))["newest"]
    if scheme is None or scheme.step is None or newest is None:
        return []

    def in_use(start: int, end: int) -> bool:
        return ModelRun.objects.filter(pk__gte=start, pk__lt=end).exists()

    return drop_empty_partitions(table, in_use, below=scheme.start(newest))


__all__ = ["PruneResult", "drop_empty_run_partitions", "protected_run_ids", "prune_forecast_runs"]
