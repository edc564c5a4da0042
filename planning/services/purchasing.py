"""Purchase orders: edit while draft, send, receive (posting receipt movements), cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import DomainError
from planning.choices import PURCHASE_ORDER_TRANSITIONS, LotOrigin, MovementKind, PurchaseOrderStatus
from planning.models import OrderProposal, PurchaseOrder, PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from planning.services.ledger import MovementSpec, post_movements
from planning.services.lots import create_lot, incoming_status
from sales.models import Product


class PurchasingError(DomainError):
    """A purchase-order request that cannot be carried out (400, pointing at ``field``)."""

    field = "non_field_errors"

    def __init__(self, message: str, field: str | None = None, **kwargs) -> None:
        super().__init__(message, field=field or None, **kwargs)


class IllegalOrderState(PurchasingError):
    """409: the order's current status does not allow the step."""

    status = 409
    code = "illegal_transition"

    def __init__(self, order: PurchaseOrder, action: str, allowed: Sequence[str]) -> None:
        self.current = order.status
        super().__init__(
            gettext("Purchase order %(order_id)s is %(status)s; cannot %(action)s it (allowed when: %(allowed)s).") % {
                "order_id": order.pk, "status": order.status, "action": action, "allowed": ", ".join(allowed)},
            extra={"current_status": order.status},
        )
        self.field = None


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = None
    expected_date: date | None = None
    notes: str = ""
    proposal_id: int | None = None


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _require(order: PurchaseOrder, action: str, target: str) -> None:
    if target not in PURCHASE_ORDER_TRANSITIONS[order.status]:
        allowed = [s for s, targets in PURCHASE_ORDER_TRANSITIONS.items() if target in targets]
        raise IllegalOrderState(order, action, allowed)


def _add_lines(order: PurchaseOrder, lines: Sequence[LineInput]) -> None:
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise PurchasingError(gettext("Line %(index)s: quantity must be greater than 0.") % {
                                      "index": index + 1,
                                  }, field="lines")
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            order=order,
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            expected_date=line.expected_date,
            notes=line.notes,
            proposal_id=line.proposal_id,
        )
        for line in lines
    )


@transaction.atomic
def create_purchase_order(
    *,
    location_id: int,
    supplier_id: int | None = None,
    lines: Sequence[LineInput] = (),
    expected_date: date | None = None,
    supplier_reference: str = "",
    notes: str = "",
    user=None,
) -> PurchaseOrder:
    order = PurchaseOrder.objects.create(
        location_id=location_id,
        supplier_id=supplier_id,
        expected_date=expected_date,
        supplier_reference=supplier_reference,
        notes=notes,
        created_by=_user(user),
    )
    _add_lines(order, lines)
    return order


@transaction.atomic
def update_purchase_order(order_id: int, *, fields: dict, lines: Sequence[LineInput] | None = None) -> PurchaseOrder:
    """Change a draft (header fields; lines replaced when given). Anything else is a 409."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    if order.status != PurchaseOrderStatus.DRAFT:
        raise IllegalOrderState(order, "edit", [PurchaseOrderStatus.DRAFT])
    for name, value in fields.items():
        setattr(order, name, value)
    order.save()
    if lines is not None:
        order.lines.all().delete()
        _add_lines(order, lines)
    return order


@transaction.atomic
def delete_purchase_order(order_id: int, *, return_proposals: bool = False) -> int:
    """Delete a draft. While approved proposals sit on its lines it is refused, unless ``return_proposals``
    puts them back to review (status proposed, decision cleared); returns how many went back."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    if order.status != PurchaseOrderStatus.DRAFT:
        raise IllegalOrderState(order, "delete", [PurchaseOrderStatus.DRAFT])
    proposal_ids = list(order.lines.filter(proposal__isnull=False).values_list("proposal_id", flat=True))
    if proposal_ids and not return_proposals:
        raise PurchasingError(
            gettext("PO %(order_id)s carries %(count)s approved proposal(s); delete it with 'return the "
                    "proposals to review', or remove those lines first.") % {
                "order_id": order.pk,
                "count": len(proposal_ids),
            },
            field="return_proposals",
        )
    OrderProposal.objects.filter(pk__in=proposal_ids).update(
        status="proposed", decided_by=None, decided_at=None, decided_quantity=None, decision_note=""
    )
    order.delete()
    return len(proposal_ids)


@transaction.atomic
def send_purchase_order(order_id: int, *, user=None) -> PurchaseOrder:
    """draft → sent. Needs a supplier and at least one line; stamps the order date."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    _require(order, "send", PurchaseOrderStatus.SENT)
    if order.supplier_id is None:
        raise PurchasingError(gettext("Purchase order %(order_id)s has no supplier; set one before sending.") % {
                                  "order_id": order.pk,
                              }, field="supplier")
    if not order.lines.exists():
        raise PurchasingError(gettext("Purchase order %(order_id)s has no lines; add some before sending.") % {
                                  "order_id": order.pk,
                              }, field="lines")
    order.status = PurchaseOrderStatus.SENT
    order.sent_by, order.sent_at = _user(user), timezone.now()
    order.order_date = order.order_date or timezone.localdate()
    order.save()
    return order


@transaction.atomic
def cancel_purchase_order(order_id: int, *, user=None, reason: str = "") -> PurchaseOrder:
    """Cancel what is still outstanding; quantities already received stay in stock."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    _require(order, "cancel", PurchaseOrderStatus.CANCELLED)
    order.status = PurchaseOrderStatus.CANCELLED
    order.cancelled_by, order.cancelled_at = _user(user), timezone.now()
    order.cancel_reason = reason[:500]
    order.save()
    return order


@dataclass(frozen=True)
class ReceiveInput:
    line_id: int
    quantity: Decimal
    lot_number: str = ""  # lot-tracked products: the supplier's lot (empty: one is made up from the receipt)
    expires_on: date | None = None


@transaction.atomic
def receive_purchase_order(
    order_id: int,
    *,
    lines: Sequence[ReceiveInput] | None = None,
    user=None,
    reference: str = "",
    received_at: datetime | None = None,
    notes: str = "",
) -> PurchaseReceipt:
    """Book a delivery: a receipt with one receipt movement per line, then partially_received/received.

    Without `lines`, everything outstanding is received. Receiving more than is outstanding on a line is
    refused (naming the line): over-deliveries are a new order or an adjustment, not a silent overflow.
    """
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    _require(order, "receive", PurchaseOrderStatus.RECEIVED)
    order_lines = {line.pk: line for line in order.lines.select_for_update().order_by("id")}
    if lines is None:
        wanted = [ReceiveInput(pk, line.outstanding_quantity) for pk, line in order_lines.items()
                  if line.outstanding_quantity > 0]
    else:
        wanted = list(lines)
    if not wanted:
        raise PurchasingError(gettext("Nothing to receive on purchase order %(order_id)s.") % {
                                  "order_id": order.pk,
                              }, field="lines")
    seen: set[int] = set()
    for item in wanted:
        line = order_lines.get(item.line_id)
        if line is None:
            raise PurchasingError(gettext("Line %(line_id)s is not a line of purchase order %(order_id)s.") % {
                                      "line_id": item.line_id,
                                      "order_id": order.pk,
                                  }, field="lines")
        if item.line_id in seen:
            raise PurchasingError(gettext("Line %(line_id)s is listed twice; send one quantity per line.") % {
                                      "line_id": item.line_id,
                                  }, field="lines")
        seen.add(item.line_id)
        if item.quantity <= 0:
            raise PurchasingError(gettext("Line %(line_id)s: quantity must be greater than 0.") % {
                                      "line_id": item.line_id,
                                  }, field="lines")
        if item.quantity > line.outstanding_quantity:
            raise PurchasingError(
                gettext("Line %(line_id)s: receiving %(quantity)s but only %(outstanding_quantity)s is "
                        "outstanding.") % {
                    "line_id": item.line_id,
                    "quantity": format(item.quantity, "f"),
                    "outstanding_quantity": format(line.outstanding_quantity, "f"),
                },
                field="lines",
            )
    when = received_at or timezone.now()
    receipt = PurchaseReceipt.objects.create(
        order=order, received_at=when, received_by=_user(user), reference=reference, notes=notes
    )
    products = {p.pk: p for p in Product.objects.filter(pk__in={line.product_id for line in order_lines.values()})}
    specs = []
    for item in wanted:
        product = products[order_lines[item.line_id].product_id]
        lot = None
        if product.lot_tracked:
            lot = create_lot(product, number=item.lot_number or f"R{receipt.pk}-{item.line_id}",
                             origin=LotOrigin.RECEIPT, produced_on=timezone.localdate(when),
                             expires_on=item.expires_on, purchase_receipt_id=receipt.pk)
        specs.append(MovementSpec(
            order.location_id,
            product.pk,
            MovementKind.RECEIPT,
            item.quantity,
            reason=f"received on purchase order {order.pk}",
            reference=f"PO {order.pk}" + (f" / {reference}" if reference else ""),
            occurred_at=when,
            purchase_order_line_id=item.line_id,
            lot_id=lot.pk if lot else None,
            status=incoming_status(product),
        ))
    movements = post_movements(specs, user=user)
    PurchaseReceiptLine.objects.bulk_create(
        PurchaseReceiptLine(receipt=receipt, order_line_id=item.line_id, quantity=item.quantity, movement=movement)
        for item, movement in zip(wanted, movements, strict=True)
    )
    for item in wanted:
        line = order_lines[item.line_id]
        line.received_quantity += item.quantity
    PurchaseOrderLine.objects.bulk_update([order_lines[i.line_id] for i in wanted], ["received_quantity"])
    complete = all(line.outstanding_quantity == 0 for line in order_lines.values())
    order.status = PurchaseOrderStatus.RECEIVED if complete else PurchaseOrderStatus.PARTIALLY_RECEIVED
    if complete:
        order.received_at = when
    order.save()
    return receipt
