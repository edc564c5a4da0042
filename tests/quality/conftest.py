"""Builders for quality tests: a soft-toy workshop with a lot-tracked, inspected bear and its materials."""

from datetime import date
from decimal import Decimal

import pytest

from planning.choices import TaskStatus
from planning.models import ProductionTask
from planning.services import production, purchasing
from planning.services.lots import get_lot_by_number, set_lot_status
from quality.models import DefectCode, Specification, TestMethod
from tests.planning.conftest import Builders

D = Decimal


@pytest.fixture
def build(db) -> Builders:
    return Builders()


@pytest.fixture
def workshop(build):
    """Bear (lot-tracked, inspected) = 1 fabric + 2 filling; 100 filling on hand (available, no lot); fabric is
    lot-tracked and inspected on receipt; two defect codes; a spec for fabric (weight 180..220 g/m², colour fast)."""
    category = build.category("TEXTILE")
    floor = build.location("FLOOR")
    bear = build.product("BEAR", lot_tracked=True, requires_inspection=True)
    fabric = build.product("FABRIC", kind="material", lot_tracked=True, requires_inspection=True, category=category)
    filling = build.product("FILLING", kind="material")
    build.bom(bear, [(fabric, "1"), (filling, "2")])
    build.bom(fabric, [(filling, "1")])  # not used: fabric is bought; makes it a "finished good" too
    build.stock(floor, filling, 100)
    weight = TestMethod.objects.create(name="Weight", unit="g/m2", min_value=D(150), max_value=D(250))
    colour = TestMethod.objects.create(name="Colour fastness", kind="pass_fail")
    Specification.objects.create(method=weight, product=fabric, min_value=D(180), max_value=D(220))
    Specification.objects.create(method=colour, category=category)
    return {
        "floor": floor, "bear": bear, "fabric": fabric, "filling": filling, "category": category,
        "supplier": build.supplier("WOOL"), "weight": weight, "colour": colour,
        "seam": DefectCode.objects.create(code="open-seam", name="Open seam"),
        "eye": DefectCode.objects.create(code="missing-eye", name="Missing eye"),
    }


def receive_fabric(workshop, quantity, lot_number):
    order = purchasing.create_purchase_order(
        location_id=workshop["floor"].pk, supplier_id=workshop["supplier"].pk,
        lines=[purchasing.LineInput(workshop["fabric"].pk, D(quantity))])
    purchasing.send_purchase_order(order.pk)
    line = order.lines.get()
    purchasing.receive_purchase_order(order.pk, lines=[purchasing.ReceiveInput(line.pk, D(quantity), lot_number)])
    return get_lot_by_number(workshop["fabric"], lot_number)


def completed_bears(workshop, quantity="10") -> ProductionTask:
    """Fabric received and released, then a task making `quantity` bears, completed (output in quarantine)."""
    lot = receive_fabric(workshop, quantity, f"FAB-{quantity}-{ProductionTask.objects.count()}")
    set_lot_status(lot.pk, "available")
    task = production.create_task(product_id=workshop["bear"].pk, quantity=D(quantity),
                                  location_id=workshop["floor"].pk, due_date=date(2026, 3, 5))
    for target in (TaskStatus.APPROVED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED):
        production.transition_task(task.pk, target)
    task.refresh_from_db()
    return task
