"""One snapshot per slot: persistence, skipping, the PostgreSQL advisory lock, the schedule and the command."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections

from monitoring.metrics import METRIC_PATHS
from monitoring.models import MonitoringSnapshot
from monitoring.services.snapshots import SNAPSHOT_LOCK_KEY, build_and_persist_snapshot, slot_start
from tests.monitoring.conftest import NOW, away_from_slot_boundary

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database cannot host concurrent writers from threads "
    "(its variant below proves the second builder of a slot skips)",
)


@pytest.mark.django_db
def test_persisting_stores_the_slot_with_flat_metrics_and_the_second_builder_skips():
    first = build_and_persist_snapshot(NOW)
    assert first.status == "created" and first.created
    snapshot = first.snapshot
    assert snapshot.slot == slot_start(NOW) and snapshot.schema_version == 1
    assert set(snapshot.metrics) == set(METRIC_PATHS)
    assert snapshot.metrics["planning.stockout_risk.count"] == snapshot.payload["planning"]["stockout_risk"]["count"]
    assert snapshot.query_count == snapshot.payload["build"]["queries"] > 0
    assert snapshot.build_seconds >= 0

    second = build_and_persist_snapshot(NOW + timedelta(minutes=7))  # same slot (12:00–12:15)
    assert second.status == "exists" and second.snapshot.pk == snapshot.pk
    assert MonitoringSnapshot.objects.count() == 1

    later = build_and_persist_snapshot(NOW + timedelta(minutes=8))  # 12:15: the next slot
    assert later.created and MonitoringSnapshot.objects.count() == 2


@pytest.mark.django_db
def test_snapshots_past_retention_are_pruned(settings):
    settings.MONITORING_RETENTION_DAYS = 1
    kept = build_and_persist_snapshot(NOW - timedelta(hours=20)).snapshot
    old = build_and_persist_snapshot(NOW - timedelta(days=2)).snapshot
    outcome = build_and_persist_snapshot(NOW)
    assert outcome.pruned == 1
    assert set(MonitoringSnapshot.objects.values_list("pk", flat=True)) == {kept.pk, outcome.snapshot.pk}
    assert not MonitoringSnapshot.objects.filter(pk=old.pk).exists()


def _in_thread(target, results: list, barrier: threading.Barrier | None = None):
    def run():
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # surfaced by the assertions below
            results.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_builders_store_one_snapshot_on_postgresql():
    results: list = []
    barrier = threading.Barrier(2)
    threads = [_in_thread(lambda: build_and_persist_snapshot(NOW), results, barrier) for _ in range(2)]
    for thread in threads:
        thread.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r.status for r in results)
    assert statuses[0] == "created" and statuses[1] in ("exists", "locked"), statuses
    assert MonitoringSnapshot.objects.filter(slot=slot_start(NOW)).count() == 1
    assert MonitoringSnapshot.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_builder_skips_while_another_holds_the_advisory_lock():
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SNAPSHOT_LOCK_KEY])
            assert cursor.fetchone()[0] is True
        results: list = []
        _in_thread(lambda: build_and_persist_snapshot(NOW), results).join(timeout=60)
        assert [r.status for r in results] == ["locked"]
        assert MonitoringSnapshot.objects.count() == 0
        holder.rollback()  # lock released: the next builder stores the slot
        _in_thread(lambda: build_and_persist_snapshot(NOW), results).join(timeout=60)
        assert results[-1].status == "created" and MonitoringSnapshot.objects.count() == 1
    finally:
        holder.close()


@pytest.mark.django_db
def test_sqlite_variant_the_second_builder_of_a_slot_skips(django_capture_on_commit_callbacks):
    # On any database the unique slot + check after the lock make the second builder a no-op.
    with django_capture_on_commit_callbacks(execute=True):
        created = build_and_persist_snapshot(NOW)
        again = build_and_persist_snapshot(NOW + timedelta(seconds=30))
    assert (created.status, again.status) == ("created", "exists")
    assert again.snapshot.pk == created.snapshot.pk
    assert MonitoringSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_schedule_is_every_quarter_hour_and_the_task_stores_the_slot():
    from django_q.models import Schedule

    from core.schedules import register_schedules
    from monitoring import tasks

    (spec,) = tasks.SCHEDULES
    assert spec.func == "monitoring.tasks.build_monitoring_snapshot"
    assert spec.schedule_type == Schedule.CRON and spec.cron == "*/15 * * * *"
    register_schedules()
    assert Schedule.objects.get(name="sf:monitoring.snapshot").cron == "*/15 * * * *"

    away_from_slot_boundary()
    assert tasks.build_monitoring_snapshot().startswith("created ")
    assert tasks.build_monitoring_snapshot().startswith("exists ")
    assert MonitoringSnapshot.objects.get().trigger == "schedule"


@pytest.mark.django_db
def test_build_snapshot_command_prints_a_summary_and_skips_a_built_slot():
    away_from_slot_boundary()
    out = io.StringIO()
    call_command("build_snapshot", stdout=out)
    text = out.getvalue()
    assert ": stored (id " in text and "queries" in text and "items at stock-out risk" in text
    assert MonitoringSnapshot.objects.get().trigger == "command"

    out = io.StringIO()
    call_command("build_snapshot", stdout=out)
    assert "skipped, the slot already has snapshot" in out.getvalue()

    out = io.StringIO()
    call_command("build_snapshot", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["schema_version"] == 1
    assert MonitoringSnapshot.objects.count() == 1
