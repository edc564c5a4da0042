"""A training run whose worker died does not stay "running" forever."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Location
from forecasting.models import ForecastScope, ModelRun
from forecasting.services import mark_stale_runs
from forecasting.services.runs import active_run

pytestmark = pytest.mark.django_db


def test_runs_older_than_the_job_limit_are_failed_with_a_message(settings):
    limit = settings.Q_CLUSTER["timeout"]
    # One active run per scope (the database's rule), so the three active runs are on three disjoint scopes.
    first, second, third = (
        ForecastScope.objects.create(name=code, location=Location.objects.create(name=code, code=code))
        for code in ("S1", "S2", "S3")
    )
    dead = ModelRun.objects.create(status="running", stage="train", forecast_scope=first)
    queued = ModelRun.objects.create(status="queued", forecast_scope=second)
    alive = ModelRun.objects.create(status="running", stage="train", forecast_scope=third)
    done = ModelRun.objects.create(status="succeeded")
    old = timezone.now() - timedelta(seconds=limit + 60)
    ModelRun.objects.filter(pk__in=[dead.pk, queued.pk, done.pk]).update(created_at=old)

    assert mark_stale_runs() == 2
    dead.refresh_from_db()
    assert dead.status == "failed" and "worker stopped" in dead.error and dead.finished_at is not None
    assert ModelRun.objects.get(pk=queued.pk).status == "failed"
    assert ModelRun.objects.get(pk=alive.pk).status == "running"
    assert ModelRun.objects.get(pk=done.pk).status == "succeeded"
    assert active_run() == alive
    assert mark_stale_runs() == 0  # idempotent


def test_the_sweep_is_scheduled():
    from core.jobs import registered_sweeps
    from core.schedules import collect_schedule_specs

    assert any(s.func == "core.tasks.sweep_stale_runs_task" for s in collect_schedule_specs())
    assert ModelRun in {sweep.model for sweep in registered_sweeps()}
