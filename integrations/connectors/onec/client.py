"""Client of the 1C exchange contract (external-apis.md section 6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext

from integrations.errors import AuthenticationFailed, ResponseFormatError
from integrations.http import HttpClient, build_client
from integrations.models import IntegrationAccount
from integrations.services.credentials import require_credentials

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000
MAX_PAGES = 10_000  # a server that never says "last page" must not keep us paging forever
# 1C is slow but not rate limited; long read timeouts (external-apis.md 2b).
HTTP_DEFAULTS = {"connect_timeout": 10.0, "read_timeout": 120.0}


def onec_client(account: IntegrationAccount) -> HttpClient:
    api_key = require_credentials(account, "api_key")["api_key"]
    return build_client(account, headers={"X-API-Key": api_key, "Accept": "application/json"},
                        secrets=[api_key], defaults=HTTP_DEFAULTS)


def iter_branch_pages(http: HttpClient, *, page_size: int = DEFAULT_PAGE_SIZE,
                      on_page: Callable[[int, int | None, int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every item of `/branches`, page by page. on_page(page, total, items_on_page) reports progress."""
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = 1
    while page <= MAX_PAGES:
        response = http.get("branches", params={"page": page, "page_size": page_size}, allow_statuses=(401,))
        if response.status_code == 401:
            raise AuthenticationFailed(http.snippet(response) or "Invalid API Key", account=http.account_name,
                                       method="GET", path=response.request.path_url.split("?")[0], status=401)
        try:
            body = response.json()
            items = body["items"]
            if not isinstance(items, list):
                raise TypeError("items is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise ResponseFormatError(gettext("page %(page)s is not the expected JSON (%(exc)s)") % {
                                          "page": page,
                                          "exc": exc,
                                      }, account=http.account_name,
                                      method="GET", path="/branches") from None
        pages = _int_or_none(body.get("pages"))
        total = _int_or_none(body.get("total"))
        if on_page:
            on_page(page, total, len(items))
        yield from items
        if not items or (pages is not None and page >= pages) or (pages is None and len(items) < page_size):
            return
        page += 1
    raise ResponseFormatError(gettext("more than %(MAX_PAGES)s pages; stopping") % {"MAX_PAGES": MAX_PAGES},
                              account=http.account_name,
                              method="GET", path="/branches")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
