"""Run lifecycle: one active run per account+stream (the DB constraint), execution, stale runs, schedules."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from django_q.models import Schedule

from core.schedules import register_schedules
from integrations.choices import SyncStatus
from integrations.models import SyncRun
from integrations.services.runs import (
    SyncNotAllowed,
    execute_run,
    mark_stale_runs,
    start_sync,
)
from integrations.services.sync import sync_account
from tests.integrations.loopback import deep_onec_tree

pytestmark = pytest.mark.django_db


def test_second_trigger_returns_the_active_run(onec_account):
    first, created = start_sync(onec_account, "org")
    second, created_again = start_sync(onec_account, "org")
    assert created and not created_again
    assert second.pk == first.pk
    SyncRun.objects.filter(pk=first.pk).update(status=SyncStatus.RUNNING)
    third, created_third = start_sync(onec_account, "org", mode="incremental")
    assert third.pk == first.pk and not created_third
    SyncRun.objects.filter(pk=first.pk).update(status=SyncStatus.SUCCEEDED)
    fourth, created_fourth = start_sync(onec_account, "org")
    assert created_fourth and fourth.pk != first.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_triggers_start_one_run(onec_account):
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing an in-memory SQLite test database are not a real concurrency test")
    barrier = threading.Barrier(4)
    results = []

    def trigger():
        try:
            barrier.wait()
            results.append(start_sync(onec_account, "org"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=trigger) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({run.pk for run, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert SyncRun.objects.count() == 1


def test_bad_stream_mode_and_disabled_account(onec_account):
    with pytest.raises(ValidationError) as bad_stream:
        start_sync(onec_account, "sales")
    assert "stream" in bad_stream.value.message_dict
    with pytest.raises(ValidationError) as bad_mode:
        start_sync(onec_account, "org", mode="sometimes")
    assert "mode" in bad_mode.value.message_dict
    onec_account.enabled = False
    onec_account.save()
    with pytest.raises(SyncNotAllowed, match="disabled"):
        start_sync(onec_account, "org")


def test_enqueue_runs_in_django_q_after_commit(onec_server, onec_account, settings,
                                               django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    onec_server.items = deep_onec_tree(12, depth=4)
    with django_capture_on_commit_callbacks(execute=True):
        [started] = sync_account(onec_account, "org", trigger="api", background=True)
        run, created = started.run, started.created
        assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.QUEUED  # nothing ran before commit
    run.refresh_from_db()
    assert created and run.status == SyncStatus.SUCCEEDED, run.error
    assert run.rows_created == 12 and run.task_id
    assert run.progress_done == run.progress_total == 12


def test_execute_run_only_claims_queued_runs(onec_account):
    run, _ = start_sync(onec_account, "org")
    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING)
    assert execute_run(run.pk).status == SyncStatus.RUNNING  # left alone: another worker has it


def test_missing_credentials_fail_with_an_actionable_error(make_account, onec_server):
    account = make_account("onec", onec_server.base_url, name="1C no key")
    run, _ = start_sync(account, "org")
    run = execute_run(run.pk)
    assert run.status == SyncStatus.FAILED
    assert run.error.startswith("1C no key: credentials api_key are not set")
    assert "admin" in run.error


def test_stale_runs_are_failed_so_new_ones_can_start(onec_account):
    run, _ = start_sync(onec_account, "org")
    old = timezone.now() - timedelta(hours=1)
    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING, started_at=old, heartbeat_at=old)
    fresh_other, _ = start_sync(onec_account.__class__.objects.create(
        name="other", kind="onec", base_url="http://127.0.0.1:1"), "org")
    SyncRun.objects.filter(pk=fresh_other.pk).update(status=SyncStatus.RUNNING, heartbeat_at=timezone.now())
    assert mark_stale_runs() == 1
    run.refresh_from_db()
    assert run.status == SyncStatus.FAILED and "worker stopped responding" in run.error
    assert SyncRun.objects.get(pk=fresh_other.pk).status == SyncStatus.RUNNING
    assert start_sync(onec_account, "org")[1] is True


def test_runs_the_sweep_fails_are_mailed_like_any_failure(onec_account, django_capture_on_commit_callbacks,
                                                         mailoutbox):
    onec_account.notification_emails = "ops@example.com"
    onec_account.save()
    dead, _ = start_sync(onec_account, "org")
    old = timezone.now() - timedelta(hours=1)
    SyncRun.objects.filter(pk=dead.pk).update(status=SyncStatus.RUNNING, started_at=old, heartbeat_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_stale_runs() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ops@example.com"]
    assert "Sync failed" in mailoutbox[0].subject and "worker stopped responding" in mailoutbox[0].body

    other = onec_account.__class__.objects.create(name="never picked up", kind="onec", base_url="http://127.0.0.1:1",
                                                  notification_emails="ops@example.com")
    queued, _ = start_sync(other, "org")
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_stale_runs() == 1
    assert len(mailoutbox) == 2 and "never started" in mailoutbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_stale_runs() == 0
    assert len(mailoutbox) == 2


def test_the_org_structure_is_synced_once_a_day_by_the_full_sync_only(onec_account):
    from core.schedules import collect_schedule_specs
    from integrations.services.schedules import account_schedule_specs, full_streams

    assert full_streams(onec_account)[0] == "org"  # places before what happened at them
    assert not any("org" in spec.name and "account-" not in spec.name for spec in collect_schedule_specs())
    assert any(spec.name == f"integrations.account-{onec_account.pk}.full" for spec in account_schedule_specs())


def test_schedules_registered_idempotently():
    register_schedules()
    counts = register_schedules()
    assert counts["created"] == 0
    names = set(Schedule.objects.values_list("name", flat=True))
    assert "sf:core.sweep_stale_runs" in names
    assert "sf:integrations.daily_org_sync" not in names  # the duplicate hourly org job is gone
