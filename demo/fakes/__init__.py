"""Loopback fake servers of the five external systems (stdlib WSGI; they ship with ``manage.py
fake_upstreams``).

Each fake follows ``shared/docs/external-apis.md``; by default it serves data consistent with the demo data
set (``demo.dataset``). ``serve(app)`` runs one on 127.0.0.1 in a daemon thread;
``start_all()`` runs all five (the playground command and end-to-end tests use it)."""

from __future__ import annotations

from dataclasses import dataclass

from demo.dataset import DemoDataset
from demo.fakes.base import (
    FakeApp,
    FakeRequest,
    FakeResponse,
    LoggedRequest,
    RunningServer,
    TokenBucket,
    serve,
    synthetic_org_tree,
    with_cycle,
    with_duplicates,
    with_unknown_parents,
)
from demo.fakes.iiko import IIKO_LOGIN, IIKO_PASSWORD, IikoFake
from demo.fakes.moysklad import MOYSKLAD_LOGIN, MOYSKLAD_PASSWORD, MOYSKLAD_TOKEN, MoySkladFake
from demo.fakes.onec import ONEC_API_KEY, OneCFake
from demo.fakes.sentos import SENTOS_API_KEY, SENTOS_API_SECRET, SentosFake
from demo.fakes.wildberries import WB_TOKEN, WildberriesFake

# Port offsets from --port-base, in a fixed order so the printed URLs never move.
PORT_OFFSETS = {"onec": 0, "iiko": 1, "sentos": 2, "wildberries": 3, "moysklad": 4}
# Path a client appends to the server URL to get the base URL it is configured with.
BASE_PATHS = {
    "onec": "/exchange",
    "iiko": "",
    "sentos": "/api",
    "wildberries": "",
    "moysklad": "/api/remap/1.2",
}


def default_credentials() -> dict[str, dict[str, str]]:
    """The fixed, obviously fake test credentials each fake accepts."""
    return {
        "onec": {"api_key": ONEC_API_KEY},
        "iiko": {"login": IIKO_LOGIN, "password": IIKO_PASSWORD},
        "sentos": {"api_key": SENTOS_API_KEY, "api_secret": SENTOS_API_SECRET},
        "wildberries": {"token": WB_TOKEN},
        "moysklad": {"login": MOYSKLAD_LOGIN, "password": MOYSKLAD_PASSWORD, "token": MOYSKLAD_TOKEN},
    }


@dataclass
class RunningUpstreams:
    """All five fakes running: ``servers[name].url``/``.app``; ``base_url(name)`` to configure a client."""

    servers: dict[str, RunningServer]

    def base_url(self, system: str) -> str:
        return self.servers[system].url + BASE_PATHS[system]

    def app(self, system: str) -> FakeApp:
        return self.servers[system].app

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> RunningUpstreams:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build_fakes(dataset: DemoDataset | None, *, rate_limits: bool = False) -> dict[str, FakeApp]:
    """One fake per system, all on the same data set."""
    return {
        "onec": OneCFake(dataset),
        "iiko": IikoFake(dataset),
        "sentos": SentosFake(dataset, rate_limits=rate_limits),
        "wildberries": WildberriesFake(dataset, rate_limits=rate_limits),
        "moysklad": MoySkladFake(dataset, rate_limits=rate_limits),
    }


def start_all(
    dataset: DemoDataset | None,
    *,
    port_base: int = 0,
    rate_limits: bool = False,
    apps: dict[str, FakeApp] | None = None,
) -> RunningUpstreams:
    """Serve every fake on loopback: ports ``port_base + offset``, or free ports when ``port_base`` is 0."""
    apps = apps or build_fakes(dataset, rate_limits=rate_limits)
    servers: dict[str, RunningServer] = {}
    try:
        for name, app in apps.items():
            servers[name] = serve(app, port=port_base + PORT_OFFSETS[name] if port_base else 0)
    except OSError:
        for server in servers.values():
            server.stop()
        raise
    return RunningUpstreams(servers)


__all__ = [
    "BASE_PATHS",
    "PORT_OFFSETS",
    "FakeApp",
    "FakeRequest",
    "FakeResponse",
    "IikoFake",
    "LoggedRequest",
    "MoySkladFake",
    "OneCFake",
    "RunningServer",
    "RunningUpstreams",
    "SentosFake",
    "TokenBucket",
    "WildberriesFake",
    "build_fakes",
    "default_credentials",
    "serve",
    "start_all",
    "synthetic_org_tree",
    "with_cycle",
    "with_duplicates",
    "with_unknown_parents",
]
