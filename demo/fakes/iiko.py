"""Fake iikoServer ("resto") API, external-apis.md section 1.

Implements: ``/resto/api/auth`` (GET/POST, ``pass`` = sha1 hex of the password, text token, ``key`` cookie),
``/resto/api/logout``; licence seats (one token = one seat; with all seats taken ``auth`` answers 403 with
the licence text); idle token expiry (``token_ttl``) and ``expire_tokens()`` (a server restart) → 401;
strictly sequential serving (a request that arrives while another is served gets 409);
``/resto/api/corporation/departments`` and ``/corporation/stores`` as XML (with ``xml_payload`` = ``"xxe"``
or ``"billion_laughs"`` the departments document carries that attack);
``/resto/api/v2/entities/products/list`` (+ ``group/list``) JSON; ``POST /resto/api/v2/reports/olap`` (SALES
only: mandatory DateRange on ``OpenDate.Typed``, windows longer than ``max_window_days`` rejected with 400
text, Include/ExcludeValues filters incl. ``OrderDeleted`` and ``DeletedWithWriteoff`` — deleted rows exist
and show up unless filtered out), ``GET …/olap/columns``; ``/resto/api/v2/reports/balance/stores`` (zero
rows omitted, negatives kept). Errors are text/plain. Left out: iikoCloud, TRANSACTIONS/DELIVERIES reports,
``/corporation/groups|terminals``, XML v1 reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import pandas as pd

from demo.dataset import DemoDataset, stable_int, stable_uuid
from demo.fakes.base import FakeApp, FakeRequest, FakeResponse

IIKO_LOGIN = "api_sync"
IIKO_PASSWORD = "api_sync_pw"  # the doc's example; sha1 = dc4318709426a4987a2e8382f8238000c2d0395d
LICENCE_TEXT = "License enhancement is required: no connections available for module 'API' (id 2000)"
XML_PAYLOADS = ("normal", "xxe", "billion_laughs")

GROUP_FIELDS = (
    "Department",
    "Department.Id",
    "Department.Code",
    "OpenDate.Typed",
    "OpenDate",
    "DishId",
    "DishName",
    "DishCode",
    "DishGroup",
    "OrderDeleted",
    "DeletedWithWriteoff",
)
AGGREGATE_FIELDS = ("DishAmountInt", "DishSumInt", "DishDiscountSumInt", "DiscountSum")
DATE_FIELDS = ("OpenDate.Typed", "OpenDate")
IIKO_TYPES = {
    "goods": "GOODS",
    "material": "GOODS",
    "dish": "DISH",
    "semi_finished": "PREPARED",
    "service": "SERVICE",
}


def sha1_hex(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8")).hexdigest()


@dataclass
class _Session:
    token: str
    issued: float
    last_used: float


def nodes_from_dataset(dataset: DemoDataset) -> list[dict[str, Any]]:
    """The demo iiko corporation tree as generic feed nodes (STORE items included)."""
    return [
        {
            "id": d.id,
            "parent_id": d.parent_id,
            "code": d.code,
            "name": d.name,
            "type": d.type,
            "inn": d.taxpayer_id,
        }
        for d in dataset.iiko_departments
    ]


class IikoFake(FakeApp):
    """Loopback iikoServer with token/seat accounting (see ``issued_tokens``, ``unreleased_tokens()``)."""

    system = "iiko"

    def __init__(
        self,
        dataset: DemoDataset | None = None,
        *,
        login: str = IIKO_LOGIN,
        password: str = IIKO_PASSWORD,
        seats: int = 1,
        token_ttl: float = 3600.0,
        max_window_days: int = 31,
        enforce_sequential: bool = True,
        xml_payload: str = "normal",
        departments: list[dict[str, Any]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        if xml_payload not in XML_PAYLOADS:
            raise ValueError(f"xml_payload must be one of {XML_PAYLOADS}")
        self.dataset = dataset
        self.login = login
        self.password_hash = sha1_hex(password)
        self.seats = seats
        self.token_ttl = token_ttl
        self.max_window_days = max_window_days
        self.enforce_sequential = enforce_sequential
        self.xml_payload = xml_payload
        self.clock = clock
        self.sessions: dict[str, _Session] = {}
        self.issued_tokens: list[str] = []
        self.logged_out_tokens: list[str] = []
        self.expired_tokens: list[str] = []
        self.rejected_concurrent = 0
        self._busy = threading.Lock()
        self._nodes = (
            departments if departments is not None else (nodes_from_dataset(dataset) if dataset else [])
        )
        self._facts: pd.DataFrame | None = None
        self._products: list[dict[str, Any]] | None = None

        api = "/resto/api"
        self.route("GET", f"{api}/auth", self.auth, public=True)
        self.route("POST", f"{api}/auth", self.auth, public=True)
        self.route("GET", f"{api}/logout", self.logout, public=True)
        self.route("POST", f"{api}/logout", self.logout, public=True)
        self.route("GET", f"{api}/corporation/departments/?", self.departments)
        self.route("GET", f"{api}/corporation/stores/?", self.stores)
        self.route("GET", f"{api}/v2/entities/products/list", self.products)
        self.route("GET", f"{api}/v2/entities/products/group/list", self.product_groups)
        self.route("POST", f"{api}/v2/reports/olap", self.olap)
        self.route("GET", f"{api}/v2/reports/olap/columns", self.olap_columns)
        self.route("GET", f"{api}/v2/reports/balance/stores", self.balance)

    # --- overrides and accounting ---------------------------------------------------------------------------
    def set_departments(self, nodes: list[dict[str, Any]]) -> None:
        """Serve these generic nodes (``id, parent_id, code, name, type, inn``) instead of the demo tree."""
        self._nodes = list(nodes)

    def expire_tokens(self) -> None:
        """Forget every session, as a server restart does; the next call with an old key gets 401."""
        with self._lock:
            self.expired_tokens.extend(self.sessions)
            self.sessions.clear()

    def unreleased_tokens(self) -> list[str]:
        """Tokens handed out that were neither logged out nor expired (each still holds a seat)."""
        with self._lock:
            return [t for t in self.issued_tokens if t in self.sessions]

    def _purge_expired(self) -> None:
        now = self.clock()
        for token, session in list(self.sessions.items()):
            if now - session.last_used > self.token_ttl:
                del self.sessions[token]
                self.expired_tokens.append(token)

    # --- hooks ----------------------------------------------------------------------------------------------
    def error_response(self, status: int, message: str) -> FakeResponse:
        return FakeResponse.text(message, status)

    def enter_request(self, request: FakeRequest) -> FakeResponse | None:
        if self.enforce_sequential and not self._busy.acquire(blocking=False):
            with self._lock:
                self.rejected_concurrent += 1
            return FakeResponse.text(
                "Another request is being processed: iikoServer serves API requests one at a time", 409
            )
        return None

    def leave_request(self, request: FakeRequest) -> None:
        if self.enforce_sequential:
            self._busy.release()

    @staticmethod
    def _key(request: FakeRequest) -> str | None:
        return request.arg("key") or request.cookies.get("key")

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        if route_is_public:
            return None
        key = self._key(request)
        with self._lock:
            self._purge_expired()
            session = self.sessions.get(key or "")
            if session is None:
                return FakeResponse.text("Token is expired or invalid", 401)
            session.last_used = self.clock()
        return None

    # --- auth -----------------------------------------------------------------------------------------------
    def auth(self, request: FakeRequest) -> FakeResponse:
        params = dict(request.query)
        if request.method == "POST" and request.body:
            params.update(parse_qs(request.body.decode("utf-8", "replace")))
        login = (params.get("login") or [""])[-1]
        password_hash = (params.get("pass") or [""])[-1].lower()
        if login != self.login or password_hash != self.password_hash:
            return FakeResponse.text("Wrong login or password", 401)
        with self._lock:
            self._purge_expired()
            if len(self.sessions) >= self.seats:
                return FakeResponse.text(LICENCE_TEXT, 403)
            token = str(uuid.uuid4())
            now = self.clock()
            self.sessions[token] = _Session(token, now, now)
            self.issued_tokens.append(token)
        return FakeResponse.text(token, headers=[("Set-Cookie", f"key={token}; Path=/resto")])

    def logout(self, request: FakeRequest) -> FakeResponse:
        key = self._key(request)
        with self._lock:
            self._purge_expired()
            if key not in self.sessions:
                return FakeResponse.text("Token is expired or invalid", 401)
            del self.sessions[key]
            self.logged_out_tokens.append(key)
        return FakeResponse.text("")

    # --- org structure --------------------------------------------------------------------------------------
    @staticmethod
    def _item_xml(node: dict[str, Any], index: int, payload: str) -> str:
        parent = node.get("parent_id")
        parent_xml = "<parentId/>" if parent in (None, "") else f"<parentId>{escape(str(parent))}</parentId>"
        code = node.get("code") or ""
        inn = node.get("inn") or ""
        code_xml = f"<code>{escape(code)}</code>" if code else "<code/>"
        name = escape(node.get("name", ""))
        if index == 0 and payload == "xxe":
            name = "&xxe;"
        elif index == 0 and payload == "billion_laughs":
            name = "&lol9;"
        extra = ""
        # The second legal entity carries its INN nested, as some iiko versions do.
        if node.get("type") == "JURPERSON" and inn and node.get("code") == "20":
            extra = (
                "<jurPersonAdditionalPropertiesDto><taxpayerId>"
                + escape(inn)
                + "</taxpayerId></jurPersonAdditionalPropertiesDto>"
            )
            inn = ""
        inn_xml = f"<taxpayerIdNumber>{escape(inn)}</taxpayerIdNumber>" if inn else "<taxpayerIdNumber/>"
        return (
            f"<corporateItemDto><id>{escape(str(node['id']))}</id>{parent_xml}{code_xml}<name>{name}</name>"
            f"<type>{escape(node.get('type', 'DEPARTMENT'))}</type>{inn_xml}{extra}</corporateItemDto>"
        )

    def _document(self, nodes: list[dict[str, Any]], payload: str) -> str:
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        if payload == "xxe":
            head = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!DOCTYPE corporateItemDtoes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            )
        elif payload == "billion_laughs":
            entities = ['<!ENTITY lol "lol">'] + [
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                for i in range(1, 10)
            ]
            head = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE corporateItemDtoes [\n  '
                + "\n  ".join(entities)
                + "\n]>\n"
            )
        body = "".join(self._item_xml(node, i, payload) for i, node in enumerate(nodes))
        return f"{head}<corporateItemDtoes>{body}</corporateItemDtoes>"

    def departments(self, request: FakeRequest) -> FakeResponse:
        nodes = [n for n in self._nodes if n.get("type") != "STORE"]
        return FakeResponse.xml(self._document(nodes, self.xml_payload))

    def stores(self, request: FakeRequest) -> FakeResponse:
        nodes = [n for n in self._nodes if n.get("type") == "STORE"]
        return FakeResponse.xml(self._document(nodes, "normal"))

    # --- products -------------------------------------------------------------------------------------------
    def _product_rows(self) -> list[dict[str, Any]]:
        if self._products is not None or self.dataset is None:
            return self._products or []
        seed = self.dataset.seed
        units: dict[str, str] = {}
        rows = []
        for index, product in enumerate(self.dataset.products_of("iiko"), start=1):
            unit_id = units.setdefault(product.unit, stable_uuid(seed, "iiko-unit", product.unit))
            rows.append(
                {
                    "id": product.iiko_id,
                    "deleted": False,
                    "name": product.name,
                    "description": "",
                    "num": product.sku,
                    "code": str(index),
                    "parent": stable_uuid(seed, "iiko-group", product.category_code),
                    "modifiers": [],
                    "taxCategory": None,
                    "category": None,
                    "accountingCategory": stable_uuid(seed, "iiko-acc", product.kind),
                    "mainUnit": unit_id,
                    "defaultSalePrice": product.list_price,
                    "placeType": None,
                    "defaultIncludedInMenu": product.kind in ("dish", "goods"),
                    "type": IIKO_TYPES[product.kind],
                    "unitWeight": 1.0 if product.unit in ("кг", "порц") else 0.0,
                    "unitCapacity": 1.0 if product.unit == "л" else 0.0,
                    "notInStoreMovement": product.kind == "service",
                }
            )
        for index, name in enumerate(("Окрошка (снята с меню)", "Квас разливной (снят)"), start=1):
            rows.append(
                {
                    **rows[0],
                    "id": stable_uuid(seed, "iiko-deleted", index),
                    "deleted": True,
                    "name": name,
                    "num": f"OLD-{index:03d}",
                    "code": str(9000 + index),
                    "type": "DISH",
                }
            )
        self._products = rows
        return rows

    def products(self, request: FakeRequest) -> FakeResponse:
        rows = self._product_rows()
        if (request.arg("includeDeleted") or "false").lower() != "true":
            rows = [r for r in rows if not r["deleted"]]
        if request.args("ids"):
            wanted = set(request.args("ids"))
            rows = [r for r in rows if r["id"] in wanted]
        if request.args("types"):
            types = set(request.args("types"))
            rows = [r for r in rows if r["type"] in types]
        return FakeResponse.json(rows)

    def product_groups(self, request: FakeRequest) -> FakeResponse:
        if self.dataset is None:
            return FakeResponse.json([])
        seed = self.dataset.seed
        return FakeResponse.json(
            [
                {
                    "id": stable_uuid(seed, "iiko-group", c.code),
                    "deleted": False,
                    "name": c.name,
                    "num": c.code,
                    "parent": stable_uuid(seed, "iiko-group", c.parent_code) if c.parent_code else None,
                }
                for c in self.dataset.categories
            ]
        )

    # --- OLAP -----------------------------------------------------------------------------------------------
    def facts(self) -> pd.DataFrame:
        """Sales facts behind the OLAP report: one row per department × day × dish × deletion state."""
        if self._facts is not None:
            return self._facts
        columns = [*GROUP_FIELDS, "DishAmountInt", "DishSumInt", "DishDiscountSumInt", "date"]
        if self.dataset is None:
            self._facts = pd.DataFrame(columns=columns)
            return self._facts
        ds = self.dataset
        sales = ds.sales_of("iiko")
        sales = sales[sales["units"] > 0]
        locations = {loc.code: loc for loc in ds.locations_of("iiko")}
        products = {p.sku: p for p in ds.products_of("iiko")}
        categories = {c.code: c.name for c in ds.categories}
        codes = {p["num"]: p["code"] for p in self._product_rows()}
        frame = pd.DataFrame(
            {
                "Department": sales["location_code"].map(lambda c: locations[c].name),
                "Department.Id": sales["location_code"].map(lambda c: locations[c].external_id),
                "Department.Code": sales["location_code"],
                "OpenDate.Typed": sales["date"].dt.strftime("%Y-%m-%d"),
                "OpenDate": sales["date"].dt.strftime("%Y.%m.%d"),
                "DishId": sales["sku"].map(lambda s: products[s].iiko_id),
                "DishName": sales["sku"].map(lambda s: products[s].name),
                "DishCode": sales["sku"].map(codes),
                "DishGroup": sales["sku"].map(lambda s: categories[products[s].category_code]),
                "OrderDeleted": "NOT_DELETED",
                "DeletedWithWriteoff": "NOT_DELETED",
                "DishAmountInt": sales["units"].astype(int),
                "DishSumInt": (sales["units"] * sales["price"]).round(2),
                "DishDiscountSumInt": sales["revenue"].round(2),
                "date": sales["date"],
            }
        )
        # Deleted orders: on about one department-day in twelve one dish was rung up and then deleted.
        first_rows = frame.drop_duplicates(["Department.Id", "OpenDate.Typed"])
        picks = [
            i
            for i, (dep, day) in zip(
                first_rows.index,
                zip(first_rows["Department.Id"], first_rows["OpenDate.Typed"], strict=True),
                strict=True,
            )
            if stable_int(ds.seed, "del", dep, day) % 12 == 0
        ]
        deleted = frame.loc[picks].copy()
        deleted["OrderDeleted"] = "DELETED"
        deleted["DeletedWithWriteoff"] = [
            "DELETED_WITH_WRITEOFF" if i % 2 else "DELETED_WITHOUT_WRITEOFF" for i in range(len(deleted))
        ]
        deleted["DishAmountInt"] = 1
        unit_price = frame.loc[picks, "DishSumInt"] / frame.loc[picks, "DishAmountInt"]
        deleted["DishSumInt"] = unit_price.round(2)
        deleted["DishDiscountSumInt"] = unit_price.round(2)
        self._facts = pd.concat([frame, deleted], ignore_index=True)
        return self._facts

    @staticmethod
    def _parse_date(value: Any) -> dt.datetime:
        if not isinstance(value, str):
            raise ValueError(value)
        for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
            try:
                return dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
        raise ValueError(value)

    def olap(self, request: FakeRequest) -> FakeResponse:
        try:
            body = request.json()
        except ValueError:
            return FakeResponse.text("Can not parse request body: JSON expected", 400)
        if not isinstance(body, dict):
            return FakeResponse.text("Can not parse request body: JSON object expected", 400)
        if body.get("reportType", "SALES") != "SALES":
            return FakeResponse.text(f"reportType {body.get('reportType')!r} is not served by this fake", 400)
        row_fields = list(body.get("groupByRowFields") or []) + list(body.get("groupByColFields") or [])
        aggregates = list(body.get("aggregateFields") or [])
        for name in row_fields:
            if name not in GROUP_FIELDS:
                return FakeResponse.text(f"Unknown OLAP field for grouping: {name}", 400)
        for name in aggregates:
            if name not in AGGREGATE_FIELDS:
                return FakeResponse.text(f"Unknown OLAP field for aggregation: {name}", 400)
        filters = body.get("filters") or {}
        if not isinstance(filters, dict):
            return FakeResponse.text("filters must be an object", 400)
        date_filters = [
            (k, v)
            for k, v in filters.items()
            if k in DATE_FIELDS and isinstance(v, dict) and v.get("filterType") == "DateRange"
        ]
        if not date_filters:
            return FakeResponse.text("Date filter is required: add a DateRange filter on OpenDate.Typed", 400)
        facts = self.facts()
        mask = pd.Series(True, index=facts.index)
        for name, spec in filters.items():
            if not isinstance(spec, dict):
                return FakeResponse.text(f"Filter {name} must be an object", 400)
            kind = spec.get("filterType")
            if kind == "DateRange":
                if name not in DATE_FIELDS:
                    return FakeResponse.text(f"DateRange filter is not allowed on {name}", 400)
                if spec.get("periodType", "CUSTOM") != "CUSTOM":
                    return FakeResponse.text("This fake serves periodType CUSTOM only", 400)
                try:
                    start = self._parse_date(spec.get("from"))
                    end = self._parse_date(spec.get("to"))
                except ValueError as exc:
                    return FakeResponse.text(f"Wrong date format: {exc.args[0]}", 400)
                first = start.date() if spec.get("includeLow", True) else start.date() + dt.timedelta(days=1)
                end_is_midnight = end.time() == dt.time(0)
                if spec.get("includeHigh", False) or not end_is_midnight:
                    last = end.date()
                else:
                    last = end.date() - dt.timedelta(days=1)
                span = (last - first).days + 1
                if span > self.max_window_days:
                    return FakeResponse.text(
                        f"Period is too long: {span} days requested, at most {self.max_window_days} days "
                        "(one month) per OLAP request",
                        400,
                    )
                mask &= (facts["date"] >= pd.Timestamp(first)) & (facts["date"] <= pd.Timestamp(last))
            elif kind in ("IncludeValues", "ExcludeValues"):
                if name not in GROUP_FIELDS:
                    return FakeResponse.text(f"Unknown OLAP field for filtering: {name}", 400)
                values = [str(v) for v in spec.get("values") or []]
                hit = facts[name].astype(str).isin(values)
                mask &= hit if kind == "IncludeValues" else ~hit
            else:
                return FakeResponse.text(f"Unsupported filterType {kind!r} on {name}", 400)
        selected = facts[mask]
        if selected.empty:
            return FakeResponse.json({"data": [], "summary": []})
        aggregated = self._aggregate(selected, row_fields, aggregates)
        summary: list[dict[str, Any]] = []
        if body.get("buildSummary", True) and aggregates:
            summary = [self._aggregate(selected, [], aggregates)[0]]
        return FakeResponse.json({"data": aggregated, "summary": summary})

    @staticmethod
    def _aggregate(frame: pd.DataFrame, fields: list[str], aggregates: list[str]) -> list[dict[str, Any]]:
        work = frame.assign(DiscountSum=frame["DishSumInt"] - frame["DishDiscountSumInt"])
        base = ["DishAmountInt", "DishSumInt", "DishDiscountSumInt", "DiscountSum"]
        if fields:
            grouped = work.groupby(fields, sort=True)[base].sum().reset_index()
        else:
            grouped = pd.DataFrame([work[base].sum()])
        out = []
        for record in grouped.to_dict("records"):
            row = {name: record[name] for name in fields}
            for name in aggregates:
                value = record[name]
                row[name] = int(value) if name == "DishAmountInt" else round(float(value), 2)
            out.append(row)
        return out

    def olap_columns(self, request: FakeRequest) -> FakeResponse:
        if request.arg("reportType", "SALES") != "SALES":
            return FakeResponse.text("This fake describes reportType SALES only", 400)
        columns = {
            name: {
                "name": name,
                "type": "STRING",
                "aggregationAllowed": False,
                "groupingAllowed": True,
                "filteringAllowed": True,
                "tags": [],
            }
            for name in GROUP_FIELDS
        }
        columns.update(
            {
                name: {
                    "name": name,
                    "type": "AMOUNT" if name == "DishAmountInt" else "MONEY",
                    "aggregationAllowed": True,
                    "groupingAllowed": False,
                    "filteringAllowed": False,
                    "tags": [],
                }
                for name in AGGREGATE_FIELDS
            }
        )
        columns["OpenDate.Typed"]["type"] = "DATE"
        return FakeResponse.json(columns)

    # --- stock ----------------------------------------------------------------------------------------------
    def balance(self, request: FakeRequest) -> FakeResponse:
        timestamp = request.arg("timestamp")
        if not timestamp:
            return FakeResponse.text("Required parameter 'timestamp' is missing", 400)
        try:
            self._parse_date(timestamp)
        except ValueError:
            return FakeResponse.text(f"Wrong date format: {timestamp}", 400)
        if self.dataset is None:
            return FakeResponse.json([])
        ds = self.dataset
        stores = {loc.code: loc.stock_store_id for loc in ds.locations_of("iiko")}
        rows = []
        for record in ds.stock[ds.stock["location_code"].isin(list(stores))].itertuples(index=False):
            product = ds.product(record.sku)
            if record.on_hand == 0 or not product.iiko_id:
                continue
            rows.append(
                {
                    "store": stores[record.location_code],
                    "product": product.iiko_id,
                    "amount": float(record.on_hand),
                    "sum": round(float(record.on_hand) * product.cost_price, 2),
                }
            )
        if request.args("store"):
            wanted = set(request.args("store"))
            rows = [r for r in rows if r["store"] in wanted]
        if request.args("product"):
            wanted = set(request.args("product"))
            rows = [r for r in rows if r["product"] in wanted]
        return FakeResponse.json(rows)
