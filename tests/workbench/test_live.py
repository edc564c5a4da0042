"""ws/runs/ and ws/kanban/: who may connect, what they receive, pushed and polled."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from integrations.models import IntegrationAccount, SyncRun
from planning.services import production
from salesforecast.asgi import application
from tests.planning.conftest import Builders

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_poll(settings, no_persistent_connections):
    settings.WORKBENCH_LIVE_POLL_SECONDS = 0.05


def _communicator(path: str, user=None, token: str | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    url = f"{path}?token={token}" if token else path
    communicator = WebsocketCommunicator(application, url, headers=headers)
    if user is not None:
        communicator.scope["user"] = user
    return communicator


async def _receive_until(communicator, predicate, limit: int = 40):
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=3)
        if predicate(message):
            return message
    raise AssertionError("expected message not received")


def test_anonymous_is_refused(db):
    async def scenario():
        communicator = _communicator("/ws/runs/", AnonymousUser())
        connected, code = await communicator.connect()
        assert not connected and code == 4401

    async_to_sync(scenario)()


def test_a_sync_runs_progress_reaches_a_user_who_may_see_it(make_user):
    viewer = make_user("viewer", role="viewer")
    account = IntegrationAccount.objects.create(kind="iiko", name="iiko", base_url="http://127.0.0.1:1/")
    run = SyncRun.objects.create(account=account, stream="sales", status="running", progress_total=10)

    async def scenario():
        communicator = _communicator("/ws/runs/", token=str(AccessToken.for_user(viewer)))
        connected, _ = await communicator.connect()
        assert connected
        hello = await communicator.receive_json_from(timeout=3)
        assert "runs.sync" in hello["groups"]
        first = await _receive_until(communicator, lambda m: m.get("kind") == "sync" and m["id"] == run.pk)
        assert first["text"] == "0/10"
        # Progress written the way the worker writes it (an UPDATE, no signal) still arrives.
        from channels.db import database_sync_to_async

        await database_sync_to_async(
            lambda: SyncRun.objects.filter(pk=run.pk).update(progress_done=4))()
        moved = await _receive_until(communicator, lambda m: m.get("id") == run.pk and m["progress_done"] == 4)
        assert moved["percent"] == 40.0 and moved["status_label"] == "Running"
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_a_user_without_view_permissions_is_refused(make_user):
    nobody = make_user("nobody")

    async def scenario():
        communicator = _communicator("/ws/kanban/", nobody)
        connected, code = await communicator.connect()
        assert not connected and code == 4403

    async_to_sync(scenario)()


def test_a_board_move_reaches_open_boards(make_user, settings, tmp_path):
    settings.WORKBENCH_LIVE_POLL_SECONDS = 60  # the push, not the poll, must deliver this one
    planner = make_user("planner", role="planner")
    build = Builders()
    kitchen = build.location("K")
    pie, flour = build.product("PIE", kind="dish"), build.product("FLOUR", kind="material")
    build.bom(pie, [(flour, "1")])
    task = production.create_task(product_id=pie.pk, quantity=Decimal("3"), location_id=kitchen.pk,
                                  due_date=(timezone.now() + timedelta(days=1)).date())

    async def scenario():
        from channels.db import database_sync_to_async

        communicator = _communicator("/ws/kanban/", planner)
        connected, _ = await communicator.connect()
        assert connected
        await communicator.receive_json_from(timeout=3)  # hello
        await database_sync_to_async(production.move_on_board)(task.pk, status="approved", position=None)
        message = await _receive_until(communicator, lambda m: m.get("type") == "task")
        assert message["task"] == {"id": task.pk, "status": "approved", "status_label": "Approved",
                                   "board_position": 0}
        await communicator.disconnect()

    async_to_sync(scenario)()
