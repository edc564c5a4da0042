"""Finished-goods inspections: record what was inspected, then release or reject it.

Release moves, in one transaction through the ledger: the passed quantity quarantine → available, the failed
quantity out as scrap (reason naming the defects), the rework quantity out to a new draft rework production
task (which brings it back when completed). Reject blocks what was inspected (the whole lot, for a lot) until
a lot decision with a note unblocks or scraps it. The inspection row is locked first, so two releases cannot
both pass the status check; the ledger locks the stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, IllegalTransition, InvalidInput
from planning.choices import LotStatus, MovementKind, StockStatus, TaskStatus
from planning.models import ProductionTask, StockLot
from planning.services import production
from planning.services.ledger import MovementSpec, bucket_quantity, change_stock_status, post_movements
from planning.services.lots import set_lot_status, settle_lot_status
from quality.choices import INSPECTION_TRANSITIONS, InspectionStatus, LotAction
from quality.models import DefectCode, Inspection, InspectionDefect, LotDecision

ZERO = Decimal("0")
REWORK_DUE_DAYS = 2


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


@dataclass(frozen=True)
class DefectInput:
    defect_code_id: int
    quantity: Decimal


def _require(inspection: Inspection, target: str, action: str) -> None:
    if target not in INSPECTION_TRANSITIONS[inspection.status]:
        raise IllegalTransition(
            gettext("Inspection %(inspection_id)s is %(status)s; only an open one can be %(action)s.") % {
                "inspection_id": inspection.pk, "status": inspection.status, "action": f"{action}d"},
            current=inspection.status,
        )


def _task_lot(task: ProductionTask) -> StockLot | None:
    return StockLot.objects.filter(production_task=task).first()


@transaction.atomic
def create_inspection(
    *,
    production_task_id: int,
    inspected_quantity: Decimal,
    passed_quantity: Decimal,
    failed_quantity: Decimal = ZERO,
    rework_quantity: Decimal = ZERO,
    defects: Sequence[DefectInput] = (),
    inspector=None,
    inspected_at: datetime | None = None,
    notes: str = "",
) -> Inspection:
    """Record an inspection of a completed task's output that is still in quarantine (nothing moves yet).

    Refused: a task that is not completed (409 naming its status); parts that do not add up; failed or
    rework units without a defect code; inspecting more than the task's output still in quarantine and not
    already under another open inspection.
    """
    task = ProductionTask.objects.select_for_update().select_related("product").get(pk=production_task_id)
    if task.status != TaskStatus.COMPLETED:
        raise IllegalTransition(
            gettext("Production task %(task_id)s is %(status)s; only the output of a completed task can be "
                    "inspected.") % {"task_id": task.pk, "status": task.status},
            current=task.status, field="production_task",
        )
    parts = (passed_quantity, failed_quantity, rework_quantity)
    if inspected_quantity <= 0 or any(q < 0 for q in parts):
        raise InvalidInput(gettext("Quantities must not be negative and something must be inspected."),
                           field="inspected_quantity")
    if sum(parts) != inspected_quantity:
        raise InvalidInput(
            gettext("Passed %(passed_quantity)s + failed %(failed_quantity)s + rework %(rework_quantity)s "
                    "must equal inspected %(inspected_quantity)s.") % {
                "passed_quantity": format(passed_quantity, "f"),
                "failed_quantity": format(failed_quantity, "f"),
                "rework_quantity": format(rework_quantity, "f"),
                "inspected_quantity": format(inspected_quantity, "f"),
            }, field="inspected_quantity")
    bad = failed_quantity + rework_quantity
    defects = list(defects)
    if bad > 0 and not defects:
        raise InvalidInput(gettext("Name at least one defect code for the failed and rework quantity."),
                           field="defects")
    codes = {c.pk: c for c in DefectCode.objects.filter(pk__in=[d.defect_code_id for d in defects])}
    seen: set[int] = set()
    for d in defects:
        code = codes.get(d.defect_code_id)
        if code is None or not code.is_active:
            raise InvalidInput(gettext("Defect code %(defect_code_id)s does not exist or is retired.") % {
                                   "defect_code_id": d.defect_code_id,
                               }, field="defects")
        if d.defect_code_id in seen:
            raise InvalidInput(gettext("Defect code %(code)s is listed twice.") % {"code": code.code}, field="defects")
        seen.add(d.defect_code_id)
        if d.quantity <= 0 or d.quantity > bad:
            raise InvalidInput(gettext("Defect %(code)s: quantity must be between 0 and the failed + rework "
                                       "quantity %(bad)s.") % {"code": code.code, "bad": format(bad, "f")},
                               field="defects")
    lot = _task_lot(task)
    in_quarantine = bucket_quantity(task.location_id, task.product_id, lot.pk if lot else None,
                                    StockStatus.QUARANTINE)
    if lot is None:
        # Without a lot the quarantine holds every task's output: count this task's output only.
        in_quarantine = min(in_quarantine, task.quantity - _inspected_total(task))
    pending = Inspection.objects.filter(production_task=task, status=InspectionStatus.OPEN).aggregate(
        total=Sum("inspected_quantity"))["total"] or ZERO
    if inspected_quantity > in_quarantine - pending:
        raise Conflict(
            gettext("Task %(task_id)s: %(in_quarantine)s of its output is in quarantine and not under "
                    "another open inspection; cannot inspect %(inspected_quantity)s.") % {
                "task_id": task.pk,
                "in_quarantine": format(in_quarantine - pending, "f"),
                "inspected_quantity": format(inspected_quantity, "f"),
            }, field="inspected_quantity")
    inspection = Inspection.objects.create(
        production_task=task, product=task.product, location=task.location, lot=lot,
        inspected_quantity=inspected_quantity, passed_quantity=passed_quantity, failed_quantity=failed_quantity,
        rework_quantity=rework_quantity, inspector=_user(inspector), inspected_at=inspected_at or timezone.now(),
        notes=notes,
    )
    InspectionDefect.objects.bulk_create(
        InspectionDefect(inspection=inspection, defect_code_id=d.defect_code_id, quantity=d.quantity)
        for d in defects
    )
    return inspection


def _inspected_total(task: ProductionTask) -> Decimal:
    return Inspection.objects.filter(production_task=task).exclude(status=InspectionStatus.OPEN).aggregate(
        total=Sum("inspected_quantity"))["total"] or ZERO


def release_inspection(inspection_id: int, *, user=None) -> Inspection:
    """open → released: passed to available, failed to scrap, rework to a new draft rework task (one transaction)."""
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
        _require(inspection, InspectionStatus.RELEASED, "release")
        lot = None
        if inspection.lot_id:  # NO KEY: see planning.services.lots.set_lot_status
            lot = StockLot.objects.select_for_update(no_key=True).get(pk=inspection.lot_id)
        if lot is not None and lot.status != LotStatus.QUARANTINE:
            raise IllegalTransition(
                gettext("Lot %(number)s is %(status)s; inspection %(inspection_id)s can only release stock "
                        "from quarantine.") % {
                    "number": lot.number,
                    "status": lot.status,
                    "inspection_id": inspection.pk,
                }, current=lot.status)
        loc, prod, lot_id = inspection.location_id, inspection.product_id, inspection.lot_id
        reference = f"inspection {inspection.pk}"
        specs: list[MovementSpec] = []
        if inspection.passed_quantity > 0:
            common = {"reason": f"passed inspection {inspection.pk}", "reference": reference, "lot_id": lot_id}
            specs += [
                MovementSpec(loc, prod, MovementKind.STATUS_CHANGE, -inspection.passed_quantity,
                             status=StockStatus.QUARANTINE, **common),
                MovementSpec(loc, prod, MovementKind.STATUS_CHANGE, inspection.passed_quantity,
                             status=StockStatus.AVAILABLE, **common),
            ]
        if inspection.failed_quantity > 0:
            codes = ", ".join(d.defect_code.code for d in inspection.defects.select_related("defect_code"))
            specs.append(MovementSpec(loc, prod, MovementKind.SCRAP, -inspection.failed_quantity,
                                      reason=f"failed inspection {inspection.pk} ({codes})", reference=reference,
                                      lot_id=lot_id, status=StockStatus.QUARANTINE))
        if inspection.rework_quantity > 0:
            try:
                rework = production.create_task(
                    product_id=prod, quantity=inspection.rework_quantity, location_id=loc,
                    due_date=timezone.localdate() + timedelta(days=REWORK_DUE_DAYS), user=user,
                    notes=f"Rework of {inspection.rework_quantity:f} from inspection {inspection.pk} "
                          f"(task {inspection.production_task_id}).",
                )
            except production.TaskError as exc:  # e.g. no default BOM any more: nothing is written
                raise Conflict(gettext("Inspection %(inspection_id)s: cannot create the rework task: %(exc)s") % {
                                   "inspection_id": inspection.pk,
                                   "exc": exc,
                               },
                               field="rework_quantity") from exc
            inspection.rework_task = rework
            specs.append(MovementSpec(loc, prod, MovementKind.REWORK, -inspection.rework_quantity,
                                      reason=f"to rework task {rework.pk} from inspection {inspection.pk}",
                                      reference=reference, lot_id=lot_id, status=StockStatus.QUARANTINE,
                                      production_task_id=rework.pk))
        post_movements(specs, user=user)
        if lot is not None:
            settle_lot_status(lot, note=f"released by inspection {inspection.pk}", user=user)
        inspection.status = InspectionStatus.RELEASED
        inspection.released_by, inspection.released_at = _user(user), timezone.now()
        inspection.save()
    return inspection


def reject_inspection(inspection_id: int, *, reason: str, user=None) -> Inspection:
    """open → rejected: what was inspected is blocked (for a lot: the whole lot) until a decision with a note."""
    reason = (reason or "").strip()
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
        _require(inspection, InspectionStatus.REJECTED, "reject")
        if not reason:
            raise InvalidInput(gettext("Rejecting inspection %(inspection_id)s needs a reason.") % {
                                   "inspection_id": inspection.pk,
                               }, field="reason")
        note = f"inspection {inspection.pk} rejected: {reason}"
        if inspection.lot_id:
            lot = StockLot.objects.get(pk=inspection.lot_id)
            before = lot.status
            if before != LotStatus.BLOCKED:
                set_lot_status(lot.pk, LotStatus.BLOCKED, note=note, user=user,
                               reference=f"inspection {inspection.pk}")
                LotDecision.objects.create(lot=lot, action=LotAction.BLOCK, from_status=before,
                                           to_status=LotStatus.BLOCKED, note=note[:500], decided_by=_user(user))
        else:
            change_stock_status(inspection.location_id, inspection.product_id, inspection.inspected_quantity,
                                from_status=StockStatus.QUARANTINE, to_status=StockStatus.BLOCKED, reason=note,
                                reference=f"inspection {inspection.pk}", user=user)
        inspection.status = InspectionStatus.REJECTED
        inspection.rejected_by, inspection.rejected_at = _user(user), timezone.now()
        inspection.reject_reason = reason[:500]
        inspection.save()
    return inspection


def pass_rate(*, date_from=None, date_to=None) -> dict:
    """Share of inspected units that passed, over inspections made in the date range (both ends included).

    The dashboard's QC figure: ``pass_rate`` (0..1, None when nothing was inspected), ``inspections`` (count),
    ``inspected`` and ``passed`` (units).
    """
    from django.db.models import Count, Sum

    from quality.models import Inspection

    rows = Inspection.objects.all()
    if date_from is not None:
        rows = rows.filter(inspected_at__date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(inspected_at__date__lte=date_to)
    totals = rows.aggregate(count=Count("id"), inspected=Sum("inspected_quantity"), passed=Sum("passed_quantity"))
    inspected, passed = totals["inspected"] or 0, totals["passed"] or 0
    return {"pass_rate": round(float(passed) / float(inspected), 4) if inspected else None,
            "inspections": totals["count"], "inspected": float(inspected), "passed": float(passed)}
