"""IikoSession: one licence seat, used carefully (external-apis.md section 1).

    with IikoSession.for_account(account) as iiko:
        root = iiko.get_xml("corporation/departments", params={"revisionFrom": -1})
        rows = iiko.get_json("v2/entities/products/list", params={"includeDeleted": "false"})
        report = iiko.post_json("v2/reports/olap", json={...})

* auth with `pass` = sha1(password) hex (no "resto#" prefix), lazily on the first call;
* the token is reused while valid, renewed before the server's ~1 h idle expiry and on a 401;
* EVERY token obtained is released with `logout` when the session closes (in `finally`), because each one
  holds an API licence seat; a failed logout is logged, never raised over the real error;
* one seat per account across every process: a token is taken only under a lease in Redis or the shared cache
  (`SeatLease`), so two streams of the same account synced at once (two workers, a manual trigger during the
  schedule) take turns instead of the second login failing with iiko's 403 "no connections available";
* XML is parsed with defusedxml only: a DTD, entity or external reference is refused with an error naming
  the account (XXE, billion laughs).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - only for the Element type; parsing goes through defusedxml
from collections.abc import Callable
from typing import Any

import requests
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext

from integrations.errors import AuthenticationFailed, IntegrationError, ResponseFormatError
from integrations.http import HttpClient, build_client
from integrations.limits import shared_lease
from integrations.models import IntegrationAccount
from integrations.services.credentials import require_credentials

logger = logging.getLogger("integrations")

API_ROOT = "/resto/api"
# iiko drops idle sessions after about an hour; renew well before.
TOKEN_RENEW_AFTER_IDLE_S = 45 * 60
HTTP_DEFAULTS = {"connect_timeout": 10.0, "read_timeout": 300.0}
# The lease on an account's seat outlives the longest single call (read timeout) and is renewed on every call,
# so a worker that dies frees the seat for the others within this time.
SEAT_LEASE_S = 600
SEAT_WAIT_S = 600  # a second sync of the same account waits this long for the seat, then fails saying why
SEAT_POLL_S = 1.0


class SeatLease:
    """The right to hold an iiko token for one account, shared by every process through the cache."""

    def __init__(self, account_id: int, account_name: str, *, wait: float = SEAT_WAIT_S,
                 lease: float = SEAT_LEASE_S, poll: float = SEAT_POLL_S) -> None:
        self.key = f"sf:iiko-seat:{account_id}"
        self.owner = uuid.uuid4().hex
        self.account_name = account_name
        self.wait, self.lease, self.poll = wait, lease, poll
        self.held = False
        # Redis (atomic SET NX / compare-and-delete) when REDIS_URL is set, else the shared cache.
        self.store = shared_lease(self.key, self.owner)

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        while not self.store.take(self.lease):
            if time.monotonic() >= deadline:
                raise IntegrationError(
                    gettext("another sync of this account has held its iiko API licence seat for over "
                            "%(wait)s s") % {"wait": format(self.wait, ".0f")},
                    account=self.account_name,
                    hint=gettext("Syncs of one iiko account run one at a time; try again when the other one "
                                 "has finished."))
            time.sleep(self.poll)
        self.held = True

    def renew(self) -> None:
        # Owner-checked: a lease that expired and was taken by another worker is never extended for it.
        if self.held and not self.store.renew(self.lease):
            logger.warning("iiko seat lease had expired; taken again", extra={"account": self.account_name})
            self.held = self.store.take(self.lease)

    def release(self) -> None:
        if self.held:
            self.held = False
            self.store.release()  # deletes the lease only while it is still ours


def api_base_url(base_url: str) -> str:
    """Accept `https://host:port`, `…/resto` or `…/resto/api`; always talk to `…/resto/api/`."""
    url = base_url.rstrip("/")
    if url.endswith("/resto"):
        url += "/api"
    elif not url.endswith(API_ROOT):
        url += API_ROOT
    return url + "/"


def password_hash(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8")).hexdigest()  # noqa: S324 - iiko's protocol, not our security


class IikoSession:
    def __init__(self, http: HttpClient, login: str, password: str, *,
                 clock: Callable[[], float] = time.monotonic,
                 renew_after_idle: float = TOKEN_RENEW_AFTER_IDLE_S, seat: SeatLease | None = None) -> None:
        self.http = http
        self.seat = seat
        self.login = login
        self._pass_hash = password_hash(password)
        http.add_secret(password)
        http.add_secret(self._pass_hash)
        self.clock = clock
        self.renew_after_idle = renew_after_idle
        self.token: str | None = None
        self._last_used = 0.0
        self.tokens_obtained: list[str] = []
        self.tokens_released: list[str] = []

    @classmethod
    def for_account(cls, account: IntegrationAccount, *, seat_wait: float = SEAT_WAIT_S,
                    **kwargs: Any) -> IikoSession:
        secrets = require_credentials(account, "login", "password")
        http = build_client(account, base_url=api_base_url(account.base_url), defaults=HTTP_DEFAULTS)
        seat = SeatLease(account.pk, account.name, wait=seat_wait)
        return cls(http, secrets["login"], secrets["password"], seat=seat, **kwargs)

    @property
    def account_name(self) -> str:
        return self.http.account_name

    def __enter__(self) -> IikoSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._logout()
        finally:
            self.http.close()

    # -- tokens ---------------------------------------------------------------------------------------------
    def _authenticate(self) -> str:
        if self.seat is not None and not self.seat.held:
            self.seat.acquire()
        response = self.http.get("auth", params={"login": self.login, "pass": self._pass_hash},
                                 allow_statuses=(401, 403))
        if response.status_code in (401, 403):
            detail = self.http.snippet(response) or "login refused"
            # The login is kept with the secrets (write-only): the message names the account, not the login.
            raise AuthenticationFailed(gettext("iiko refused the stored login: %(detail)s") % {"detail": detail},
                                       account=self.account_name,
                                       method="GET", path=f"{API_ROOT}/auth", status=response.status_code,
                                       hint=gettext("Check the login and password stored for this account "
                                                    "(and that the user has an API licence seat free)."))
        token = response.text.strip()
        if not token or len(token) > 200 or any(c.isspace() for c in token) or token.startswith("<"):
            raise ResponseFormatError(gettext("the auth answer is not a token"), account=self.account_name,
                                      method="GET",
                                      path=f"{API_ROOT}/auth")
        self.http.add_secret(token)
        self.tokens_obtained.append(token)
        self.token = token
        self._last_used = self.clock()
        logger.info("iiko login", extra={"account": self.account_name})
        return token

    def _current_token(self) -> str:
        if self.token is not None and self.clock() - self._last_used > self.renew_after_idle:
            self._logout(keep_seat=True)  # about to expire: release the token, take a fresh one
        return self.token or self._authenticate()

    def _logout(self, *, keep_seat: bool = False) -> None:
        token, self.token = self.token, None
        try:
            if token is not None:
                self._release_token(token)
        finally:
            if self.seat is not None and not keep_seat:
                self.seat.release()

    def _release_token(self, token: str) -> None:
        try:
            self.http.get("logout", params={"key": token}, allow_statuses=(400, 401, 403, 404, 500))
        except IntegrationError as exc:
            logger.warning("iiko logout failed; the seat frees itself when the token expires",
                           extra={"account": self.account_name, "error": str(exc)})
        else:
            self.tokens_released.append(token)

    # -- calls ----------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, **kwargs: Any
                ) -> requests.Response:
        """A call with `key=<token>`; a 401 (expired or server restarted) re-logs in once and repeats."""
        for attempt in (1, 2):
            token = self._current_token()
            response = self.http.request(method, path, params={**(params or {}), "key": token},
                                         allow_statuses=(401,), **kwargs)
            if response.status_code != 401:
                self._last_used = self.clock()
                if self.seat is not None:
                    self.seat.renew()
                return response
            if attempt == 1:
                logger.info("iiko token rejected; logging in again", extra={"account": self.account_name})
                self._logout(keep_seat=True)  # best effort: it may already be gone server-side
        raise AuthenticationFailed(self.http.snippet(response) or "token rejected right after login",
                                   account=self.account_name, method=method, path=f"{API_ROOT}/{path}", status=401)

    def get_xml(self, path: str, params: dict[str, Any] | None = None) -> ET.Element:
        response = self.request("GET", path, params=params)
        return parse_xml(response.content, account=self.account_name, path=f"{API_ROOT}/{path}")

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._json(self.request("GET", path, params=params), path)

    def post_json(self, path: str, json: Any, params: dict[str, Any] | None = None) -> Any:
        return self._json(self.request("POST", path, params=params, json=json), path)

    def _json(self, response: requests.Response, path: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ResponseFormatError(gettext("the answer is not JSON: %(snippet)r") % {
                                          "snippet": self.http.snippet(response, 120),
                                      },
                                      account=self.account_name, method=response.request.method or "",
                                      path=f"{API_ROOT}/{path}") from None


def parse_xml(content: bytes, *, account: str, path: str) -> ET.Element:
    """defusedxml with DTDs forbidden: an XXE or entity-expansion payload is refused, not expanded."""
    try:
        return safe_fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ResponseFormatError(
            gettext("the XML answer contains a DTD, entity or external reference (%(name)s) and was refused "
                    "unparsed") % {"name": type(exc).__name__}, account=account, method="GET", path=path,
            hint=gettext("This is unsafe XML; check that the base URL points at the real iiko server.")) from None
    except ET.ParseError as exc:
        raise ResponseFormatError(gettext("the answer is not well-formed XML (%(exc)s)") % {"exc": exc},
                                  account=account, method="GET",
                                  path=path) from None
