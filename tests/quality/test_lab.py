"""Quality lab: methods, specifications (product over category), tests with results, the computed verdict, a
failed lot blocked (never consumed or released) until a decision with a note, and the 409s naming the state."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import IllegalTransition, Unprocessable
from planning.choices import LotStatus, MovementKind, StockStatus, TaskStatus
from planning.models import StockBalance, StockMovement
from planning.services import production
from planning.services.ledger import InsufficientStock, verify_ledger
from quality.models import LabTest, LotDecision
from quality.services import lab
from quality.services.lab import ResultInput, within

from .conftest import receive_fabric

D = Decimal
TESTS = "/api/v1/quality/tests/"


@pytest.mark.parametrize(("kind", "low", "high", "value", "passed", "expected"), [
    ("numeric", D(1), D(2), D(1), None, True),
    ("numeric", D(1), D(2), D(2), None, True),
    ("numeric", D(1), D(2), D("2.01"), None, False),
    ("numeric", None, D(2), D(-5), None, True),
    ("numeric", D(1), None, D("0.9"), None, False),
    ("numeric", D(1), D(2), None, None, False),
    ("pass_fail", None, None, None, True, True),
    ("pass_fail", None, None, None, False, False),
])
def test_within_spec(kind, low, high, value, passed, expected):
    assert within(kind, low, high, value, passed) is expected


def test_specification_takes_the_products_own_limits_over_its_categorys(workshop):
    limits = {limit.method.name: (limit.min_value, limit.max_value) for limit in lab.specification_for(
        workshop["fabric"])}
    assert limits == {"Weight": (D(180), D(220)), "Colour fastness": (None, None)}
    assert lab.specification_for(workshop["filling"]) == []


def test_a_failed_lab_test_blocks_the_lot_which_is_never_consumed_or_released(workshop, client_for):
    client = client_for("planner")
    lot = receive_fabric(workshop, 8, "WOOL-1")
    created = client.post(TESTS, {"lot": lot.pk}, format="json")
    assert created.status_code == 201, created.content
    test_id = created.json()["id"]
    assert [(r["method_name"], r["min_value"], r["within_spec"]) for r in created.json()["results"]] == [
        ("Colour fastness", None, None), ("Weight", "180.000000", None)]

    early = client.post(f"{TESTS}{test_id}/verdict/")
    assert early.status_code == 422 and "Colour fastness, Weight" in early.json()["results"][0]

    assert client.post(f"{TESTS}{test_id}/results/", {"results": [{"method": workshop["weight"].pk}]},
                       format="json").status_code == 400  # a measured method needs a value
    recorded = client.post(f"{TESTS}{test_id}/results/", {"results": [
        {"method": workshop["weight"].pk, "value": "231.5"}, {"method": workshop["colour"].pk, "passed": True},
    ]}, format="json")
    assert recorded.status_code == 200, recorded.content
    assert [r["within_spec"] for r in recorded.json()["results"]] == [True, False]

    # Releasing while the test is open is refused.
    refused = client.post(f"/api/v1/quality/lots/{lot.pk}/decide/", {"action": "release"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "lab_test_open"

    verdict = client.post(f"{TESTS}{test_id}/verdict/")
    assert verdict.status_code == 200 and verdict.json()["status"] == "failed"
    assert "Weight: 231.5 g/m2 (spec [180, 220])" in verdict.json()["verdict_summary"]
    lot.refresh_from_db()
    assert lot.status == LotStatus.BLOCKED and f"lab test {test_id} failed" in lot.status_note
    assert LotDecision.objects.get(lot=lot).lab_test_id == test_id
    balance = StockBalance.objects.get(product=workshop["fabric"])
    assert (balance.on_hand, balance.blocked, balance.available) == (D(8), D(8), D(0))
    assert verify_ledger() == []

    # Final: no more results, no second verdict (409 naming the status).
    again = client.post(f"{TESTS}{test_id}/results/", {"results": [{"method": workshop["weight"].pk,
                                                                   "value": "200"}]}, format="json")
    assert again.status_code == 409 and again.json()["current_status"] == "failed"
    assert client.post(f"{TESTS}{test_id}/verdict/").json()["current_status"] == "failed"

    # Never consumed: production needing the fabric is refused, naming the blocked quantity.
    task = production.create_task(product_id=workshop["bear"].pk, quantity=D(2), location_id=workshop["floor"].pk,
                                  due_date=date(2026, 3, 5))
    for target in (TaskStatus.APPROVED, TaskStatus.IN_PROGRESS):
        production.transition_task(task.pk, target)
    with pytest.raises(InsufficientStock, match="8.000 blocked cannot be used"):
        production.transition_task(task.pk, TaskStatus.COMPLETED)
    assert not StockMovement.objects.filter(lot=lot, kind=MovementKind.PRODUCTION_CONSUME).exists()

    # Never released: only a decision with a note unblocks or scraps it.
    decide = f"/api/v1/quality/lots/{lot.pk}/decide/"
    assert client.post(decide, {"action": "release"}, format="json").json()["current_status"] == "blocked"
    assert client.post(decide, {"action": "scrap"}, format="json").status_code == 400
    scrapped = client.post(decide, {"action": "scrap", "note": "returned to supplier, out of spec"}, format="json")
    assert scrapped.status_code == 201 and scrapped.json()["to_status"] == "scrapped"
    assert StockBalance.objects.get(product=workshop["fabric"]).on_hand == D(0)
    assert StockMovement.objects.get(lot=lot, kind=MovementKind.SCRAP).status == StockStatus.BLOCKED
    detail = client.get(f"/api/v1/quality/lots/{lot.pk}/").json()
    assert (detail["status"], detail["stock"]) == ("scrapped", [])
    assert verify_ledger() == []


def test_a_passed_lab_test_lets_the_lot_be_released_and_consumed(workshop, client_for):
    client = client_for("planner")
    lot = receive_fabric(workshop, 5, "WOOL-2")
    test = lab.create_lab_test(lot_id=lot.pk)
    lab.record_results(test.pk, [ResultInput(workshop["weight"].pk, value=D(200)),
                                 ResultInput(workshop["colour"].pk, passed=True)])
    assert lab.decide_verdict(test.pk).status == "passed"
    lot.refresh_from_db()
    assert lot.status == LotStatus.QUARANTINE  # a pass moves nothing by itself
    response = client.post(f"/api/v1/quality/lots/{lot.pk}/decide/", {"action": "release"}, format="json")
    assert response.status_code == 201, response.content
    lots = client.get("/api/v1/quality/lots/", {"status": "available", "product": workshop["fabric"].pk}).json()
    assert [(r["number"], r["stock"]) for r in lots["results"]] == [
        ("WOOL-2", [{"location": workshop["floor"].pk, "status": "available", "quantity": "5.000"}])]
    assert client.get("/api/v1/quality/tests/", {"status": "passed", "product": workshop["fabric"].pk}
                      ).json()["count"] == 1
    assert verify_ledger() == []


def test_lab_test_needs_a_specification_and_a_live_lot(workshop, build):
    from planning.services.lots import create_lot, set_lot_status

    orphan = create_lot(workshop["filling"], number="F-1")
    with pytest.raises(Unprocessable, match="no active specification"):
        lab.create_lab_test(lot_id=orphan.pk)
    lot = receive_fabric(workshop, 2, "WOOL-3")
    set_lot_status(lot.pk, LotStatus.SCRAPPED, note="wet on arrival")
    with pytest.raises(IllegalTransition) as info:
        lab.create_lab_test(lot_id=lot.pk)
    assert info.value.current == "scrapped"
    assert LabTest.objects.count() == 0


def test_methods_and_specifications_through_the_api(workshop, client_for):
    client = client_for("planner")
    method = client.post("/api/v1/quality/methods/", {"name": "Seam strength", "unit": "N", "min_value": "50"},
                         format="json")
    assert method.status_code == 201, method.content
    method_id = method.json()["id"]
    assert client.post("/api/v1/quality/methods/", {"name": "Smell", "kind": "pass_fail", "max_value": "1"},
                       format="json").status_code == 400
    both = {"method": method_id, "product": workshop["bear"].pk, "category": workshop["category"].pk,
            "min_value": "60"}
    assert client.post("/api/v1/quality/specifications/", both, format="json").status_code == 400
    no_limits = {"method": method_id, "product": workshop["bear"].pk}
    assert client.post("/api/v1/quality/specifications/", no_limits, format="json").status_code == 400
    good = {"method": method_id, "product": workshop["bear"].pk, "min_value": "60"}
    assert client.post("/api/v1/quality/specifications/", good, format="json").status_code == 201
    assert client.post("/api/v1/quality/specifications/", good, format="json").status_code == 400  # duplicate
    listed = client.get("/api/v1/quality/specifications/", {"product": workshop["bear"].pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["min_value"] == "60.000000"


@pytest.mark.parametrize("path", [
    "/api/v1/finishgoods/inspections/", "/api/v1/finishgoods/defect-codes/", "/api/v1/finishgoods/inventory/",
    "/api/v1/quality/methods/", "/api/v1/quality/specifications/", "/api/v1/quality/tests/",
    "/api/v1/quality/lots/", "/api/v1/quality/decisions/",
])
def test_lists_answer_200_on_an_empty_database_and_viewers_cannot_write(path, client_for):
    viewer = client_for("viewer")
    response = viewer.get(path)
    assert response.status_code == 200 and response.json()["count"] == 0
    assert viewer.post(path, {}, format="json").status_code in (403, 405)
