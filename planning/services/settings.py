"""Effective planning settings of a location × product, resolved field by field from the settings rows.

Resolution order (most specific first; the first row that sets a field wins, per field):

1. the item dimension decides first: the product's own rows, then rows of its category, then of the
   category's ancestors (nearest first), then rows for no item;
2. within one item level, the location dimension: the location itself, then its ancestors in the location
   tree (nearest first), then no location (all locations);
3. fields no row sets take the built-in defaults (`DEFAULTS`; make-or-buy defaults by product kind).

So "product X anywhere" beats "everything at branch Y": a product rule is a statement about the item,
a branch rule a statement about a place, and item facts (pack size, MOQ, supplier) are what differ most.
A row at the same item level and a nearer location overrides a farther one (a branch overrides its region).

`SettingsResolver` loads every settings row, the category tree and the suppliers once (three queries),
then resolves any number of pairs in memory; `resolve_settings()` is the one-pair convenience.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from branches.models import Location
from planning.choices import MakeOrBuy
from planning.models import PlanningSettings, Supplier
from sales.choices import ProductKind
from sales.models import Product, ProductCategory

# Fields resolved from PlanningSettings rows, in display order.
SETTING_FIELDS = (
    "service_level",
    "review_period_days",
    "lead_time_days",
    "moq",
    "pack_size",
    "max_stock",
    "make_or_buy",
    "supplier_id",
    "allow_negative_stock",
)

DEFAULTS: dict[str, object] = {
    "service_level": Decimal("0.95"),
    "review_period_days": 7,
    "lead_time_days": 2,
    "moq": Decimal("0"),
    "pack_size": Decimal("1"),
    "max_stock": None,
    "make_or_buy": None,  # by product kind, see default_make_or_buy()
    "supplier_id": None,
    "allow_negative_stock": False,
}

MAKE_KINDS = (ProductKind.DISH, ProductKind.SEMI_FINISHED)


def default_make_or_buy(product_kind: str) -> str:
    """Dishes and semi-finished goods are made in-house; goods and materials are bought."""
    return MakeOrBuy.MAKE if product_kind in MAKE_KINDS else MakeOrBuy.BUY


@dataclass(frozen=True)
class EffectiveSettings:
    """The settings that apply to one location × product, and which row each value came from."""

    location_id: int | None
    product_id: int | None
    service_level: Decimal
    review_period_days: int
    lead_time_days: int
    moq: Decimal
    pack_size: Decimal
    max_stock: Decimal | None
    make_or_buy: str
    supplier_id: int | None
    allow_negative_stock: bool
    sources: dict[str, str] = field(default_factory=dict)
    supplier_name: str = ""

    @property
    def protection_days(self) -> int:
        return self.lead_time_days + self.review_period_days

    @property
    def has_explicit_settings(self) -> bool:
        """True when at least one settings row (the global row included) applies."""
        return any(not source.startswith("default") for source in self.sources.values())

    def as_dict(self) -> dict:
        return {
            "service_level": str(self.service_level),
            "review_period_days": self.review_period_days,
            "lead_time_days": self.lead_time_days,
            "moq": str(self.moq),
            "pack_size": str(self.pack_size),
            "max_stock": None if self.max_stock is None else str(self.max_stock),
            "make_or_buy": self.make_or_buy,
            "supplier_id": self.supplier_id,
            "supplier_name": self.supplier_name,
            "allow_negative_stock": self.allow_negative_stock,
            "sources": dict(self.sources),
        }


def _row_label(row: PlanningSettings) -> str:
    parts = []
    if row.product_id:
        parts.append(f"product {row.product_id}")
    if row.category_id:
        parts.append(f"category {row.category_id}")
    if row.location_id:
        parts.append(f"location {row.location_id}")
    return f"settings {row.pk} (" + (" @ ".join(parts) if parts else "global") + ")"


class SettingsResolver:
    """Resolves effective settings for many pairs with a constant number of queries."""

    def __init__(
        self,
        rows: Iterable[PlanningSettings],
        category_parents: dict[int, int | None],
        suppliers: dict[int, str],
    ) -> None:
        self._rows: dict[tuple[str, int | None, int | None], PlanningSettings] = {}
        for row in rows:
            if row.product_id:
                key = ("p", row.product_id, row.location_id)
            elif row.category_id:
                key = ("c", row.category_id, row.location_id)
            else:
                key = ("-", None, row.location_id)
            self._rows[key] = row
        self._category_parents = category_parents
        self._suppliers = suppliers
        self._location_chains: dict[int, list[int]] = {}

    @classmethod
    def load(cls) -> SettingsResolver:
        rows = list(PlanningSettings.objects.all())
        parents = dict(ProductCategory.objects.values_list("id", "parent_id"))
        suppliers = dict(Supplier.objects.values_list("id", "name"))
        return cls(rows, parents, suppliers)

    def _category_chain(self, category_id: int | None) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        while category_id is not None and category_id not in seen:
            chain.append(category_id)
            seen.add(category_id)
            category_id = self._category_parents.get(category_id)
        return chain

    def _location_chain(self, location: Location | None) -> list[int | None]:
        """The location, then its ancestors nearest first, then None (= any location)."""
        if location is None:
            return [None]
        if location.pk not in self._location_chains:
            ancestors = [int(p) for p in location.tree_path.strip("/").split("/") if p and int(p) != location.pk]
            self._location_chains[location.pk] = [location.pk, *reversed(ancestors)]
        return [*self._location_chains[location.pk], None]

    def candidate_rows(self, location: Location | None, product: Product | None) -> list[PlanningSettings]:
        """The rows that apply to this pair, most specific first."""
        item_levels: list[tuple[str, int | None]] = []
        if product is not None:
            item_levels.append(("p", product.pk))
            item_levels.extend(("c", cid) for cid in self._category_chain(product.category_id))
        item_levels.append(("-", None))
        locations = self._location_chain(location)
        found = []
        for kind, item_id in item_levels:
            for location_id in locations:
                row = self._rows.get((kind, item_id, location_id))
                if row is not None:
                    found.append(row)
        return found

    def resolve(self, location: Location | None, product: Product | None) -> EffectiveSettings:
        values: dict[str, object] = {}
        sources: dict[str, str] = {}
        rows = self.candidate_rows(location, product)
        for name in SETTING_FIELDS:
            for row in rows:
                value = getattr(row, name)
                if value is not None and value != "":
                    values[name] = value
                    sources[name] = _row_label(row)
                    break
            else:
                values[name] = DEFAULTS[name]
                sources[name] = "default"
        if values["make_or_buy"] is None:
            kind = product.kind if product is not None else ProductKind.GOODS
            values["make_or_buy"] = default_make_or_buy(kind)
            sources["make_or_buy"] = f"default for kind {kind}"
        supplier_id = values["supplier_id"]
        return EffectiveSettings(
            location_id=location.pk if location is not None else None,
            product_id=product.pk if product is not None else None,
            sources=sources,
            supplier_name=self._suppliers.get(supplier_id, "") if supplier_id else "",
            **values,
        )


def resolve_settings(location: Location | None, product: Product | None) -> EffectiveSettings:
    """Effective settings of one pair (three queries). For many pairs, use SettingsResolver.load() once."""
    return SettingsResolver.load().resolve(location, product)


def resolve_settings_bulk(
    pairs: Iterable[tuple[Location, Product]],
) -> dict[tuple[int, int], EffectiveSettings]:
    """Effective settings of many pairs keyed by (location id, product id), in three queries in total."""
    resolver = SettingsResolver.load()
    return {(loc.pk, prod.pk): resolver.resolve(loc, prod) for loc, prod in pairs}
