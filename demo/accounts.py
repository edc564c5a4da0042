"""Demo accounts: one integration account per system, pointing at the loopback fakes with their test credentials.

    with start_all(dataset) as upstreams:
        accounts = ensure_demo_accounts({name: upstreams.base_url(name) for name in upstreams.servers})
        for account in accounts:
            sync_account(account, mode="full", trigger="command")   # integrations.services.sync (the one door)

Re-runnable: accounts are found by name and updated (URL, credentials, options), never duplicated. The fakes serve
without rate limits, so the demo accounts lift the client-side limits (a real Sentos allows ~2 GETs a minute per
path; keep the default there). Schedules are off: the demo syncs on demand.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from integrations.choices import IntegrationKind
from integrations.models import IntegrationAccount
from integrations.services.credentials import set_credentials

DEMO_ACCOUNTS: dict[str, dict[str, Any]] = {
    "onec": {"name": "Demo 1C", "kind": IntegrationKind.ONEC, "timezone": "Europe/Moscow"},
    "iiko": {"name": "Demo iiko", "kind": IntegrationKind.IIKO, "timezone": "Europe/Moscow"},
    "sentos": {"name": "Demo Sentos", "kind": IntegrationKind.SENTOS, "timezone": "Europe/Istanbul"},
    "wildberries": {"name": "Demo Wildberries", "kind": IntegrationKind.WILDBERRIES, "timezone": "Europe/Moscow"},
    "moysklad": {"name": "Demo MoySklad", "kind": IntegrationKind.MOYSKLAD, "timezone": "Europe/Moscow"},
}
UNTHROTTLED_PER_MINUTE = 60_000


def ensure_demo_accounts(base_urls: dict[str, str], *, history_days: int | None = None,
                         credentials: dict[str, dict[str, str]] | None = None) -> list[IntegrationAccount]:
    """Create or update the demo account of every system in `base_urls` (keys: onec, iiko, sentos, wildberries,
    moysklad; values: the base URL a client is configured with, e.g. `RunningUpstreams.base_url(name)`).

    `history_days` sets option `full_days`: how many days a full sync reads (the fakes' data ends "yesterday" of
    the data set's end date). `credentials` defaults to `demo.fakes.default_credentials()`.
    """
    from demo.fakes import default_credentials

    secrets = credentials or default_credentials()
    unknown = sorted(set(base_urls) - set(DEMO_ACCOUNTS))
    if unknown:
        raise ValueError(f"No demo account for {', '.join(unknown)}; known systems: {', '.join(DEMO_ACCOUNTS)}.")
    accounts = []
    with transaction.atomic():
        for system, base_url in base_urls.items():
            spec = DEMO_ACCOUNTS[system]
            account = IntegrationAccount.objects.filter(name=spec["name"]).first() or IntegrationAccount(
                name=spec["name"], kind=spec["kind"])
            options = dict(account.options or {})
            if history_days is not None:
                options["full_days"] = int(history_days)
            account.base_url = base_url
            account.kind = spec["kind"]
            account.timezone = spec["timezone"]
            account.enabled = True
            account.full_sync_enabled = False
            account.live_sync_enabled = False
            account.request_rate_per_minute = UNTHROTTLED_PER_MINUTE
            account.options = options
            set_credentials(account, secrets[system], save=False)
            account.save()
            accounts.append(account)
    return accounts
