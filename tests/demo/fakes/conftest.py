"""Fixtures for the fake-server tests: a small demo data set and a helper that serves a fake on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from demo.dataset import DemoDataset, build_demo_dataset
from demo.fakes import FakeApp, RunningServer, serve


@pytest.fixture(scope="session")
def small_dataset() -> DemoDataset:
    return build_demo_dataset(size="small")


@pytest.fixture
def run_fake() -> Iterator[Callable[[FakeApp], RunningServer]]:
    """Serve fakes on free loopback ports; all are stopped at teardown."""
    running: list[RunningServer] = []

    def _run(app: FakeApp) -> RunningServer:
        server = serve(app)
        running.append(server)
        return server

    yield _run
    for server in running:
        server.stop()
