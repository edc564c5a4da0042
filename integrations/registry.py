"""Connector registry: (kind, stream) → a function that syncs one stream of one account.

A connector is `callable(run, account, progress) -> SyncOutcome`. Register it with the decorator in a module
under `integrations/connectors/`; `IntegrationsConfig.ready()` imports them all. See integrations/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from integrations.choices import IntegrationKind, SyncStream

if TYPE_CHECKING:
    from integrations.models import IntegrationAccount, SyncRun
    from integrations.services.runs import RunProgress


@dataclass
class SyncOutcome:
    """What a connector reports back; execute_run copies it onto the SyncRun.

    `failed` > 0 or `error` set → the run ends "partial" (some data stored, some not); raising an
    IntegrationError instead → "failed" (and the connector must not have stored anything).
    """

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    error: str = ""


class Connector(Protocol):
    def __call__(self, run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome: ...


_CONNECTORS: dict[tuple[str, str], Connector] = {}


def register_connector(kind: str, stream: str) -> Callable[[Connector], Connector]:
    def decorator(func: Connector) -> Connector:
        key = (str(kind), str(stream))
        if key in _CONNECTORS and _CONNECTORS[key] is not func:
            raise ValueError(f"A connector for {key} is already registered: {_CONNECTORS[key]!r}")
        _CONNECTORS[key] = func
        return func

    return decorator


def get_connector(kind: str, stream: str) -> Connector | None:
    return _CONNECTORS.get((str(kind), str(stream)))


def streams_for_kind(kind: str) -> list[str]:
    return sorted(s for k, s in _CONNECTORS if k == str(kind))


def kinds_with_stream(stream: str) -> list[str]:
    return sorted(k for k, s in _CONNECTORS if s == str(stream))


# -- stream order (with the streams; schedules, syncs of all streams, status and commands read it here) ------

# Order of a full sync: places first, then what is sold, then what happened, then what is left.
STREAM_ORDER = (SyncStream.ORG, SyncStream.PRODUCTS, SyncStream.ORDERS, SyncStream.SALES, SyncStream.STOCK)
# Streams worth refreshing every few minutes. Sentos' products carry its stock but allow ~2 reads a minute per
# path, so its catalogue (and stock) is refreshed by the daily full sync only.
LIVE_STREAMS: dict[str, tuple[str, ...]] = {
    IntegrationKind.IIKO: (SyncStream.SALES, SyncStream.STOCK),
    IntegrationKind.SENTOS: (SyncStream.ORDERS,),
    IntegrationKind.WILDBERRIES: (SyncStream.ORDERS, SyncStream.SALES, SyncStream.STOCK),
    IntegrationKind.MOYSKLAD: (SyncStream.SALES, SyncStream.STOCK),
    IntegrationKind.ONEC: (),
}


def ordered_streams(kind: str, wanted: Any = None) -> list[str]:
    """The kind's registered streams in sync order, optionally limited to `wanted`."""
    available = streams_for_kind(kind)
    order = [s for s in STREAM_ORDER if s in available] + sorted(s for s in available if s not in STREAM_ORDER)
    if wanted is None:
        return order
    wanted = {str(s) for s in wanted}
    return [s for s in order if s in wanted]


def full_streams(account: IntegrationAccount) -> list[str]:
    """Streams of the daily full sync: all, or option `full_streams` (OptionsError for a bad stored value)."""
    from integrations.options import checked_options

    return ordered_streams(account.kind, checked_options(account).get("full_streams"))


def live_streams(account: IntegrationAccount) -> list[str]:
    """Streams of the live sync: the kind's defaults, or option `live_streams` (OptionsError for a bad value)."""
    from integrations.options import checked_options

    wanted = checked_options(account).get("live_streams")
    return ordered_streams(account.kind, LIVE_STREAMS.get(account.kind, ()) if wanted is None else wanted)
