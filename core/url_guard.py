"""Where the product may send a request to a URL somebody typed in: http(s) to public addresses only (SSRF guard).

Two features send data to URLs users configure: integration accounts (`base_url`, URL options; every sync sends
the stored login, password or token there) and outbound webhooks (every event is a signed POST of business data).
Without a guard, whoever may configure them could point them at the cloud metadata service (169.254.169.254), at
the database on loopback or at an office network. Both use this one guard, each with its own `HostPolicy` (the
setting that lets it reach loopback and private hosts, and the words of its refusal).

The guard runs twice:

* at save time, `check_url()` refuses other schemes, `user:pw@` URLs, and hosts that are (or resolve to)
  loopback, private or link-local addresses;
* at connect time, `guard_session()` mounts an adapter that checks the address the socket really connected to,
  after DNS resolution, on every request and every redirect hop, so a name that later resolves elsewhere (DNS
  rebinding) is refused before a byte of the request is sent.

A policy's setting (e.g. `INTEGRATIONS_ALLOW_PRIVATE_HOSTS = True`) allows loopback and private (RFC 1918, ULA)
addresses: the demo and the tests talk to loopback servers, and an on-premises server may live on the office
network. Link-local, multicast and unspecified addresses are refused whatever the setting.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ALLOWED_SCHEMES = ("http", "https")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class HostPolicy:
    """Which feature asks: named by the boolean setting that lets it reach loopback and private hosts."""

    setting: str

    def allow_private(self) -> bool:
        return bool(getattr(settings, self.setting, False))

    @property
    def hint(self) -> str:
        return gettext("Use the server's public http(s) address; loopback and private hosts need %(setting)s=true.") % {
            "setting": self.setting
        }


class UnsafeURL(ValueError):
    """The URL may not be contacted; the message names the field, says why and what to do."""


class BlockedAddress(Exception):
    """Raised inside urllib3 when a connection reached a refused address; the socket is already closed.

    Deliberately not an OSError, so urllib3 and requests neither retry nor wrap it.
    """


def address_refusal(address: str | IPAddress, *, allow_private: bool) -> str:
    """Why this address may not be contacted ("" when it may)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return gettext("%(ip)s is a link-local address (cloud metadata services live there)") % {"ip": ip}
    if ip.is_unspecified or ip.is_multicast:
        return gettext("%(ip)s is not a host address") % {"ip": ip}
    if ip.is_loopback:
        return "" if allow_private else gettext("%(ip)s is a loopback address") % {"ip": ip}
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "" if allow_private else gettext("%(ip)s is a private or reserved address") % {"ip": ip}
    return ""


def _host_addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, *, policy: HostPolicy, field: str, resolve: bool = True) -> str:
    """The URL (stripped) if it may be contacted under `policy`, else UnsafeURL naming the field and the reason.

    A host name that does not resolve now is accepted (the connect-time guard checks it again); one that
    resolves to a refused address is not.
    """
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise UnsafeURL(gettext("%(field)s: %(url)r is not a valid URL.") % {"field": field, "url": url}) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(gettext("%(field)s: only http and https URLs are allowed, not %(value)r.") % {
            "field": field, "value": parts.scheme or "no scheme"
        })
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURL(gettext("%(field)s: a URL may not carry a user name or password (user:password@host).") % {
            "field": field
        })
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeURL(gettext("%(field)s: %(url)r has no host.") % {"field": field, "url": url})
    allow_private = policy.allow_private()
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            addresses = ["127.0.0.1"]
        elif resolve:
            addresses = _host_addresses(host, port or (443 if parts.scheme.lower() == "https" else 80))
        else:
            addresses = []
    for address in addresses:
        reason = address_refusal(address, allow_private=allow_private)
        if reason:
            raise UnsafeURL(gettext("%(field)s: %(host)s is not allowed: %(reason)s. %(hint)s") % {
                "field": field, "host": host, "reason": reason, "hint": policy.hint
            })
    return str(url).strip()


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in: what "the same server" means."""
    try:
        parts = urlsplit(str(url or "").strip())
        port = parts.port
    except ValueError:
        return ("", str(url or ""), None)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").rstrip(".").lower(), port or {"http": 80, "https": 443}.get(scheme)


def _check_peer(sock: socket.socket, host: str, policy: HostPolicy) -> None:
    try:
        peer = sock.getpeername()[0]
    except OSError:
        return
    reason = address_refusal(peer, allow_private=policy.allow_private())
    if reason:
        sock.close()
        raise BlockedAddress(gettext("%(host)s resolved to a refused address: %(reason)s. %(hint)s") % {
            "host": host, "reason": reason, "hint": policy.hint
        })


@functools.cache
def _pool_classes(policy: HostPolicy) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose connections check their peer under `policy` (one pair of classes per policy)."""

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _check_peer(sock, self.host, policy)
            return sock

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _check_peer(sock, self.host, policy)
            return sock

    class GuardedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse the addresses `address_refusal` refuses under its policy."""

    __attrs__ = [*HTTPAdapter.__attrs__, "policy"]

    def __init__(self, policy: HostPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.policy)
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def guard_session(session: Any, policy: HostPolicy) -> Any:
    """Mount the guard on a requests.Session for http and https; other schemes have no adapter at all."""
    session.adapters.clear()
    adapter = GuardedAdapter(policy)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
