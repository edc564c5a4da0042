"""The demo's toy workshop: lot-tracked products, one released inspection, one failed lab test (lot blocked)."""

from decimal import Decimal

import pytest

from demo.shopfloor import BAD_LOT, BEAR, FABRIC, GOOD_LOT, load_shopfloor_demo
from planning.models import StockBalance, StockLot
from planning.services.ledger import verify_ledger
from quality.models import Inspection, LabTest

D = Decimal


@pytest.mark.django_db
def test_the_toy_workshop_loads_once_through_the_services():
    lines = load_shopfloor_demo()
    assert "lab tests WOOL-2026-01 failed, WOOL-2026-02 passed" in lines[0]
    assert StockLot.objects.get(product__sku=FABRIC, number=BAD_LOT).status == "blocked"
    assert StockLot.objects.get(product__sku=FABRIC, number=GOOD_LOT).status == "available"
    assert LabTest.objects.filter(status="failed").count() == 1
    inspection = Inspection.objects.get()
    assert (inspection.status, inspection.passed_quantity, inspection.lot.status) == ("released", D(17), "available")
    bears = StockBalance.objects.get(product__sku=BEAR)
    assert (bears.on_hand, bears.available) == (D(17), D(17))
    fabric = StockBalance.objects.get(product__sku=FABRIC)
    assert (fabric.on_hand, fabric.blocked, fabric.available) == (D(15), D(10), D(5))  # 20 × 0.25 m² used
    assert verify_ledger() == []
    assert load_shopfloor_demo() == ["shop floor: already loaded (toy workshop, lots, lab tests, inspection)"]
    assert Inspection.objects.count() == 1
