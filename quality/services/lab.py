"""The quality lab: open a test on a lot with the specification in force, record results, compute the verdict.

A failed verdict blocks the lot (planning.services.lots.set_lot_status, with a LotDecision naming the test),
so none of it can be consumed or released until a decision with a note unblocks or scraps it. A passed
verdict moves no stock: releasing the lot is a decision of its own (quality.services.lots.decide_lot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import IllegalTransition, InvalidInput, Unprocessable
from planning.choices import LotStatus
from planning.models import StockLot
from planning.services.lots import set_lot_status
from quality.choices import LAB_TEST_TRANSITIONS, LabTestStatus, LotAction, MethodKind
from quality.models import LabResult, LabTest, LotDecision, Specification, TestMethod


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


@dataclass(frozen=True)
class Limit:
    method: TestMethod
    min_value: Decimal | None
    max_value: Decimal | None


def specification_for(product) -> list[Limit]:
    """The limits in force for a product: its own active specifications, then its category's for the rest."""
    limits: dict[int, Limit] = {}
    own = Specification.objects.filter(product=product, is_active=True, method__is_active=True)
    for spec in own.select_related("method"):
        limits[spec.method_id] = Limit(spec.method, spec.min_value, spec.max_value)
    if product.category_id:
        shared = Specification.objects.filter(category_id=product.category_id, is_active=True,
                                              method__is_active=True)
        for spec in shared.select_related("method"):
            limits.setdefault(spec.method_id, Limit(spec.method, spec.min_value, spec.max_value))
    return sorted(limits.values(), key=lambda limit: limit.method.name)


def within(method_kind: str, min_value, max_value, value, passed) -> bool:
    """Pure rule: a value within [min, max] (open ends allowed); a pass/fail observation must be a pass."""
    if method_kind == MethodKind.PASS_FAIL:
        return bool(passed)
    if value is None:
        return False
    return (min_value is None or value >= min_value) and (max_value is None or value <= max_value)


@transaction.atomic
def create_lab_test(*, lot_id: int, user=None, notes: str = "") -> LabTest:
    """A test of a lot with one pending result per method of its product's specification (limits copied)."""
    lot = StockLot.objects.select_related("product").get(pk=lot_id)
    if lot.status == LotStatus.SCRAPPED:
        raise IllegalTransition(gettext("Lot %(number)s is scrapped; there is nothing left to test.") % {
                                    "number": lot.number,
                                },
                                current=lot.status, field="lot")
    limits = specification_for(lot.product)
    if not limits:
        raise Unprocessable(
            gettext("Product %(sku)s has no active specification (for itself or its category); add one at "
                    "/api/v1/quality/specifications/ first.") % {"sku": lot.product.sku}, field="lot")
    test = LabTest.objects.create(lot=lot, created_by=_user(user), notes=notes)
    LabResult.objects.bulk_create(
        LabResult(lab_test=test, method=limit.method, min_value=limit.min_value, max_value=limit.max_value)
        for limit in limits
    )
    return test


@dataclass(frozen=True)
class ResultInput:
    method_id: int
    value: Decimal | None = None
    passed: bool | None = None


def _require_open(test: LabTest, target: str) -> None:
    if target not in LAB_TEST_TRANSITIONS[test.status]:
        raise IllegalTransition(gettext("Lab test %(test_id)s is %(status)s; its results and verdict are "
                                        "final.") % {"test_id": test.pk, "status": test.status},
                                current=test.status)


@transaction.atomic
def record_results(test_id: int, results: Sequence[ResultInput], *, user=None) -> LabTest:
    """Record (or correct) results while the test is open; each is checked against its limits at once."""
    test = LabTest.objects.select_for_update().get(pk=test_id)
    _require_open(test, LabTestStatus.PASSED)
    if not results:
        raise InvalidInput(gettext("Send at least one result."), field="results")
    rows = {r.method_id: r for r in test.results.select_related("method")}
    now = timezone.now()
    seen: set[int] = set()
    for item in results:
        row = rows.get(item.method_id)
        if row is None:
            raise InvalidInput(gettext("Method %(method_id)s is not part of lab test %(test_id)s (its "
                                       "specification has methods %(value)s).") % {
                                   "method_id": item.method_id,
                                   "test_id": test.pk,
                                   "value": ', '.join(str(m) for m in sorted(rows)),
                               }, field="results")
        if item.method_id in seen:
            raise InvalidInput(gettext("Method %(method)s is listed twice.") % {"method": row.method.name},
                               field="results")
        seen.add(item.method_id)
        if row.method.kind == MethodKind.NUMERIC:
            if item.value is None:
                raise InvalidInput(gettext("%(method)s is measured: send a value (in %(value)s).") % {
                                       "method": row.method.name,
                                       "value": row.method.unit or 'units',
                                   },
                                   field="results")
            row.value, row.passed = item.value, None
        else:
            if item.passed is None:
                raise InvalidInput(gettext("%(method)s is pass/fail: send passed true or false.") % {
                                       "method": row.method.name,
                                   }, field="results")
            row.value, row.passed = None, item.passed
        row.within_spec = within(row.method.kind, row.min_value, row.max_value, row.value, row.passed)
        row.recorded_by, row.recorded_at = _user(user), now
    LabResult.objects.bulk_update([rows[m] for m in seen],
                                  ["value", "passed", "within_spec", "recorded_by", "recorded_at"])
    return test


def _describe(row: LabResult) -> str:
    if row.method.kind == MethodKind.PASS_FAIL:
        return f"{row.method.name}: {'pass' if row.passed else 'fail'}"
    limits = f"[{'' if row.min_value is None else f'{row.min_value.normalize():f}'}, " \
             f"{'' if row.max_value is None else f'{row.max_value.normalize():f}'}]"
    return f"{row.method.name}: {row.value.normalize():f} {row.method.unit} (spec {limits})".replace("  ", " ")


def decide_verdict(test_id: int, *, user=None) -> LabTest:
    """open → passed | failed, computed from the results; a failed lot is blocked in the same transaction."""
    with transaction.atomic():
        test = LabTest.objects.select_for_update().get(pk=test_id)
        _require_open(test, LabTestStatus.PASSED)
        rows = list(test.results.select_related("method").order_by("method__name"))
        missing = [r.method.name for r in rows if r.within_spec is None]
        if missing:
            raise Unprocessable(gettext("Lab test %(test_id)s has no result yet for: %(missing)s.") % {
                                    "test_id": test.pk,
                                    "missing": ', '.join(missing),
                                },
                                field="results")
        failures = [r for r in rows if not r.within_spec]
        test.status = LabTestStatus.FAILED if failures else LabTestStatus.PASSED
        test.verdict_summary = ("out of specification: " + "; ".join(_describe(r) for r in failures)
                                if failures else "all results within specification")[:1000]
        test.verdict_by, test.verdict_at = _user(user), timezone.now()
        test.save()
        if failures:
            lot = StockLot.objects.get(pk=test.lot_id)
            if lot.status in (LotStatus.QUARANTINE, LotStatus.AVAILABLE):
                note = f"lab test {test.pk} failed: {test.verdict_summary}"[:500]
                set_lot_status(lot.pk, LotStatus.BLOCKED, note=note, user=user, reference=f"lab test {test.pk}")
                LotDecision.objects.create(lot=lot, action=LotAction.BLOCK, from_status=lot.status,
                                           to_status=LotStatus.BLOCKED, note=note, lab_test=test,
                                           decided_by=_user(user))
    return test
