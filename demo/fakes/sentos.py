"""Fake Sentos API, external-apis.md section 3.

Implements: HTTP Basic auth (API key : API secret; 401 JSON otherwise), ``GET /api/warehouses`` (``{"data":
[...]}``), ``GET /api/platforms``, ``GET /api/products`` (page envelope, filters ``sku``/``barcode``,
variants with per-warehouse ``stocks`` — top-level stocks name the warehouse by id, variant stocks by ``{id,
name}``: both shapes clients must accept), ``GET /api/products/{id}``, ``GET /api/orders``
(``start_date``/``end_date`` inclusive and required, ``page``/``size``,
``status``/``status_ids``/``marketplace``/``order_code``/ ``orderby_direction``; parameters may also come in
a JSON body), per-minute limits when ``rate_limits`` is on (the same GET path 2/min, POST 12/min → 429 with
``Retry-After``).

Orders are built from the demo daily sales of the Sentos warehouses: lines of the non-cancelled orders of a
warehouse and day add up to that day's units and revenue; extra orders with status 6 are cancellations (the
real meaning of the status codes is [U]). ``order_date`` is Turkey local time. Each order carries
``warehouse_id`` (a fake extension: the location key). Money is a string with two decimals, in TRY. Left
out: writes, webhooks."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import math
import time
from collections.abc import Callable
from typing import Any

from demo.dataset import DemoDataset, Product, stable_int
from demo.fakes.base import FakeApp, FakeRequest, FakeResponse, TokenBucket

SENTOS_API_KEY = "test-sentos-api-key"
SENTOS_API_SECRET = "test-sentos-api-secret-not-a-secret"
MARKETPLACES = ("TRENDYOL", "HEPSIBURADA", "N11", "WEBSITE")
CANCELLED_STATUS = 6


def _money(value: float) -> str:
    return f"{value:.2f}"


class SentosFake(FakeApp):
    """Loopback Sentos; ``rate_limits=True`` turns on the per-minute limits (off by default for speed)."""

    system = "sentos"

    def __init__(
        self,
        dataset: DemoDataset | None = None,
        *,
        api_key: str = SENTOS_API_KEY,
        api_secret: str = SENTOS_API_SECRET,
        rate_limits: bool = False,
        get_per_minute: float = 2,
        post_per_minute: float = 12,
        default_page_size: int = 50,
        max_page_size: int = 100,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.api_key = api_key
        self.api_secret = api_secret
        self.rate_limits = rate_limits
        self.get_per_minute = get_per_minute
        self.post_per_minute = post_per_minute
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.clock = clock
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._products: list[dict[str, Any]] | None = None
        self._orders_by_date: dict[dt.date, list[dict[str, Any]]] = {}
        self._sales_by_date: dict[dt.date, list[tuple[str, str, int, float, float]]] | None = None
        self.route("GET", r"/api/warehouses/?", self.warehouses)
        self.route("GET", r"/api/platforms/?", self.platforms)
        self.route("GET", r"/api/products/?", self.products)
        self.route("GET", r"/api/products/(?P<product_id>\d+)/?", self.product)
        self.route("GET", r"/api/orders/?", self.orders)

    # --- hooks ----------------------------------------------------------------------------------------------
    def error_response(self, status: int, message: str) -> FakeResponse:
        return FakeResponse.json({"status": status, "message": message}, status)

    def rate_limited_response(self, retry_after: float) -> FakeResponse:
        return FakeResponse.json(
            {"status": 429, "message": "Too Many Attempts."},
            429,
            headers=[("Retry-After", str(max(1, math.ceil(retry_after)))), ("X-RateLimit-Remaining", "0")],
        )

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        header = request.header("authorization") or ""
        ok = False
        if header.lower().startswith("basic "):
            try:
                key, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
                ok = key == self.api_key and secret == self.api_secret
            except (ValueError, UnicodeDecodeError):
                ok = False
        if not ok:
            return FakeResponse.json(
                {"status": 401, "message": "Unauthorized: invalid API key or secret"},
                401,
                headers=[("WWW-Authenticate", 'Basic realm="Sentos API"')],
            )
        if self.rate_limits:
            per_minute = self.post_per_minute if request.method == "POST" else self.get_per_minute
            key = (request.method, request.path.rstrip("/") if request.method == "GET" else "*")
            bucket = self._buckets.setdefault(key, TokenBucket(per_minute, per_minute / 60.0, self.clock))
            allowed, remaining, wait = bucket.take()
            if not allowed:
                return FakeResponse.json(
                    {"status": 429, "message": "Too Many Attempts."},
                    429,
                    headers=[
                        ("Retry-After", str(max(1, math.ceil(wait)))),
                        ("X-RateLimit-Limit", str(int(per_minute))),
                        ("X-RateLimit-Remaining", "0"),
                    ],
                )
        return None

    # --- helpers --------------------------------------------------------------------------------------------
    def _params(self, request: FakeRequest) -> dict[str, str]:
        """Query parameters, plus a JSON body if the client sends them there (one client does)."""
        params = {k: v[-1] for k, v in request.query.items()}
        if request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                body = None
            if isinstance(body, dict):
                for k, v in body.items():
                    params.setdefault(k, str(v))
        return params

    def _paging(self, params: dict[str, str]) -> tuple[int, int] | FakeResponse:
        try:
            page = int(params.get("page", "1"))
            size = int(params.get("size", str(self.default_page_size)))
        except ValueError:
            return self.error_response(400, "page and size must be integers")
        if page < 1 or size < 1:
            return self.error_response(400, "page and size must be positive")
        return page, min(size, self.max_page_size)

    @staticmethod
    def _envelope(rows: list[dict[str, Any]], page: int, size: int) -> dict[str, Any]:
        total = len(rows)
        return {
            "page": page,
            "size": size,
            "total_elements": total,
            "total_pages": math.ceil(total / size),
            "data": rows[(page - 1) * size : page * size],
        }

    # --- warehouses and products ----------------------------------------------------------------------------
    def warehouses(self, request: FakeRequest) -> FakeResponse:
        rows = [
            {"id": w.id, "name": w.name} for w in (self.dataset.sentos_warehouses if self.dataset else [])
        ]
        return FakeResponse.json({"data": rows})

    def platforms(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse.json(
            {
                "data": [
                    {"platform": m, "shops": [{"id": i + 1, "name": f"{m.title()} Mağaza"}]}
                    for i, m in enumerate(MARKETPLACES)
                ]
            }
        )

    def _stock_map(self) -> dict[tuple[str, int], float]:
        ds = self.dataset
        if ds is None:
            return {}
        result: dict[tuple[str, int], float] = {}
        for row in ds.stock[ds.stock["location_code"].str.startswith("SENTOS-")].itertuples(index=False):
            result[(row.sku, int(row.location_code.split("-")[1]))] = float(row.on_hand)
        return result

    def product_rows(self) -> list[dict[str, Any]]:
        """The Sentos product list (sized apparel as one product with variants)."""
        if self._products is not None:
            return self._products
        ds = self.dataset
        if ds is None:
            self._products = []
            return self._products
        stock = self._stock_map()
        warehouses = ds.sentos_warehouses
        groups: dict[int, list[Product]] = {}
        for product in ds.products_of("sentos"):
            groups.setdefault(product.sentos_id or 0, []).append(product)
        rows = []
        for sentos_id, members in groups.items():
            head = members[0]
            sized = head.size is not None

            def stocks(sku: str, as_object: bool) -> list[dict[str, Any]]:
                return [
                    {
                        "warehouse": {"id": w.id, "name": w.name} if as_object else w.id,
                        "stock": str(int(max(stock.get((sku, w.id), 0.0), 0))),
                    }
                    for w in warehouses
                ]

            row = {
                "id": sentos_id,
                "sku": head.model_sku or head.sku,
                "name": head.name.rsplit(" ", 1)[0] if sized else head.name,
                "brand": "Vkusnaya Grup",
                "barcode": "" if sized else head.barcode,
                "category_id": stable_int(ds.seed, "sc", head.category_code, low=100, high=999),
                "purchase_price": _money(head.cost_price * head.sentos_price / head.list_price),
                "sale_price": _money(head.sentos_price or 0.0),
                "vat_rate": head.vat_rate,
                "images": [{"url": f"https://cdn.example.invalid/sentos/{sentos_id}.jpg"}],
                "stocks": [] if sized else stocks(head.sku, False),
                "variants": [
                    {
                        "id": p.sentos_variant_id,
                        "sku": p.sku,
                        "barcode": p.barcode,
                        "color": "Siyah",
                        "model": {"name": "Beden", "value": p.size},
                        "stocks": stocks(p.sku, True),
                    }
                    for p in members
                ]
                if sized
                else [],
            }
            rows.append(row)
        self._products = rows
        return rows

    def products(self, request: FakeRequest) -> FakeResponse:
        params = self._params(request)
        paging = self._paging(params)
        if isinstance(paging, FakeResponse):
            return paging
        rows = self.product_rows()
        if params.get("sku"):
            sku = params["sku"]
            rows = [r for r in rows if r["sku"] == sku or any(v["sku"] == sku for v in r["variants"])]
        if params.get("barcode"):
            code = params["barcode"]
            rows = [
                r for r in rows if r["barcode"] == code or any(v["barcode"] == code for v in r["variants"])
            ]
        return FakeResponse.json(self._envelope(rows, *paging))

    def product(self, request: FakeRequest, product_id: str) -> FakeResponse:
        for row in self.product_rows():
            if row["id"] == int(product_id):
                return FakeResponse.json(row)
        return self.error_response(404, f"Product {product_id} not found")

    # --- orders ---------------------------------------------------------------------------------------------
    def orders_for(self, day: dt.date) -> list[dict[str, Any]]:
        """All orders (all warehouses, cancellations included) dated on ``day``; deterministic."""
        if day in self._orders_by_date:
            return self._orders_by_date[day]
        ds = self.dataset
        if ds is None:
            return []
        if self._sales_by_date is None:
            sales = ds.sales_of("sentos")
            sales = sales[sales["units"] > 0].sort_values(["date", "location_code", "sku"])
            by_date: dict[dt.date, list[tuple[str, str, int, float, float]]] = {}
            for day_, code, sku, units, price, discount in zip(
                sales["date"].dt.date.tolist(),
                sales["location_code"].tolist(),
                sales["sku"].tolist(),
                sales["units"].tolist(),
                sales["price"].tolist(),
                sales["discount"].tolist(),
                strict=True,
            ):
                by_date.setdefault(day_, []).append((code, sku, int(units), float(price), float(discount)))
            self._sales_by_date = by_date
        orders: list[dict[str, Any]] = []
        for code, part in itertools.groupby(self._sales_by_date.get(day, []), key=lambda r: r[0]):
            orders.extend(self._orders_of_warehouse_day(int(code.split("-")[1]), day, list(part)))
        self._orders_by_date[day] = orders
        return orders

    def _orders_of_warehouse_day(
        self, warehouse_id: int, day: dt.date, part: list[tuple[str, str, int, float, float]]
    ) -> list[dict[str, Any]]:
        ds = self.dataset
        assert ds is not None
        # One order line per unit group of 1-2 units, then orders of 1-3 lines.
        pieces: list[tuple[Product, int, float, float]] = []
        for _code, sku, row_units, price, discount in part:
            units, left_discount = row_units, discount
            while units > 0:
                qty = min(units, 1 + stable_int(ds.seed, "q", sku, day, units) % 2)
                share = round(discount * qty / row_units, 2) if units > qty else left_discount
                left_discount = round(left_discount - share, 2)
                pieces.append((ds.product(sku), qty, price, share))
                units -= qty
        orders = []
        seq = 0
        index = 0
        warehouse = next(w for w in ds.sentos_warehouses if w.id == warehouse_id)
        while index < len(pieces):
            n_lines = 1 + stable_int(ds.seed, "lines", warehouse_id, day, index) % 3
            lines = pieces[index : index + n_lines]
            index += n_lines
            seq += 1
            orders.append(self._order(warehouse, day, seq, lines, cancelled=False))
            if stable_int(ds.seed, "cancel", warehouse_id, day, seq) % 15 == 0:
                seq += 1
                orders.append(self._order(warehouse, day, seq, lines[:1], cancelled=True))
        return orders

    def _order(
        self,
        warehouse: Any,
        day: dt.date,
        seq: int,
        lines: list[tuple[Product, int, float, float]],
        cancelled: bool,
    ) -> dict[str, Any]:
        ds = self.dataset
        assert ds is not None
        order_id = int(f"{day:%y%m%d}{warehouse.id}{seq:03d}")
        seconds = 9 * 3600 + stable_int(ds.seed, "t", order_id, high=13 * 3600)
        moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
        age = (ds.last_sales_date - day).days
        status = (
            CANCELLED_STATUS if cancelled else (5 if age > 7 else 1 + stable_int(ds.seed, "s", order_id) % 4)
        )
        marketplace = MARKETPLACES[stable_int(ds.seed, "m", order_id) % len(MARKETPLACES)]
        order_lines = []
        for product, qty, price, discount in lines:
            amount = round(qty * price - discount, 2)
            order_lines.append(
                {
                    "sku": product.sku,
                    "barcode": product.barcode,
                    "name": product.name,
                    "quantity": qty,
                    "price": _money(price),
                    "list_price": _money(price),
                    "discount": _money(discount),
                    "amount": _money(amount),
                    "currency": "TRY",
                    "vat_rate": product.vat_rate,
                    "status": status,
                }
            )
        total = round(sum(float(line["amount"]) for line in order_lines), 2)
        return {
            "id": order_id,
            "order_id": str(order_id),
            "order_code": str(10_000_000_000 + stable_int(ds.seed, "oc", order_id, high=9_000_000_000)),
            "status": status,
            "source": marketplace,
            "shop": f"{marketplace.title()} Mağaza",
            "order_date": moment.strftime("%Y-%m-%d %H:%M:%S"),
            "created_at": moment.strftime("%Y-%m-%d %H:%M:%S"),
            "updated_at": (moment + dt.timedelta(hours=2 if cancelled else 1)).strftime("%Y-%m-%d %H:%M:%S"),
            "total": _money(total),
            "shipping_total": "0.00",
            "cargo_company": "Yurtiçi Kargo",
            "cargo_tracking_number": f"YK{order_id}",
            "invoice_number": f"SNT{order_id}",
            "customer": {
                "name": f"Müşteri {order_id % 997}",
                "email": f"customer{order_id % 997}@example.invalid",
            },
            "warehouse_id": warehouse.id,
            "warehouse": {"id": warehouse.id, "name": warehouse.name},
            "lines": order_lines,
        }

    def orders(self, request: FakeRequest) -> FakeResponse:
        params = self._params(request)
        paging = self._paging(params)
        if isinstance(paging, FakeResponse):
            return paging
        try:
            start = dt.date.fromisoformat(params["start_date"][:10])
            end = dt.date.fromisoformat(params["end_date"][:10])
        except KeyError:
            return self.error_response(400, "start_date and end_date are required (YYYY-MM-DD)")
        except ValueError:
            return self.error_response(400, "start_date and end_date must look like YYYY-MM-DD")
        if (end - start).days > 366:
            return self.error_response(400, "date range is too long: at most one year per request")
        rows: list[dict[str, Any]] = []
        day = start
        while day <= end:
            rows.extend(self.orders_for(day))
            day += dt.timedelta(days=1)
        if params.get("status"):
            rows = [r for r in rows if str(r["status"]) == params["status"]]
        if params.get("status_ids"):
            wanted = {s.strip() for s in params["status_ids"].split(",")}
            rows = [r for r in rows if str(r["status"]) in wanted]
        if params.get("marketplace"):
            rows = [r for r in rows if r["source"] == params["marketplace"].upper()]
        for field in ("order_id", "order_code"):
            if params.get(field):
                rows = [r for r in rows if str(r[field]) == params[field]]
        rows.sort(key=lambda r: (r["order_date"], r["id"]), reverse=params.get("orderby_direction") == "DESC")
        return FakeResponse.json(self._envelope(rows, *paging))
