"""Lots: create them for receipts and production output, find them by number, and change a lot's standing.

The lower app owns the contract: `get_lot_by_number()` is the one door for label scanners (shopfloor) and
`set_lot_status()` the one for quality decisions (quality); neither caller is imported here. Every quantity
moves through the ledger (`change_stock_status`, `scrap_stock`), so balances and buckets stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from planning.choices import LOT_TRANSITIONS, LotOrigin, LotStatus, MovementKind, StockStatus
from planning.models import StockBucket, StockLot
from planning.services.ledger import MovementSpec, lock_balances, post_movements
from sales.models import Product

ZERO = Decimal("0")
# A lot's standing → the status its quantities carry (scrapped lots hold none).
LOT_STOCK_STATUS = {
    LotStatus.QUARANTINE: StockStatus.QUARANTINE,
    LotStatus.AVAILABLE: StockStatus.AVAILABLE,
    LotStatus.BLOCKED: StockStatus.BLOCKED,
}
NOTE_REQUIRED = {LotStatus.BLOCKED, LotStatus.SCRAPPED}


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def incoming_status(product: Product) -> str:
    """The status a receipt or production output of the product arrives in."""
    return StockStatus.QUARANTINE if product.requires_inspection else StockStatus.AVAILABLE


def create_lot(
    product: Product,
    *,
    number: str,
    origin: str = LotOrigin.OTHER,
    produced_on: date | None = None,
    expires_on: date | None = None,
    purchase_receipt_id: int | None = None,
    production_task_id: int | None = None,
    status: str | None = None,
) -> StockLot:
    """A new lot of a product; 409 when the product already has a lot of that number."""
    number = (number or "").strip()
    if not number:
        raise InvalidInput(gettext("A lot needs a number."), field="lot_number")
    if expires_on and produced_on and expires_on < produced_on:
        raise InvalidInput(gettext("Lot %(number)s: expiry %(expires_on)s is before its date %(produced_on)s.") % {
                               "number": number,
                               "expires_on": expires_on,
                               "produced_on": produced_on,
                           },
                           field="expires_on")
    if StockLot.objects.filter(product=product, number=number).exists():
        raise Conflict(gettext("Product %(sku)s already has a lot %(number)s; use another lot number.") % {
                           "sku": product.sku,
                           "number": number,
                       },
                       field="lot_number", code="duplicate_lot")
    if status is None:
        status = LotStatus.QUARANTINE if product.requires_inspection else LotStatus.AVAILABLE
    return StockLot.objects.create(
        product=product, number=number, origin=origin, produced_on=produced_on or timezone.localdate(),
        expires_on=expires_on, purchase_receipt_id=purchase_receipt_id, production_task_id=production_task_id,
        status=status,
    )


def get_lot_by_number(product: Product | int, number: str) -> StockLot:
    """The lot of a product by its printed number (what a scanned lot label resolves to); 404 otherwise."""
    product_id = product.pk if isinstance(product, Product) else product
    lot = StockLot.objects.select_related("product").filter(product_id=product_id, number=number.strip()).first()
    if lot is None:
        raise NotFound(gettext("Product %(product_id)s has no lot %(number)r.") % {
                           "product_id": product_id,
                           "number": number,
                       }, field="lot_number")
    return lot


@dataclass(frozen=True)
class LotQuantity:
    location_id: int
    status: str
    quantity: Decimal


def lot_stock(lot: StockLot) -> list[LotQuantity]:
    """Where the lot's stock is and in which status (non-zero buckets only)."""
    return [
        LotQuantity(loc, status, quantity)
        for loc, status, quantity in StockBucket.objects.filter(lot=lot).exclude(quantity=0)
        .order_by("location_id", "status").values_list("location_id", "status", "quantity")
    ]


def set_lot_status(lot_id: int, target: str, *, note: str = "", user=None, reference: str = "") -> StockLot:
    """Change a lot's standing and move all of its stock with it, in one transaction.

    quarantine → available (release) | blocked | scrapped; available → blocked | quarantine;
    blocked → available (unblock) | scrapped. Blocking, unblocking and scrapping need a note. Scrapping writes
    every remaining quantity off with a scrap movement. Anything else is a 409 naming the lot's status.
    """
    with transaction.atomic():
        # FOR NO KEY UPDATE: a movement inserted elsewhere that names this lot takes a KEY SHARE lock on it
        # (foreign key check) while holding its item's balance; FOR UPDATE here would deadlock with that.
        lot = StockLot.objects.select_for_update(no_key=True, of=("self",)).select_related("product").get(pk=lot_id)
        if target not in LOT_TRANSITIONS.get(lot.status, ()):
            allowed = [s for s, targets in LOT_TRANSITIONS.items() if target in targets]
            raise IllegalTransition(
                gettext("Lot %(number)s of %(sku)s is %(status)s; it cannot become %(target)s (allowed from: "
                        "%(value)s).") % {
                    "number": lot.number,
                    "sku": lot.product.sku,
                    "status": lot.status,
                    "target": target,
                    "value": ', '.join(allowed) or 'no state',
                },
                current=lot.status,
            )
        note = (note or "").strip()
        if not note and (target in NOTE_REQUIRED or lot.status == LotStatus.BLOCKED):
            raise InvalidInput(gettext("Lot %(number)s: a decision to make it %(target)s needs a note saying "
                                       "why.") % {"number": lot.number, "target": target},
                               field="note")
        reason = note or f"lot {lot.number} {target}"
        reference = reference or f"lot {lot.number}"
        # Lock the lot's items before reading its quantities, so a consumption committing meanwhile cannot
        # leave this decision moving more than is there.
        lock_balances({(loc, lot.product_id) for loc in StockBucket.objects.filter(lot=lot).values_list(
            "location_id", flat=True)})
        buckets = list(StockBucket.objects.filter(lot=lot).exclude(quantity=0).order_by("location_id", "status"))
        specs: list[MovementSpec] = []
        for bucket in buckets:
            if target == LotStatus.SCRAPPED:
                specs.append(MovementSpec(bucket.location_id, lot.product_id, MovementKind.SCRAP, -bucket.quantity,
                                          reason=reason, reference=reference, lot_id=lot.pk, status=bucket.status))
            elif bucket.status != LOT_STOCK_STATUS[target]:
                common = {"reason": reason, "reference": reference, "lot_id": lot.pk}
                specs += [
                    MovementSpec(bucket.location_id, lot.product_id, MovementKind.STATUS_CHANGE, -bucket.quantity,
                                 status=bucket.status, **common),
                    MovementSpec(bucket.location_id, lot.product_id, MovementKind.STATUS_CHANGE, bucket.quantity,
                                 status=LOT_STOCK_STATUS[target], **common),
                ]
        post_movements(specs, user=user)
        lot.status = target
        lot.status_note = note[:500]
        lot.status_changed_by = _user(user)
        lot.status_changed_at = timezone.now()
        lot.save(update_fields=["status", "status_note", "status_changed_by", "status_changed_at"])
    return lot


def settle_lot_status(lot: StockLot, *, note: str = "", user=None) -> StockLot:
    """After quantities of a quarantined lot were released or written off one by one: once nothing is left in
    quarantine, the lot is available (or scrapped when nothing at all is left). Call with the lot locked."""
    if lot.status != LotStatus.QUARANTINE:
        return lot
    quantities = lot_stock(lot)
    if any(q.status == StockStatus.QUARANTINE for q in quantities):
        return lot
    lot.status = LotStatus.AVAILABLE if quantities else LotStatus.SCRAPPED
    lot.status_note = note[:500]
    lot.status_changed_by = _user(user)
    lot.status_changed_at = timezone.now()
    lot.save(update_fields=["status", "status_note", "status_changed_by", "status_changed_at"])
    return lot
