"""MoySklad JSON API 1.2 client (external-apis.md section 5).

* `Accept-Encoding: gzip` on every request (without it MoySklad answers 415 with an empty body).
* Auth: `Authorization: Bearer <token>` when the account stores a token, else Basic login:password. We never call
  `security/token` ourselves: a new token revokes the user's other tokens (an integration must not log a
  person out).
* Limits: a bucket of 45 units per 3 s. A request costs `request_weight` units — by MoySklad's published
  schedule for Basic auth and user tokens 1, then 2 from 2026-05-12, 3 from 2026-09-01, 4 from 2026-12-01;
  published solution tokens 1 (option `token_kind: solution`); option `request_weight` overrides — and
  `report/stock/*` always costs 5. 429s wait `X-Lognex-Retry-After` (ms).
* Paging: `limit`/`offset`; the next page is `meta.nextHref` when present (followed as given), never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext
from requests.auth import HTTPBasicAuth

from integrations.connectors.commerce import StreamSync
from integrations.errors import ConfigurationError
from integrations.http import MOYSKLAD_RETRY_HEADERS, HttpClient, config_for_account
from integrations.services.credentials import get_credentials

BUCKET_UNITS = 45
BUCKET_SECONDS = 3.0
# The server counts a request when it arrives, we when we send it: keep 10 % in hand so latency never overdraws.
BUCKET_SAFETY = 0.9
REPORT_WEIGHT = 5
MAX_PAGES = 10_000
HTTP_DEFAULTS = {"connect_timeout": 10.0, "read_timeout": 120.0}
# (from date, weight) for Basic auth and user tokens, as announced by MoySklad.
WEIGHT_SCHEDULE = ((dt.date(2026, 12, 1), 4), (dt.date(2026, 9, 1), 3), (dt.date(2026, 5, 12), 2))
MS_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def request_weight(today: dt.date, *, solution_token: bool) -> int:
    if solution_token:
        return 1
    return next((weight for start, weight in WEIGHT_SCHEDULE if today >= start), 1)


def id_from_meta(value: Any) -> str:
    """The id of a reference `{"meta": {"href": ".../entity/store/<id>"}}` (its last path segment)."""
    if not isinstance(value, dict):
        return ""
    meta = value.get("meta") if isinstance(value.get("meta"), dict) else value
    href = str(meta.get("href") or "")
    return href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if href else ""


def type_from_meta(value: Any) -> str:
    meta = value.get("meta") if isinstance(value, dict) and isinstance(value.get("meta"), dict) else value
    return str(meta.get("type") or "") if isinstance(meta, dict) else ""


class MoySkladClient:
    def __init__(self, sync: StreamSync) -> None:
        self.sync = sync
        account = sync.account
        secrets = get_credentials(account)
        headers = {"Accept-Encoding": "gzip", "Accept": "application/json;charset=utf-8"}
        auth = None
        if secrets.get("token"):
            headers["Authorization"] = f"Bearer {secrets['token']}"
            solution = str(sync.options.get("token_kind", "user")).lower() == "solution"
            sync.details["auth"] = "bearer token"
        elif secrets.get("login") and secrets.get("password"):
            auth = HTTPBasicAuth(secrets["login"].encode("utf-8"), secrets["password"].encode("utf-8"))
            solution = False
            sync.details["auth"] = "basic"
        else:
            raise ConfigurationError(gettext("credentials token, or login and password, are not set"),
                                     account=account.name)
        self.weight = int(sync.options.get("request_weight") or request_weight(sync.today, solution_token=solution))
        config = config_for_account(account, rate_per_minute=BUCKET_UNITS * 60 / BUCKET_SECONDS * BUCKET_SAFETY,
                                    rate_burst=int(BUCKET_UNITS * BUCKET_SAFETY),
                                    retry_after_headers=MOYSKLAD_RETRY_HEADERS,
                                    **HTTP_DEFAULTS)
        self.http = sync.track(HttpClient(
            account_name=account.name, base_url=account.base_url, config=config, headers=headers, auth=auth,
            secrets=[v for v in secrets.values() if v], rate_limit_key=f"account:{account.pk}:moysklad"))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> MoySkladClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, params: dict[str, Any] | None = None, *, position: str = "") -> Any:
        weight = REPORT_WEIGHT if "report/stock" in path else self.weight
        response = self.http.get(path, params=params, weight=weight)
        return self.sync.json(response, position or f"GET {path}")

    def rows(self, path: str, params: dict[str, Any] | None = None, *, limit: int = 1000
             ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(position, row) over every page: offset paging, following `meta.nextHref` while it is there.

        Option `page_limit` lowers the page size (MoySklad's maximum is 1000, and 100 with `expand`).
        """
        limit = max(1, min(limit, int(self.sync.options.get("page_limit") or limit)))
        url: str = path
        query: dict[str, Any] | None = {**(params or {}), "limit": limit, "offset": 0}
        label = path.split("?", 1)[0]
        for page in range(1, MAX_PAGES + 1):
            offset = (query or {}).get("offset", f"page {page}")
            position = f"GET {label} offset {offset}" if query else f"GET {label} page {page} (nextHref)"
            body = self.get(url, query, position=position)
            if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
                raise self.sync.error("expected a collection with rows[]", position)
            for index, row in enumerate(body["rows"], start=1):
                if not isinstance(row, dict):
                    raise self.sync.error("a row is not a JSON object", f"{position}, row {index}")
                yield f"{position}, row {index}", row
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            next_href = meta.get("nextHref")
            if not next_href or not body["rows"]:
                return
            url, query = str(next_href), None
        raise self.sync.error(f"more than {MAX_PAGES} pages; stopping", f"GET {label}")
