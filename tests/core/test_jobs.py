"""core.jobs: one run lifecycle for every run type (tested through the real run models that inherit it)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from core.jobs import (
    ACTIVE_STATUSES,
    JobStatus,
    RunProgress,
    claim_active,
    enqueue_after_commit,
    fail_if_stale,
    mark_finished,
    mark_running,
    one_active_per,
    registered_sweeps,
    sweep_stale_runs,
)
from forecasting.models import ModelRun
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.runs import STALE_AFTER, start_sync
from planning.models import ProposalRun
from sales.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return IntegrationAccount.objects.create(kind="onec", name="1C jobs", base_url="http://127.0.0.1:1")


def _key(account):
    return {"account": account, "stream": "org"}


# -- one active run per key --------------------------------------------------------------------------------


def test_claim_active_creates_once_then_returns_the_active_run(account):
    first, created = claim_active(SyncRun, _key(account), {"mode": "full"})
    assert created and first.status == JobStatus.QUEUED
    again, created_again = claim_active(SyncRun, _key(account), {"mode": "incremental"})
    assert not created_again and again.pk == first.pk
    other_stream, created_other = claim_active(SyncRun, {"account": account, "stream": "products"})
    assert created_other and other_stream.pk != first.pk


def test_a_finished_run_frees_its_key_in_the_same_write(account):
    run, _ = claim_active(SyncRun, _key(account))
    assert mark_running(run)
    mark_finished(run, JobStatus.SUCCEEDED)
    fresh, created = claim_active(SyncRun, _key(account))
    assert created and fresh.pk != run.pk


def test_the_database_refuses_a_second_active_run_whatever_the_caller(account):
    SyncRun.objects.create(account=account, stream="org", status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        SyncRun.objects.create(account=account, stream="org", status="queued")
    SyncRun.objects.create(account=account, stream="org", status="failed")  # finished runs never collide


def test_a_trigger_meeting_a_dead_run_fails_it_and_starts_fresh(account):
    """The 17–20 minute bug: a sync whose worker was killed kept "running" and every trigger got the dead run."""
    dead, _ = start_sync(account, "org")
    old = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    SyncRun.objects.filter(pk=dead.pk).update(status="running", started_at=old, heartbeat_at=old)

    fresh, created = start_sync(account, "org")

    assert created and fresh.pk != dead.pk and fresh.status == "queued"
    dead.refresh_from_db()
    assert dead.status == "failed" and "worker stopped responding" in dead.error and dead.finished_at is not None


def test_a_trigger_meeting_a_live_run_returns_it(account):
    live, _ = start_sync(account, "org")
    SyncRun.objects.filter(pk=live.pk).update(status="running", started_at=timezone.now(),
                                              heartbeat_at=timezone.now())
    again, created = start_sync(account, "org")
    assert not created and again.pk == live.pk
    assert SyncRun.objects.get(pk=live.pk).status == "running"


@pytest.mark.django_db(transaction=True)
def test_one_active_per_without_fields_allows_one_active_run_of_the_type_on_this_database():
    """The constant-expression partial index (no key) works on SQLite and PostgreSQL alike."""
    constraint = one_active_per(name="test_one_active_import")
    with connection.schema_editor() as editor:
        editor.add_constraint(ImportJob, constraint)
    try:
        ImportJob.objects.create(kind="sales", file="a.csv", status="queued")
        ImportJob.objects.create(kind="sales", file="b.csv", status="succeeded")
        with pytest.raises(IntegrityError), transaction.atomic():
            ImportJob.objects.create(kind="sales", file="c.csv", status="running")
        ImportJob.objects.update(status="failed")
        ImportJob.objects.create(kind="sales", file="d.csv", status="running")
    finally:
        with connection.schema_editor() as editor:
            editor.remove_constraint(ImportJob, constraint)


# -- running and finishing ---------------------------------------------------------------------------------


def test_mark_running_claims_a_queued_run_once(account):
    run, _ = claim_active(SyncRun, _key(account))
    assert mark_running(run, stage="start") is True
    assert run.status == "running" and run.started_at and run.heartbeat_at and run.stage == "start"
    assert mark_running(SyncRun.objects.get(pk=run.pk)) is False  # a second worker (or a retry) gets nothing
    stored = SyncRun.objects.get(pk=run.pk)
    assert (stored.status, stored.stage) == ("running", "start")


def test_mark_finished_records_the_end_and_refuses_an_active_status(account):
    run, _ = claim_active(SyncRun, _key(account))
    with pytest.raises(ValueError, match="not a finished state"):
        mark_finished(run, JobStatus.RUNNING)
    mark_finished(run, JobStatus.PARTIAL, error="2 rows failed", rows_failed=2)
    stored = SyncRun.objects.get(pk=run.pk)
    assert (stored.status, stored.error, stored.rows_failed) == ("partial", "2 rows failed", 2)
    assert stored.finished_at is not None and not stored.is_active


def test_a_finished_state_of_the_type_is_accepted():
    job = ImportJob.objects.create(kind="sales", file="x.csv", status="running")
    mark_finished(job, "rejected", report={"errors": 1})
    assert ImportJob.objects.get(pk=job.pk).status == "rejected"


# -- progress ----------------------------------------------------------------------------------------------


def test_progress_writes_stage_changes_and_the_end_of_a_stage_at_once_and_throttles_the_rest(account):
    run, _ = claim_active(SyncRun, _key(account))
    seen = []
    progress = RunProgress(run, listener=lambda stage, done, total: seen.append((stage, done, total)),
                           min_interval=3600)
    progress("read", 1, 10)  # a new stage: written
    progress("read", 5, 10)  # same stage within the interval: not written
    stored = SyncRun.objects.get(pk=run.pk)
    assert (stored.stage, stored.progress_done, stored.progress_total) == ("read", 1, 10)
    assert stored.heartbeat_at is not None
    progress("read", 10, 10)  # the stage is complete: written
    assert SyncRun.objects.get(pk=run.pk).progress_done == 10
    progress.set_total(20)
    progress.advance(3)
    assert SyncRun.objects.get(pk=run.pk).progress_total == 20
    assert seen == [("read", 1, 10), ("read", 5, 10), ("read", 10, 10), ("read", 13, 20)]  # unthrottled
    assert run.progress_percent == 65.0


def test_progress_writes_the_type_s_own_columns_along():
    job = ImportJob.objects.create(kind="sales", file="x.csv", status="running", progress_total=1000)
    progress = RunProgress(job, min_interval=0)
    progress.extra["rows_processed"] = 1234
    progress("import", 317, 1000)
    stored = ImportJob.objects.get(pk=job.pk)
    assert (stored.progress_done, stored.rows_processed, stored.progress) == (317, 1234, 31.7)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_progress_inside_a_long_transaction_is_visible_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    job = ImportJob.objects.create(kind="sales", file="x.csv", status="running", progress_total=1000)
    observer = connections.create_connection("default")
    try:
        with transaction.atomic():
            progress = RunProgress(job, min_interval=0)
            progress("import", 500, 1000)
            with observer.cursor() as cursor:
                cursor.execute(f"SELECT progress_done FROM {ImportJob._meta.db_table} WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (500,)
            progress.close()
    finally:
        observer.close()


# -- queueing ----------------------------------------------------------------------------------------------


def test_enqueue_after_commit_runs_inline_in_sync_mode_and_keeps_the_task_id(settings,
                                                                          django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    run = ProposalRun.objects.create(status="queued")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_after_commit("core.tasks.sweep_stale_runs_task", run=run, task_name=f"test-{run.pk}")
        assert ProposalRun.objects.get(pk=run.pk).task_id == ""  # not before the commit
    assert len(callbacks) == 1
    assert ProposalRun.objects.get(pk=run.pk).task_id != ""


def test_enqueue_after_commit_never_queues_for_a_rolled_back_transaction(django_capture_on_commit_callbacks):
    run = ProposalRun.objects.create(status="queued")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                enqueue_after_commit("core.tasks.sweep_stale_runs_task", run=run)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert ProposalRun.objects.get(pk=run.pk).task_id == ""


# -- the one stale sweep -----------------------------------------------------------------------------------


def test_every_run_type_is_registered_with_the_one_sweep():
    assert {s.model for s in registered_sweeps()} >= {SyncRun, ModelRun, ProposalRun, ImportJob}


def test_the_sweep_fails_dead_runs_of_every_type_and_leaves_the_living(settings, account):
    long_ago = timezone.now() - timedelta(days=2)
    dead_proposal = ProposalRun.objects.create(status="running")
    dead_import = ImportJob.objects.create(kind="sales", file="x.csv", status="running", progress_total=1000,
                                           progress_done=317)
    dead_sync = SyncRun.objects.create(account=account, stream="org", status="running")
    ProposalRun.objects.filter(pk=dead_proposal.pk).update(started_at=long_ago, heartbeat_at=long_ago)
    ImportJob.objects.filter(pk=dead_import.pk).update(started_at=long_ago, heartbeat_at=long_ago)
    SyncRun.objects.filter(pk=dead_sync.pk).update(started_at=long_ago, heartbeat_at=long_ago)
    alive_import = ImportJob.objects.create(kind="sales", file="y.csv", status="running",
                                            heartbeat_at=timezone.now())
    just_queued = ProposalRun.objects.create(status="queued")

    counts = sweep_stale_runs()

    assert counts["planning.ProposalRun"] == 1 and counts["sales.ImportJob"] == 1
    assert counts["integrations.SyncRun"] == 1
    for model, pk in ((ProposalRun, dead_proposal.pk), (ImportJob, dead_import.pk), (SyncRun, dead_sync.pk)):
        stored = model.objects.get(pk=pk)
        assert stored.status == "failed" and stored.error and stored.finished_at is not None
    assert ImportJob.objects.get(pk=alive_import.pk).status == "running"
    assert ProposalRun.objects.get(pk=just_queued.pk).status == "queued"
    assert set(sweep_stale_runs().values()) == {0}  # idempotent


def test_a_queued_run_is_stale_only_after_its_never_started_threshold(account):
    queued, _ = start_sync(account, "org")
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - STALE_AFTER * 2)
    assert not fail_if_stale(SyncRun.objects.get(pk=queued.pk))  # workers may be busy: not yet
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert fail_if_stale(SyncRun.objects.get(pk=queued.pk))
    assert "never started" in SyncRun.objects.get(pk=queued.pk).error


def test_active_and_finished_statuses_partition_the_states():
    assert set(ACTIVE_STATUSES) == {"queued", "running"}
    assert "interrupted" in JobStatus.values


def test_import_job_progress_keeps_its_percent_shape():
    job = ImportJob(kind="sales", progress_done=317, progress_total=1000)
    assert job.progress == 31.7
    assert ImportJob(kind="sales").progress == 0.0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_progress_of_a_run_locked_by_the_open_transaction_falls_back_instead_of_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    job = ImportJob.objects.create(kind="sales", file="x.csv", status="queued", progress_total=1000)
    with transaction.atomic():
        assert mark_running(job)  # the open transaction now holds the row's lock
        progress = RunProgress(job, min_interval=0)
        progress("import", 250, 1000)
        progress("import", 400, 1000)
        assert ImportJob.objects.get(pk=job.pk).progress_done == 400  # written through the run's connection
    assert ImportJob.objects.get(pk=job.pk).progress_done == 400
