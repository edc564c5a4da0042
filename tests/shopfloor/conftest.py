"""A small shop floor: a workshop, an embroidery room, a T-shirt made from a blank, a design and a task."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from branches.models import Location
from planning.models import BillOfMaterials, ProductionTask, StockBalance, Supplier
from planning.services import production
from planning.services.ledger import verify_ledger
from sales.models import Product
from shopfloor.models import EmbroideryDesign
from tests.planning.conftest import Builders

D = Decimal


@dataclass
class Floor:
    build: Builders
    workshop: Location
    embroidery_room: Location
    shirt: Product
    blank: Product
    bom: BillOfMaterials
    task: ProductionTask
    design: EmbroideryDesign
    supplier: Supplier

    def on_hand(self, location: Location, product: Product | None = None) -> Decimal:
        row = StockBalance.objects.filter(location=location, product=product or self.blank).first()
        return row.on_hand if row else D(0)

    def assert_ledger_consistent(self) -> None:
        assert verify_ledger() == []


def make_floor(build: Builders, *, blanks: int = 20) -> Floor:
    workshop = build.location("WS")
    room = build.location("EMB")
    shirt = build.product("TEE", kind="semi_finished")
    blank = build.product("BLANK")
    bom = build.bom(shirt, [(blank, 1)])
    build.stock(workshop, blank, blanks)
    task = production.create_task(product_id=shirt.pk, quantity=D(10), location_id=workshop.pk,
                                  due_date=date(2026, 3, 10))
    production.apply_action(task.pk, "approve")
    design = EmbroideryDesign.objects.create(code="LOGO", name="Logo", stitch_count=4200,
                                             colours=["navy", "white"], machine_minutes_per_piece=D("3.5"))
    return Floor(build, workshop, room, shirt, blank, bom, ProductionTask.objects.get(pk=task.pk), design,
                 build.supplier("STITCH"))


@pytest.fixture
def build(db) -> Builders:
    return Builders()


@pytest.fixture
def floor(build) -> Floor:
    return make_floor(build)
