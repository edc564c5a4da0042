"""Run one stream inline through the one door, as the `sync_*` commands do (a test's shorthand, not a door)."""

from __future__ import annotations

from integrations.choices import SyncMode, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.sync import sync_account


def sync_now(account: IntegrationAccount, stream: str, mode: str = SyncMode.FULL) -> tuple[SyncRun, bool]:
    """(run, executed): a run queued elsewhere is claimed and run here; one running elsewhere is returned as is."""
    [started] = sync_account(account, stream, mode=mode, trigger=SyncTrigger.COMMAND, wait=False)
    return started.run, started.executed
