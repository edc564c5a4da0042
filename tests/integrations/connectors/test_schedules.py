"""Per-account schedules: cron per account, following edits without duplicates, and what a firing runs."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django_q.models import Schedule

from integrations.models import IntegrationAccount, SyncRun
from integrations.services.runs import start_sync
from integrations.services.schedules import in_live_window, live_sync_cron, run_scheduled_sync

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def account_schedules(account: IntegrationAccount) -> dict[str, Schedule]:
    return {s.name.rsplit(".", 1)[1]: s for s in Schedule.objects.filter(
        name__startswith=f"sf:integrations.account-{account.pk}.")}


@pytest.mark.parametrize(("every", "start", "end", "cron"), [
    (10, time(8), time(23), "*/10 8-22 * * *"),
    (15, time(22), time(6), "*/15 22-23,0-5 * * *"),
    (10, time(20), time(0), "*/10 20-23 * * *"),
    (5, time(8, 30), time(9, 15), "*/5 8-9 * * *"),
    (120, time(8), time(23), "0 8-22/2 * * *"),
    (10, time(0), time(0), "*/10 * * * *"),
])
def test_live_cron_covers_the_window(every, start, end, cron):
    account = IntegrationAccount(kind="iiko", name="x", base_url="http://x", live_sync_every_minutes=every,
                                 live_sync_from=start, live_sync_to=end)
    assert live_sync_cron(account) == cron


def test_the_task_checks_the_exact_window():
    account = IntegrationAccount(kind="iiko", name="x", base_url="http://x", live_sync_from=time(8, 30),
                                 live_sync_to=time(23, 0))
    day = dt.date(2026, 3, 1)
    assert not in_live_window(account, dt.datetime.combine(day, time(8, 20), UTC))
    assert in_live_window(account, dt.datetime.combine(day, time(8, 30), UTC))
    assert in_live_window(account, dt.datetime.combine(day, time(22, 59), UTC))
    assert not in_live_window(account, dt.datetime.combine(day, time(23, 0), UTC))


def test_schedules_follow_account_edits_without_duplicates(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = IntegrationAccount.objects.create(kind="sentos", name="Sentos TR", base_url="http://127.0.0.1:1")
    schedules = account_schedules(account)
    assert set(schedules) == {"full", "live"}
    assert schedules["full"].cron == "0 2 * * *" and schedules["live"].cron == "*/10 8-22 * * *"
    assert schedules["full"].func == "integrations.tasks.run_scheduled_sync"
    assert schedules["full"].kwargs == f"account_id={account.pk}, mode='full'"

    with django_capture_on_commit_callbacks(execute=True):
        account.full_sync_at = time(3, 45)
        account.save()
    moved = account_schedules(account)["full"]
    assert moved.cron == "45 3 * * *" and moved.pk == schedules["full"].pk  # updated in place
    assert moved.next_run.astimezone(UTC).time() == time(3, 45)  # follows the new time, not the old next run
    assert Schedule.objects.filter(name__startswith="sf:integrations.account-").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        account.live_sync_enabled = False
        account.save()
    assert set(account_schedules(account)) == {"full"}

    with django_capture_on_commit_callbacks(execute=True):
        account.enabled = False
        account.save()
    assert account_schedules(account) == {}

    with django_capture_on_commit_callbacks(execute=True):
        account.enabled = True
        account.live_sync_enabled = True
        account.save()
        other = IntegrationAccount.objects.create(kind="onec", name="1C", base_url="http://127.0.0.1:2")
    assert set(account_schedules(account)) == {"full", "live"}
    assert set(account_schedules(other)) == {"full"}  # 1C has no live streams
    with django_capture_on_commit_callbacks(execute=True):
        account.delete()
    assert account_schedules(account) == {}
    assert Schedule.objects.filter(name="sf:core.sweep_stale_runs").exists()


def test_a_live_firing_runs_the_live_streams_inside_the_window_only(sentos_account):
    inside = dt.datetime.now(UTC).replace(hour=12, minute=0)
    outside = inside.replace(hour=23, minute=30)
    assert run_scheduled_sync(sentos_account.pk, "incremental", now=outside) == []
    runs = run_scheduled_sync(sentos_account.pk, "incremental", now=inside)
    assert [(r.stream, r.mode, r.trigger, r.status) for r in runs] == [
        ("orders", "incremental", "schedule", "succeeded")]
    busy, _ = start_sync(sentos_account, "products", "full", "api")
    SyncRun.objects.filter(pk=busy.pk).update(status="running")
    assert run_scheduled_sync(sentos_account.pk, "incremental", now=inside) == []  # the account is busy: skip
    assert SyncRun.objects.filter(account=sentos_account, stream="orders").count() == 1


def test_a_full_firing_runs_every_stream_in_order_and_claims_a_queued_run(sentos_account):
    queued, _ = start_sync(sentos_account, "org", "full", "api")  # e.g. queued by the API, no worker yet
    runs = run_scheduled_sync(sentos_account.pk, "full")
    assert [r.stream for r in runs] == ["org", "products", "orders"]
    assert all(r.status == "succeeded" for r in runs), [r.error for r in runs]
    assert runs[0].pk == queued.pk  # claimed and run here, not duplicated
    assert SyncRun.objects.filter(account=sentos_account, stream="org").count() == 1
    assert run_scheduled_sync(987654, "full") == []  # a deleted account's leftover firing does nothing
