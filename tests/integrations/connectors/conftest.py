"""Fixtures of the commerce-connector tests: the small demo data set, the fakes served on loopback, and one
account per system pointing at its fake (fast retries from tests/integrations/conftest.py; no client-side
rate limit unless a test sets one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from demo.dataset import DemoDataset, build_demo_dataset
from demo.fakes import (
    BASE_PATHS,
    FakeApp,
    IikoFake,
    MoySkladFake,
    RunningServer,
    SentosFake,
    WildberriesFake,
    default_credentials,
    serve,
)
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import set_credentials
from integrations.services.runs import execute_run, start_sync

UNLIMITED = 600_000  # requests per minute: no client-side throttling in tests that are not about it


@pytest.fixture(scope="session")
def dataset() -> DemoDataset:
    """The small demo set ending today, so the connectors' windows (relative to now) hold its data."""
    return build_demo_dataset(size="small", end_date=dt.datetime.now(dt.UTC).date())


@pytest.fixture
def run_fake() -> Iterator[Callable[[FakeApp], RunningServer]]:
    running: list[RunningServer] = []

    def _run(app: FakeApp) -> RunningServer:
        server = serve(app)
        running.append(server)
        return server

    yield _run
    for server in running:
        server.stop()


@pytest.fixture
def account_for(db, run_fake) -> Callable[..., IntegrationAccount]:
    """account_for(kind, fake, **fields): serve `fake` and create an account pointing at it."""

    def _make(kind: str, fake: FakeApp, *, secrets: dict[str, str] | None = None, name: str | None = None,
              **fields) -> IntegrationAccount:
        server = run_fake(fake)
        fields.setdefault("request_rate_per_minute", UNLIMITED)
        fields.setdefault("timezone", {"sentos": "Europe/Istanbul"}.get(kind, "Europe/Moscow"))
        account = IntegrationAccount.objects.create(kind=kind, name=name or f"{kind} test",
                                                    base_url=server.url + BASE_PATHS[kind], **fields)
        set_credentials(account, secrets if secrets is not None else default_credentials()[kind])
        account.fake = fake  # for assertions on the request log
        return account

    return _make


@pytest.fixture
def sync() -> Callable[..., SyncRun]:
    """sync(account, stream, mode="full", **params): start and execute one run inline; returns the finished run."""

    def _sync(account: IntegrationAccount, stream: str, mode: str = "full", **params) -> SyncRun:
        run, created = start_sync(account, stream, mode, "command", params=params or None)
        assert created, f"a {stream} run of {account.name} was already active"
        return execute_run(run.pk)

    return _sync


@pytest.fixture
def iiko_account(account_for, dataset) -> IntegrationAccount:
    return account_for("iiko", IikoFake(dataset), name="iiko demo")


@pytest.fixture
def sentos_account(account_for, dataset) -> IntegrationAccount:
    return account_for("sentos", SentosFake(dataset), name="Sentos demo")


@pytest.fixture
def wb_account(account_for, dataset) -> IntegrationAccount:
    return account_for("wildberries", WildberriesFake(dataset), name="WB demo")


@pytest.fixture
def moysklad_account(account_for, dataset) -> IntegrationAccount:
    return account_for("moysklad", MoySkladFake(dataset), name="MoySklad demo")
