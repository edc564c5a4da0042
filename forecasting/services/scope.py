"""What a run, a backtest, an export or a query covers: location subtrees, products, product categories.

One small value object used everywhere (services, commands, API filters) so "filter by location" means
the same thing in each: a location stands for its whole subtree (via ``branches.Location.tree_path``), a
category for itself and its sub-categories. Empty means "everything".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from branches.models import Location, subtree_q
from forecasting.services.errors import InvalidParameter
from sales.models import Product, ProductCategory

SCOPE_FIELDS = ("location", "product", "category")


@dataclass(frozen=True)
class ForecastScope:
    """Location subtree roots, product ids and category ids (each tuple empty = no restriction)."""

    locations: tuple[int, ...] = ()
    products: tuple[int, ...] = ()
    categories: tuple[int, ...] = ()

    @property
    def is_everything(self) -> bool:
        return not (self.locations or self.products or self.categories)

    def to_json(self) -> dict[str, list[int]]:
        """The form stored in ``ModelRun.scope`` (only the restricting keys)."""
        out = {"location": list(self.locations), "product": list(self.products), "category": list(self.categories)}
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_json(cls, data: Mapping | None) -> ForecastScope:
        data = data or {}
        unknown = set(data) - set(SCOPE_FIELDS)
        if unknown:
            raise InvalidParameter(gettext("scope: unknown key(s) %(unknown)s; use %(SCOPE_FIELDS)s") % {
                                       "unknown": sorted(unknown),
                                       "SCOPE_FIELDS": list(SCOPE_FIELDS),
                                   }, field="scope")
        return resolve_scope(**{k: data.get(k) for k in SCOPE_FIELDS})

    @cached_property
    def _roots(self) -> list[tuple[int, str]]:
        return list(Location.objects.filter(pk__in=self.locations).order_by().values_list("pk", "tree_path"))

    def location_ids(self) -> QuerySet:
        """Ids of every location in the chosen subtrees (a lazy subquery; the roots are read once)."""
        q = Q(pk__in=[pk for pk, _ in self._roots])
        paths = [subtree_q(path) for _, path in self._roots if path]
        return Location.objects.filter(reduce(or_, paths, q)).order_by().values("pk")

    def category_ids(self) -> set[int]:
        """The chosen categories and all their descendants (the category tree is small: one query)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent in ProductCategory.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found: set[int] = set()
        stack = list(self.categories)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return found

    def series_q(self, prefix: str = "") -> Q:
        """A filter for any model with ``location`` and ``product`` foreign keys (sales, forecasts, logs)."""
        q = Q()
        if self.locations:
            q &= Q(**{f"{prefix}location_id__in": self.location_ids()})
        if self.products:
            q &= Q(**{f"{prefix}product_id__in": list(self.products)})
        if self.categories:
            q &= Q(**{f"{prefix}product__category_id__in": sorted(self.category_ids())})
        return q

    def describe(self) -> str:
        """A short human description for logs and command output."""
        if self.is_everything:
            return "all locations and products"
        parts = []
        if self.locations:
            parts.append(f"location subtree(s) {list(self.locations)}")
        if self.products:
            parts.append(f"product(s) {list(self.products)}")
        if self.categories:
            parts.append(f"category(ies) {list(self.categories)}")
        return ", ".join(parts)


def _as_list(value: object) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (str, int)):
        return [value]
    if isinstance(value, Iterable):
        return [v for v in value if v is not None and v != ""]
    return [value]


def _resolve_ids(field: str, model, code_field: str, values: object) -> tuple[int, ...]:
    """Ids for values given as ids (int or digit strings) or codes; every value must name exactly one row."""
    items = _as_list(values)
    if not items:
        return ()
    label = model._meta.verbose_name
    ids: list[int] = []
    codes: list[str] = []
    for item in items:
        if isinstance(item, bool):
            raise InvalidParameter(gettext("%(field)s: %(item)r is not a %(label)s id or %(code_field)s") % {
                                       "field": field,
                                       "item": item,
                                       "label": label,
                                       "code_field": code_field,
                                   }, field=field)
        if isinstance(item, int):
            ids.append(item)
        else:
            codes.append(str(item).strip())
    by_code: dict[str, list[int]] = {}
    if codes:
        for pk, code in model.objects.filter(**{f"{code_field}__in": codes}).values_list("pk", code_field):
            by_code.setdefault(code, []).append(pk)
    for code in codes:
        matches = by_code.get(code, [])
        if len(matches) > 1:
            raise InvalidParameter(
                gettext("%(field)s: %(code_field)s %(code)r matches %(count)s %(label)ss (ids %(matches)s); "
                        "pass the id instead") % {
                    "field": field,
                    "code_field": code_field,
                    "code": code,
                    "count": len(matches),
                    "label": label,
                    "matches": sorted(matches),
                },
                field=field,
            )
        if matches:
            ids.append(matches[0])
        elif code.isdigit():
            ids.append(int(code))
        else:
            raise InvalidParameter(gettext("%(field)s: no %(label)s with %(code_field)s or id %(code)r") % {
                                       "field": field,
                                       "label": label,
                                       "code_field": code_field,
                                       "code": code,
                                   }, field=field)
    unique = sorted(set(ids))
    found = set(model.objects.filter(pk__in=unique).values_list("pk", flat=True))
    missing = [pk for pk in unique if pk not in found]
    if missing:
        raise InvalidParameter(gettext("%(field)s: no %(label)s with id %(ids)s") % {
                                   "field": field,
                                   "label": label,
                                   "ids": ', '.join(map(str, missing)),
                               }, field=field)
    return tuple(unique)


def resolve_scope(location: object = None, product: object = None, category: object = None) -> ForecastScope:
    """Validate and resolve filters given as ids or codes (location code, product SKU, category code).

    Raises :class:`InvalidParameter` naming the field when a value matches nothing (or several things).
    """
    return ForecastScope(
        locations=_resolve_ids("location", Location, "code", location),
        products=_resolve_ids("product", Product, "sku", product),
        categories=_resolve_ids("category", ProductCategory, "code", category),
    )


def as_scope(scope: ForecastScope | Mapping | None) -> ForecastScope:
    """Accept a scope object, its JSON form, or None (everything)."""
    if scope is None:
        return ForecastScope()
    if isinstance(scope, ForecastScope):
        return scope
    if isinstance(scope, Mapping):
        return ForecastScope.from_json(scope)
    raise InvalidParameter(gettext("scope: expected a mapping of %(SCOPE_FIELDS)s, got %(name)s") % {
                               "SCOPE_FIELDS": list(SCOPE_FIELDS),
                               "name": type(scope).__name__,
                           },
                           field="scope")
