"""Wildberries seller API client (external-apis.md section 4): raw token, per-endpoint limits, 80k paging.

* `Authorization: <token>` (no "Bearer"); one token per account, with the categories the streams need
  (Statistics for orders/sales/stocks, Content for cards). A 401 names the host: a token without the category.
* Hosts: statistics-api, content-api, marketplace-api. The account's `base_url` is one of them (or a proxy or a
  fake serving all); the others are derived by swapping the host prefix, or set as options `statistics_url`,
  `content_url`, `marketplace_url`.
* Limits [C]: statistics 1 request/min per endpoint (bursts 10 orders, 1 sales, 10 stocks), Content 100/min.
  Each endpoint has its own client bucket; 429s honour `X-Ratelimit-Retry` (then `Retry-After`).
* Statistics paging: up to 80,000 rows per call (option `page_cap`); a full answer is repeated with `dateFrom` =
  the last row's `lastChangeDate`, and rows are de-duplicated by key by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from integrations.connectors.commerce import StreamSync
from integrations.http import WB_RETRY_HEADERS, HttpClient, config_for_account
from integrations.services.credentials import require_credentials

PAGE_CAP = 80_000
MAX_STATISTICS_PAGES = 200
HTTP_DEFAULTS = {"connect_timeout": 10.0, "read_timeout": 180.0}
STAT_TS_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Endpoint:
    api: str  # statistics | content | marketplace
    path: str
    per_minute: float
    burst: float


ORDERS = Endpoint("statistics", "api/v1/supplier/orders", 1, 10)
SALES = Endpoint("statistics", "api/v1/supplier/sales", 1, 1)
STOCKS = Endpoint("statistics", "api/v1/supplier/stocks", 1, 10)
CARDS = Endpoint("content", "content/v2/get/cards/list", 100, 100)


def api_urls(base_url: str, options: dict[str, Any]) -> dict[str, str]:
    """Base URL per API: explicit options, else the base URL with its `<api>-api.` host prefix swapped."""
    parts = urlsplit(base_url.rstrip("/"))
    host = parts.hostname or ""
    urls = {}
    for api in ("statistics", "content", "marketplace"):
        url = base_url
        for other in ("statistics", "content", "marketplace", "seller-analytics"):
            if host.startswith(f"{other}-api"):
                netloc = parts.netloc.replace(f"{other}-api", f"{api}-api", 1)
                url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
                break
        urls[api] = str(options.get(f"{api}_url") or url)
    return urls


class WildberriesClient:
    def __init__(self, sync: StreamSync) -> None:
        self.sync = sync
        token = require_credentials(sync.account, "token")["token"].strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        self._token = token
        self.urls = api_urls(sync.account.base_url, sync.options)
        self._clients: dict[str, HttpClient] = {}
        self.page_cap = max(1, int(sync.options.get("page_cap", PAGE_CAP)))

    def _client(self, endpoint: Endpoint) -> HttpClient:
        client = self._clients.get(endpoint.path)
        if client is None:
            account = self.sync.account
            config = config_for_account(account, rate_per_minute=endpoint.per_minute, rate_burst=endpoint.burst,
                                        retry_after_headers=WB_RETRY_HEADERS, **HTTP_DEFAULTS)
            client = HttpClient(account_name=account.name, base_url=self.urls[endpoint.api], config=config,
                                headers={"Authorization": self._token, "Accept": "application/json"},
                                secrets=[self._token], rate_limit_key=f"account:{account.pk}:wb:{endpoint.path}")
            self._clients[endpoint.path] = self.sync.track(client)
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def __enter__(self) -> WildberriesClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_rows(self, endpoint: Endpoint, params: dict[str, Any], position: str) -> list[dict[str, Any]]:
        body = self.sync.json(self._client(endpoint).get(endpoint.path, params=params), position)
        if body is None:  # some clients report `null` for "no rows"
            self.sync.note_shape(f"{endpoint.path} empty answer", "null")
            return []
        if not isinstance(body, list):
            raise self.sync.error(f"expected a JSON array of rows, got {type(body).__name__}", position)
        for index, row in enumerate(body, start=1):
            if not isinstance(row, dict):
                raise self.sync.error("a row is not a JSON object", f"{position}, row {index}")
        return body

    def statistics(self, endpoint: Endpoint, date_from: str, on_page: Callable[[int, int], None] | None = None
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(position, row) of every row changed since `date_from` (Moscow local time), across 80k pages."""
        page = 0
        while page < MAX_STATISTICS_PAGES:
            page += 1
            position = f"GET /{endpoint.path}?dateFrom={date_from} (page {page})"
            rows = self.get_rows(endpoint, {"dateFrom": date_from, "flag": 0}, position)
            if on_page is not None:
                on_page(page, len(rows))
            for index, row in enumerate(rows, start=1):
                yield f"{position}, row {index}", row
            if len(rows) < self.page_cap:
                return
            last = str(rows[-1].get("lastChangeDate") or "")
            if not last:
                raise self.sync.error("the last row of a full page has no lastChangeDate to continue from",
                                      f"{position}, row {len(rows)}")
            if last <= date_from:
                raise self.sync.error(f"more than {self.page_cap} rows share lastChangeDate {last}; paging cannot "
                                      "move past them (lower the window or raise option page_cap)", position)
            date_from = last
        raise self.sync.error(f"more than {MAX_STATISTICS_PAGES} pages of {self.page_cap} rows; stopping",
                              f"GET /{endpoint.path}")

    def post(self, endpoint: Endpoint, body: dict[str, Any], position: str) -> Any:
        return self.sync.json(self._client(endpoint).post(endpoint.path, json=body), position)
