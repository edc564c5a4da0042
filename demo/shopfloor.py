"""The shop floor of the demo: a small soft-toy workshop with lot-tracked products, a finished-goods inspection
and a lab test that fails (its fabric lot ends up blocked).

Everything goes through the services the API uses (purchasing, production, quality), so the demo shows the
real flow: fabric lots arrive in quarantine, the lab tests them (one fails and is blocked, one passes and is
released), a production task consumes the good lot only, its output waits in quarantine under its own lot,
and an inspection releases 17 bears, scraps 2 and sends 1 to rework. Loading twice changes nothing (the first
fabric lot is the marker).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

D = Decimal
WORKSHOP = "DEMO-TOYS"
BEAR, FABRIC, FILLING = "TOY-BEAR", "TOY-FABRIC", "TOY-FILLING"
BAD_LOT, GOOD_LOT = "WOOL-2026-01", "WOOL-2026-02"


def load_shopfloor_demo() -> list[str]:
    """Create the workshop's products, stock, lots, lab tests and one inspection (once)."""
    from branches.models import Location
    from planning.choices import MovementKind
    from planning.models import StockLot, Supplier
    from planning.services import production, purchasing
    from planning.services.bom_import import upsert_boms_from_lines
    from planning.services.ledger import MovementSpec, post_movements
    from planning.services.lots import get_lot_by_number
    from quality.models import DefectCode, Specification, TestMethod
    from quality.services import inspections, lab
    from quality.services.lots import decide_lot
    from sales.models import Product
    from sales.services.ingest import upsert_categories, upsert_products

    if StockLot.objects.filter(product__sku=FABRIC, number=BAD_LOT).exists():
        return ["shop floor: already loaded (toy workshop, lots, lab tests, inspection)"]
    workshop, _ = Location.objects.get_or_create(code=WORKSHOP, defaults={"name": "Toy workshop"})
    upsert_categories([{"code": "TOYS", "name": "Soft toys", "parent_code": None},
                       {"code": "TEXTILES", "name": "Textiles", "parent_code": None}])
    upsert_products([
        {"sku": BEAR, "name": "Teddy bear 30 cm", "kind": "goods", "category_code": "TOYS", "unit": "pcs",
         "list_price": 24.90},
        {"sku": FABRIC, "name": "Plush fabric", "kind": "material", "category_code": "TEXTILES", "unit": "m2"},
        {"sku": FILLING, "name": "Polyester filling", "kind": "material", "category_code": "TEXTILES",
         "unit": "kg"},
    ])
    Product.objects.filter(sku__in=[BEAR, FABRIC]).update(lot_tracked=True, requires_inspection=True)
    upsert_boms_from_lines([
        {"parent_sku": BEAR, "component_sku": FABRIC, "quantity": 0.25, "unit": "m2", "scrap_pct": 0},
        {"parent_sku": BEAR, "component_sku": FILLING, "quantity": 0.2, "unit": "kg", "scrap_pct": 0},
    ])
    bear, fabric, filling = (Product.objects.get(sku=sku) for sku in (BEAR, FABRIC, FILLING))
    post_movements([MovementSpec(workshop.pk, filling.pk, MovementKind.RECEIPT, D(50), reason="demo opening stock",
                                 reference="demo")])

    supplier, _ = Supplier.objects.get_or_create(code="DEMO-WOOL", defaults={"name": "Northern Wool Mill"})
    order = purchasing.create_purchase_order(location_id=workshop.pk, supplier_id=supplier.pk,
                                             lines=[purchasing.LineInput(fabric.pk, D(10)),
                                                    purchasing.LineInput(fabric.pk, D(10))])
    purchasing.send_purchase_order(order.pk)
    first, second = order.lines.order_by("id")
    expiry = timezone.localdate() + timedelta(days=365)
    purchasing.receive_purchase_order(order.pk, reference="DN-1187", lines=[
        purchasing.ReceiveInput(first.pk, D(10), BAD_LOT, expiry),
        purchasing.ReceiveInput(second.pk, D(10), GOOD_LOT, expiry),
    ])

    weight, _ = TestMethod.objects.get_or_create(name="Fabric weight", defaults={"unit": "g/m2"})
    colour, _ = TestMethod.objects.get_or_create(name="Colour fastness", defaults={"kind": "pass_fail"})
    Specification.objects.get_or_create(method=weight, product=fabric,
                                        defaults={"min_value": D(180), "max_value": D(220)})
    Specification.objects.get_or_create(method=colour, category=fabric.category)
    verdicts = []
    for number, grams in ((BAD_LOT, D("236.5")), (GOOD_LOT, D("204"))):
        lot = get_lot_by_number(fabric, number)
        test = lab.create_lab_test(lot_id=lot.pk, notes="incoming inspection")
        lab.record_results(test.pk, [lab.ResultInput(weight.pk, value=grams),
                                     lab.ResultInput(colour.pk, passed=True)])
        verdicts.append(f"{number} {lab.decide_verdict(test.pk).status}")
    decide_lot(get_lot_by_number(fabric, GOOD_LOT).pk, "release", note="lab test passed")

    task = production.create_task(product_id=bear.pk, quantity=D(20), location_id=workshop.pk,
                                  due_date=timezone.localdate(), notes="demo batch")
    for action in ("approve", "start", "complete"):
        production.apply_action(task.pk, action)
    seam, _ = DefectCode.objects.get_or_create(code="open-seam", defaults={"name": "Open seam"})
    eye, _ = DefectCode.objects.get_or_create(code="missing-eye", defaults={"name": "Missing eye"})
    DefectCode.objects.get_or_create(code="stain", defaults={"name": "Stain on fabric"})
    inspection = inspections.create_inspection(
        production_task_id=task.pk, inspected_quantity=D(20), passed_quantity=D(17), failed_quantity=D(2),
        rework_quantity=D(1), defects=[inspections.DefectInput(seam.pk, D(2)), inspections.DefectInput(eye.pk, D(1))],
        notes="demo inspection")
    inspections.release_inspection(inspection.pk)
    return [f"shop floor: toy workshop with lot-tracked {BEAR} and {FABRIC}; lab tests {', '.join(verdicts)} "
            f"({BAD_LOT} blocked); task {task.pk} made 20 bears; inspection {inspection.pk} released 17, "
            "scrapped 2, sent 1 to rework"]
