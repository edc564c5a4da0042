"""The one door to start a sync (`integrations.services.sync.sync_account`): what every trigger gets."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_q.models import OrmQ

from integrations.choices import SyncStatus
from integrations.models import SyncRun
from integrations.services import runs as run_steps
from integrations.services.runs import SyncNotAllowed
from integrations.services.sync import sync_account
from tests.integrations.loopback import deep_onec_tree

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _running_elsewhere(run: SyncRun, *, beat_ago: timedelta = timedelta(0)) -> None:
    moment = timezone.now() - beat_ago
    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING, started_at=moment, heartbeat_at=moment)


def test_background_queues_one_run_and_its_task_after_the_commit(onec_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [started] = sync_account(onec_account, "org", trigger="api", background=True)
        assert not OrmQ.objects.exists()  # nothing is handed to the worker before the commit
    assert started.created and not started.executed and started.run.status == SyncStatus.QUEUED
    (queued,) = OrmQ.objects.all()
    assert queued.task["func"] == "integrations.tasks.run_sync" and tuple(queued.task["args"]) == (started.run.pk,)
    with django_capture_on_commit_callbacks(execute=True):
        [again] = sync_account(onec_account, "org", trigger="admin", background=True)
    assert (again.run.pk, again.created) == (started.run.pk, False) and OrmQ.objects.count() == 1


def test_inline_claims_a_run_queued_elsewhere_instead_of_leaving_it(onec_server, onec_account):
    onec_server.items = deep_onec_tree(5, depth=2)
    [queued] = sync_account(onec_account, "org", trigger="api", background=True)  # no worker picks it up
    [here] = sync_account(onec_account, "org", trigger="command", wait=False)
    assert here.run.pk == queued.run.pk and not here.created and here.executed
    assert here.run.status == SyncStatus.SUCCEEDED, here.run.error
    assert SyncRun.objects.filter(account=onec_account).count() == 1


def test_inline_leaves_or_waits_for_a_live_run_elsewhere(onec_account):
    [queued] = sync_account(onec_account, "org", trigger="api", background=True)
    _running_elsewhere(queued.run)
    [reported] = sync_account(onec_account, "org", trigger="command", wait=False)
    assert (reported.run.pk, reported.created, reported.executed) == (queued.run.pk, False, False)
    [waited] = sync_account(onec_account, "org", trigger="schedule", wait_timeout=0)
    assert waited.run.pk == queued.run.pk and waited.run.status == SyncStatus.RUNNING  # gave up: never a 2nd run
    assert SyncRun.objects.filter(account=onec_account).count() == 1


@pytest.mark.parametrize("background", [True, False])
def test_a_dead_run_is_failed_and_replaced_through_every_door(onec_server, onec_account, background):
    onec_server.items = deep_onec_tree(3, depth=2)
    [dead] = sync_account(onec_account, "org", trigger="api", background=True)
    _running_elsewhere(dead.run, beat_ago=run_steps.STALE_AFTER + timedelta(minutes=1))
    [fresh] = sync_account(onec_account, "org", trigger="command", background=background)
    assert fresh.created and fresh.run.pk != dead.run.pk
    dead.run.refresh_from_db()
    assert dead.run.status == SyncStatus.FAILED and "worker stopped responding" in dead.run.error
    assert fresh.run.status == (SyncStatus.QUEUED if background else SyncStatus.SUCCEEDED), fresh.run.error


def test_several_streams_queue_a_run_each_and_one_ordered_task(make_account, django_capture_on_commit_callbacks):
    account = make_account("sentos", "http://127.0.0.1:1", name="Sentos")
    with django_capture_on_commit_callbacks(execute=True):
        started = sync_account(account, mode="live", trigger="admin", background=True)
    assert [s.run.stream for s in started] == ["org", "products", "orders"]
    assert all(s.created and s.run.mode == "incremental" and s.run.trigger == "admin" for s in started)
    (queued,) = OrmQ.objects.all()  # one task: an account's streams never run side by side
    assert queued.task["func"] == "integrations.tasks.sync_account_streams"
    assert tuple(queued.task["args"]) == (account.pk, "incremental", ["org", "products", "orders"], "admin")


def test_one_stream_is_strict_several_are_lenient(onec_account):
    with pytest.raises(ValidationError) as refused:
        sync_account(onec_account, "sales", trigger="api", background=True)
    assert "stream" in refused.value.message_dict
    assert sync_account(onec_account, ["sales"], trigger="schedule") == []  # not a 1C stream: skipped
    onec_account.enabled = False
    onec_account.save()
    with pytest.raises(SyncNotAllowed):
        sync_account(onec_account, "org", trigger="api", background=True)
    assert sync_account(onec_account, trigger="schedule") == []
    assert not SyncRun.objects.exists()


def test_no_entry_point_starts_a_sync_around_the_door():
    """Only the door (integrations/services/) and its worker half (integrations/tasks.py) claim or execute runs."""
    allowed = {Path("integrations/tasks.py")}
    offenders = []
    tops = [top for top in ROOT.iterdir() if top.is_dir() and not top.name.startswith((".", "tests", "var"))]
    for path in (path for top in tops for path in top.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[:2] == ("integrations", "services") or relative in allowed:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\b(start_sync|execute_run)\(", text):
            offenders.append(str(relative))
    assert offenders == []
    gone = ("enqueue_sync", "run_sync_now", "sync_stream_now", "sync_account_all_streams", "sync_all_accounts",
            "enqueue_account_sync")
    assert not [name for name in gone if hasattr(run_steps, name)]


def test_a_command_runs_the_run_the_api_queued(onec_server, onec_account):
    """Before the door, `sync_1c` left a queued run alone ("already queued") and it waited for a worker."""
    onec_server.items = deep_onec_tree(4, depth=2)
    [queued] = sync_account(onec_account, "org", trigger="api", background=True)
    out = io.StringIO()
    call_command("sync_1c", "--account", onec_account.name, stdout=out, stderr=io.StringIO())
    run = SyncRun.objects.get(account=onec_account)
    assert run.pk == queued.run.pk and run.status == SyncStatus.SUCCEEDED, run.error
    assert f"run #{run.pk}" in out.getvalue() and "already" not in out.getvalue()
