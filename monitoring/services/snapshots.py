"""Build a monitoring snapshot (the API's "now" view) and persist one per 15-minute slot (the scheduled job).

The API, the schedule and `manage.py build_snapshot` all call these two functions: what a person sees on
demand is computed exactly as what history records.

One snapshot per slot, even with several workers or web instances:
- PostgreSQL: the job runs inside a transaction holding `pg_try_advisory_xact_lock(SNAPSHOT_LOCK_KEY)`; a second
  builder does not wait, it skips ("locked"). After taking the lock the slot is checked (a builder that
  started after the first committed skips with "exists");
- SQLite: the settings open every transaction with BEGIN IMMEDIATE, which takes the database's write lock, so
  builders run one after another and the second finds the slot taken ("exists");
- everywhere: `MonitoringSnapshot.slot` is unique; losing that race is caught and reported as "exists".
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from monitoring import conf
from monitoring.choices import SnapshotTrigger
from monitoring.metrics import flatten_metrics
from monitoring.models import MonitoringSnapshot
from monitoring.services.context import BuildContext, iso
from monitoring.services.query_counter import QueryCounter
from monitoring.services.sections import data as data_section
from monitoring.services.sections import forecasting as forecasting_section
from monitoring.services.sections import integrations as integrations_section
from monitoring.services.sections import planning as planning_section

logger = logging.getLogger("monitoring")

# A fixed 63-bit key for pg_try_advisory_xact_lock, derived from a name so it cannot collide by accident.
SNAPSHOT_LOCK_KEY = int.from_bytes(hashlib.sha256(b"salesforecast.monitoring.snapshot").digest()[:8], "big") >> 1


@dataclass(frozen=True)
class BuiltSnapshot:
    payload: dict
    metrics: dict
    build_seconds: float
    query_count: int
    slot: datetime
    built_at: datetime


@dataclass
class PersistOutcome:
    """What the job did: `created` a snapshot, or skipped because the slot `exists` or another builder holds
    the lock (`locked`)."""

    status: str
    slot: datetime
    snapshot: MonitoringSnapshot | None = None
    alerts_opened: list[int] = field(default_factory=list)
    alerts_resolved: list[int] = field(default_factory=list)
    pruned: int = 0

    @property
    def created(self) -> bool:
        return self.status == "created"


def slot_start(moment: datetime) -> datetime:
    """Start (UTC) of the 15-minute slot a moment falls in."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % conf.SLOT_MINUTES, second=0, microsecond=0)


def build_snapshot(now: datetime | None = None) -> BuiltSnapshot:
    """Compute the full payload from every app's tables (read-only, ~20 queries whatever the data size)."""
    ctx = BuildContext.create(now)
    started = time.perf_counter()
    with QueryCounter() as counter:
        integrations = integrations_section.collect(ctx)
        data = data_section.collect(ctx)
        forecasting = forecasting_section.collect(ctx)
        planning = planning_section.collect(ctx, forecasting["latest_run"]["id"])
    seconds = round(time.perf_counter() - started, 4)
    payload = {
        "schema_version": conf.SCHEMA_VERSION,
        "generated_at": iso(ctx.now),
        "slot": iso(slot_start(ctx.now)),
        "as_of_date": iso(ctx.today),
        "config": ctx.config,
        "integrations": integrations,
        "data": data,
        "forecasting": forecasting,
        "planning": planning,
        "build": {"seconds": seconds, "queries": counter.count},
    }
    return BuiltSnapshot(
        payload=payload,
        metrics=flatten_metrics(payload),
        build_seconds=seconds,
        query_count=counter.count,
        slot=slot_start(ctx.now),
        built_at=ctx.now,
    )


def _acquire_job_lock() -> bool:
    """True when this transaction may build; on PostgreSQL a non-blocking advisory lock held until commit."""
    if connection.vendor != "postgresql":
        return True  # SQLite: BEGIN IMMEDIATE already serialises writers; the unique slot is the backstop.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SNAPSHOT_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def build_and_persist_snapshot(
    now: datetime | None = None, trigger: str = SnapshotTrigger.SCHEDULE
) -> PersistOutcome:
    """Build and store the snapshot of the current slot unless it exists; then evaluate the alert rules and
    prune snapshots past retention, all in one transaction (alert mails go out after commit)."""
    from monitoring.services.alerts import evaluate_alert_rules

    now = now or timezone.now()
    slot = slot_start(now)
    with transaction.atomic():
        if not _acquire_job_lock():
            logger.info("monitoring snapshot skipped: another builder holds the lock", extra={"slot": iso(slot)})
            return PersistOutcome("locked", slot)
        existing = MonitoringSnapshot.objects.filter(slot=slot).first()
        if existing is not None:
            return PersistOutcome("exists", slot, existing)
        built = build_snapshot(now)
        try:
            with transaction.atomic():
                snapshot = MonitoringSnapshot.objects.create(
                    created_at=timezone.now(),
                    slot=slot,
                    schema_version=conf.SCHEMA_VERSION,
                    payload=built.payload,
                    metrics=built.metrics,
                    build_seconds=built.build_seconds,
                    query_count=built.query_count,
                    trigger=trigger,
                )
        except IntegrityError:
            return PersistOutcome("exists", slot, MonitoringSnapshot.objects.filter(slot=slot).first())
        evaluation = evaluate_alert_rules(snapshot)
        pruned = prune_snapshots(now)
    logger.info(
        "monitoring snapshot stored",
        extra={"slot": iso(slot), "seconds": built.build_seconds, "queries": built.query_count, "pruned": pruned},
    )
    return PersistOutcome(
        "created", slot, snapshot, alerts_opened=evaluation.opened, alerts_resolved=evaluation.resolved, pruned=pruned
    )


def prune_snapshots(now: datetime | None = None) -> int:
    """Delete snapshots older than MONITORING_RETENTION_DAYS (0 keeps everything); returns how many."""
    days = int(conf.get("MONITORING_RETENTION_DAYS"))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = MonitoringSnapshot.objects.filter(slot__lt=cutoff).delete()
    return deleted


def latest_snapshot() -> MonitoringSnapshot | None:
    return MonitoringSnapshot.objects.order_by("-slot").first()


def freshness(snapshot: MonitoringSnapshot | None, now: datetime | None = None) -> dict:
    """How current the latest snapshot is: `fresh` when it is of this slot or the previous one."""
    now = now or timezone.now()
    current = slot_start(now)
    step = timedelta(minutes=conf.SLOT_MINUTES)
    body = {
        "current_slot": iso(current),
        "next_slot_at": iso(current + step),
        "slot_minutes": conf.SLOT_MINUTES,
        "latest_slot": None,
        "age_seconds": None,
        "slots_behind": None,
        "state": "missing",
    }
    if snapshot is not None:
        behind = int((current - snapshot.slot) / step)
        body.update(
            latest_slot=iso(snapshot.slot),
            age_seconds=round((now - snapshot.created_at).total_seconds(), 3),
            slots_behind=max(behind, 0),
            state="fresh" if behind <= 1 else "stale",
        )
    return body
