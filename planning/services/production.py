"""Production tasks: the state machine, completion through the stock ledger, and the kanban board order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import DomainError
from planning.choices import BOARD_COLUMNS, TASK_TRANSITIONS, LotOrigin, MovementKind, TaskStatus
from planning.models import BillOfMaterials, ProductionTask
from planning.services.bom import bom_requirements
from planning.services.ledger import MovementSpec, allocate_available, lock_balances, post_movements
from planning.services.lots import create_lot, incoming_status
from planning.services.settings import SettingsResolver
from sales.models import Product


class TaskError(DomainError):
    """A production-task request that cannot be carried out (400, pointing at ``status``)."""

    field = "status"


class IllegalTransition(TaskError):
    """409: the task is not in a state from which the requested step is allowed."""

    status = 409
    code = "illegal_transition"
    field = None

    def __init__(self, task: ProductionTask, target: str) -> None:
        self.current = task.status
        allowed_from = [s for s, targets in TASK_TRANSITIONS.items() if target in targets]
        super().__init__(
            gettext("Task %(task_id)s is %(status)s; it cannot become %(target)s (allowed from: %(allowed)s).") % {
                "task_id": task.pk, "status": task.status, "target": target,
                "allowed": ", ".join(allowed_from) or gettext("no state")},
            extra={"current_status": task.status},
        )


class TaskConflict(TaskError):
    """409: the request conflicts with the task, its product or its BOM."""

    status = 409
    code = "conflict"
    field = None


ACTION_TARGET = {
    "approve": TaskStatus.APPROVED,
    "start": TaskStatus.IN_PROGRESS,
    "complete": TaskStatus.COMPLETED,
    "cancel": TaskStatus.CANCELLED,
}
# Which user/time fields each target status stamps.
STAMPS = {
    TaskStatus.APPROVED: ("approved_by", "approved_at"),
    TaskStatus.IN_PROGRESS: ("started_by", "started_at"),
    TaskStatus.COMPLETED: ("completed_by", "completed_at"),
    TaskStatus.CANCELLED: ("cancelled_by", "cancelled_at"),
}


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


class NotDraft(TaskError):
    """409: only a draft task can be edited or deleted (an approved one is cancelled instead)."""

    status = 409
    code = "illegal_transition"
    field = None

    def __init__(self, task: ProductionTask, verb: str) -> None:
        self.current = task.status
        params = {"task_id": task.pk, "status": task.status}
        if verb == "deleted":
            message = gettext("Task %(task_id)s is %(status)s; only a draft can be deleted (cancel it instead).")
        else:
            message = gettext("Task %(task_id)s is %(status)s; only a draft can be edited.")
        super().__init__(message % params, extra={"current_status": task.status})


# Fields a draft task may change (the rest follow from its status and the board).
EDITABLE_FIELDS = ("product", "quantity", "location", "due_date", "bom", "notes")


def resolve_task_bom(product_id: int, quantity: Decimal, bom: BillOfMaterials | None) -> BillOfMaterials:
    """The checks every task must pass (quantity > 0; a BOM of the product, the default one when not given)."""
    if quantity is None or quantity <= 0:
        raise TaskConflict(gettext("Quantity must be greater than 0, got %(quantity)s.") % {
                               "quantity": quantity,
                           })
    if bom is None:
        bom = BillOfMaterials.objects.filter(product_id=product_id, is_default=True, is_active=True).first()
        if bom is None:
            raise TaskConflict(
                gettext("Product %(product_id)s has no active default BOM; create one at "
                        "/api/v1/warehouse/bom/ first.") % {"product_id": product_id}
            )
    elif bom.product_id != product_id:
        raise TaskConflict(gettext("BOM %(bom_id)s belongs to product %(product_id)s, not to product "
                                   "%(product_id2)s.") % {
                               "bom_id": bom.pk,
                               "product_id": bom.product_id,
                               "product_id2": product_id,
                           })
    return bom


def check_draft(task: ProductionTask, verb: str = "edited") -> None:
    """NotDraft unless the task is a draft."""
    if task.status != TaskStatus.DRAFT:
        raise NotDraft(task, verb)


@transaction.atomic
def update_draft_task(task_id: int, changes: dict) -> ProductionTask:
    """Change a draft task's editable fields (the row locked, so it cannot be approved meanwhile)."""
    task = ProductionTask.objects.select_for_update().get(pk=task_id)
    check_draft(task)
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise TaskConflict(gettext("%(name)s cannot be edited; it follows from the task's status.") % {
                                   "name": name,
                               }, field=name)
        setattr(task, name, value)
    task.bom = resolve_task_bom(task.product_id, task.quantity, task.bom if "bom" in changes else (
        task.bom if "product" not in changes else None))
    task.save()
    return task


@transaction.atomic
def delete_draft_task(task_id: int) -> None:
    """Delete a draft task (anything further along is cancelled instead, so its history stays)."""
    task = ProductionTask.objects.select_for_update().get(pk=task_id)
    check_draft(task, "deleted")
    task.delete()


def next_board_position(status: str) -> int:
    last = ProductionTask.objects.filter(status=status).aggregate(m=Max("board_position"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def create_task(
    *,
    product_id: int,
    quantity: Decimal,
    location_id: int,
    due_date: date,
    bom: BillOfMaterials | None = None,
    user=None,
    notes: str = "",
    proposal=None,
) -> ProductionTask:
    """A draft task at the bottom of the draft column; the product's default BOM unless one is given."""
    bom = resolve_task_bom(product_id, quantity, bom)
    return ProductionTask.objects.create(
        product_id=product_id,
        bom=bom,
        quantity=quantity,
        location_id=location_id,
        due_date=due_date,
        status=TaskStatus.DRAFT,
        board_position=next_board_position(TaskStatus.DRAFT),
        created_by=_user_or_none(user),
        notes=notes,
        proposal=proposal,
    )


def transition_task(task_id: int, target: str, *, user=None, reason: str = "",
                    position: int | None = None) -> ProductionTask:
    """Move a task to `target` if legal (409 otherwise); completing posts its stock movements atomically.

    The task row is locked first, so two clicks on "complete" cannot both pass the status check and
    consume components twice.
    """
    with transaction.atomic():
        task = ProductionTask.objects.select_for_update().select_related("bom").get(pk=task_id)
        if target not in TASK_TRANSITIONS.get(task.status, ()):
            raise IllegalTransition(task, target)
        if target == TaskStatus.COMPLETED:
            _post_completion(task, user)
        by_field, at_field = STAMPS[target]
        setattr(task, by_field, _user_or_none(user))
        setattr(task, at_field, timezone.now())
        if target == TaskStatus.CANCELLED:
            task.cancel_reason = reason[:500]
        task.status = target
        task.board_position = next_board_position(target) if position is None else position
        task.save()
        if position is not None:
            _renumber_column(target, task)
    return task


def _post_completion(task: ProductionTask, user) -> None:
    """Consume the BOM's direct components and add the product, in the caller's transaction.

    One level: a semi-finished component is taken from stock (it has its own tasks), which is what
    happens on the shop floor. Only available stock is consumed (no lot first, then lots first to expire);
    refused (InsufficientStock, 409 naming what is in quarantine or blocked) when a component would go
    negative, unless the effective setting allow_negative_stock of that component at the location says
    otherwise. The output of a lot-tracked product gets a lot of its own; a product that requires
    inspection arrives in quarantine.
    """
    requirements = bom_requirements(task.bom, task.quantity)
    reference = f"task {task.pk}"
    # Lock the components' balances now, so the allocation below reads what the posting will change.
    lock_balances([(task.location_id, component_id) for component_id in requirements] +
                  [(task.location_id, task.product_id)])
    specs = [
        MovementSpec(task.location_id, component_id, MovementKind.PRODUCTION_CONSUME, -part,
                     reason=f"consumed by production task {task.pk}", reference=reference,
                     production_task_id=task.pk, lot_id=lot_id)
        for component_id, quantity in sorted(requirements.items())
        for lot_id, part in allocate_available(task.location_id, component_id, quantity)
    ]
    product = task.product
    lot = None
    if product.lot_tracked:
        lot = create_lot(product, number=f"T{task.pk}", origin=LotOrigin.PRODUCTION, production_task_id=task.pk)
    specs.append(
        MovementSpec(task.location_id, task.product_id, MovementKind.PRODUCTION_PRODUCE, task.quantity,
                     reason=f"produced by production task {task.pk}", reference=reference,
                     production_task_id=task.pk, lot_id=lot.pk if lot else None, status=incoming_status(product))
    )
    resolver = SettingsResolver.load()
    location = task.location
    products = {p.pk: p for p in Product.objects.filter(pk__in=list(requirements))}

    def allow(location_id: int, product_id: int) -> bool:
        product = products.get(product_id)
        return product is not None and resolver.resolve(location, product).allow_negative_stock

    post_movements(specs, user=user, allow_negative=allow)


def apply_action(task_id: int, action: str, *, user=None, reason: str = "") -> ProductionTask:
    """approve | start | complete | cancel, as the API and admin name them."""
    return transition_task(task_id, ACTION_TARGET[action], user=user, reason=reason)


def _renumber_column(status: str, moved: ProductionTask) -> None:
    """Put `moved` at its board_position in its column and renumber the column 0..n-1 (rows locked)."""
    others = list(
        ProductionTask.objects.select_for_update()
        .filter(status=status)
        .exclude(pk=moved.pk)
        .order_by("board_position", "due_date", "id")
    )
    index = max(0, min(moved.board_position, len(others)))
    ordered = [*others[:index], moved, *others[index:]]
    changed = []
    for position, task in enumerate(ordered):
        if task.board_position != position or task.pk == moved.pk:
            task.board_position = position
            changed.append(task)
    ProductionTask.objects.bulk_update(changed, ["board_position"])


def move_on_board(task_id: int, *, status: str | None, position: int | None, user=None,
                  reason: str = "") -> ProductionTask:
    """Kanban move: change column (by the same transition rules) and/or place the card at `position`."""
    with transaction.atomic():
        task = ProductionTask.objects.select_for_update().get(pk=task_id)
        if status is not None and status not in BOARD_COLUMNS:
            raise TaskConflict(gettext("Unknown column %(status)r; columns are %(BOARD_COLUMNS)s.") % {
                                   "status": status,
                                   "BOARD_COLUMNS": ', '.join(BOARD_COLUMNS),
                               })
        if status is not None and status != task.status:
            return transition_task(task_id, status, user=user, reason=reason,
                                   position=position if position is not None else None)
        if position is not None:
            task.board_position = position
            _renumber_column(task.status, task)
            task.refresh_from_db()
        return task


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    tasks: list[ProductionTask]


def kanban_board(queryset=None) -> list[BoardColumn]:
    """Tasks by status column (left to right), each column in board order."""
    qs = queryset if queryset is not None else ProductionTask.objects.all()
    qs = qs.select_related("product", "location", "bom").order_by("board_position", "due_date", "id")
    by_status: dict[str, list[ProductionTask]] = {s: [] for s in BOARD_COLUMNS}
    for task in qs:
        by_status.setdefault(task.status, []).append(task)
    return [BoardColumn(s, TaskStatus(s).label, by_status[s]) for s in BOARD_COLUMNS]
