"""The demo's workbench examples: alert rules, purchase orders in several states, tasks across the board."""

from decimal import Decimal

import pytest

from monitoring.models import AlertRule
from planning.models import ProductionTask, PurchaseOrder
from planning.services.proposals import propose_orders
from tests.planning.conftest import TODAY, Builders

pytestmark = pytest.mark.django_db


def test_examples_give_every_screen_something_and_are_re_runnable():
    from demo.workbench_examples import ALERT_RULES, load_workbench_examples

    build = Builders()
    series = {}
    water = build.product("WATER")
    flour = build.product("FLOUR", kind="material", unit="kg")
    pies = [build.product(f"PIE{n}", kind="dish") for n in range(3)]
    for pie in pies:
        build.bom(pie, [(flour, "0.1")])
    for n in range(4):
        shop = build.location(f"SHOP{n}")
        build.settings(location=shop, supplier=build.supplier(f"SUP{n}"), lead_time_days=2)
        series[(shop, water)] = [10] * 28
    for n in range(2):
        kitchen = build.location(f"KITCHEN{n}")
        build.stock(kitchen, flour, 1000)
        for pie in pies:
            series[(kitchen, pie)] = [5] * 28
    run = build.run(series)
    propose_orders(run, planning_date=TODAY)

    lines = load_workbench_examples()
    assert AlertRule.objects.count() == len(ALERT_RULES)
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {
        "draft", "sent", "partially_received", "cancelled"}
    assert set(ProductionTask.objects.values_list("status", flat=True)) == {
        "draft", "approved", "in_progress", "completed", "cancelled"}
    assert ProductionTask.objects.filter(status="completed").get().quantity > Decimal("0")
    assert len(lines) == 3

    before = (PurchaseOrder.objects.count(), ProductionTask.objects.count(), AlertRule.objects.count())
    again = load_workbench_examples()
    assert (PurchaseOrder.objects.count(), ProductionTask.objects.count(), AlertRule.objects.count()) == before
    assert "kept" in again[1] and "kept" in again[2]
