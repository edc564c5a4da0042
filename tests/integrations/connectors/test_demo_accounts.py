"""The demo's entry points: one account per system against the fakes, and a synchronous sync of every stream."""

from __future__ import annotations

import pytest

from demo.accounts import ensure_demo_accounts
from demo.fakes import start_all
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.sync import sync_account
from sales.models import DailySale, StockLevel
from salesforecast.pipeline import run_main_job

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_idempotent_and_sync_end_to_end(dataset):
    with start_all(dataset) as upstreams:
        urls = {name: upstreams.base_url(name) for name in upstreams.servers}
        accounts = ensure_demo_accounts(urls, history_days=90)
        assert sorted(a.kind for a in accounts) == ["iiko", "moysklad", "onec", "sentos", "wildberries"]
        again = ensure_demo_accounts(urls, history_days=90)
        assert [a.pk for a in again] == [a.pk for a in accounts] and IntegrationAccount.objects.count() == 5
        assert all(not a.full_sync_enabled and not a.live_sync_enabled for a in again)

        runs = [s.run for account in accounts for s in sync_account(account, mode="full", trigger="command")]
        assert {(r.account.kind, r.stream) for r in runs} >= {("iiko", "sales"), ("sentos", "orders"),
                                                              ("wildberries", "sales"), ("moysklad", "stock")}
        assert all(r.status == "succeeded" for r in runs), [(r.account.kind, r.stream, r.error) for r in runs]
        for kind in ("iiko", "sentos", "wildberries", "moysklad"):
            assert DailySale.objects.filter(location__source__kind=kind).exists(), kind
            assert StockLevel.objects.filter(source__kind=kind).exists(), kind
        assert upstreams.app("iiko").unreleased_tokens() == []

        progress = []
        [step] = run_main_job(steps=("sync",), progress=lambda label, done, total: progress.append(
            (label, done, total)))
        incremental = SyncRun.objects.filter(pk__in=[r["id"] for r in step.details["runs"]])
        assert step.ok and incremental and all(r.status == "succeeded" for r in incremental), step.summary
        assert all(r.mode == "incremental" for r in incremental)
        assert progress[-1] == ("sync", len(accounts), len(accounts))
        assert all(r.rows_created == 0 for r in incremental if r.stream in ("products", "org"))
