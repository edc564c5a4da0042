"""Fake Wildberries seller APIs (statistics, content, marketplace) on one port, external-apis.md section 4.

Implements: the raw token in ``Authorization`` (a ``Bearer`` prefix is tolerated), token categories (a token
without the category of the path gets 401), ``GET /ping``; statistics ``GET /api/v1/supplier/orders|sales``
with ``dateFrom`` (Moscow time, RFC3339 date or date-time) and ``flag`` (0: ``lastChangeDate >= dateFrom``,
sorted by it; 1: every row dated on that day), at most ``page_cap`` rows per answer (80,000 by default;
repeat with the last row's ``lastChangeDate`` and de-duplicate by ``srid``/``saleID``), 90 days of
retention, ``S`` sales and ``R`` returns (negative amounts, same ``srid`` as the sale), order cancellations
(``isCancel``), ``forPay``/``finishedPrice``/``priceWithDisc`` = 0 on the latest day; ``GET
/api/v1/supplier/stocks`` (full snapshot whatever ``dateFrom``); content ``POST /content/v2/get/cards/list``
with cursor paging (``updatedAt`` + ``nmID``, newest first unless ``sort.ascending``); marketplace ``GET
/api/v3/warehouses``. With ``rate_limits`` on, per-endpoint buckets answer 429 with
``X-Ratelimit-Retry``/``-Reset``/``-Limit``/ ``-Remaining``. Sales rows of one day add up to the demo daily
sales of that WB warehouse. Left out: finance reports, the analytics stocks report, FBS orders and supplies,
writes."""

from __future__ import annotations

import datetime as dt
import math
import time
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from demo.dataset import DemoDataset, Product, stable_int, stable_uuid
from demo.fakes.base import FakeApp, FakeRequest, FakeResponse, TokenBucket

WB_TOKEN = "test-wb-token-all-categories-not-a-secret"
WB_STATISTICS_ONLY_TOKEN = "test-wb-token-statistics-only"
DEFAULT_TOKENS = {
    WB_TOKEN: {"statistics", "content", "marketplace"},
    WB_STATISTICS_ONLY_TOKEN: {"statistics"},
}
# endpoint -> (burst, seconds per request); from the OpenAPI spec as quoted in external-apis.md
DEFAULT_LIMITS: dict[str, tuple[int, float]] = {
    "orders": (10, 60.0),
    "sales": (1, 60.0),
    "stocks": (10, 60.0),
    "content": (100, 0.6),
    "ping": (3, 10.0),
    "marketplace": (300, 0.2),
}
MOSCOW = ZoneInfo("Europe/Moscow")
TS_FORMAT = "%Y-%m-%dT%H:%M:%S"
NO_DATE = "0001-01-01T00:00:00"
REGIONS = [
    ("Центральный федеральный округ", "Москва"),
    ("Северо-Западный федеральный округ", "Санкт-Петербург"),
    ("Приволжский федеральный округ", "Республика Татарстан"),
    ("Южный федеральный округ", "Краснодарский край"),
]


class WildberriesFake(FakeApp):
    """Loopback Wildberries; ``page_cap`` makes the 80k-row rule testable with a small number."""

    system = "wildberries"

    def __init__(
        self,
        dataset: DemoDataset | None = None,
        *,
        tokens: dict[str, set[str]] | None = None,
        page_cap: int = 80_000,
        retention_days: int = 90,
        rate_limits: bool = False,
        limits: dict[str, tuple[int, float]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.tokens = dict(DEFAULT_TOKENS if tokens is None else tokens)
        self.page_cap = page_cap
        self.retention_days = retention_days
        self.rate_limits = rate_limits
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._sales: list[dict[str, Any]] | None = None
        self._orders: list[dict[str, Any]] | None = None
        self._cards: list[dict[str, Any]] | None = None
        self.route("GET", r"/ping", self.ping)
        self.route("GET", r"/api/v1/supplier/orders", self.orders)
        self.route("GET", r"/api/v1/supplier/sales", self.sales)
        self.route("GET", r"/api/v1/supplier/stocks", self.stocks)
        self.route("POST", r"/content/v2/get/cards/list", self.cards)
        self.route("GET", r"/api/v3/warehouses", self.seller_warehouses)

    # --- hooks ----------------------------------------------------------------------------------------------
    def error_response(self, status: int, message: str, title: str | None = None) -> FakeResponse:
        return FakeResponse.json(
            {
                "title": title or message.split(":")[0].lower(),
                "detail": message,
                "code": f"{status:03d}",
                "requestId": str(uuid.uuid4()),
                "origin": "fake-wildberries",
                "status": status,
                "statusText": {400: "Bad Request", 401: "Unauthorized", 429: "Too Many Requests"}.get(
                    status, "Error"
                ),
                "timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            status,
        )

    @staticmethod
    def _endpoint(path: str) -> tuple[str, str]:
        """(category, rate-limit bucket name) of a path."""
        if path.startswith("/api/v1/supplier/"):
            return "statistics", path.rsplit("/", 1)[1]
        if path.startswith("/content/"):
            return "content", "content"
        if path.startswith("/api/v3/"):
            return "marketplace", "marketplace"
        return "any", "ping"

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        token = (request.header("authorization") or "").strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        category, bucket_name = self._endpoint(request.path)
        scopes = self.tokens.get(token)
        if scopes is None:
            return self.error_response(401, "unauthorized: token is missing or not valid", "unauthorized")
        if category != "any" and category not in scopes:
            return self.error_response(
                401, f"unauthorized: token has no access to the {category} category", "unauthorized"
            )
        if self.rate_limits:
            burst, period = self.limits[bucket_name]
            bucket = self._buckets.setdefault(bucket_name, TokenBucket(burst, 1.0 / period, self.clock))
            allowed, remaining, wait = bucket.take()
            if not allowed:
                response = self.error_response(
                    429, "too many requests: limited by the seller's rate limit", "too many requests"
                )
                response.headers = [
                    ("X-Ratelimit-Retry", str(max(1, math.ceil(wait)))),
                    ("X-Ratelimit-Reset", str(max(1, math.ceil(bucket.seconds_to_full())))),
                    ("X-Ratelimit-Limit", str(burst)),
                    ("X-Ratelimit-Remaining", "0"),
                ]
                return response
            request.context["ratelimit"] = (burst, int(remaining))
        return None

    def rate_limited_response(self, retry_after: float) -> FakeResponse:
        response = self.error_response(
            429, "too many requests: limited by the seller's rate limit", "too many requests"
        )
        seconds = str(max(1, math.ceil(retry_after)))
        response.headers = [
            ("X-Ratelimit-Retry", seconds),
            ("X-Ratelimit-Reset", seconds),
            ("X-Ratelimit-Limit", "1"),
            ("X-Ratelimit-Remaining", "0"),
        ]
        return response

    def finalize(self, request: FakeRequest, response: FakeResponse) -> FakeResponse:
        marker = request.context.get("ratelimit")
        if marker and response.status < 400:
            burst, remaining = marker
            response.headers += [("X-Ratelimit-Limit", str(burst)), ("X-Ratelimit-Remaining", str(remaining))]
        return response

    # --- data -----------------------------------------------------------------------------------------------
    def _common(self, product: Product, warehouse: str, region: tuple[str, str]) -> dict[str, Any]:
        return {
            "warehouseName": warehouse,
            "warehouseType": "Склад WB",
            "countryName": "Россия",
            "oblastOkrugName": region[0],
            "regionName": region[1],
            "supplierArticle": product.model_sku or product.sku,
            "nmId": product.wb_nm_id,
            "barcode": product.barcode,
            "category": "Одежда" if product.size else "Продукты" if product.vat_rate == 10 else "Дом",
            "subject": next(c.name for c in self.dataset.categories if c.code == product.category_code),
            "brand": "Вкусная Группа",
            "techSize": product.size or "0",
        }

    def _build_rows(self) -> None:
        ds = self.dataset
        self._sales, self._orders = [], []
        if ds is None:
            return
        first_day = ds.last_sales_date - dt.timedelta(days=self.retention_days - 1)
        sales = ds.sales_of("wildberries")
        sales = sales[(sales["units"] > 0) & (sales["date"] >= pd.Timestamp(first_day))]
        names = {loc.code: loc.name for loc in ds.locations_of("wildberries")}
        end_moment = dt.datetime.combine(ds.end_date, dt.time())
        income = 10_000_000
        for row in sales.itertuples(index=False):
            product = ds.product(row.sku)
            day = row.date.date()
            discount_pct = (
                round(100 * float(row.discount) / (int(row.units) * float(row.price))) if row.discount else 0
            )
            for unit in range(int(row.units)):
                key = (row.location_code, row.sku, day.isoformat(), unit)
                srid = stable_uuid(ds.seed, "wb-srid", *key).replace("-", "")[:24] + ".0.0"
                g_number = str(10**18 + stable_int(ds.seed, "wb-g", *key, high=8 * 10**18))
                region = REGIONS[stable_int(ds.seed, "wb-r", *key) % len(REGIONS)]
                sold_at = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                    seconds=stable_int(ds.seed, "wb-t", *key, high=86_000)
                )
                ordered_at = sold_at - dt.timedelta(
                    minutes=stable_int(ds.seed, "wb-o", *key, low=30, high=4000)
                )
                spp = stable_int(ds.seed, "wb-spp", *key) % 26
                total = float(row.price)
                with_disc = round(total * (1 - discount_pct / 100), 2)
                finished = round(with_disc * (1 - spp / 100), 2)
                fresh = day >= ds.last_sales_date  # WB fills the money fields in about a day later
                common = self._common(product, names[row.location_code], region)
                income += 1
                sale = {
                    "date": sold_at.strftime(TS_FORMAT),
                    "lastChangeDate": (
                        sold_at + dt.timedelta(minutes=stable_int(ds.seed, "wb-l", *key, low=5, high=180))
                    ).strftime(TS_FORMAT),
                    **common,
                    "incomeID": income // 7,
                    "isSupply": False,
                    "isRealization": True,
                    "totalPrice": total,
                    "discountPercent": discount_pct,
                    "spp": spp,
                    "paymentSaleAmount": 0 if fresh else round(finished * 0.98, 2),
                    "forPay": 0 if fresh else round(with_disc * 0.82, 2),
                    "finishedPrice": 0 if fresh else finished,
                    "priceWithDisc": 0 if fresh else with_disc,
                    "saleID": f"S{9_000_000_000 + stable_int(ds.seed, 'wb-s', *key, high=999_999_999)}",
                    "orderType": "Клиентский",
                    "sticker": "",
                    "gNumber": g_number,
                    "srid": srid,
                }
                self._sales.append(sale)
                order = {
                    key_: value
                    for key_, value in sale.items()
                    if key_ not in ("saleID", "forPay", "paymentSaleAmount")
                }
                order.update(
                    {
                        "date": ordered_at.strftime(TS_FORMAT),
                        "isCancel": False,
                        "cancelDate": NO_DATE,
                        "lastChangeDate": (ordered_at + dt.timedelta(minutes=3)).strftime(TS_FORMAT),
                    }
                )
                self._orders.append(order)
                if stable_int(ds.seed, "wb-ret", *key) % 25 == 0:  # a return a few days later
                    returned_at = sold_at + dt.timedelta(
                        days=stable_int(ds.seed, "wb-rd", *key, low=2, high=9)
                    )
                    if returned_at < end_moment:
                        ret = dict(sale)
                        ret.update(
                            {
                                "date": returned_at.strftime(TS_FORMAT),
                                "lastChangeDate": (returned_at + dt.timedelta(minutes=20)).strftime(
                                    TS_FORMAT
                                ),
                                "saleID": "R" + sale["saleID"][1:],
                                "totalPrice": -total,
                                "paymentSaleAmount": -abs(sale["paymentSaleAmount"]),
                                "forPay": -abs(sale["forPay"]),
                                "finishedPrice": -abs(sale["finishedPrice"]),
                                "priceWithDisc": -abs(sale["priceWithDisc"]),
                            }
                        )
                        self._sales.append(ret)
                if stable_int(ds.seed, "wb-cancel", *key) % 16 == 0:  # an order that was cancelled
                    cancelled_at = ordered_at + dt.timedelta(hours=3)
                    cancelled = dict(order)
                    cancelled.update(
                        {
                            "srid": srid.replace(".0.0", ".1.0"),
                            "gNumber": str(int(g_number) + 1),
                            "isCancel": True,
                            "cancelDate": cancelled_at.strftime(TS_FORMAT),
                            "lastChangeDate": cancelled_at.strftime(TS_FORMAT),
                        }
                    )
                    self._orders.append(cancelled)
        self._sales.sort(key=lambda r: (r["lastChangeDate"], r["srid"], r["saleID"]))
        self._orders.sort(key=lambda r: (r["lastChangeDate"], r["srid"]))

    def sale_rows(self) -> list[dict[str, Any]]:
        with self._build_lock:  # lazy build: concurrent first requests must not see it half-done
            if self._sales is None:
                self._build_rows()
            return self._sales or []

    def order_rows(self) -> list[dict[str, Any]]:
        with self._build_lock:  # lazy build: concurrent first requests must not see it half-done
            if self._orders is None:
                self._build_rows()
            return self._orders or []

    # --- statistics -----------------------------------------------------------------------------------------
    @staticmethod
    def _date_from(value: str | None) -> dt.datetime:
        if not value:
            raise ValueError("dateFrom is required")
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"dateFrom {value!r} is not an RFC3339 date or date-time") from exc
        if moment.tzinfo is not None:
            moment = moment.astimezone(MOSCOW).replace(tzinfo=None)
        return moment

    def _statistics(self, request: FakeRequest, rows: list[dict[str, Any]]) -> FakeResponse:
        try:
            date_from = self._date_from(request.arg("dateFrom"))
        except ValueError as exc:
            return self.error_response(400, f"bad request: {exc}", "bad request")
        flag = request.arg("flag", "0")
        if flag not in ("0", "1"):
            return self.error_response(400, "bad request: flag must be 0 or 1", "bad request")
        if flag == "1":
            day = date_from.strftime("%Y-%m-%d")
            selected = [r for r in rows if r["date"].startswith(day)]
        else:
            threshold = date_from.strftime(TS_FORMAT)
            selected = [r for r in rows if r["lastChangeDate"] >= threshold]
        return FakeResponse.json(selected[: self.page_cap])

    def sales(self, request: FakeRequest) -> FakeResponse:
        return self._statistics(request, self.sale_rows())

    def orders(self, request: FakeRequest) -> FakeResponse:
        return self._statistics(request, self.order_rows())

    def stocks(self, request: FakeRequest) -> FakeResponse:
        try:
            self._date_from(request.arg("dateFrom"))
        except ValueError as exc:
            return self.error_response(400, f"bad request: {exc}", "bad request")
        ds = self.dataset
        if ds is None:
            return FakeResponse.json([])
        names = {loc.code: loc.name for loc in ds.locations_of("wildberries")}
        changed = dt.datetime.combine(ds.last_sales_date, dt.time(23, 30)).strftime(TS_FORMAT)
        rows = []
        for record in ds.stock[ds.stock["location_code"].isin(list(names))].itertuples(index=False):
            product = ds.product(record.sku)
            quantity = int(max(record.on_hand - record.reserved, 0))
            to_client, from_client = int(record.reserved), int(record.in_transit)
            common = self._common(product, names[record.location_code], REGIONS[0])
            rows.append(
                {
                    "lastChangeDate": changed,
                    **{
                        k: common[k]
                        for k in (
                            "warehouseName",
                            "supplierArticle",
                            "nmId",
                            "barcode",
                            "category",
                            "subject",
                            "brand",
                            "techSize",
                        )
                    },
                    "quantity": quantity,
                    "inWayToClient": to_client,
                    "inWayFromClient": from_client,
                    "quantityFull": quantity + to_client + from_client,
                    "Price": product.list_price,
                    "Discount": stable_int(ds.seed, "wb-disc", product.sku) % 31,
                    "isSupply": True,
                    "isRealization": False,
                    "SCCode": "Tech",
                }
            )
        return FakeResponse.json(rows)

    # --- content and marketplace ----------------------------------------------------------------------------
    def card_rows(self) -> list[dict[str, Any]]:
        with self._build_lock:  # lazy build: concurrent first requests must not see it half-done
            if self._cards is not None:
                return self._cards
            ds = self.dataset
            self._cards = []
            if ds is None:
                return self._cards
            groups: dict[int, list[Product]] = {}
            for product in ds.products_of("wildberries"):
                groups.setdefault(product.wb_nm_id or 0, []).append(product)
            for nm_id, members in groups.items():
                head = members[0]
                updated = max(p.updated_at for p in members)
                self._cards.append(
                    {
                        "nmID": nm_id,
                        "imtID": nm_id // 3,
                        "nmUUID": stable_uuid(ds.seed, "wb-nm", nm_id),
                        "subjectID": stable_int(ds.seed, "wb-subj", head.category_code, low=100, high=9999),
                        "subjectName": next(c.name for c in ds.categories if c.code == head.category_code),
                        "vendorCode": head.model_sku or head.sku,
                        "brand": "Вкусная Группа",
                        "title": head.name.rsplit(" ", 1)[0] if head.size else head.name,
                        "description": "",
                        "photos": [],
                        "characteristics": [],
                        "tags": [],
                        "sizes": [
                            {
                                "chrtID": p.wb_chrt_id,
                                "techSize": p.size or "0",
                                "wbSize": p.size or "",
                                "skus": [p.barcode],
                            }
                            for p in members
                        ],
                        "createdAt": (updated - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "updatedAt": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                )
            return self._cards

    def cards(self, request: FakeRequest) -> FakeResponse:
        try:
            body = request.json() if request.body else {}
        except ValueError:
            return self.error_response(400, "bad request: body is not JSON", "bad request")
        settings = (body or {}).get("settings") or {}
        cursor = settings.get("cursor") or {}
        limit = cursor.get("limit", 100)
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            return self.error_response(400, "bad request: cursor.limit must be 1..100", "bad request")
        ascending = bool((settings.get("sort") or {}).get("ascending", False))
        text = str((settings.get("filter") or {}).get("textSearch") or "").lower()
        cards = self.card_rows()
        if text:
            cards = [
                c
                for c in cards
                if text in c["vendorCode"].lower() or text in c["title"].lower() or text == str(c["nmID"])
            ]
        ordered = sorted(cards, key=lambda c: (c["updatedAt"], c["nmID"]), reverse=not ascending)
        if cursor.get("updatedAt") is not None and cursor.get("nmID") is not None:
            mark = (str(cursor["updatedAt"]), int(cursor["nmID"]))
            ordered = [
                c
                for c in ordered
                if ((c["updatedAt"], c["nmID"]) > mark if ascending else (c["updatedAt"], c["nmID"]) < mark)
            ]
        page = ordered[:limit]
        last = page[-1] if page else None
        return FakeResponse.json(
            {
                "cards": page,
                "cursor": {
                    "updatedAt": last["updatedAt"] if last else cursor.get("updatedAt"),
                    "nmID": last["nmID"] if last else cursor.get("nmID"),
                    "total": len(page),
                },
            }
        )

    def seller_warehouses(self, request: FakeRequest) -> FakeResponse:
        ds = self.dataset
        return FakeResponse.json(
            [
                {
                    "id": w.id,
                    "name": w.name,
                    "officeId": w.office_id,
                    "cargoType": w.cargo_type,
                    "deliveryType": w.delivery_type,
                }
                for w in (ds.wb_seller_warehouses if ds else [])
            ]
        )

    def ping(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse.json(
            {"TS": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Status": "OK"}
        )
