"""Per-account, per-stream bookmarks for incremental syncs (Singer-style: readers treat the value as ">=").

Save the cursor inside the same transaction as the data it covers, so a failed run never moves it.
"""

from __future__ import annotations

from typing import Any

from integrations.models import IntegrationAccount, SyncCursor, SyncRun


def get_cursor(account: IntegrationAccount, stream: str) -> dict[str, Any]:
    cursor = SyncCursor.objects.filter(account=account, stream=stream).only("value").first()
    return dict(cursor.value) if cursor else {}


def save_cursor(account: IntegrationAccount, stream: str, value: dict[str, Any], run: SyncRun | None = None
                ) -> SyncCursor:
    cursor, _ = SyncCursor.objects.update_or_create(
        account=account, stream=stream, defaults={"value": value, "last_run": run})
    return cursor


def reset_cursor(account: IntegrationAccount, stream: str) -> bool:
    """Forget the bookmark: the next incremental sync starts from the beginning."""
    deleted, _ = SyncCursor.objects.filter(account=account, stream=stream).delete()
    return bool(deleted)
