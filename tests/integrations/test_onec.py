"""1C org sync through the real connector against a loopback exchange service."""

import io

import pytest
from django.core.management import CommandError, call_command

from branches.models import Location
from integrations.choices import SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from tests.integrations.inline import sync_now
from tests.integrations.loopback import ZERO_GUID, Fault, deep_onec_tree

pytestmark = pytest.mark.django_db


def _sync(account):
    run, executed = sync_now(account, "org")
    assert executed
    return run


def test_shuffled_deep_feed_over_several_pages(onec_server, onec_account):
    onec_server.items = deep_onec_tree(300, depth=60)
    onec_account.options = {"page_size": 70}
    onec_account.save()

    run = _sync(onec_account)

    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.rows_created, run.rows_unchanged) == (300, 300, 0)
    assert len([r for r in onec_server.requests if r[1].endswith("/branches")]) == 5
    deepest = Location.objects.get(source=onec_account, external_id=f"{60:09d}")
    assert deepest.depth == 59
    chain = Location.objects.ancestors_of(deepest).order_by("depth")
    assert [n.external_id for n in chain] == [f"{i:09d}" for i in range(1, 60)]
    assert deepest.type == "BRANCH_GROUP" and Location.objects.get(external_id=f"{299:09d}").type == "BRANCH"
    for node in Location.objects.filter(source=onec_account).select_related("parent"):
        expected = f"{node.parent.tree_path if node.parent else '/'}{node.pk}/"
        assert node.tree_path == expected


@pytest.mark.parametrize("root_parent", ["0", "", None, ZERO_GUID])
def test_root_parent_spellings(onec_server, onec_account, root_parent):
    onec_server.items = [{"id": "1", "parent_id": root_parent, "code": "000001", "name": "North"},
                         {"id": "2", "parent_id": "1", "code": "000002", "name": "Shop 2"}]
    run = _sync(onec_account)
    assert run.status == SyncStatus.SUCCEEDED
    assert Location.objects.get(external_id="1").parent is None
    assert run.details["orphans"] == 0


def test_duplicates_unknown_parent_and_cycle_reported(onec_server, onec_account):
    onec_server.items = [
        {"id": "1", "parent_id": "0", "code": "1", "name": "Root"},
        {"id": "2", "parent_id": "1", "code": "2", "name": "old copy"},
        {"id": "3", "parent_id": "missing", "code": "3", "name": "Orphan"},
        {"id": "4", "parent_id": "5", "code": "4", "name": "Cycle A"},
        {"id": "5", "parent_id": "4", "code": "5", "name": "Cycle B"},
        {"id": "2", "parent_id": "1", "code": "2", "name": "new copy"},
    ]
    run = _sync(onec_account)
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.details["duplicates"], run.details["orphans"], run.details["cycles"]) == (1, 1, 1)
    assert run.rows_created == 5
    assert Location.objects.get(external_id="2").name == "new copy"
    assert Location.objects.get(external_id="3").parent is None
    assert Location.objects.get(external_id="4").parent is None  # the cycle is cut at the smallest id
    assert Location.objects.get(external_id="5").parent.external_id == "4"
    assert any("cycle" in w for w in run.details["warnings"])
    assert any("'missing'" in w for w in run.details["warnings"])


def test_rerun_is_unchanged_and_missing_nodes_are_deactivated(onec_server, onec_account):
    onec_server.items = deep_onec_tree(50, depth=10)
    _sync(onec_account)
    second = _sync(onec_account)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 50)

    gone = onec_server.items.pop()
    third = _sync(onec_account)
    assert third.details["deactivated"] == 1
    assert Location.objects.filter(external_id=gone["id"], is_active=False).exists()
    assert Location.objects.filter(source=onec_account).count() == 50  # never deleted


def test_5xx_mid_paging_fails_run_and_leaves_previous_tree_intact(onec_server, onec_account):
    onec_server.items = deep_onec_tree(120, depth=10)
    onec_account.options = {"page_size": 50}
    onec_account.save()
    _sync(onec_account)
    before = list(Location.objects.order_by("pk").values_list("pk", "name", "tree_path", "is_active"))

    onec_server.items = [{**item, "name": item["name"] + " renamed"} for item in onec_server.items[:100]]
    onec_server.page_faults[2] = Fault(status=503, body="Service Unavailable")
    run = _sync(onec_account)

    assert run.status == SyncStatus.FAILED
    assert "1C main" in run.error and "/ut/hs/exchange/branches" in run.error and "503" in run.error
    assert list(Location.objects.order_by("pk").values_list("pk", "name", "tree_path", "is_active")) == before


def test_500_then_success_and_429_with_retry_after(onec_server, onec_account):
    onec_server.items = deep_onec_tree(10, depth=3)
    onec_server.faults = [Fault(status=500), Fault(status=429, body="slow down", headers={"Retry-After": "0"})]
    run = _sync(onec_account)
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert run.rows_created == 10
    assert len([r for r in onec_server.requests if r[1].endswith("/branches")]) == 3


def test_timeout_fails_with_a_clear_error(onec_server, onec_account, settings):
    settings.INTEGRATIONS_HTTP = {**settings.INTEGRATIONS_HTTP, "read_timeout": 0.2, "max_attempts": 2}
    onec_server.items = deep_onec_tree(5, depth=2)
    onec_server.faults = [Fault(delay=0.6), Fault(delay=0.6)]
    run = _sync(onec_account)
    assert run.status == SyncStatus.FAILED
    assert "no answer within 0.2 s" in run.error and "1C main" in run.error
    assert Location.objects.count() == 0


def test_command_prints_summary(onec_server, onec_account):
    onec_server.items = deep_onec_tree(20, depth=5)
    out = io.StringIO()
    call_command("sync_1c", "--account", "1C main", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "1C main org: succeeded" in text and "created 20" in text


def test_command_wrong_api_key_exits_non_zero_without_leaking_it(onec_server, make_account):
    account = make_account("onec", onec_server.base_url, {"api_key": "wrong-key-123456"}, name="1C bad")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("sync_1c", "--account", account.name, stdout=out, stderr=err)
    text = str(failure.value) + out.getvalue() + err.getvalue()
    assert "Invalid API Key" in text and "1C bad" in text and "401" in text
    assert "wrong-key-123456" not in text
    assert SyncRun.objects.get(account=account).status == SyncStatus.FAILED


def test_command_ad_hoc_credentials_store_an_account(onec_server):
    onec_server.items = deep_onec_tree(3, depth=2)
    out = io.StringIO()
    call_command("sync_1c", "--base-url", onec_server.base_url, "--api-key", onec_server.api_key, stdout=out,
                 stderr=io.StringIO())
    account = IntegrationAccount.objects.get(kind="onec")
    assert onec_server.api_key not in out.getvalue()
    assert onec_server.api_key not in account.credentials_encrypted
    assert Location.objects.filter(source=account).count() == 3
    # The same URL again reuses the account.
    call_command("sync_1c", "--base-url", onec_server.base_url, "--api-key", onec_server.api_key,
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert IntegrationAccount.objects.filter(kind="onec").count() == 1


def test_command_refuses_ambiguous_arguments(db):
    with pytest.raises(CommandError, match="exactly one"):
        call_command("sync_1c", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No onec account named 'nope'"):
        call_command("sync_1c", "--account", "nope", stdout=io.StringIO())


def test_command_on_a_disabled_account_exits_non_zero(onec_account):
    onec_account.enabled = False
    onec_account.save()
    with pytest.raises(CommandError, match="disabled"):
        call_command("sync_1c", "--account", onec_account.name, stdout=io.StringIO(), stderr=io.StringIO())


def test_command_reports_an_already_running_sync(onec_account):
    SyncRun.objects.create(account=onec_account, stream="org", status=SyncStatus.RUNNING)
    out = io.StringIO()
    call_command("sync_1c", "--account", onec_account.name, stdout=out, stderr=io.StringIO())
    assert "already running" in out.getvalue()
    assert SyncRun.objects.count() == 1
