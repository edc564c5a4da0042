"""Effective lead time of every location × product as ONE SQL expression, so risk is computed in the database.

planning.services.settings resolves settings pair by pair in Python (SettingsResolver); running that for every
forecast series would be a per-row loop. Settings rows are few (configuration, not data), so the same
resolution is written as a CASE whose WHEN branches follow the resolver's precedence for `lead_time_days`:

1. item level first: the product's own rows, then rows of its category and the category's ancestors
   (deeper = nearer first), then rows for no item;
2. within an item level, the nearest location first: the row's location is the item's location or one of its
   ancestors (`tree_path` prefix), deeper first, then rows for any location;
3. no row sets a lead time → planning's built-in default.

`tests/monitoring/test_lead_time.py` checks this expression against SettingsResolver on a mixed scenario.
The CASE has one branch per settings row that sets a lead time: its size follows configuration, never data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, DateField, IntegerField, Q, Value, When

from planning.models import PlanningSettings
from planning.services.settings import DEFAULTS as PLANNING_DEFAULTS
from sales.models import ProductCategory


@dataclass(frozen=True)
class LeadTimeRule:
    days: int
    product_id: int | None
    category_ids: frozenset[int] | None  # the row's category and all its descendants
    location_id: int | None
    location_path: str


@dataclass(frozen=True)
class ItemFields:
    """Where the item's location, its tree path, product and product category are, relative to a query."""

    location_id: str = "location_id"
    location_path: str = "location__tree_path"
    product_id: str = "product_id"
    category_id: str = "product__category_id"


class LeadTimeRules:
    def __init__(self, rules: list[LeadTimeRule], default_days: int) -> None:
        self.rules = rules
        self.default_days = default_days

    @classmethod
    def load(cls) -> LeadTimeRules:
        """Two queries: the settings rows that set a lead time (with their location's path), the categories."""
        rows = list(
            PlanningSettings.objects.filter(lead_time_days__isnull=False).values(
                "product_id", "category_id", "location_id", "location__tree_path", "location__depth", "lead_time_days"
            )
        )
        parents = dict(ProductCategory.objects.values_list("id", "parent_id"))
        return cls.from_rows(rows, parents, int(PLANNING_DEFAULTS["lead_time_days"]))

    @classmethod
    def from_rows(cls, rows: list[dict], category_parents: dict[int, int | None], default_days: int) -> LeadTimeRules:
        chains = {cid: _chain(cid, category_parents) for cid in category_parents}
        descendants: dict[int, set[int]] = {}
        for cid, chain in chains.items():
            for ancestor in chain:
                descendants.setdefault(ancestor, set()).add(cid)

        def sort_key(row: dict) -> tuple:
            if row["product_id"]:
                item = (0, 0)
            elif row["category_id"]:
                depth = len(chains.get(row["category_id"], [row["category_id"]])) - 1
                item = (1, -depth)
            else:
                item = (2, 0)
            location = (0, -(row["location__depth"] or 0)) if row["location_id"] else (1, 0)
            return (*item, *location)

        rules = []
        for row in sorted(rows, key=sort_key):
            category_ids = None
            if row["category_id"] and not row["product_id"]:
                category_ids = frozenset(descendants.get(row["category_id"], {row["category_id"]}))
            rules.append(
                LeadTimeRule(
                    days=int(row["lead_time_days"]),
                    product_id=row["product_id"],
                    category_ids=category_ids,
                    location_id=row["location_id"],
                    location_path=row["location__tree_path"] or "",
                )
            )
        return cls(rules, default_days)

    @property
    def distinct_days(self) -> list[int]:
        """The lead times an item can get (unreachable rules after a global row left out)."""
        branches, default = self._branches(ItemFields())
        return sorted({days for _condition, days in branches} | {default})

    def _branches(self, fields: ItemFields) -> tuple[list[tuple[Q, int]], int]:
        """(condition, days) in precedence order, and the default. Product rows for any location are disjoint
        (one product each) and come right after the located product rows, so they merge into one
        `product IN (…)` branch per lead time: the CASE stays short however many products have a row."""
        branches: list[tuple[Q, int]] = []
        product_wide: dict[int, list[int]] = {}

        def flush_product_wide() -> None:
            for days, product_ids in product_wide.items():
                branches.append((Q(**{f"{fields.product_id}__in": sorted(product_ids)}), days))
            product_wide.clear()

        for rule in self.rules:
            if rule.product_id and not rule.location_id:
                product_wide.setdefault(rule.days, []).append(rule.product_id)
                continue
            flush_product_wide()
            condition = Q()
            if rule.product_id:
                condition &= Q(**{fields.product_id: rule.product_id})
            elif rule.category_ids is not None:
                condition &= Q(**{f"{fields.category_id}__in": sorted(rule.category_ids)})
            if rule.location_id:
                if rule.location_path:
                    condition &= Q(**{f"{fields.location_path}__startswith": rule.location_path})
                else:  # path not computed yet: the location itself only
                    condition &= Q(**{fields.location_id: rule.location_id})
            if not condition:
                return branches, rule.days  # the global row: every later rule is unreachable
            branches.append((condition, rule.days))
        flush_product_wide()
        return branches, self.default_days

    def days_expression(self, fields: ItemFields = ItemFields()) -> Case | Value:
        """The item's lead time in days."""
        branches, default = self._branches(fields)
        if not branches:
            return Value(default, output_field=IntegerField())
        return Case(
            *[When(condition, then=Value(days)) for condition, days in branches],
            default=Value(default),
            output_field=IntegerField(),
        )

    def cutoff_expression(self, today: date, fields: ItemFields = ItemFields()) -> Case | Value:
        """today + the item's lead time: the first day no longer inside the lead time (a date literal per branch,
        so no database-specific date arithmetic)."""
        branches, default = self._branches(fields)
        if not branches:
            return Value(today + timedelta(days=default), output_field=DateField())
        return Case(
            *[When(condition, then=Value(today + timedelta(days=days))) for condition, days in branches],
            default=Value(today + timedelta(days=default)),
            output_field=DateField(),
        )


def _chain(category_id: int, parents: dict[int, int | None]) -> list[int]:
    """The category, then its ancestors nearest first (cycles cut, as the resolver does)."""
    chain: list[int] = []
    seen: set[int] = set()
    current: int | None = category_id
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain
