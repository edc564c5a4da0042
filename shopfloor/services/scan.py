"""Scanning: resolve a code to its object and the actions this user may take on it now; carry an action out.

Actions are registered per object kind (like the kinds themselves in services.barcodes), each with the Django
permission it needs, a test "is it legal in the object's current state?" and the planning service it calls:
- purchase order line: receive (purchasing.receive_purchase_order, a receipt movement);
- production task: start, complete (production.apply_action; completing consumes and produces via the ledger);
- product and location: move (ledger.transfer_stock) and count (ledger.adjust_stock: the difference is posted as
  an adjustment with the reason given).
Every scan and every action is written to the scan history (ScanEvent), refusals included; a refusal's row is
written after the refused transaction rolled back, so it never leaves a half-write behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from branches.models import Location
from core.errors import DomainError, IllegalTransition, InvalidInput, NotFound
from planning.choices import PURCHASE_ORDER_TRANSITIONS, TASK_TRANSITIONS, PurchaseOrderStatus
from planning.models import PurchaseOrder, PurchaseOrderLine, StockBalance
from planning.services import ledger, production, purchasing
from sales.models import Product
from shopfloor.choices import ScanOutcome
from shopfloor.models import ScanEvent
from shopfloor.services.barcodes import Resolved, resolve
from shopfloor.services.refusals import planning_refusals


class ActionForbidden(DomainError):
    """The user's role does not allow this scan action (403)."""

    status = 403
    code = "permission_denied"


@dataclass(frozen=True)
class ActionParams:
    """What the scanner sends with an action; each action reads the fields it needs."""

    quantity: Decimal | None = None
    location_id: int | None = None
    to_location_id: int | None = None
    product_id: int | None = None
    counted: Decimal | None = None
    reason: str = ""
    reference: str = ""


@dataclass(frozen=True)
class ScanAction:
    kind: str
    name: str
    label: str
    permission: str
    fields: tuple[str, ...]
    blocked: Callable[[Any], tuple[str, str] | None]  # object → (current state, why not) when illegal now
    perform: Callable[[Any, ActionParams, Any], dict[str, Any]]  # (object, params, user) → result


@dataclass
class ScanResult:
    code: str
    kind: str
    object: dict[str, Any]
    actions: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    scan_id: int | None = None


_actions: dict[tuple[str, str], ScanAction] = {}


def register_action(action: ScanAction) -> None:
    _actions[(action.kind, action.name)] = action


def actions_of(kind: str) -> list[ScanAction]:
    return [a for (k, _), a in sorted(_actions.items()) if k == kind]


def available_actions(resolved: Resolved, user) -> list[dict[str, Any]]:
    """The actions this user may take on the object in its current state."""
    return [
        {"name": a.name, "label": a.label, "fields": list(a.fields)}
        for a in actions_of(resolved.kind.name)
        if user.has_perm(a.permission) and a.blocked(resolved.obj) is None
    ]


def _record(code: str, outcome: str, *, user, resolved: Resolved | None = None, action: str = "",
            detail: str = "", parameters: dict[str, Any] | None = None) -> ScanEvent:
    return ScanEvent.objects.create(
        code=code[:200], kind=resolved.kind.name if resolved else "", object_id=resolved.object_id if resolved else "",
        action=action, outcome=outcome, detail=detail[:1000], parameters=parameters or {},
        user=user if getattr(user, "is_authenticated", False) else None,
    )


def scan(code: str, *, user) -> ScanResult:
    """Resolve a code (404 naming it when unknown) and list the actions open to the user; recorded in history."""
    try:
        resolved = resolve(code)
    except NotFound as exc:
        _record(str(code or "").strip(), ScanOutcome.NOT_FOUND, user=user, detail=exc.message)
        raise
    event = _record(resolved.code, ScanOutcome.RESOLVED, user=user, resolved=resolved)
    return ScanResult(resolved.code, resolved.kind.name, resolved.kind.describe(resolved.obj),
                      available_actions(resolved, user), scan_id=event.pk)


def perform_scan_action(code: str, action_name: str, params: ActionParams, *, user) -> ScanResult:
    """Carry out one action on the scanned object: 404 unknown code, 403 not allowed, 409 illegal now."""
    try:
        resolved = resolve(code)
    except NotFound as exc:
        _record(str(code or "").strip(), ScanOutcome.NOT_FOUND, user=user, action=action_name[:40],
                detail=exc.message)
        raise
    logged = {k: str(v) for k, v in params.__dict__.items() if v not in (None, "")}
    try:
        action = _actions.get((resolved.kind.name, action_name))
        if action is None:
            names = ", ".join(a.name for a in actions_of(resolved.kind.name)) or "none"
            raise InvalidInput(gettext("A %(kind)s has no scan action %(action_name)r (its actions: "
                                       "%(names)s).") % {
                                   "kind": resolved.kind.name,
                                   "action_name": action_name,
                                   "names": names,
                               },
                               field="action")
        if not user.has_perm(action.permission):
            raise ActionForbidden(gettext("Your role may not %(action)s (%(permission)s is needed).") % {
                                      "action": action.label.lower(),
                                      "permission": action.permission,
                                  })
        blocked = action.blocked(resolved.obj)
        if blocked is not None:
            raise IllegalTransition(gettext("Cannot %(action)s: %(blocked)s.") % {
                                        "action": action.label.lower(),
                                        "blocked": blocked[1],
                                    }, current=blocked[0])
        with planning_refusals(), transaction.atomic():
            result = action.perform(resolved.obj, params, user)
    except DomainError as exc:
        _record(resolved.code, ScanOutcome.REFUSED, user=user, resolved=resolved, action=action_name[:40],
                detail=exc.message, parameters=logged)
        raise
    event = _record(resolved.code, ScanOutcome.DONE, user=user, resolved=resolved, action=action_name,
                    parameters=logged)
    fresh = resolve(resolved.code)
    return ScanResult(fresh.code, fresh.kind.name, fresh.kind.describe(fresh.obj), available_actions(fresh, user),
                      result=result, scan_id=event.pk)


# --- helpers the actions share ------------------------------------------------------------------------------


def _need(value, field_name: str, what: str):
    if value is None or value == "":
        raise InvalidInput(gettext("Send %(field_name)s: %(what)s.") % {"field_name": field_name, "what": what},
                           field=field_name)
    return value


def _positive(quantity: Decimal | None, field_name: str = "quantity") -> Decimal:
    _need(quantity, field_name, "how many")
    if quantity <= 0:
        raise InvalidInput(gettext("%(field_name)s must be greater than 0; got %(quantity)s.") % {
                               "field_name": field_name,
                               "quantity": format(quantity, "f"),
                           }, field=field_name)
    return quantity


def _location(pk: int | None, field_name: str) -> Location:
    _need(pk, field_name, "a location id")
    location = Location.objects.filter(pk=pk).first()
    if location is None:
        raise NotFound(gettext("Location %(pk)s does not exist.") % {"pk": pk}, field=field_name)
    return location


def _product(pk: int | None) -> Product:
    _need(pk, "product", "a product id")
    product = Product.objects.filter(pk=pk).first()
    if product is None:
        raise NotFound(gettext("Product %(pk)s does not exist.") % {"pk": pk}, field="product")
    return product


def _movements(movements) -> dict[str, Any]:
    return {"movements": [m.pk for m in movements]}


# --- purchase order line: receive ---------------------------------------------------------------------------

RECEIVABLE = [s for s, targets in PURCHASE_ORDER_TRANSITIONS.items() if PurchaseOrderStatus.RECEIVED in targets]


def _line_blocked(line: PurchaseOrderLine) -> tuple[str, str] | None:
    if line.order.status not in RECEIVABLE:
        return line.order.status, (f"purchase order {line.order_id} is {line.order.status}; receiving needs "
                                   f"{' or '.join(RECEIVABLE)}")
    if line.outstanding_quantity <= 0:
        return line.order.status, f"line {line.pk} is fully received"
    return None


def _receive(line: PurchaseOrderLine, params: ActionParams, user) -> dict[str, Any]:
    """Receive the line (all that is outstanding unless a quantity is sent), under the order's row lock.

    The lock comes first and the state is read again under it, so two scanners receiving the same line at once
    queue: the second sees what the first received and gets a 409 if nothing is left.
    """
    order = PurchaseOrder.objects.select_for_update().get(pk=line.order_id)
    line = PurchaseOrderLine.objects.select_related("order").get(pk=line.pk)
    blocked = _line_blocked(line)
    if blocked is not None:
        raise IllegalTransition(gettext("Cannot receive: %(blocked)s.") % {"blocked": blocked[1]}, current=blocked[0])
    quantity = params.quantity if params.quantity is not None else line.outstanding_quantity
    _positive(quantity)
    if quantity > line.outstanding_quantity:
        raise InvalidInput(gettext("Receiving %(quantity)s but only %(outstanding_quantity)s is outstanding "
                                   "on line %(line_id)s.") % {
                               "quantity": format(quantity, "f"),
                               "outstanding_quantity": format(line.outstanding_quantity, "f"),
                               "line_id": line.pk,
                           }, field="quantity")
    receipt = purchasing.receive_purchase_order(
        order.pk, lines=[purchasing.ReceiveInput(line.pk, quantity)], user=user,
        reference=params.reference or "scan")
    return {"receipt": receipt.pk, "received": str(quantity)}


register_action(ScanAction(
    kind="purchase_order_line", name="receive", label="Receive", permission="planning.change_purchaseorder",
    fields=("quantity", "reference"), blocked=_line_blocked, perform=_receive,
))


# --- production task: start, complete -----------------------------------------------------------------------


def _task_step(action: str) -> tuple[Callable, Callable]:
    target = production.ACTION_TARGET[action]

    def blocked(task) -> tuple[str, str] | None:
        if target in TASK_TRANSITIONS.get(task.status, ()):
            return None
        return task.status, f"task {task.pk} is {task.status}"

    def perform(task, params: ActionParams, user) -> dict[str, Any]:
        done = production.apply_action(task.pk, action, user=user)
        return {"task": done.pk, "status": done.status}

    return blocked, perform


for _name, _label in (("start", "Start production"), ("complete", "Complete production")):
    _blocked, _perform = _task_step(_name)
    register_action(ScanAction(
        kind="production_task", name=_name, label=_label, permission="planning.change_productiontask",
        fields=(), blocked=_blocked, perform=_perform,
    ))


# --- product and location: move, count ----------------------------------------------------------------------


def _never_blocked(_obj) -> None:
    return None


def _move(product: Product, from_location: Location, params: ActionParams, user) -> dict[str, Any]:
    to_location = _location(params.to_location_id, "to_location")
    quantity = _positive(params.quantity)
    return _movements(ledger.transfer_stock(
        from_location.pk, to_location.pk, product.pk, quantity, reason=params.reason or "moved by scan",
        reference=params.reference or "scan", user=user))


def _count(product: Product, location: Location, params: ActionParams, user) -> dict[str, Any]:
    counted = _need(params.counted, "counted", "the quantity counted")
    reason = _need(params.reason.strip(), "reason", "why the count differs, e.g. 'cycle count aisle 3'")
    before = StockBalance.objects.filter(location=location, product=product).values_list("on_hand", flat=True).first()
    movement = ledger.adjust_stock(location.pk, product.pk, new_on_hand=counted, reason=f"cycle count: {reason}",
                                   user=user, reference=params.reference or "scan count")
    return {"on_hand_before": str(before if before is not None else Decimal("0")), "counted": str(counted),
            "difference": str(movement.quantity) if movement else "0", "movement": movement.pk if movement else None}


def _bind(kind: str, fn: Callable) -> Callable:
    """The same move/count, scanned from the product (location sent) or from the location (product sent)."""

    def perform(obj, params: ActionParams, user) -> dict[str, Any]:
        if kind == "product":
            return fn(obj, _location(params.location_id, "location"), params, user)
        return fn(_product(params.product_id), obj, params, user)

    return perform


for _kind, _other in (("product", "location"), ("location", "product")):
    register_action(ScanAction(
        kind=_kind, name="move", label="Move stock", permission="planning.add_stockmovement",
        fields=(_other, "to_location", "quantity", "reason"), blocked=_never_blocked, perform=_bind(_kind, _move),
    ))
    register_action(ScanAction(
        kind=_kind, name="count", label="Count stock", permission="planning.change_stockbalance",
        fields=(_other, "counted", "reason"), blocked=_never_blocked, perform=_bind(_kind, _count),
    ))
