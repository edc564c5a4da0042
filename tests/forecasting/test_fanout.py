"""The nightly forecast fanned out over the forecast scopes as one django-q2 group, rolled up into a batch."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Task

from branches.models import Location
from core.errors import Conflict
from core.jobs import JobStatus
from forecasting import tasks
from forecasting.choices import RunStatus
from forecasting.models import ForecastBatch, ModelRun
from forecasting.services import mark_stale_runs
from forecasting.services.fanout import start_batch
from forecasting.services.records import forecast_of_record_for
from forecasting.services.scopes import save_scope
from tests.forecasting.conftest import FAST

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/forecasting/batches/"
PARAMS = [f"--param={k}={v}" for k, v in FAST.items()]


@pytest.fixture
def sync_worker(settings, django_capture_on_commit_callbacks):
    """django-q2's sync mode: each queued task runs inline once the transaction commits (as a worker would)."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            batch = start_batch(**kwargs)
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def scopes(world):
    world.standard()
    empty = Location.objects.create(name="New store", code="NEW")  # no sales yet: its scope fails
    return {
        "a": save_scope(name="Store A", location=world.store_a),
        "b": save_scope(name="Store B", location=world.store_b),
        "new": save_scope(name="New store", location=empty),
    }


def test_one_task_per_scope_in_one_group_and_one_failure_does_not_fail_the_others(world, scopes, sync_worker):
    before_b = sync_worker(horizon=7, parameters=FAST, scopes=[scopes["b"]])  # yesterday's record of Store B
    record_b = forecast_of_record_for(world.store_b, world.bread)
    assert before_b.status == JobStatus.SUCCEEDED and record_b is not None

    batch = sync_worker(horizon=7, parameters=FAST)
    assert batch.status == JobStatus.PARTIAL and batch.scopes_total == 3
    assert (batch.scopes_succeeded, batch.scopes_failed, batch.progress_done) == (2, 1, 3)
    assert batch.error.startswith("1 of 3 scopes failed: New store (history:")
    runs = {r.forecast_scope.name: r for r in ModelRun.objects.filter(batch=batch).select_related("forecast_scope")}
    assert {name: r.status for name, r in runs.items()} == {
        "Store A": RunStatus.SUCCEEDED,
        "Store B": RunStatus.SUCCEEDED,
        "New store": RunStatus.FAILED,
    }
    assert batch.outcome["New store"]["run"] == runs["New store"].pk and "no daily sales" in runs["New store"].error
    # Queued as one django-q2 group, one task per scope, each with its run's task id.
    grouped = Task.objects.filter(group=batch.group)
    assert grouped.count() == 3 and {r.task_id for r in runs.values()} == {str(t.id) for t in grouped}
    # Each scope's forecast of record is its own newest run; the failure replaced nothing.
    assert forecast_of_record_for(world.store_a, world.bread) == runs["Store A"]
    assert forecast_of_record_for(world.store_b, world.bread) == runs["Store B"] != record_b


def test_without_scopes_the_batch_is_one_run_of_everything(world, sync_worker):
    world.standard()
    batch = sync_worker(horizon=7, parameters=FAST)
    run = ModelRun.objects.get(batch=batch)
    assert batch.status == JobStatus.SUCCEEDED and batch.outcome == {
        "everything": {"run": run.pk, "status": "succeeded", "error": ""}
    }
    assert run.forecast_scope is None and run.series_count == 4


def test_a_scope_busy_with_another_run_is_reported_and_the_rest_go_ahead(world, scopes, sync_worker):
    busy = ModelRun.objects.create(
        status=RunStatus.RUNNING, forecast_scope=scopes["a"], stage="train", heartbeat_at=timezone.now()
    )
    batch = sync_worker(horizon=7, parameters=FAST, scopes=[scopes["a"], scopes["b"]])
    assert batch.status == JobStatus.PARTIAL
    assert batch.outcome["Store A"]["run"] is None
    assert f"run #{busy.pk} is running" in batch.outcome["Store A"]["error"]
    assert batch.outcome["Store B"]["status"] == "succeeded"
    assert "Store A (run #" in batch.error


def test_the_schedule_queues_the_batch_and_a_second_batch_waits(world, scopes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the tasks wait for a worker
        batch_id = tasks.nightly_train_and_forecast(horizon=7)
        batch = ForecastBatch.objects.get(pk=batch_id)
        assert batch.status == JobStatus.RUNNING and batch.scopes_total == 3
        assert ModelRun.objects.filter(batch=batch, status=RunStatus.QUEUED).count() == 3
        with pytest.raises(Conflict, match=f"forecast batch #{batch_id} is still running"):
            start_batch(horizon=7)
    assert sum("enqueue_after_commit" in c.__qualname__ for c in queued) == 3


def test_a_member_swept_as_dead_still_finishes_its_batch(world, scopes, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        batch = start_batch(horizon=7, parameters=FAST, scopes=[scopes["a"]])  # queued, never picked up
    old = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["timeout"] + 60)
    ModelRun.objects.filter(batch=batch).update(created_at=old)
    assert mark_stale_runs() == 1
    batch.refresh_from_db()
    assert batch.status == JobStatus.FAILED and batch.error.startswith("1 of 1 scope failed: Store A")


def test_commands_run_one_scope_or_all_of_them(world, scopes, capsys):
    call_command("train_forecast", "--scope", "Store A", "--horizon", "7", *PARAMS)
    assert ModelRun.objects.get(forecast_scope=scopes["a"]).status == RunStatus.SUCCEEDED
    with pytest.raises(CommandError, match="no forecast scope with name or id 'Nowhere'"):
        call_command("train_forecast", "--scope", "Nowhere")
    with pytest.raises(CommandError, match="1 of 3 scopes failed: New store"):
        call_command("train_forecast", "--all-scopes", "--horizon", "7", *PARAMS)
    out = capsys.readouterr().out
    assert "Store B: run #" in out and "New store: run #" in out
    call_command("forecast", "--scope", "Store A", "--horizon", "3")
    newest = ModelRun.objects.filter(forecast_scope=scopes["a"]).first()
    assert newest.kind == "forecast" and newest.status == RunStatus.SUCCEEDED and newest.horizon == 3


def test_batches_api(client_for, world, scopes, django_capture_on_commit_callbacks):
    viewer, planner = client_for("viewer"), client_for("planner")
    assert viewer.get(BATCHES).status_code == 200 and viewer.get(BATCHES).json()["count"] == 0
    assert viewer.post(BATCHES, {}, format="json").status_code == 403
    assert planner.post(BATCHES, {"horizon": 0}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=False):  # queued for the workers
        started = planner.post(BATCHES, {"horizon": 7}, format="json")
    assert started.status_code == 202
    body = planner.get(f"{BATCHES}{started.json()['id']}/").json()
    assert body["status"] == "running" and body["scopes_total"] == 3
    assert {o["status"] for o in body["outcome"].values()} == {"queued"}
    assert set(body["outcome"]) == {"Store A", "Store B", "New store"}
    assert planner.post(BATCHES, {}, format="json").status_code == 409


def test_the_roll_up_is_written_in_the_active_language_with_its_plural(
    world, scopes, django_capture_on_commit_callbacks
):
    """ngettext on the number of scopes: Russian says "из 1 области" but "из 2 областей"; the stage too."""
    from django.utils import translation

    from forecasting.services.fanout import roll_up

    def batch_failing(members: list[str], failing: int) -> ForecastBatch:
        with django_capture_on_commit_callbacks(execute=False):
            batch = start_batch(horizon=7, parameters=FAST, scopes=[scopes[k] for k in members])
        doomed = ModelRun.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True)[:failing]
        ModelRun.objects.filter(pk__in=list(doomed)).update(status=RunStatus.FAILED, error="history: none")
        with translation.override("ru"):
            done = roll_up(batch.pk)
        ForecastBatch.objects.filter(pk=batch.pk).update(status=JobStatus.FAILED)  # the next batch may start
        return done

    assert batch_failing(["a"], 1).error == "ошибка в 1 из 1 области: Store A (history: none)"
    assert batch_failing(["a", "b"], 2).error.startswith("ошибка в 2 из 2 областей: ")
    half = batch_failing(["a", "b"], 1)  # one still queued: the batch runs on, its stage says how far
    assert half.status == JobStatus.QUEUED or half.status == JobStatus.RUNNING
    assert half.stage == "готово 1 из 2 областей, с ошибкой 1"
