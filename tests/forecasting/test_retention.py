"""Old forecast runs are pruned by FORECAST_RUN_RETENTION_DAYS; each scope's forecast of record stays."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from forecasting import tasks
from forecasting.choices import RunKind, RunStatus
from forecasting.models import Forecast, ModelRun
from forecasting.services.retention import prune_forecast_runs
from forecasting.services.scopes import save_scope
from tests.forecasting.conftest import make_run

pytestmark = pytest.mark.django_db


def _age(run, days):
    ModelRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_old_runs_go_and_every_record_stays(world, settings):
    settings.FORECAST_RUN_RETENTION_DAYS = 30
    store_a = save_scope(name="Store A", location=world.store_a)
    inactive = save_scope(name="Old B", location=world.store_b, active=False)
    a_series, b_series = [(world.store_a, world.bread)], [(world.store_b, world.bread)]
    old_a, second_a = make_run(a_series, forecast_scope=store_a), make_run(a_series, forecast_scope=store_a)
    record_b = make_run(b_series, forecast_scope=inactive)
    old_everything, record_everything = make_run(a_series + b_series), make_run(a_series + b_series)
    reused_model = make_run(a_series, forecast_scope=store_a, status=RunStatus.SUCCEEDED)
    newest_a = make_run(a_series, forecast_scope=store_a, kind=RunKind.FORECAST, source_run=reused_model)
    failed = ModelRun.objects.create(status=RunStatus.FAILED, error="x")
    young = make_run(a_series, status=RunStatus.FAILED)
    for run in (old_a, second_a, record_b, old_everything, record_everything, reused_model, newest_a, failed):
        _age(run, 60)
    _age(young, 5)

    dry = prune_forecast_runs(dry_run=True)
    assert set(dry.deleted_runs) == {old_a.pk, second_a.pk, old_everything.pk, failed.pk}
    assert ModelRun.objects.count() == 9
    result = prune_forecast_runs()
    assert set(result.deleted_runs) == {old_a.pk, second_a.pk, old_everything.pk, failed.pk}
    assert set(ModelRun.objects.values_list("pk", flat=True)) == {
        record_b.pk,
        record_everything.pk,
        reused_model.pk,
        newest_a.pk,
        young.pk,
    }
    assert not Forecast.objects.filter(run_id=old_a.pk).exists()  # the forecasts went with their run
    assert prune_forecast_runs().deleted_runs == []  # idempotent
    assert "0 forecast run(s)" in tasks.prune_old_forecast_runs()


def test_zero_keeps_everything_and_bad_values_are_refused(world, capsys):
    run = make_run([(world.store_a, world.bread)])
    _age(run, 1000)
    assert prune_forecast_runs(0).cutoff is None and ModelRun.objects.filter(pk=run.pk).exists()
    call_command("prune_forecast_runs", "--days", "10", "--dry-run")
    assert "Would delete: 0 forecast run(s)" in capsys.readouterr().out  # the "everything" record stays
    with pytest.raises(CommandError, match="days: must be a whole number"):
        call_command("prune_forecast_runs", "--days", "-1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_pruning_drops_the_run_blocks_it_emptied_and_keeps_every_block_still_used(world, settings):
    """Blocks of 200 run ids: a block goes when none of its runs is left; a record's, a live run's, the newest
    run's block and the default partition stay. Explicit run ids put the runs in blocks 0, 200, 400, 600, 1000."""
    from core.partitions import default_partition_name, ensure_all_partitions, partitions

    settings.FORECAST_RUN_RETENTION_DAYS = 30
    table = Forecast._meta.db_table
    scope = save_scope(name="Store A", location=world.store_a)
    series = [(world.store_a, world.bread)]
    old = [make_run(series, pk=pk, forecast_scope=scope) for pk in (10, 20, 420, 620)]
    record = make_run(series, pk=210, forecast_scope=scope)  # the scope's newest succeeded run
    young = make_run(series, pk=430, status=RunStatus.FAILED)
    newest = make_run(series, pk=1010, status=RunStatus.FAILED)
    for run in (*old, record):
        _age(run, 60)
    ensure_all_partitions(1)  # blocks 0 .. 1200; the rows move out of the default partition into their blocks

    def block(start: int) -> str:
        return f"{table}_p{start:010d}"

    with connection.cursor() as cursor:
        before = set(partitions(cursor, table))
    assert {block(s) for s in (0, 200, 400, 600, 800, 1000, 1200)} | {default_partition_name(table)} <= before

    assert prune_forecast_runs(dry_run=True).dropped_partitions == []  # a dry run drops nothing
    result = prune_forecast_runs()
    assert set(result.deleted_runs) == {run.pk for run in old}
    assert set(result.dropped_partitions) == {block(0), block(600), block(800)}
    with connection.cursor() as cursor:
        after = set(partitions(cursor, table))
    assert after == before - {block(0), block(600), block(800)}
    # the kept runs' forecasts are all still readable, from their own blocks
    for run in (record, young, newest):
        assert Forecast.objects.filter(run=run).count() == 7
    assert "3 empty forecast partition(s) dropped" in str(result)
    assert prune_forecast_runs().dropped_partitions == []  # nothing left to drop: the next night is a no-op
