"""The code scheme of labels and scans: a small registry of object kinds, each with its prefix.

A code is ``<PREFIX>:<value>``: ``P:<sku>`` (product), ``L:<location code>`` or ``L:#<id>`` (location, by id when
its code is empty or shared), ``POL:<id>`` (purchase order line), ``PT:<id>`` (production task). The value is
everything after the first colon, so values may contain colons (``LOT:<sku>:<number>`` once lots exist).
A code without a known prefix is tried against the fallbacks (a product's own EAN/UPC barcode).

Registering a kind is all it takes for labels and scans to know it (and `shopfloor.services.scan` registers its
actions by kind name). Lots are ``LOT:<sku>:<lot number>`` (either may hold colons; every split is tried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext

from branches.models import Location
from core.errors import Conflict, InvalidInput, NotFound
from planning.models import ProductionTask, PurchaseOrderLine, StockLot
from sales.models import Product, ProductBarcode

MAX_CODE_LENGTH = 200


@dataclass(frozen=True)
class ObjectKind:
    """One kind of object a code can name."""

    name: str
    prefix: str
    model: type[models.Model]
    lookup: Callable[[str], Any | None]  # value after the prefix → the object, or None
    value_of: Callable[[Any], str]  # object → value after the prefix
    title_of: Callable[[Any], str]  # the human line printed under the symbol
    describe: Callable[[Any], dict[str, Any]]  # what a scan answers about the object

    def code_of(self, obj: Any) -> str:
        return f"{self.prefix}:{self.value_of(obj)}"


@dataclass(frozen=True)
class Resolved:
    code: str
    kind: ObjectKind
    obj: Any

    @property
    def object_id(self) -> str:
        return str(self.obj.pk)


_kinds: dict[str, ObjectKind] = {}  # prefix → kind
_fallbacks: list[tuple[str, Callable[[str], Any | None]]] = []  # (kind name, lookup of a bare code)


def register_kind(kind: ObjectKind) -> None:
    """Add (or replace) a kind; prefixes and names are unique."""
    clash = [k for k in _kinds.values() if k.name == kind.name and k.prefix != kind.prefix]
    if clash:
        raise ValueError(f"Kind {kind.name} is already registered with prefix {clash[0].prefix}.")
    _kinds[kind.prefix] = kind


def register_fallback(kind_name: str, lookup: Callable[[str], Any | None]) -> None:
    _fallbacks.append((kind_name, lookup))


def kinds() -> list[ObjectKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)


def kind_named(name: str) -> ObjectKind:
    for kind in _kinds.values():
        if kind.name == name:
            return kind
    raise InvalidInput(gettext("Unknown object kind %(name)r; use one of %(value)s.") % {
                           "name": name,
                           "value": ', '.join(k.name for k in kinds()),
                       },
                       field="kind")


def _clean(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise InvalidInput(gettext("Send the scanned code."))
    if len(code) > MAX_CODE_LENGTH:
        raise InvalidInput(gettext("A code has at most %(MAX_CODE_LENGTH)s characters.") % {
                               "MAX_CODE_LENGTH": MAX_CODE_LENGTH,
                           })
    return code


def resolve(code: str) -> Resolved:
    """The object a code names; NotFound (404) naming the code when it names nothing."""
    code = _clean(code)
    prefix, sep, value = code.partition(":")
    kind = _kinds.get(prefix.upper()) if sep else None
    if kind is not None:
        obj = kind.lookup(value) if value else None
        if obj is not None:
            return Resolved(kind.code_of(obj), kind, obj)
        raise NotFound(gettext("No %(kind)s has the code %(code)r.") % {"kind": kind.name, "code": code},
                       hint=gettext("Check the label, or print a new one from the object's page."),
                       extra={"scanned": code})
    for kind_name, lookup in _fallbacks:
        obj = lookup(code)
        if obj is not None:
            return Resolved(code, kind_named(kind_name), obj)
    raise NotFound(gettext("Unknown code %(code)r: it names no %(value)s.") % {
                       "code": code,
                       "value": ', '.join(k.name for k in kinds()),
                   },
                   hint=gettext("Codes start with %(value)s or are a product barcode.") % {
                            "value": ', '.join(k.prefix + ':' for k in kinds()),
                        },
                   extra={"scanned": code})


def code_for(kind_name: str, object_id: int) -> Resolved:
    """The code of an object given by kind and id (for printing labels from an object page)."""
    kind = kind_named(kind_name)
    obj = kind.model._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise NotFound(gettext("No %(kind)s with id %(object_id)s.") % {
                           "kind": kind.name,
                           "object_id": object_id,
                       }, field="id")
    return Resolved(kind.code_of(obj), kind, obj)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


# --- the kinds that exist today ------------------------------------------------------------------------------


def _product(value: str) -> Product | None:
    return Product.objects.filter(sku=value).first()


def _location(value: str) -> Location | None:
    if value.startswith("#"):
        pk = _int(value[1:])
        return Location.objects.filter(pk=pk).first() if pk is not None else None
    matches = list(Location.objects.filter(code=value)[:2])
    if len(matches) > 1:
        raise Conflict(gettext("Several locations have the code %(value)r; print their labels again (they "
                               "name the id).") % {"value": value})
    return matches[0] if matches else None


def _location_value(location: Location) -> str:
    unique = location.code and not Location.objects.filter(code=location.code).exclude(pk=location.pk).exists()
    return location.code if unique else f"#{location.pk}"


def _by_id(model: type[models.Model], related: tuple[str, ...] = ()) -> Callable[[str], Any | None]:
    def lookup(value: str) -> Any | None:
        pk = _int(value)
        return model._default_manager.select_related(*related).filter(pk=pk).first() if pk is not None else None

    return lookup


def _barcode(code: str) -> Product | None:
    row = ProductBarcode.objects.select_related("product").filter(barcode=code).first()
    return row.product if row is not None else None


register_kind(ObjectKind(
    name="product", prefix="P", model=Product, lookup=_product, value_of=lambda p: p.sku,
    title_of=lambda p: f"{p.sku} {p.name}",
    describe=lambda p: {"id": p.pk, "sku": p.sku, "name": p.name, "unit": p.unit},
))
register_kind(ObjectKind(
    name="location", prefix="L", model=Location, lookup=_location, value_of=_location_value,
    title_of=lambda loc: loc.name,
    describe=lambda loc: {"id": loc.pk, "code": loc.code, "name": loc.name},
))
register_kind(ObjectKind(
    name="purchase_order_line", prefix="POL", model=PurchaseOrderLine,
    lookup=_by_id(PurchaseOrderLine, ("order", "product")), value_of=lambda line: str(line.pk),
    title_of=lambda line: f"PO {line.order_id} · {line.product.sku} × {line.quantity.normalize():f}",
    describe=lambda line: {
        "id": line.pk, "order": line.order_id, "order_status": line.order.status, "product": line.product_id,
        "sku": line.product.sku, "quantity": str(line.quantity), "received_quantity": str(line.received_quantity),
        "outstanding_quantity": str(line.outstanding_quantity), "location": line.order.location_id,
    },
))
register_kind(ObjectKind(
    name="production_task", prefix="PT", model=ProductionTask, lookup=_by_id(ProductionTask, ("product",)),
    value_of=lambda task: str(task.pk),
    title_of=lambda task: f"Task {task.pk} · {task.product.sku} × {task.quantity.normalize():f}",
    describe=lambda task: {
        "id": task.pk, "status": task.status, "product": task.product_id, "sku": task.product.sku,
        "quantity": str(task.quantity), "location": task.location_id, "due_date": task.due_date.isoformat(),
    },
))
def _lot(value: str) -> StockLot | None:
    """``<sku>:<number>``: either may hold colons, so every split is tried, the last colon first."""
    cuts = [i for i, ch in enumerate(value) if ch == ":"]
    for cut in reversed(cuts):
        sku, number = value[:cut], value[cut + 1:]
        if sku and number:
            lot = StockLot.objects.select_related("product").filter(product__sku=sku, number=number).first()
            if lot is not None:
                return lot
    return None


register_kind(ObjectKind(
    name="lot", prefix="LOT", model=StockLot, lookup=_lot, value_of=lambda lot: f"{lot.product.sku}:{lot.number}",
    title_of=lambda lot: f"{lot.product.sku} lot {lot.number}"
    + (f" · exp. {lot.expires_on}" if lot.expires_on else ""),
    describe=lambda lot: {
        "id": lot.pk, "product": lot.product_id, "sku": lot.product.sku, "number": lot.number, "status": lot.status,
        "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
    },
))
register_fallback("product", _barcode)
