"""Deterministic demo data set: a retail + restaurant + small-manufacturing group across five systems.

Why: the demo command, the loopback fake servers and the tests all need the *same* realistic data, so it is
generated here from a seed (no Django, no I/O). ``build_demo_dataset(seed=42, size="default")`` always gives
the same result for the same arguments; generating the default set takes about a second.

Time frame
    ``end_date`` is the data set's "today" (default 2026-10-31; ``None`` = the real today). Daily sales run
    from ``start_date`` to ``last_sales_date`` = ``end_date - 1`` ("yesterday"). Stock is the snapshot taken
    at the start of ``end_date``. Drivers cover ``end_date`` .. ``end_date + 27`` (the next 28 days).

Sizes (``SIZES``)
    ``default``: 16 selling locations (6 iiko restaurants/cafes, 5 MoySklad stores, 3 Sentos warehouses,
    2 Wildberries warehouses) × 28–36 products × 760 days ≈ 370k rows. ``small``: one selling location per
    system × 5 products × 60 days (for tests). The org trees and the product catalogue are the same in every
    size (they are small and the systems' feeds should look the same).

Attributes of ``DemoDataset``
    ``onec_branches``: list[OneCBranch] — the 1C branch tree (≥ 50 nodes): ``id`` ("000000007"), ``parent_id``
        (None for a root), ``code`` ("000007"), ``name``, ``is_group``, ``inn`` (10-digit INN of the branch's
        legal entity; "" for groups), ``kind`` (region, city, restaurant, cafe, store, manufacture, warehouse,
        ecommerce, marketplace).
    ``iiko_departments``: list[IikoDepartment] — the iiko corporation tree incl. STORE items: ``id`` (UUID),
        ``parent_id``, ``code`` (equal to a 1C branch code for linked departments — the code_tco link),
        ``name``, ``type`` (CORPORATION, CENTRALOFFICE, ORGDEVELOPMENT, JURPERSON, GROUP, DEPARTMENT,
        SALEPOINT, STORE, MANUFACTURE, CENTRALSTORE), ``taxpayer_id``.
    ``legal_entities``: list[LegalEntity] (``name``, ``inn``).
    ``locations``: list[SellingLocation] — every place that sells: ``code`` (location code used in
        ``daily_sales``/``stock``: the 1C branch code for iiko/MoySklad, ``SENTOS-<id>``, ``WB-<NAME>``),
        ``name``, ``system``, ``kind``, ``external_id`` (iiko department UUID, MoySklad store UUID, Sentos
        warehouse id, WB warehouse name), ``stock_store_id`` (iiko STORE UUID holding its stock, else the
        external id), ``onec_code``, ``timezone``, ``currency`` (RUB; TRY for Sentos).
    ``categories``: list[Category] (``code``, ``name``, ``parent_code``).
    ``products``: list[Product] (≥ 200): ``sku`` (unique), ``name``, ``kind`` (goods, dish, material,
        semi_finished, service), ``category_code``, ``unit``, ``barcode`` (valid EAN-13 or None),
        ``list_price`` (RUB, current), ``cost_price``, ``vat_rate`` (%), ``systems`` (which systems know it —
        several for shared goods), ``model_sku``/``size`` (sized apparel), per-system ids ``iiko_id``,
        ``moysklad_id``, ``sentos_id``/``sentos_variant_id``, ``wb_nm_id``/``wb_chrt_id``, ``sentos_price``
        (TRY), ``updated_at``.
    ``boms``: list[BomLine] (``parent_sku``, ``component_sku``, ``quantity`` per 1 unit of the parent in the
        component's unit, ``unit``, ``scrap_pct``). Dish → semi-finished → semi-finished → material chains
        up to three levels deep, with shared components (dough, mince, broth).
    ``daily_sales``: DataFrame, one row per open (location, product, day) — zero-unit rows included:
        ``location_code`` (str), ``sku`` (str), ``date`` (datetime64, the business day), ``units`` (int),
        ``price`` (regular unit price that day, location currency), ``discount`` (money off the row),
        ``revenue`` (units × price − discount), ``promo`` (bool). Closed days have no rows.
    ``stock``: DataFrame (``location_code``, ``sku``, ``on_hand``, ``reserved``, ``in_transit``, ``as_of``);
        iiko locations also hold the BOM materials of their dishes; a few on_hand values are negative (normal
        in iiko).
    ``closed_days``: DataFrame (``location_code``, ``date``, ``reason``) — the history.
    ``drivers``: DataFrame of known-in-advance drivers for the next 28 days: ``date``, ``location_code``
        (None = every location), ``sku`` (None = every product), ``driver`` (holiday, promo, closed),
        ``value`` (discount fraction for promo, 1.0 otherwise), ``name``.
    ``public_holidays``: list[PublicHoliday] covering history and horizon.
    ``sentos_warehouses``, ``wb_seller``, ``wb_warehouses``, ``wb_seller_warehouses``,
    ``moysklad_organization``, ``moysklad_stores``: those systems' structures (dataclasses below).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from demo import catalogue

DEFAULT_SEED = 42
DEFAULT_END_DATE = dt.date(2026, 10, 31)
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
MOSCOW_TZ = "Europe/Moscow"
ISTANBUL_TZ = "Europe/Istanbul"
TRY_PER_RUB = 0.42
PRICE_INFLATION_PER_YEAR = 0.07
HORIZON_DAYS = 28


@dataclass(frozen=True)
class DemoSize:
    """How big the sales part of the data set is; org trees and the catalogue do not scale."""

    name: str
    selling_locations: dict[str, int]
    products_per_location: tuple[int, int]
    days: int


SIZES: dict[str, DemoSize] = {
    "default": DemoSize("default", {"iiko": 6, "moysklad": 5, "sentos": 3, "wildberries": 2}, (28, 36), 760),
    "small": DemoSize("small", {"iiko": 1, "moysklad": 1, "sentos": 1, "wildberries": 1}, (5, 5), 60),
}


@dataclass(frozen=True, slots=True)
class OneCBranch:
    id: str
    parent_id: str | None
    code: str
    name: str
    is_group: bool
    inn: str
    kind: str


@dataclass(frozen=True, slots=True)
class IikoDepartment:
    id: str
    parent_id: str | None
    code: str
    name: str
    type: str
    taxpayer_id: str = ""


@dataclass(frozen=True, slots=True)
class LegalEntity:
    name: str
    inn: str


@dataclass(frozen=True, slots=True)
class SellingLocation:
    code: str
    name: str
    system: str
    kind: str
    external_id: str
    stock_store_id: str
    onec_code: str | None
    timezone: str
    currency: str


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    kind: str
    category_code: str
    unit: str
    barcode: str | None
    list_price: float
    cost_price: float
    vat_rate: int
    systems: tuple[str, ...]
    demand_level: float
    season: str
    updated_at: dt.datetime
    model_sku: str | None = None
    size: str | None = None
    iiko_id: str | None = None
    moysklad_id: str | None = None
    sentos_id: int | None = None
    sentos_variant_id: int | None = None
    sentos_price: float | None = None
    wb_nm_id: int | None = None
    wb_chrt_id: int | None = None


@dataclass(frozen=True, slots=True)
class BomLine:
    parent_sku: str
    component_sku: str
    quantity: float
    unit: str
    scrap_pct: float


@dataclass(frozen=True, slots=True)
class PublicHoliday:
    date: dt.date
    name: str


@dataclass(frozen=True, slots=True)
class SentosWarehouse:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class WbWarehouse:
    name: str
    location_code: str
    office_id: int


@dataclass(frozen=True, slots=True)
class WbSeller:
    name: str
    inn: str
    supplier_id: str


@dataclass(frozen=True, slots=True)
class WbSellerWarehouse:
    id: int
    name: str
    office_id: int
    cargo_type: int
    delivery_type: int


@dataclass(frozen=True, slots=True)
class MoySkladStore:
    id: str
    name: str
    code: str
    parent_id: str | None
    path_name: str
    address: str
    archived: bool
    updated: dt.datetime


@dataclass(frozen=True, slots=True)
class MoySkladOrganization:
    id: str
    name: str
    inn: str
    legal_title: str


@dataclass
class DemoDataset:
    """Everything the demo and the fakes need; see the module docstring for the fields."""

    seed: int
    size: str
    end_date: dt.date
    start_date: dt.date
    last_sales_date: dt.date
    legal_entities: list[LegalEntity]
    onec_branches: list[OneCBranch]
    iiko_departments: list[IikoDepartment]
    locations: list[SellingLocation]
    categories: list[Category]
    products: list[Product]
    boms: list[BomLine]
    daily_sales: pd.DataFrame
    stock: pd.DataFrame
    closed_days: pd.DataFrame
    drivers: pd.DataFrame
    public_holidays: list[PublicHoliday]
    sentos_warehouses: list[SentosWarehouse]
    wb_seller: WbSeller
    wb_warehouses: list[WbWarehouse]
    wb_seller_warehouses: list[WbSellerWarehouse]
    moysklad_organization: MoySkladOrganization
    moysklad_stores: list[MoySkladStore]
    _products_by_sku: dict[str, Product] = field(default_factory=dict, repr=False)

    def product(self, sku: str) -> Product:
        """Look a product up by SKU (KeyError if unknown)."""
        if not self._products_by_sku:
            self._products_by_sku = {p.sku: p for p in self.products}
        return self._products_by_sku[sku]

    def location(self, code: str) -> SellingLocation:
        """Look a selling location up by its location code."""
        for location in self.locations:
            if location.code == code:
                return location
        raise KeyError(code)

    def locations_of(self, system: str) -> list[SellingLocation]:
        """Selling locations served by one system (iiko, moysklad, sentos, wildberries)."""
        return [loc for loc in self.locations if loc.system == system]

    def products_of(self, system: str) -> list[Product]:
        """Products known to one system, in catalogue order."""
        return [p for p in self.products if system in p.systems]

    def sales_of(self, system: str) -> pd.DataFrame:
        """The daily-sales rows of the locations of one system."""
        codes = [loc.code for loc in self.locations_of(system)]
        return self.daily_sales[self.daily_sales["location_code"].isin(codes)]


# --- small deterministic helpers ----------------------------------------------------------------------------

def stable_uuid(seed: int, *parts: object) -> str:
    """A UUID that depends only on the seed and the parts, so ids stay put when the generator grows."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"salesforecast-demo/{seed}/" + "/".join(map(str, parts))))


def stable_int(seed: int, *parts: object, low: int = 0, high: int = 2**31 - 1) -> int:
    """A deterministic integer in [low, high) derived from a hash (independent of generation order)."""
    digest = hashlib.sha256((f"{seed}/" + "/".join(map(str, parts))).encode()).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low)


def ean13(first_twelve: str) -> str:
    """Append the EAN-13 check digit."""
    if len(first_twelve) != 12 or not first_twelve.isdigit():
        raise ValueError(f"EAN-13 body must be 12 digits, got {first_twelve!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def is_valid_ean13(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13(code[:12]) == code


def inn10(first_nine: str) -> str:
    """Append the check digit of a 10-digit Russian INN (legal entity)."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first_nine + str(sum(int(d) * w for d, w in zip(first_nine, weights, strict=True)) % 11 % 10)


# --- org structure ------------------------------------------------------------------------------------------

def _legal_entity_for(region: str, kind: str, entities: list[LegalEntity]) -> LegalEntity:
    if kind in ("store", "ecommerce", "marketplace", "warehouse"):
        return entities[2]
    if region in ("Филиал Юг", "Филиал Урал", "Производство"):
        return entities[1]
    return entities[0]


def _build_onec(entities: list[LegalEntity]) -> list[OneCBranch]:
    branches: list[OneCBranch] = []
    counter = 0

    def add(parent: OneCBranch | None, name: str, is_group: bool, kind: str, inn: str) -> OneCBranch:
        nonlocal counter
        counter += 1
        node = OneCBranch(id=f"{counter:09d}", parent_id=parent.id if parent else None, code=f"{counter:06d}",
                          name=name, is_group=is_group, inn=inn, kind=kind)
        branches.append(node)
        return node

    for region_name, cities in catalogue.ONEC_LAYOUT:
        region = add(None, region_name, True, "region", "")
        for city_name, members in cities:
            parent = add(region, city_name, True, "city", "") if city_name else region
            for kind, name in members:
                add(parent, name, False, kind, _legal_entity_for(region_name, kind, entities).inn)
    return branches


def _build_iiko(seed: int, onec: list[OneCBranch], entities: list[LegalEntity]) -> list[IikoDepartment]:
    items: list[IikoDepartment] = []

    def add(parent: IikoDepartment | None, key: str, name: str, type_: str, code: str = "",
            taxpayer_id: str = "") -> IikoDepartment:
        item = IikoDepartment(id=stable_uuid(seed, "iiko", key), parent_id=parent.id if parent else None,
                              code=code, name=name, type=type_, taxpayer_id=taxpayer_id)
        items.append(item)
        return item

    corporation = add(None, "corporation", "Вкусная Группа (корпорация)", "CORPORATION")
    add(corporation, "office", "Управляющая компания", "CENTRALOFFICE")
    add(corporation, "development", "Развитие сети", "ORGDEVELOPMENT")
    jur_north = add(corporation, "jur-north", entities[0].name, "JURPERSON", "10", entities[0].inn)
    jur_south = add(corporation, "jur-south", entities[1].name, "JURPERSON", "20", entities[1].inn)
    spb_group = add(jur_north, "group-spb", "Кафе Петербурга", "GROUP")

    by_id = {b.id: b for b in onec}

    def region_of(branch: OneCBranch) -> str:
        while branch.parent_id:
            branch = by_id[branch.parent_id]
        return branch.name

    store_no = 0
    for branch in onec:
        if branch.kind not in ("restaurant", "cafe", "manufacture") and branch.name != "Центральный склад":
            continue
        if branch.name in catalogue.FOOD_BRANCHES_WITHOUT_IIKO:
            continue
        region = region_of(branch)
        if branch.kind == "manufacture":
            node = add(jur_south, f"dep-{branch.code}", branch.name, "MANUFACTURE", branch.code)
        elif branch.kind == "warehouse":
            node = add(jur_south, f"dep-{branch.code}", branch.name, "CENTRALSTORE", branch.code)
            continue
        else:
            city = by_id[branch.parent_id].name if branch.parent_id else ""
            parent = spb_group if city == "Санкт-Петербург" else (
                jur_north if region in ("Филиал Север", "Филиал Центр") else jur_south)
            node = add(parent, f"dep-{branch.code}", branch.name, "DEPARTMENT", branch.code)
            if branch.kind == "restaurant":
                add(node, f"sp-{branch.code}", f"Бар {branch.name}", "SALEPOINT")
        store_no += 1
        add(node, f"store-{branch.code}", f"Склад {branch.name}", "STORE", str(store_no))
    # Departments that 1C does not know: one with a code of its own, one with no code at all.
    for key, name, code in (("pulkovo", "Кафе «Пулково»", "П-01"), ("test", "Тестовое подразделение", "")):
        node = add(jur_north, f"dep-{key}", name, "DEPARTMENT", code)
        store_no += 1
        add(node, f"store-{key}", f"Склад {name}", "STORE", str(store_no))
    return items


# --- products -----------------------------------------------------------------------------------------------

class _Barcodes:
    def __init__(self) -> None:
        self.next_number = 1

    def take(self) -> str:
        code = ean13(f"4607{self.next_number:08d}")
        self.next_number += 1
        return code


def _systems_for_goods(prefix: str, name: str) -> tuple[str, ...]:
    if prefix == "BEV":
        return ("iiko", "moysklad")
    if prefix in ("CF", "SV"):
        return ("moysklad", "sentos", "wildberries")
    if prefix == "TEA":
        return ("moysklad", "wildberries")
    if prefix == "SW":
        return ("moysklad", "wildberries") if "Шоколад" in name or "Конфеты" in name else ("moysklad",)
    if prefix == "TS" and ("Петербург" in name or "Москва" in name):
        return ("moysklad", "sentos", "wildberries")
    return ("sentos", "wildberries")


def _build_products(seed: int, rng: np.random.Generator, updated_base: dt.datetime
                    ) -> tuple[list[Product], list[BomLine]]:
    barcodes = _Barcodes()
    products: list[Product] = []
    name_to_sku: dict[str, str] = {}
    wb_nm_next = 180_000_000
    sentos_next = 800

    def updated_at(sku: str) -> dt.datetime:
        return updated_base - dt.timedelta(minutes=stable_int(seed, "upd", sku, high=60 * 24 * 300))

    def ids_for(sku: str, systems: tuple[str, ...]) -> dict[str, str | None]:
        return {
            "iiko_id": stable_uuid(seed, "iiko-product", sku) if "iiko" in systems else None,
            "moysklad_id": stable_uuid(seed, "ms-product", sku) if "moysklad" in systems else None,
        }

    for i, (name, unit, cost, category) in enumerate(catalogue.MATERIALS, start=1):
        sku = f"MAT-{i:04d}"
        systems = ("iiko",)
        products.append(Product(
            sku=sku, name=name, kind="material", category_code=category, unit=unit,
            barcode=barcodes.take() if i % 3 == 0 else None, list_price=float(cost),
            cost_price=float(cost), vat_rate=10, systems=systems, demand_level=0.0, season="flat",
            updated_at=updated_at(sku), **ids_for(sku, systems)))
        name_to_sku[name] = sku

    for i, (name, unit, _scrap, _components) in enumerate(catalogue.SEMI_FINISHED, start=1):
        sku = f"SF-{i:04d}"
        systems = ("iiko",)
        products.append(Product(
            sku=sku, name=name, kind="semi_finished", category_code="SEMI", unit=unit, barcode=None,
            list_price=0.0, cost_price=0.0, vat_rate=10, systems=systems, demand_level=0.0, season="flat",
            updated_at=updated_at(sku), **ids_for(sku, systems)))
        name_to_sku[name] = sku

    for i, (name, category, price, level, season, _components) in enumerate(catalogue.DISHES, start=1):
        sku = f"DSH-{i:04d}"
        systems = ("iiko",)
        products.append(Product(
            sku=sku, name=name, kind="dish", category_code=category, unit="порц", barcode=None,
            list_price=float(price), cost_price=round(price * float(rng.uniform(0.25, 0.38)), 2), vat_rate=10,
            systems=systems, demand_level=level, season=season, updated_at=updated_at(sku),
            **ids_for(sku, systems)))
        name_to_sku[name] = sku

    counters: dict[str, int] = {}
    for prefix, name, category, price, level, season, sizes in catalogue.GOODS:
        counters[prefix] = counters.get(prefix, 0) + 1
        model_sku = f"{prefix}-{counters[prefix]:03d}"
        systems = _systems_for_goods(prefix, name)
        cost_share = float(rng.uniform(0.35, 0.6))
        vat = 10 if category in ("COFFEE", "TEA", "SWEETS", "BEVERAGE") else 20
        sentos_id = sentos_next if "sentos" in systems else None
        sentos_next += 1
        wb_nm_id = wb_nm_next if "wildberries" in systems else None
        wb_nm_next += stable_int(seed, "nm", model_sku, low=7, high=400)
        for size_index, size in enumerate(sizes or (None,)):
            sku = f"{model_sku}-{size}" if size else model_sku
            products.append(Product(
                sku=sku, name=f"{name} {size}" if size else name, kind="goods", category_code=category,
                unit="шт", barcode=barcodes.take(), list_price=float(price),
                cost_price=round(price * cost_share, 2), vat_rate=vat, systems=systems,
                demand_level=level, season=season, updated_at=updated_at(sku),
                model_sku=model_sku if size else None, size=size,
                sentos_id=sentos_id, sentos_variant_id=(sentos_id * 10 + size_index + 1) if sentos_id and size
                else None,
                sentos_price=round(price * TRY_PER_RUB, 2) if sentos_id else None,
                wb_nm_id=wb_nm_id, wb_chrt_id=(wb_nm_id // 1000 * 7 + size_index) if wb_nm_id else None,
                **ids_for(sku, systems)))

    for i, (name, price, level, systems) in enumerate(catalogue.SERVICES, start=1):
        sku = f"SRV-{i:03d}"
        products.append(Product(
            sku=sku, name=name, kind="service", category_code="SERVICES", unit="усл", barcode=None,
            list_price=float(price), cost_price=0.0, vat_rate=20, systems=systems, demand_level=level,
            season="flat", updated_at=updated_at(sku), **ids_for(sku, systems)))

    units = {p.sku: p.unit for p in products}
    boms: list[BomLine] = []
    for name, _unit, scrap, components in catalogue.SEMI_FINISHED:
        for component, quantity in components:
            sku = name_to_sku[component]
            boms.append(BomLine(name_to_sku[name], sku, float(quantity), units[sku], float(scrap)))
    for name, *_rest, components in catalogue.DISHES:
        for component, quantity in components:
            sku = name_to_sku[component]
            boms.append(BomLine(name_to_sku[name], sku, float(quantity), units[sku], 0.0))
    # Semi-finished cost = sum of component costs (per unit, with scrap) so the catalogue is coherent.
    products = _roll_up_costs(products, boms)
    return products, boms


def _roll_up_costs(products: list[Product], boms: list[BomLine]) -> list[Product]:
    by_sku = {p.sku: p for p in products}
    lines: dict[str, list[BomLine]] = {}
    for line in boms:
        lines.setdefault(line.parent_sku, []).append(line)
    memo: dict[str, float] = {}

    def cost(sku: str) -> float:
        if sku not in memo:
            if sku in lines:
                memo[sku] = sum(cost(ln.component_sku) * ln.quantity * (1 + ln.scrap_pct / 100)
                                for ln in lines[sku])
            else:
                memo[sku] = by_sku[sku].cost_price
        return memo[sku]

    result = []
    for p in products:
        if p.kind == "semi_finished":
            c = round(cost(p.sku), 2)
            p = _replace(p, cost_price=c, list_price=round(c * 1.3, 2))
        elif p.kind == "dish":
            p = _replace(p, cost_price=round(cost(p.sku), 2))
        result.append(p)
    return result


def _replace(product: Product, **changes: object) -> Product:
    from dataclasses import replace
    return replace(product, **changes)


def bom_components(boms: Iterable[BomLine], sku: str) -> set[str]:
    """All SKUs a product needs, at any depth (materials and semi-finished)."""
    children: dict[str, list[str]] = {}
    for line in boms:
        children.setdefault(line.parent_sku, []).append(line.component_sku)
    found: set[str] = set()
    stack = [sku]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# --- locations ----------------------------------------------------------------------------------------------

def _build_moysklad(seed: int, onec: list[OneCBranch], entities: list[LegalEntity], updated_base: dt.datetime
                    ) -> tuple[MoySkladOrganization, list[MoySkladStore]]:
    org = MoySkladOrganization(id=stable_uuid(seed, "ms-org"), name=entities[2].name, inn=entities[2].inn,
                               legal_title=f"Общество с ограниченной ответственностью {entities[2].name[4:]}")
    root = MoySkladStore(id=stable_uuid(seed, "ms-store", "root"), name="Розничная сеть", code="RS",
                         parent_id=None, path_name="", address="", archived=False, updated=updated_base)
    stores = [root]
    by_id = {b.id: b for b in onec}
    shop_branches = [b for b in onec if b.kind == "store" and "(закрыт)" not in b.name]
    for branch in shop_branches[: catalogue.MOYSKLAD_STORE_COUNT]:
        city = by_id[branch.parent_id].name if branch.parent_id else ""
        stores.append(MoySkladStore(
            id=stable_uuid(seed, "ms-store", branch.code), name=branch.name, code=branch.code,
            parent_id=root.id, path_name=root.name,
            address=f"{city}, ул. Примерная, {int(branch.code) % 90 + 1}", archived=False,
            updated=updated_base - dt.timedelta(days=int(branch.code) % 40)))
    online = next(b for b in onec if b.kind == "ecommerce")
    stores.append(MoySkladStore(
        id=stable_uuid(seed, "ms-store", online.code), name=online.name, code=online.code, parent_id=None,
        path_name="", address="Москва, ул. Складская, 1", archived=False, updated=updated_base))
    stores.append(MoySkladStore(
        id=stable_uuid(seed, "ms-store", "archive"), name="Старый склад (архив)", code="OLD", parent_id=None,
        path_name="", address="", archived=True, updated=updated_base - dt.timedelta(days=400)))
    return org, stores


def _build_locations(size: DemoSize, iiko: list[IikoDepartment], ms_stores: list[MoySkladStore],
                     sentos: list[SentosWarehouse], wb: list[WbWarehouse]) -> list[SellingLocation]:
    locations: list[SellingLocation] = []
    stores_by_parent = {d.parent_id: d for d in iiko if d.type == "STORE"}
    departments = [d for d in iiko if d.type == "DEPARTMENT" and d.code.isdigit()]
    for dep in departments[: size.selling_locations["iiko"]]:
        locations.append(SellingLocation(
            code=dep.code, name=dep.name, system="iiko",
            kind="restaurant" if dep.name.startswith("Ресторан") else "cafe", external_id=dep.id,
            stock_store_id=stores_by_parent[dep.id].id, onec_code=dep.code, timezone=MOSCOW_TZ,
            currency="RUB"))
    shops = [s for s in ms_stores if s.parent_id is not None]
    for store in shops[: size.selling_locations["moysklad"]]:
        locations.append(SellingLocation(
            code=store.code, name=store.name, system="moysklad", kind="store", external_id=store.id,
            stock_store_id=store.id, onec_code=store.code, timezone=MOSCOW_TZ, currency="RUB"))
    for warehouse in sentos[: size.selling_locations["sentos"]]:
        locations.append(SellingLocation(
            code=f"SENTOS-{warehouse.id}", name=warehouse.name, system="sentos", kind="ecommerce_warehouse",
            external_id=str(warehouse.id), stock_store_id=str(warehouse.id), onec_code=None,
            timezone=ISTANBUL_TZ, currency="TRY"))
    for warehouse in wb[: size.selling_locations["wildberries"]]:
        locations.append(SellingLocation(
            code=warehouse.location_code, name=warehouse.name, system="wildberries",
            kind="marketplace_warehouse", external_id=warehouse.name, stock_store_id=warehouse.name,
            onec_code=None, timezone=MOSCOW_TZ, currency="RUB"))
    return locations


# --- sales --------------------------------------------------------------------------------------------------

_WEEKLY = {  # Monday .. Sunday
    "restaurant": np.array([0.82, 0.8, 0.86, 0.95, 1.22, 1.4, 1.15]),
    "cafe": np.array([0.95, 0.95, 0.98, 1.0, 1.1, 1.15, 0.95]),
    "store": np.array([0.9, 0.9, 0.95, 1.0, 1.12, 1.25, 1.05]),
    "ecommerce_warehouse": np.array([1.12, 1.05, 1.0, 0.98, 0.95, 0.9, 1.05]),
    "marketplace_warehouse": np.array([1.15, 1.08, 1.02, 0.98, 0.92, 0.88, 1.1]),
}


def _yearly_profile(season: str, day_of_year: np.ndarray, amplitude: float) -> np.ndarray:
    angle = 2 * np.pi * day_of_year / 365.25
    if season == "winter":
        return 1 + amplitude * np.cos(angle - 2 * np.pi * 15 / 365.25)
    if season == "summer":
        return 1 + amplitude * np.cos(angle - 2 * np.pi * 196 / 365.25)
    if season == "december":
        distance = np.minimum(np.abs(day_of_year - 355), 365 - np.abs(day_of_year - 355))
        return 1 + 2.5 * amplitude * np.exp(-((distance / 12.0) ** 2))
    return np.ones_like(angle)


def _assortment(system: str, products: list[Product]) -> list[Product]:
    pool = [p for p in products if system in p.systems and p.kind in ("goods", "dish", "service")
            and p.demand_level > 0]
    if system == "moysklad":  # sized apparel is sold online; the shops carry the one-size goods
        pool = [p for p in pool if p.size is None or p.size in ("M", "L")]
    return pool


def _public_holidays(first: dt.date, last: dt.date) -> list[PublicHoliday]:
    holidays = []
    for year in range(first.year, last.year + 1):
        for month, day, name in catalogue.PUBLIC_HOLIDAYS_RU:
            date = dt.date(year, month, day)
            if first <= date <= last:
                holidays.append(PublicHoliday(date, name))
    return holidays


def _build_sales(rng: np.random.Generator, size: DemoSize, locations: list[SellingLocation],
                 products: list[Product], days: pd.DatetimeIndex, holidays: set[dt.date]
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[Product]]]:
    n_days = len(days)
    day_of_year = days.day_of_year.to_numpy()
    weekday = days.day_of_week.to_numpy()
    years_back = (days.year.to_numpy() - days[-1].year)  # 0 this year, -1 last year ...
    t_years = (np.arange(n_days) - (n_days - 1)) / 365.25
    is_holiday = np.array([d.date() in holidays for d in days])
    frames = []
    closed_rows = []
    assortments: dict[str, list[Product]] = {}
    low, high = size.products_per_location
    for loc in locations:
        pool = _assortment(loc.system, products)
        n_products = min(len(pool), int(rng.integers(low, high + 1)))
        # Popular items are more likely in the assortment; keep catalogue order for readability.
        weights = np.array([p.demand_level for p in pool]) ** 0.5
        chosen_idx = np.sort(rng.choice(len(pool), size=n_products, replace=False, p=weights / weights.sum()))
        chosen = [pool[i] for i in chosen_idx]
        assortments[loc.code] = chosen
        location_scale = float(rng.uniform(0.6, 1.5))

        open_day = np.ones(n_days, dtype=bool)
        physical = loc.kind in ("restaurant", "cafe", "store")
        if physical:
            new_year = (days.month == 1) & (days.day == 1)
            open_day &= ~np.asarray(new_year)
            for d in days[np.asarray(new_year)]:
                closed_rows.append((loc.code, d, "Новый год"))
            if n_days > 120 and rng.random() < 0.4:
                start = int(rng.integers(30, n_days - 60))
                length = int(rng.integers(3, 7))
                open_day[start:start + length] = False
                for d in days[start:start + length]:
                    closed_rows.append((loc.code, d, "Ремонт"))
            if loc.kind != "store" and n_days > 120:  # sanitary day once a quarter
                for d_index in range(int(rng.integers(20, 80)), n_days, 91):
                    if open_day[d_index]:
                        open_day[d_index] = False
                        closed_rows.append((loc.code, days[d_index], "Санитарный день"))

        promo = np.zeros((n_products, n_days), dtype=bool)
        discount_pct = np.zeros((n_products, n_days))
        n_campaigns = max(1, round(n_days / 365 * 6))
        for _ in range(n_campaigns):
            start = int(rng.integers(0, max(1, n_days - 5)))
            length = int(rng.integers(5, 11))
            members = rng.random(n_products) < 0.3
            pct = float(rng.choice([0.1, 0.15, 0.2, 0.25, 0.3]))
            promo[members, start:start + length] = True
            discount_pct[members, start:start + length] = pct

        weekly = _WEEKLY[loc.kind][weekday]
        for j, product in enumerate(chosen):
            base = product.demand_level * location_scale * float(rng.lognormal(0.0, 0.35))
            if rng.random() < 0.15:  # an intermittent slow mover
                base = float(rng.uniform(0.05, 0.5))
            trend = 1 + float(rng.uniform(-0.15, 0.3)) * t_years
            yearly = _yearly_profile(product.season, day_of_year, float(rng.uniform(0.2, 0.45)))
            holiday_effect = np.where(is_holiday, 1.3 if loc.kind in ("restaurant", "cafe") else 0.85, 1.0)
            elasticity = float(rng.uniform(1.5, 4.0))
            uplift = 1 + elasticity * discount_pct[j]
            mean = base * weekly * yearly * np.clip(trend, 0.3, None) * holiday_effect * uplift
            noise = rng.gamma(4.0, 1 / 4.0, n_days)
            units = rng.poisson(mean * noise)
            alive = open_day.copy()
            if n_days > 400 and rng.random() < 0.08:  # launched during the history
                alive[: int(rng.integers(60, n_days // 2))] = False
            list_price = product.list_price
            if loc.currency == "TRY" and product.sentos_price:
                list_price = product.sentos_price
            # Prices rose every January: history shows the price of its year, the catalogue today's.
            price = np.round(list_price / (1 + PRICE_INFLATION_PER_YEAR) ** (-years_back),
                             0 if list_price >= 50 else 2)
            discount = np.round(units * price * discount_pct[j], 2)
            frames.append(pd.DataFrame({
                "location_code": loc.code,
                "sku": product.sku,
                "date": days[alive],
                "units": units[alive].astype(np.int64),
                "price": price[alive].astype(float),
                "discount": discount[alive],
                "revenue": np.round(units[alive] * price[alive] - discount[alive], 2),
                "promo": promo[j][alive],
            }))
    sales = pd.concat(frames, ignore_index=True)
    sales["date"] = sales["date"].astype("datetime64[ns]")
    closed = pd.DataFrame(closed_rows, columns=["location_code", "date", "reason"])
    closed["date"] = pd.to_datetime(closed["date"]).astype("datetime64[ns]")
    return sales, closed, assortments


def _build_stock(rng: np.random.Generator, sales: pd.DataFrame, locations: list[SellingLocation],
                 assortments: dict[str, list[Product]], boms: list[BomLine], products: list[Product],
                 as_of: dt.date) -> pd.DataFrame:
    last_days = sales[sales["date"] >= sales["date"].max() - pd.Timedelta(days=27)]
    mean_units = last_days.groupby(["location_code", "sku"])["units"].mean()
    by_sku = {p.sku: p for p in products}
    rows = []
    for loc in locations:
        skus = [p.sku for p in assortments[loc.code] if p.kind != "service"]
        if loc.system == "iiko":  # the restaurant store holds goods and the BOM materials, not dishes
            needed: set[str] = set()
            for sku in skus:
                needed |= bom_components(boms, sku)
            skus = [s for s in skus if by_sku[s].kind == "goods"] + sorted(
                s for s in needed if by_sku[s].kind == "material")
        for sku in skus:
            demand = float(mean_units.get((loc.code, sku), 0.0)) or float(rng.uniform(0.5, 5.0))
            on_hand = round(demand * float(rng.uniform(0, 20)), 0 if by_sku[sku].unit == "шт" else 3)
            if rng.random() < 0.07:
                on_hand = 0.0
            if loc.system == "iiko" and rng.random() < 0.04:
                on_hand = -round(float(rng.uniform(0.1, 3.0)), 3)
            reserved = float(rng.integers(0, 3)) if loc.kind in ("store", "ecommerce_warehouse",
                                                                  "marketplace_warehouse") else 0.0
            in_transit = float(round(demand * rng.uniform(2, 10))) if rng.random() < 0.2 else 0.0
            rows.append((loc.code, sku, float(on_hand), min(reserved, max(on_hand, 0.0)), in_transit))
    stock = pd.DataFrame(rows, columns=["location_code", "sku", "on_hand", "reserved", "in_transit"])
    stock["as_of"] = pd.Timestamp(as_of)
    return stock


def _build_drivers(rng: np.random.Generator, locations: list[SellingLocation],
                   assortments: dict[str, list[Product]], first: dt.date, holidays: list[PublicHoliday]
                   ) -> pd.DataFrame:
    last = first + dt.timedelta(days=HORIZON_DAYS - 1)
    rows: list[tuple] = []
    for holiday in holidays:
        if first <= holiday.date <= last:
            rows.append((holiday.date, None, None, "holiday", 1.0, holiday.name))
    for i, loc in enumerate(locations):
        if i % 2 == 0:
            start = first + dt.timedelta(days=int(rng.integers(0, HORIZON_DAYS - 7)))
            pct = float(rng.choice([0.1, 0.15, 0.2, 0.25]))
            skus = [p.sku for p in assortments[loc.code] if rng.random() < 0.3]
            for offset in range(7):
                day = start + dt.timedelta(days=offset)
                for sku in skus or [assortments[loc.code][0].sku]:
                    rows.append((day, loc.code, sku, "promo", pct, "Акция недели"))
        physical = loc.kind in ("restaurant", "cafe", "store")
        if physical:
            for offset in range(HORIZON_DAYS):
                day = first + dt.timedelta(days=offset)
                if day.month == 1 and day.day == 1:
                    rows.append((day, loc.code, None, "closed", 1.0, "Новый год"))
        if physical and i % 5 == 1:
            day = first + dt.timedelta(days=int(rng.integers(3, HORIZON_DAYS)))
            rows.append((day, loc.code, None, "closed", 1.0, "Санитарный день"))
    drivers = pd.DataFrame(rows, columns=["date", "location_code", "sku", "driver", "value", "name"])
    drivers["date"] = pd.to_datetime(drivers["date"]).astype("datetime64[ns]")
    return drivers.sort_values(["date", "driver", "location_code", "sku"], na_position="first",
                               ignore_index=True)


def build_demo_dataset(seed: int = DEFAULT_SEED, size: str = "default",
                       end_date: dt.date | None = DEFAULT_END_DATE) -> DemoDataset:
    """Generate the whole demo group; same arguments → identical data (``end_date=None`` means today)."""
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; choose one of {sorted(SIZES)}")
    spec = SIZES[size]
    today = end_date or dt.date.today()
    last_sales_date = today - dt.timedelta(days=1)
    start_date = today - dt.timedelta(days=spec.days)
    rng = np.random.default_rng(seed)
    updated_base = dt.datetime.combine(last_sales_date, dt.time(18, 0))

    entities = [LegalEntity(name, inn10(prefix + f"{stable_int(seed, 'inn', name, high=10**5):05d}"))
                for name, prefix in catalogue.LEGAL_ENTITIES]
    onec = _build_onec(entities)
    iiko = _build_iiko(seed, onec, entities)
    products, boms = _build_products(seed, rng, updated_base)
    categories = [Category(code, name, parent) for code, name, parent in catalogue.CATEGORIES]
    moysklad_org, moysklad_stores = _build_moysklad(seed, onec, entities, updated_base)
    sentos = [SentosWarehouse(wid, name) for wid, name in catalogue.SENTOS_WAREHOUSES]
    wb = [WbWarehouse(name, code, office) for name, code, office in catalogue.WB_WAREHOUSES]
    wb_seller = WbSeller(name=entities[2].name, inn=entities[2].inn,
                         supplier_id=stable_uuid(seed, "wb-seller"))
    wb_seller_warehouses = [WbSellerWarehouse(id=1_001_207, name="Склад продавца (Москва)", office_id=507,
                                              cargo_type=1, delivery_type=1)]
    locations = _build_locations(spec, iiko, moysklad_stores, sentos, wb)

    days = pd.date_range(start_date, last_sales_date, freq="D")
    holidays = _public_holidays(start_date, today + dt.timedelta(days=HORIZON_DAYS))
    holiday_dates = {h.date for h in holidays}
    sales, closed, assortments = _build_sales(rng, spec, locations, products, days, holiday_dates)
    stock = _build_stock(rng, sales, locations, assortments, boms, products, today)
    drivers = _build_drivers(rng, locations, assortments, today, holidays)
    return DemoDataset(
        seed=seed, size=size, end_date=today, start_date=start_date, last_sales_date=last_sales_date,
        legal_entities=entities, onec_branches=onec, iiko_departments=iiko, locations=locations,
        categories=categories, products=products, boms=boms, daily_sales=sales, stock=stock,
        closed_days=closed, drivers=drivers, public_holidays=holidays, sentos_warehouses=sentos,
        wb_seller=wb_seller, wb_warehouses=wb, wb_seller_warehouses=wb_seller_warehouses,
        moysklad_organization=moysklad_org, moysklad_stores=moysklad_stores)
