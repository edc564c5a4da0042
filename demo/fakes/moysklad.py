"""Fake MoySklad JSON API 1.2, external-apis.md section 5.

Implements under ``/api/remap/1.2/``: mandatory ``Accept-Encoding: gzip`` (415 with an empty body otherwise)
and gzip-encoded answers; Basic (login:password) or Bearer auth (401 with error 1056 and ``X-Lognex-Auth*``
headers); ``POST security/token`` (a new token revokes the user's earlier ones); collections with ``limit``
(1..1000, ≤ 100 with ``expand`` else 400) / ``offset`` paging and ``meta.nextHref``/``previousHref``;
filters ``field=…;field>=…`` (``=`` repeated on one field = OR); ``entity/organization``, ``entity/store``
(group store as ``parent``, ``pathName``), ``entity/retailstore``, ``entity/productfolder``,
``entity/product`` (money in kopecks, ``barcodes[{ean13}]``), ``entity/retaildemand`` (``expand=positions``;
``…/{id}/positions``), ``report/stock/all`` (weight 5; ``filter=store=<href>;stockMode=…``),
``report/stock/all/current`` and ``report/stock/bystore/current``. With ``rate_limits`` on: a bucket of 45
units per 3 s (``request_weight`` per call, 5 for stock reports) → 429 error 1049 with
``X-Lognex-Retry-After`` (ms), and more than ``max_parallel`` requests at once → 429 error 1073. Times are
Moscow ``YYYY-MM-DD HH:mm:ss.SSS``. Retail demands are built from the demo daily sales of the MoySklad
stores (≤ 8 positions each), so a day's positions add up to that day's units and revenue (within kopeck
rounding). Left out: writes, webhooks, ``entity/assortment``, variants, ``report/stock/bystore``
(non-current), ``demand``/returns documents."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import itertools
import math
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from demo.dataset import DemoDataset, stable_int, stable_uuid
from demo.fakes.base import FakeApp, FakeRequest, FakeResponse, TokenBucket

MOYSKLAD_LOGIN = "admin@fake-demo"
MOYSKLAD_PASSWORD = "test-moysklad-password-not-a-secret"
MOYSKLAD_TOKEN = "test-moysklad-token-0000000000000000000000000000"
API = "/api/remap/1.2"
POSITIONS_PER_DEMAND = 8
_FILTER_RE = re.compile(r"^(?P<field>[A-Za-z.]+)(?P<op>>=|<=|!=|=~|>|<|=)(?P<value>.*)$")


def ms_time(moment: dt.datetime) -> str:
    """MoySklad's response time format (Moscow local time, milliseconds)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _parse_ms_time(value: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(value)


class MoySkladFake(FakeApp):
    """Loopback MoySklad; ``rate_limits=True`` turns on the unit bucket and the parallel-request cap."""

    system = "moysklad"

    def __init__(
        self,
        dataset: DemoDataset | None = None,
        *,
        login: str = MOYSKLAD_LOGIN,
        password: str = MOYSKLAD_PASSWORD,
        token: str = MOYSKLAD_TOKEN,
        rate_limits: bool = False,
        bucket_units: int = 45,
        bucket_seconds: float = 3.0,
        request_weight: int = 3,
        report_weight: int = 5,
        max_parallel: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.login = login
        self.password = password
        self.app_token = token
        self.user_tokens: list[str] = []
        self.revoked_tokens: list[str] = []
        self.rate_limits = rate_limits
        self.bucket = TokenBucket(bucket_units, bucket_units / bucket_seconds, clock)
        self.bucket_units = bucket_units
        self.bucket_seconds = bucket_seconds
        self.request_weight = request_weight
        self.report_weight = report_weight
        self.max_parallel = max_parallel
        self._parallel = 0
        self._parallel_lock = threading.Lock()
        self._products: list[dict[str, Any]] | None = None
        self._demands: list[dict[str, Any]] | None = None
        self.route("POST", f"{API}/security/token", self.security_token)
        self.route("GET", f"{API}/entity/organization", self.organizations)
        self.route("GET", f"{API}/entity/store", self.stores)
        self.route("GET", f"{API}/entity/retailstore", self.retailstores)
        self.route("GET", f"{API}/entity/productfolder", self.productfolders)
        self.route("GET", f"{API}/entity/product", self.products)
        self.route("GET", f"{API}/entity/retaildemand", self.retaildemands)
        self.route("GET", f"{API}/entity/retaildemand/(?P<demand_id>[0-9a-f-]+)", self.retaildemand)
        self.route("GET", f"{API}/entity/retaildemand/(?P<demand_id>[0-9a-f-]+)/positions", self.positions)
        self.route("GET", f"{API}/report/stock/all", self.stock_all)
        self.route("GET", f"{API}/report/stock/all/current", self.stock_current)
        self.route("GET", f"{API}/report/stock/bystore/current", self.stock_bystore_current)

    # --- hooks ----------------------------------------------------------------------------------------------
    @staticmethod
    def errors(
        status: int,
        code: int,
        message: str,
        parameter: str | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> FakeResponse:
        error: dict[str, Any] = {
            "error": message,
            "code": code,
            "moreInfo": f"https://dev.moysklad.ru/doc/api/remap/1.2/#error_{code}",
        }
        if parameter:
            error["parameter"] = parameter
        return FakeResponse.json({"errors": [error]}, status, headers=headers or [])

    def error_response(self, status: int, message: str) -> FakeResponse:
        codes = {400: 1002, 401: 1056, 404: 1005, 405: 1007, 429: 1049, 500: 1000, 503: 1000}
        return self.errors(status, codes.get(status, 1000), message)

    def rate_limited_response(self, retry_after: float) -> FakeResponse:
        return self.errors(
            429,
            1049,
            "Превышено ограничение на количество запросов в единицу времени",
            headers=[
                ("X-RateLimit-Limit", str(self.bucket_units)),
                ("X-RateLimit-Remaining", "0"),
                ("X-Lognex-Retry-TimeInterval", str(int(self.bucket_seconds * 1000))),
                ("X-Lognex-Reset", str(max(1, math.ceil(retry_after * 1000)))),
                ("X-Lognex-Retry-After", str(max(1, math.ceil(retry_after * 1000)))),
            ],
        )

    def enter_request(self, request: FakeRequest) -> FakeResponse | None:
        with self._parallel_lock:
            self._parallel += 1
            too_many = self.rate_limits and self._parallel > self.max_parallel
        if too_many:
            with self._parallel_lock:
                self._parallel -= 1
            return self.errors(
                429,
                1073,
                "Превышено ограничение на количество параллельных запросов",
                headers=[("X-Lognex-Retry-After", "1000")],
            )
        return None

    def leave_request(self, request: FakeRequest) -> None:
        with self._parallel_lock:
            self._parallel -= 1

    def _authenticated(self, request: FakeRequest) -> bool:
        header = request.header("authorization") or ""
        if header.lower().startswith("basic "):
            try:
                login, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
            return login == self.login and password == self.password
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
            return token == self.app_token or token in self.user_tokens
        return False

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        if "gzip" not in (request.header("accept-encoding") or "").lower():
            return FakeResponse(415, b"", None)
        if not self._authenticated(request):
            message = "Ошибка аутентификации: Неправильный пароль или имя пользователя или ключ авторизации"
            return self.errors(
                401,
                1056,
                message,
                headers=[("X-Lognex-Auth", "-1056"), ("X-Lognex-Auth-Message", "Authentication failed")],
            )
        if self.rate_limits:
            weight = self.report_weight if "/report/stock/" in request.path else self.request_weight
            allowed, remaining, wait = self.bucket.take(weight)
            if not allowed:
                return self.errors(
                    429,
                    1049,
                    "Превышено ограничение на количество запросов в единицу времени",
                    headers=[
                        *self._limit_headers(remaining),
                        ("X-Lognex-Retry-After", str(max(1, math.ceil(wait * 1000)))),
                    ],
                )
            request.context["remaining"] = remaining
        return None

    def _limit_headers(self, remaining: float) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.bucket_units)),
            ("X-RateLimit-Remaining", str(int(remaining))),
            ("X-Lognex-Retry-TimeInterval", str(int(self.bucket_seconds * 1000))),
            ("X-Lognex-Reset", str(int(self.bucket.seconds_to_full() * 1000))),
        ]

    def finalize(self, request: FakeRequest, response: FakeResponse) -> FakeResponse:
        if "remaining" in request.context:
            response.headers += self._limit_headers(request.context["remaining"])
        if response.body and "gzip" in (request.header("accept-encoding") or "").lower():
            response.body = gzip.compress(response.body, mtime=0)
            response.headers.append(("Content-Encoding", "gzip"))
        return response

    # --- meta and collections -------------------------------------------------------------------------------
    @staticmethod
    def _base(request: FakeRequest) -> str:
        return f"http://{request.header('host') or '127.0.0.1'}{API}"

    def _meta(
        self, request: FakeRequest, kind: str, entity_id: str, path: str | None = None
    ) -> dict[str, Any]:
        path = path or f"entity/{kind}"
        base = self._base(request)
        return {
            "meta": {
                "href": f"{base}/{path}/{entity_id}",
                "metadataHref": f"{base}/{path}/metadata",
                "type": kind,
                "mediaType": "application/json",
            }
        }

    def _filters(self, request: FakeRequest) -> list[tuple[str, str, str]] | FakeResponse:
        raw = request.arg("filter") or ""
        conditions = []
        for part in filter(None, raw.split(";")):
            match = _FILTER_RE.match(part)
            if not match:
                return self.errors(400, 1002, f"Неверный формат фильтра: {part}", "filter")
            conditions.append((match["field"], match["op"], match["value"]))
        return conditions

    @staticmethod
    def _matches(value: Any, op: str, other: Any) -> bool:
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, dt.datetime) != isinstance(other, dt.datetime):
            return False
        if not isinstance(value, dt.datetime):
            value, other = str(value), str(other)
        if op == "=":
            return value == other
        if op == "!=":
            return value != other
        if op == "=~":
            return str(other).lower() in str(value).lower()
        if op == ">=":
            return value >= other
        if op == "<=":
            return value <= other
        if op == ">":
            return value > other
        return value < other

    def _apply_filters(
        self,
        rows: list[dict[str, Any]],
        conditions: list[tuple[str, str, str]],
        getter: Callable[[dict[str, Any], str], Any],
    ) -> list[dict[str, Any]]:
        equals: dict[str, list[Any]] = {}
        others = []
        for field, op, text in conditions:
            value: Any = text
            if field in ("moment", "updated", "created"):
                try:
                    value = _parse_ms_time(text)
                except ValueError:
                    value = text
            if op == "=":
                equals.setdefault(field, []).append(value)
            else:
                others.append((field, op, value))
        result = []
        for row in rows:
            if all(
                any(self._matches(getter(row, f), "=", v) for v in values) for f, values in equals.items()
            ) and all(self._matches(getter(row, f), op, v) for f, op, v in others):
                result.append(row)
        return result

    def _collection(
        self,
        request: FakeRequest,
        kind: str,
        rows: list[dict[str, Any]],
        path: str | None = None,
        render: Callable[[dict[str, Any], bool], dict[str, Any]] | None = None,
    ) -> FakeResponse:
        expand = request.arg("expand") or ""
        try:
            limit = int(request.arg("limit", "1000") or "1000")
            offset = int(request.arg("offset", "0") or "0")
        except ValueError:
            return self.errors(400, 1002, "Параметры limit и offset должны быть целыми числами", "limit")
        if not 1 <= limit <= 1000:
            return self.errors(400, 1002, "Параметр limit должен быть от 1 до 1000", "limit")
        if expand and limit > 100:
            return self.errors(
                400, 1002, "При использовании expand параметр limit не должен превышать 100", "limit"
            )
        if offset < 0:
            return self.errors(400, 1002, "Параметр offset не может быть отрицательным", "offset")
        page = rows[offset : offset + limit]
        if render is not None:
            page = [render(row, "positions" in expand.split(",")) for row in page]
        base = self._base(request)
        path = path or f"entity/{kind}"
        params = {k: v[-1] for k, v in request.query.items() if k not in ("limit", "offset")}
        meta: dict[str, Any] = {
            "href": f"{base}/{path}?{urlencode({**params, 'limit': limit, 'offset': offset})}",
            "type": kind,
            "mediaType": "application/json",
            "size": len(rows),
            "limit": limit,
            "offset": offset,
        }
        if offset + limit < len(rows):
            meta["nextHref"] = (
                f"{base}/{path}?{urlencode({**params, 'limit': limit, 'offset': offset + limit})}"
            )
        if offset > 0:
            meta["previousHref"] = (
                f"{base}/{path}?{urlencode({**params, 'limit': limit, 'offset': max(0, offset - limit)})}"
            )
        context = {
            "employee": {
                "meta": {
                    "href": f"{base}/context/employee",
                    "type": "employee",
                    "mediaType": "application/json",
                }
            }
        }
        return FakeResponse.json({"context": context, "meta": meta, "rows": page})

    # --- auth -----------------------------------------------------------------------------------------------
    def security_token(self, request: FakeRequest) -> FakeResponse:
        if not (request.header("authorization") or "").lower().startswith("basic "):
            return self.errors(401, 1056, "Для получения токена нужна Basic-аутентификация")
        token = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        with self._lock:
            self.revoked_tokens.extend(self.user_tokens)
            self.user_tokens = [token]
        return FakeResponse.json({"access_token": token}, 201)

    # --- org structure --------------------------------------------------------------------------------------
    def organizations(self, request: FakeRequest) -> FakeResponse:
        ds = self.dataset
        rows = []
        if ds:
            org = ds.moysklad_organization
            rows = [
                {
                    **self._meta(request, "organization", org.id),
                    "id": org.id,
                    "name": org.name,
                    "inn": org.inn,
                    "legalTitle": org.legal_title,
                    "archived": False,
                    "updated": ms_time(dt.datetime.combine(ds.start_date, dt.time(9))),
                }
            ]
        return self._collection(request, "organization", rows)

    def _store_rows(self, request: FakeRequest) -> list[dict[str, Any]]:
        ds = self.dataset
        rows = []
        for store in ds.moysklad_stores if ds else []:
            row = {
                **self._meta(request, "store", store.id),
                "id": store.id,
                "name": store.name,
                "code": store.code,
                "externalCode": stable_uuid(ds.seed, "ms-ext", store.id)[:22],
                "archived": store.archived,
                "address": store.address,
                "pathName": store.path_name,
                "updated": ms_time(store.updated),
            }
            if store.parent_id:
                row["parent"] = self._meta(request, "store", store.parent_id)
            rows.append(row)
        return rows

    def stores(self, request: FakeRequest) -> FakeResponse:
        conditions = self._filters(request)
        if isinstance(conditions, FakeResponse):
            return conditions
        rows = self._apply_filters(self._store_rows(request), conditions, self._plain_getter)
        return self._collection(request, "store", rows)

    def retailstores(self, request: FakeRequest) -> FakeResponse:
        ds = self.dataset
        rows = []
        for loc in ds.locations_of("moysklad") if ds else []:
            rid = stable_uuid(ds.seed, "ms-retailstore", loc.code)
            rows.append(
                {
                    **self._meta(request, "retailstore", rid),
                    "id": rid,
                    "name": f"Касса {loc.name}",
                    "active": True,
                    "archived": False,
                    "store": self._meta(request, "store", loc.external_id),
                    "organization": self._meta(request, "organization", ds.moysklad_organization.id),
                }
            )
        return self._collection(request, "retailstore", rows)

    def productfolders(self, request: FakeRequest) -> FakeResponse:
        ds = self.dataset
        rows = []
        names = {c.code: c for c in ds.categories} if ds else {}
        for category in ds.categories if ds else []:
            fid = stable_uuid(ds.seed, "ms-folder", category.code)
            row = {
                **self._meta(request, "productfolder", fid),
                "id": fid,
                "name": category.name,
                "code": category.code,
                "archived": False,
                "pathName": names[category.parent_code].name if category.parent_code else "",
            }
            if category.parent_code:
                row["productFolder"] = self._meta(
                    request, "productfolder", stable_uuid(ds.seed, "ms-folder", category.parent_code)
                )
            rows.append(row)
        return self._collection(request, "productfolder", rows)

    # --- products -------------------------------------------------------------------------------------------
    def _product_rows(self) -> list[dict[str, Any]]:
        """Products as plain data (hrefs are added per request because they carry the host)."""
        with self._build_lock:  # lazy build: concurrent first requests must not see it half-done
            if self._products is None:
                ds = self.dataset
                categories = {c.code: c for c in ds.categories} if ds else {}
                self._products = []
                for index, product in enumerate(ds.products_of("moysklad") if ds else [], start=1):
                    category = categories[product.category_code]
                    self._products.append(
                        {
                            "id": product.moysklad_id,
                            "name": product.name,
                            "code": f"{index:05d}",
                            "article": product.sku,
                            "externalCode": product.sku,
                            "archived": False,
                            "pathName": "/".join(
                                filter(
                                    None,
                                    [
                                        categories[category.parent_code].name if category.parent_code else "",
                                        category.name,
                                    ],
                                )
                            ),
                            "folder_code": product.category_code,
                            "vat": product.vat_rate,
                            "vatEnabled": True,
                            "barcodes": [{"ean13": product.barcode}] if product.barcode else [],
                            "buy": round(product.cost_price * 100),
                            "sale": round(product.list_price * 100),
                            "updated": product.updated_at,
                            "uom": product.unit,
                        }
                    )
            return self._products

    def _render_product(self, request: FakeRequest, row: dict[str, Any]) -> dict[str, Any]:
        ds = self.dataset
        assert ds is not None
        currency = self._meta(request, "currency", stable_uuid(ds.seed, "ms-rub"))
        return {
            **self._meta(request, "product", row["id"]),
            "id": row["id"],
            "name": row["name"],
            "code": row["code"],
            "article": row["article"],
            "externalCode": row["externalCode"],
            "archived": row["archived"],
            "pathName": row["pathName"],
            "vat": row["vat"],
            "vatEnabled": row["vatEnabled"],
            "productFolder": self._meta(
                request, "productfolder", stable_uuid(ds.seed, "ms-folder", row["folder_code"])
            ),
            "uom": self._meta(request, "uom", stable_uuid(ds.seed, "ms-uom", row["uom"])),
            "barcodes": row["barcodes"],
            "updated": ms_time(row["updated"]),
            "buyPrice": {"value": float(row["buy"]), "currency": currency},
            "salePrices": [
                {
                    "value": float(row["sale"]),
                    "currency": currency,
                    "priceType": {
                        **self._meta(
                            request,
                            "pricetype",
                            stable_uuid(ds.seed, "ms-pt"),
                            "context/companysettings/pricetype",
                        ),
                        "id": stable_uuid(ds.seed, "ms-pt"),
                        "name": "Цена продажи",
                        "externalCode": "cbcf493b-55bc",
                    },
                }
            ],
        }

    @staticmethod
    def _plain_getter(row: dict[str, Any], field: str) -> Any:
        if field == "updated" and isinstance(row.get("updated"), str):
            return _parse_ms_time(row["updated"])
        return row.get(field)

    def products(self, request: FakeRequest) -> FakeResponse:
        conditions = self._filters(request)
        if isinstance(conditions, FakeResponse):
            return conditions
        rows = self._apply_filters(self._product_rows(), conditions, lambda r, f: r.get(f))
        rows = [self._render_product(request, r) for r in rows]
        return self._collection(request, "product", rows)

    # --- retail demands -------------------------------------------------------------------------------------
    def demand_rows(self) -> list[dict[str, Any]]:
        """Retail demands as plain data, sorted by moment (built once from the demo daily sales)."""
        with self._build_lock:  # lazy build: concurrent first requests must not see it half-done
            if self._demands is not None:
                return self._demands
            ds = self.dataset
            self._demands = []
            if ds is None:
                return self._demands
            sales = ds.sales_of("moysklad")
            sales = sales[sales["units"] > 0].sort_values(["date", "location_code", "sku"])
            stores = {loc.code: loc for loc in ds.locations_of("moysklad")}
            number = 0
            # Plain tuples: pandas row access per group is far too slow for ~100k rows.
            records = zip(
                sales["date"].dt.date.tolist(),
                sales["location_code"].tolist(),
                sales["sku"].tolist(),
                sales["units"].tolist(),
                sales["price"].tolist(),
                sales["discount"].tolist(),
                strict=True,
            )
            for (day_date, code), group in itertools.groupby(records, key=lambda r: (r[0], r[1])):
                positions = [
                    (sku, int(units), float(price), float(discount))
                    for _d, _c, sku, units, price, discount in group
                ]
                for chunk_no, start in enumerate(range(0, len(positions), POSITIONS_PER_DEMAND)):
                    number += 1
                    chunk = positions[start : start + POSITIONS_PER_DEMAND]
                    moment = dt.datetime.combine(day_date, dt.time(10)) + dt.timedelta(
                        minutes=chunk_no * 47 + stable_int(ds.seed, "ms-min", code, day_date, chunk_no) % 40,
                        milliseconds=stable_int(ds.seed, "ms-ms", code, day_date, chunk_no) % 1000,
                    )
                    self._demands.append(
                        {
                            "id": stable_uuid(ds.seed, "ms-demand", code, day_date, chunk_no),
                            "name": f"{number:05d}",
                            "moment": moment,
                            "store_code": code,
                            "store_id": stores[code].external_id,
                            "retailstore_id": stable_uuid(ds.seed, "ms-retailstore", code),
                            "shift_id": stable_uuid(ds.seed, "ms-shift", code, day_date),
                            "positions": chunk,
                            "cashless": stable_int(ds.seed, "ms-cash", code, day_date, chunk_no) % 3 != 0,
                        }
                    )
            self._demands.sort(key=lambda d: (d["moment"], d["id"]))
            return self._demands

    def _render_position(
        self,
        request: FakeRequest,
        demand: dict[str, Any],
        index: int,
        position: tuple[str, int, float, float],
    ) -> dict[str, Any]:
        ds = self.dataset
        assert ds is not None
        sku, units, price, discount = position
        product = ds.product(sku)
        pid = stable_uuid(ds.seed, "ms-pos", demand["id"], index)
        return {
            **self._meta(
                request, "retaildemandposition", pid, f"entity/retaildemand/{demand['id']}/positions"
            ),
            "id": pid,
            "quantity": units,
            "price": round(price * 100),
            "discount": round(100 * discount / (units * price), 2) if discount else 0,
            "vat": product.vat_rate,
            "vatEnabled": True,
            "assortment": self._meta(request, "product", product.moysklad_id),
        }

    def _render_demand(self, request: FakeRequest, demand: dict[str, Any], expand: bool) -> dict[str, Any]:
        ds = self.dataset
        assert ds is not None
        total = sum(
            round((units * price - discount) * 100) for _, units, price, discount in demand["positions"]
        )
        vat = sum(
            round((u * p - d) * 100 * ds.product(s).vat_rate / (100 + ds.product(s).vat_rate))
            for s, u, p, d in demand["positions"]
        )
        base = self._base(request)
        positions_meta = {
            "href": f"{base}/entity/retaildemand/{demand['id']}/positions",
            "type": "retaildemandposition",
            "mediaType": "application/json",
            "size": len(demand["positions"]),
            "limit": 1000,
            "offset": 0,
        }
        positions: dict[str, Any] = {"meta": positions_meta}
        if expand:
            positions["rows"] = [
                self._render_position(request, demand, i, p) for i, p in enumerate(demand["positions"])
            ]
        moment = demand["moment"]
        return {
            **self._meta(request, "retaildemand", demand["id"]),
            "id": demand["id"],
            "name": demand["name"],
            "moment": ms_time(moment),
            "created": ms_time(moment),
            "updated": ms_time(moment + dt.timedelta(minutes=2)),
            "applicable": True,
            "sum": total,
            "cashSum": 0 if demand["cashless"] else total,
            "noCashSum": total if demand["cashless"] else 0,
            "vatSum": vat,
            "vatEnabled": True,
            "vatIncluded": True,
            "store": self._meta(request, "store", demand["store_id"]),
            "retailStore": self._meta(request, "retailstore", demand["retailstore_id"]),
            "retailShift": self._meta(request, "retailshift", demand["shift_id"]),
            "organization": self._meta(request, "organization", ds.moysklad_organization.id),
            "positions": positions,
        }

    @staticmethod
    def _demand_getter(row: dict[str, Any], field: str) -> Any:
        if field in ("moment", "updated"):
            return row["moment"] + (dt.timedelta(minutes=2) if field == "updated" else dt.timedelta())
        if field == "store":
            return row["store_id"]
        if field == "id":
            return row["id"]
        if field == "name":
            return row["name"]
        return None

    def retaildemands(self, request: FakeRequest) -> FakeResponse:
        conditions = self._filters(request)
        if isinstance(conditions, FakeResponse):
            return conditions
        # store filters carry an href; compare on the id at its end
        conditions = [
            (f, op, v.rstrip("/").rsplit("/", 1)[-1] if f == "store" else v) for f, op, v in conditions
        ]
        for field, _op, value in conditions:
            if field in ("moment", "updated"):
                try:
                    _parse_ms_time(value)
                except ValueError:
                    return self.errors(
                        400, 1002, f"Неверный формат даты в фильтре {field}: {value}", "filter"
                    )
        rows = self._apply_filters(self.demand_rows(), conditions, self._demand_getter)
        return self._collection(
            request,
            "retaildemand",
            rows,
            render=lambda row, expand: self._render_demand(request, row, expand),
        )

    def _find_demand(self, demand_id: str) -> dict[str, Any] | None:
        return next((d for d in self.demand_rows() if d["id"] == demand_id), None)

    def retaildemand(self, request: FakeRequest, demand_id: str) -> FakeResponse:
        demand = self._find_demand(demand_id)
        if demand is None:
            return self.errors(404, 1021, f"Объект с идентификатором {demand_id} не найден")
        expand = "positions" in (request.arg("expand") or "").split(",")
        return FakeResponse.json(self._render_demand(request, demand, expand))

    def positions(self, request: FakeRequest, demand_id: str) -> FakeResponse:
        demand = self._find_demand(demand_id)
        if demand is None:
            return self.errors(404, 1021, f"Объект с идентификатором {demand_id} не найден")
        rows = [self._render_position(request, demand, i, p) for i, p in enumerate(demand["positions"])]
        return self._collection(
            request, "retaildemandposition", rows, path=f"entity/retaildemand/{demand_id}/positions"
        )

    # --- stock ----------------------------------------------------------------------------------------------
    def _stock_records(self) -> list[tuple[str, str, float, float, float]]:
        """(store id, sku, stock, reserve, inTransit) for every MoySklad store position in the demo stock."""
        ds = self.dataset
        if ds is None:
            return []
        stores = {loc.code: loc.external_id for loc in ds.locations_of("moysklad")}
        frame = ds.stock[ds.stock["location_code"].isin(list(stores))]
        return [
            (stores[r.location_code], r.sku, float(r.on_hand), float(r.reserved), float(r.in_transit))
            for r in frame.itertuples(index=False)
        ]

    def stock_all(self, request: FakeRequest) -> FakeResponse:
        conditions = self._filters(request)
        if isinstance(conditions, FakeResponse):
            return conditions
        store_ids = {
            v.rstrip("/").rsplit("/", 1)[-1] for f, op, v in conditions if f == "store" and op == "="
        }
        mode = next((v for f, _op, v in conditions if f == "stockMode"), "all")
        totals: dict[str, list[float]] = {}
        for store_id, sku, stock, reserve, in_transit in self._stock_records():
            if store_ids and store_id not in store_ids:
                continue
            acc = totals.setdefault(sku, [0.0, 0.0, 0.0])
            acc[0] += stock
            acc[1] += reserve
            acc[2] += in_transit
        ds = self.dataset
        rows = []
        for sku, (stock, reserve, in_transit) in sorted(totals.items()):
            keep = {
                "all": True,
                "positiveOnly": stock > 0,
                "negativeOnly": stock < 0,
                "empty": stock == 0,
                "nonEmpty": stock != 0,
                "underMinimum": stock <= 0,
            }.get(mode, True)
            if not keep:
                continue
            product = ds.product(sku)
            rows.append(
                {
                    **self._meta(request, "product", product.moysklad_id),
                    "name": product.name,
                    "code": sku,
                    "article": sku,
                    "externalCode": sku,
                    "stock": stock,
                    "reserve": reserve,
                    "inTransit": in_transit,
                    "quantity": stock - reserve + in_transit,
                    "price": float(round(product.cost_price * 100)),
                    "salePrice": float(round(product.list_price * 100)),
                    "uom": {"name": product.unit},
                    "stockDays": 0,
                }
            )
        return self._collection(request, "product", rows, path="report/stock/all")

    def stock_current(self, request: FakeRequest) -> FakeResponse:
        totals: dict[str, float] = {}
        for _store, sku, stock, _reserve, _transit in self._stock_records():
            totals[sku] = totals.get(sku, 0.0) + stock
        include_zero = request.arg("include") == "zeroLines"
        return FakeResponse.json(
            [
                {"assortmentId": self.dataset.product(s).moysklad_id, "stock": v}
                for s, v in sorted(totals.items())
                if v or include_zero
            ]
        )

    def stock_bystore_current(self, request: FakeRequest) -> FakeResponse:
        include_zero = request.arg("include") == "zeroLines"
        return FakeResponse.json(
            [
                {"assortmentId": self.dataset.product(sku).moysklad_id, "storeId": store, "stock": stock}
                for store, sku, stock, _r, _t in self._stock_records()
                if stock or include_zero
            ]
        )
