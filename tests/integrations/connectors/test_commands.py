"""sync_sentos / sync_wildberries / sync_moysklad / sync_iiko --stream / sync --all: streams, modes, exit codes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from demo.fakes import SentosFake
from integrations.models import SyncRun

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sync_sentos_runs_every_stream_in_order_incrementally(sentos_account):
    text = run_command("sync_sentos", "--account", "Sentos demo")
    runs = list(SyncRun.objects.order_by("pk"))
    assert [(r.stream, r.mode, r.trigger, r.status) for r in runs] == [
        ("org", "incremental", "command", "succeeded"), ("products", "incremental", "command", "succeeded"),
        ("orders", "incremental", "command", "succeeded")]
    assert "Sentos demo orders: succeeded" in text and "created" in text


def test_stream_full_and_dates_reach_the_run(wb_account, moysklad_account, sentos_account):
    run_command("sync_wildberries", "--all", "--stream", "sales", "--full")
    assert [(r.stream, r.mode) for r in SyncRun.objects.filter(account=wb_account)] == [("sales", "full")]
    run_command("sync_moysklad", "--account", "MoySklad demo", "--stream", "sales", "--from", "2026-01-05",
                "--to", "2026-01-06")
    run = SyncRun.objects.get(account=moysklad_account)
    assert run.params == {"date_from": "2026-01-05", "date_to": "2026-01-06"} and run.status == "succeeded"
    assert run.details["window"] == {"from": "2026-01-05", "to": "2026-01-06", "reason": "explicit"}
    with pytest.raises(CommandError, match="cannot sync 'stock'"):
        run_command("sync_sentos", "--all", "--stream", "stock")
    with pytest.raises(CommandError, match="is after --to"):
        run_command("sync_moysklad", "--all", "--from", "2026-01-06", "--to", "2026-01-05")


def test_a_failed_run_makes_the_command_fail_but_the_others_still_run(account_for, sentos_account, dataset):
    account_for("sentos", SentosFake(dataset), name="Sentos broken",
                secrets={"api_key": "test-sentos-api-key", "api_secret": "wrong"})
    with pytest.raises(CommandError) as failure:
        run_command("sync_sentos", "--all", "--stream", "orders")
    assert "1 of 2 sync(s) failed" in str(failure.value)
    assert "Sentos broken orders: GET /api/warehouses answered 401" in str(failure.value)
    assert SyncRun.objects.get(account=sentos_account).status == "succeeded"
    sentos_account.enabled = False
    sentos_account.save()
    with pytest.raises(CommandError, match="is disabled"):
        run_command("sync_sentos", "--account", "Sentos demo")


def test_sync_all_covers_every_enabled_account_and_kind(sentos_account, moysklad_account, iiko_account):
    moysklad_account.enabled = False
    moysklad_account.save()
    run_command("sync", "--all", "--kind", "sentos", "--kind", "moysklad")
    assert set(SyncRun.objects.values_list("account__name", flat=True)) == {"Sentos demo"}
    run_command("sync", "--account", "iiko demo", "--stream", "org", "--stream", "sales")
    iiko_runs = SyncRun.objects.filter(account=iiko_account).order_by("pk")
    assert [(r.stream, r.status) for r in iiko_runs] == [("org", "succeeded"), ("sales", "succeeded")]
    with pytest.raises(CommandError, match="exactly one of"):
        run_command("sync")


def test_sync_iiko_keeps_org_as_its_default_and_adds_streams(iiko_account):
    run_command("sync_iiko", "--account", "iiko demo")
    assert list(SyncRun.objects.values_list("stream", flat=True)) == ["org"]
    run_command("sync_iiko", "--account", "iiko demo", "--stream", "all")
    assert list(SyncRun.objects.order_by("pk").values_list("stream", "status")) == [
        ("org", "succeeded"), ("org", "succeeded"), ("products", "succeeded"), ("sales", "succeeded"),
        ("stock", "succeeded")]
    assert iiko_account.fake.unreleased_tokens() == []
