"""Forecasting 0006 (scopes) and 0007 (batches) migrate forwards and backwards with the runs' data intact."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("forecasting", "0005_modelrun_job_lifecycle")]
AFTER = [("forecasting", "0007_forecast_batches")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_scopes_and_batches_migrate_both_ways():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        runs = old.get_model("forecasting", "ModelRun")
        # Two runs left active side by side on "everything" (the command never checked): the constraint settles them.
        older, newer = runs.objects.create(status="running"), runs.objects.create(status="queued")
        done = runs.objects.create(status="succeeded", horizon=14)

        new = _migrate(AFTER)
        moved = new.get_model("forecasting", "ModelRun")
        assert moved.objects.get(pk=older.pk).status == "failed" and "0006" in moved.objects.get(pk=older.pk).error
        assert moved.objects.get(pk=newer.pk).status == "queued"
        assert moved.objects.get(pk=done.pk).forecast_scope_id is None and moved.objects.get(pk=done.pk).horizon == 14

        back = _migrate(BEFORE)
        assert back.get_model("forecasting", "ModelRun").objects.get(pk=done.pk).horizon == 14
    finally:
        _migrate(latest)
