"""WebSocket endpoints of the live screens: ws/runs/ (run progress) and ws/kanban/ (production-task moves).

A connection needs a logged-in user (the admin session cookie, or a JWT access token as ``?token=`` or an
``Authorization: Bearer`` header) and receives only the run kinds, and the board, that user may view.
Messages are JSON: ``{"type": "run", "kind", "id", "status", "status_label", "stage", "progress_done",
"progress_total", "percent", "text"}`` and ``{"type": "task", "task": {"id", "status", "status_label",
"board_position"}}``.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from workbench import live

# Close codes (4000–4999 are the application's): not logged in, not allowed.
NOT_AUTHENTICATED = 4401
FORBIDDEN = 4403


def _poll_seconds() -> float:
    return float(getattr(settings, "WORKBENCH_LIVE_POLL_SECONDS", 2.0))


class _LiveConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]

    async def allowed_groups(self, user) -> list[str]:
        raise NotImplementedError

    async def poll_once(self) -> None:
        raise NotImplementedError

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.groups_joined = []
        self._poller = None
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=NOT_AUTHENTICATED)
            return
        groups = await self.allowed_groups(user)
        if not groups:
            await self.close(code=FORBIDDEN)
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await self.accept()
        await self.send_json({"type": "hello", "groups": groups})
        self._poller = asyncio.ensure_future(self._poll_forever())

    async def disconnect(self, code: int) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._poller
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    async def _poll_forever(self) -> None:
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a failed poll is retried; the socket stays open
                live.logger.warning("live poll failed", exc_info=True)
            await asyncio.sleep(_poll_seconds())


class RunsConsumer(_LiveConsumer):
    """ws/runs/: progress of the run kinds the user may view (syncs, forecasts, proposal runs, imports)."""

    async def allowed_groups(self, user) -> list[str]:
        kinds = await database_sync_to_async(live.allowed_run_kinds)(user)
        self.kinds = kinds
        self.last_sent: dict[str, dict[str, Any]] = {}
        return [kind.group for kind in kinds]

    async def poll_once(self) -> None:
        current = await database_sync_to_async(live.current_runs)(self.kinds)
        for key, message in current.items():
            if self.last_sent.get(key) != message:
                self.last_sent[key] = message
                await self.send_json(message)

    async def live_message(self, event: dict[str, Any]) -> None:
        message = event["message"]
        self.last_sent[f"{message.get('kind')}:{message.get('id')}"] = message
        await self.send_json(message)


class KanbanConsumer(_LiveConsumer):
    """ws/kanban/: production tasks moved or changed by anyone (for users who may view tasks)."""

    async def allowed_groups(self, user) -> list[str]:
        self.since = timezone.now()
        allowed = await database_sync_to_async(live.may_see_board)(user)
        return [live.KANBAN_GROUP] if allowed else []

    async def poll_once(self) -> None:
        since, self.since = self.since, timezone.now()
        for message in await database_sync_to_async(live.tasks_changed_since)(since):
            await self.send_json(message)
