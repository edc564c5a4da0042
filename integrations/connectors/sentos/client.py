"""Sentos HTTP client (external-apis.md section 3): Basic auth, page/size paging, tight per-minute limits.

Sentos allows the same GET about twice a minute and POSTs twelve times [C]; the shared client enforces that
with one token bucket per (account, path), so paging `/products` waits ~30 s between pages while a call to
`/warehouses` is not held up by it. `request_rate_per_minute` (or option `rate_per_minute`) on the account
overrides the per-path default, e.g. for a plan with higher limits. 429s are retried honouring Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from requests.auth import HTTPBasicAuth

from integrations.connectors.commerce import StreamSync
from integrations.http import HttpClient, config_for_account
from integrations.services.credentials import require_credentials

GET_PER_MINUTE = 2.0
DEFAULT_PAGE_SIZE = 100
MAX_PAGES = 5_000
HTTP_DEFAULTS = {"connect_timeout": 10.0, "read_timeout": 120.0}


class SentosClient:
    """One HttpClient per path (each with its own rate bucket), all with the account's Basic credentials."""

    def __init__(self, sync: StreamSync) -> None:
        self.sync = sync
        account = sync.account
        secrets = require_credentials(account, "api_key", "api_secret")
        self._auth = HTTPBasicAuth(secrets["api_key"], secrets["api_secret"])
        self._secrets = [secrets["api_key"], secrets["api_secret"]]
        self._clients: dict[str, HttpClient] = {}
        self.page_size = max(1, min(int(sync.options.get("page_size", DEFAULT_PAGE_SIZE)), 1000))

    def _client(self, path: str) -> HttpClient:
        client = self._clients.get(path)
        if client is None:
            account = self.sync.account
            config = config_for_account(account, **{"rate_per_minute": GET_PER_MINUTE, **HTTP_DEFAULTS})
            client = HttpClient(account_name=account.name, base_url=account.base_url, config=config,
                                headers={"Accept": "application/json"}, auth=self._auth, secrets=self._secrets,
                                rate_limit_key=f"account:{account.pk}:sentos:GET {path}")
            self._clients[path] = self.sync.track(client)
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def __enter__(self) -> SentosClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, params: dict[str, Any] | None = None, position: str = "") -> Any:
        response = self._client(path).get(path, params=params)
        return self.sync.json(response, position or f"GET /{path}")

    def pages(self, path: str, params: dict[str, Any] | None = None,
              on_page: Callable[[int, int | None], None] | None = None) -> Iterator[tuple[int, int, dict[str, Any]]]:
        """(page, index on page, item) of every page. The envelope `{page,size,total_pages,data}` and a bare
        array are both accepted [C]; paging stops at `total_pages`, on an empty page, or on a short bare page.
        """
        page = 1
        while page <= MAX_PAGES:
            position = f"GET /{path} page {page}"
            body = self.get(path, {**(params or {}), "page": page, "size": self.page_size}, position)
            total_pages: int | None = None
            if isinstance(body, dict) and isinstance(body.get("data"), list):
                self.sync.note_shape(f"/{path} paging", "envelope")
                items = body["data"]
                total_pages = _int_or_none(body.get("total_pages"))
            elif isinstance(body, list):
                self.sync.note_shape(f"/{path} paging", "bare array")
                items = body
            else:
                raise self.sync.error(f"expected a page envelope with data[] or a JSON array, got "
                                      f"{type(body).__name__}", position)
            if on_page is not None:
                on_page(page, total_pages)
            for index, item in enumerate(items, start=1):
                if not isinstance(item, dict):
                    raise self.sync.error("an item is not a JSON object", f"{position}, item {index}")
                yield page, index, item
            if not items or (total_pages is not None and page >= total_pages) or (
                    total_pages is None and len(items) < self.page_size):
                return
            page += 1
        raise self.sync.error(f"more than {MAX_PAGES} pages; stopping", f"GET /{path}")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
