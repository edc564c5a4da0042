"""Old forecast runs are pruned by FORECAST_RUN_RETENTION_DAYS; each scope's forecast of record stays."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
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
