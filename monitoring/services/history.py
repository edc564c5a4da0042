"""Reading stored snapshots back: recent history and metric timeseries (from the small `metrics` column)."""

from __future__ import annotations

from datetime import datetime

from django.db.models.fields.json import KeyTransform

from monitoring.metrics import METRIC_BY_PATH
from monitoring.models import MonitoringSnapshot

SUMMARY_FIELDS = ("id", "slot", "created_at", "schema_version", "build_seconds", "query_count", "trigger", "metrics")


def snapshot_history(limit: int) -> list[dict]:
    """The newest `limit` snapshots, newest first, without their payloads."""
    return list(MonitoringSnapshot.objects.order_by("-slot").values(*SUMMARY_FIELDS)[:limit])


def metric_timeseries(paths: list[str], start: datetime, end: datetime) -> dict:
    """Values of the given catalogued metrics per snapshot with start ≤ slot ≤ end, oldest first."""
    # Only the requested keys leave the database (KeyTransform: `metrics -> 'path'` / JSON_EXTRACT).
    columns = {f"metric_{i}": KeyTransform(path, "metrics") for i, path in enumerate(paths)}
    rows = (
        MonitoringSnapshot.objects.filter(slot__gte=start, slot__lte=end)
        .order_by("slot")
        .values("id", "slot", **columns)
    )
    return {
        "metrics": [METRIC_BY_PATH[path].as_dict() for path in paths],
        "points": [
            {
                "snapshot_id": row["id"],
                "slot": row["slot"],
                "values": {path: row[f"metric_{i}"] for i, path in enumerate(paths)},
            }
            for row in rows
        ],
    }
