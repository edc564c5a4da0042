"""Where an integration account may send its credentials: http(s) to public addresses only (SSRF guard).

An account's `base_url` (and URL options such as Wildberries' `statistics_url`) is chosen by an integrator, and
every sync sends the stored login, password or token there. Without a guard an integrator could point it at
the cloud metadata service (169.254.169.254), at the database on loopback or at an office network.

The guard runs twice:

* at save time, `check_url()` refuses other schemes, `user:pw@` URLs, and hosts that are (or resolve to)
  loopback, private or link-local addresses;
* at connect time, `GuardedAdapter` checks the address the socket really connected to, after DNS resolution,
  on every request and every redirect hop, so a name that later resolves elsewhere (DNS rebinding) is refused
  before a byte of the request is sent.

`settings.INTEGRATIONS_ALLOW_PRIVATE_HOSTS = True` allows loopback and private (RFC 1918, ULA) addresses: the
demo and the tests talk to loopback fakes, and an on-premises iiko server may live on the office network.
Link-local, multicast and unspecified addresses are refused whatever the setting.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ALLOWED_SCHEMES = ("http", "https")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """The URL may not receive an account's credentials; the message says why and what to do."""


def allow_private_hosts() -> bool:
    return bool(getattr(settings, "INTEGRATIONS_ALLOW_PRIVATE_HOSTS", False))


def address_refusal(address: str | IPAddress, *, allow_private: bool | None = None) -> str:
    """Why this address may not be contacted ("" when it may)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_private is None:
        allow_private = allow_private_hosts()
    if ip.is_link_local:
        return f"{ip} is a link-local address (cloud metadata services live there)"
    if ip.is_unspecified or ip.is_multicast:
        return f"{ip} is not a host address"
    if ip.is_loopback:
        return "" if allow_private else f"{ip} is a loopback address"
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "" if allow_private else f"{ip} is a private or reserved address"
    return ""


def _host_addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, *, field: str = "base_url", resolve: bool = True) -> str:
    """The URL if it may receive credentials, else UnsafeURL naming the field and the reason.

    A host name that does not resolve now is accepted (the connect-time guard checks it again); one that
    resolves to a refused address is not.
    """
    hint = ("Use the server's public http(s) address; loopback and private hosts need "
            "INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true.")
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise UnsafeURL(gettext("%(field)s: %(url)r is not a valid URL.") % {"field": field, "url": url}) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(gettext("%(field)s: only http and https URLs are allowed, not %(value)r.") % {
                            "field": field,
                            "value": parts.scheme or 'no scheme',
                        })
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURL(gettext("%(field)s: a URL may not carry a user name or password "
                                "(user:password@host); store them as the account's credentials.") % {
                            "field": field,
                        })
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeURL(gettext("%(field)s: %(url)r has no host.") % {"field": field, "url": url})
    allow_private = allow_private_hosts()
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
                                "field": field,
                                "host": host,
                                "reason": reason,
                                "hint": hint,
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


class BlockedAddress(Exception):
    """Raised inside urllib3 when a connection reached a refused address; the socket is already closed.

    Deliberately not an OSError, so urllib3 and requests neither retry nor wrap it.
    """


def _check_peer(sock: socket.socket, host: str) -> None:
    try:
        peer = sock.getpeername()[0]
    except OSError:
        return
    reason = address_refusal(peer)
    if reason:
        sock.close()
        raise BlockedAddress(f"{host} resolved to a refused address: {reason}")


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse addresses `address_refusal` refuses, and other schemes."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPConnectionPool,
                                                   "https": _GuardedHTTPSConnectionPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def guard_session(session: Any) -> Any:
    """Mount the guard on a requests.Session for http and https; other schemes have no adapter at all."""
    session.adapters.clear()
    adapter = GuardedAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
