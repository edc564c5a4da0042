"""The demo's entry points: one account per system against the fakes, and a synchronous sync of every stream."""

from __future__ import annotations

import pytest

from demo.accounts import ensure_demo_accounts
from demo.fakes import start_all
from integrations.models import IntegrationAccount
from integrations.services.sync_all import sync_account_all_streams, sync_all_accounts
from sales.models import DailySale, StockLevel

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_idempotent_and_sync_end_to_end(dataset):
    with start_all(dataset) as upstreams:
        urls = {name: upstreams.base_url(name) for name in upstreams.servers}
        accounts = ensure_demo_accounts(urls, history_days=90)
        assert sorted(a.kind for a in accounts) == ["iiko", "moysklad", "onec", "sentos", "wildberries"]
        again = ensure_demo_accounts(urls, history_days=90)
        assert [a.pk for a in again] == [a.pk for a in accounts] and IntegrationAccount.objects.count() == 5
        assert all(not a.full_sync_enabled and not a.live_sync_enabled for a in again)

        runs = [run for account in accounts for run in sync_account_all_streams(account, "full")]
        assert {(r.account.kind, r.stream) for r in runs} >= {("iiko", "sales"), ("sentos", "orders"),
                                                              ("wildberries", "sales"), ("moysklad", "stock")}
        assert all(r.status == "succeeded" for r in runs), [(r.account.kind, r.stream, r.error) for r in runs]
        for kind in ("iiko", "sentos", "wildberries", "moysklad"):
            assert DailySale.objects.filter(location__source__kind=kind).exists(), kind
            assert StockLevel.objects.filter(source__kind=kind).exists(), kind
        assert upstreams.app("iiko").unreleased_tokens() == []

        progress = []
        incremental = sync_all_accounts(lambda label, done, total: progress.append((label, done, total)))
        assert incremental and all(r.status == "succeeded" for r in incremental)
        assert progress[-1] == ("sync", len(incremental), len(incremental))
        assert all(r.rows_created == 0 for r in incremental if r.stream in ("products", "org"))
