"""Where an integration account may send its credentials: the product's one SSRF guard (core/url_guard.py) under
the integrations' policy.

An account's `base_url` (and URL options such as Wildberries' `statistics_url`) is chosen by an integrator, and
every sync sends the stored login, password or token there. `check_url()` runs at save time; `guard_session()`
checks the address each connection really reached, after DNS resolution, on every request and redirect hop.
`settings.INTEGRATIONS_ALLOW_PRIVATE_HOSTS = True` allows loopback and private (RFC 1918, ULA) addresses: the
demo and the tests talk to loopback fakes, and an on-premises iiko server may live on the office network.
Link-local, multicast and unspecified addresses are refused whatever the setting.
"""

from __future__ import annotations

from typing import Any

from core import url_guard
from core.url_guard import BlockedAddress, UnsafeURL, origin

__all__ = ["POLICY", "BlockedAddress", "UnsafeURL", "check_url", "guard_session", "origin"]

POLICY = url_guard.HostPolicy(setting="INTEGRATIONS_ALLOW_PRIVATE_HOSTS")


def check_url(url: str, *, field: str = "base_url", resolve: bool = True) -> str:
    """The URL if it may receive an account's credentials, else UnsafeURL naming the field and the reason."""
    return url_guard.check_url(url, policy=POLICY, field=field, resolve=resolve)


def guard_session(session: Any) -> Any:
    """Mount the connect-time guard (integrations' policy) on a requests.Session."""
    return url_guard.guard_session(session, POLICY)
