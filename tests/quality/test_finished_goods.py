"""Finished-goods QC: inspections of completed output, release (available / scrap / rework), reject (blocked),
the 409s naming the state, ledger balances after each step, and concurrent releases on PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from core.errors import Conflict, IllegalTransition, InvalidInput
from planning.choices import LotStatus, MovementKind, StockStatus, TaskStatus
from planning.models import ProductionTask, StockBalance, StockBucket, StockLot, StockMovement
from planning.services import production
from planning.services.ledger import verify_ledger
from quality.models import Inspection
from quality.services import inspections
from quality.services.inspections import DefectInput

from .conftest import completed_bears

D = Decimal
URL = "/api/v1/finishgoods/inspections/"


def lot_quantity(lot, status) -> Decimal:
    row = StockBucket.objects.filter(lot=lot, status=status).first()
    return row.quantity if row else D(0)


def test_completed_output_waits_in_quarantine_under_its_own_lot(workshop):
    task = completed_bears(workshop, "10")
    lot = StockLot.objects.get(production_task=task)
    assert lot.status == LotStatus.QUARANTINE and lot_quantity(lot, StockStatus.QUARANTINE) == D(10)
    balance = StockBalance.objects.get(product=workshop["bear"])
    assert (balance.on_hand, balance.available) == (D(10), D(0))
    assert verify_ledger() == []


def test_only_completed_output_can_be_inspected(workshop):
    task = production.create_task(product_id=workshop["bear"].pk, quantity=D(2), location_id=workshop["floor"].pk,
                                  due_date=task_due())
    with pytest.raises(IllegalTransition) as info:
        inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(1), passed_quantity=D(1))
    assert info.value.current == TaskStatus.DRAFT and info.value.status == 409


def task_due() -> date:
    return date(2026, 3, 5)


def test_inspection_rules(workshop):
    task = completed_bears(workshop, "10")
    with pytest.raises(InvalidInput, match="must equal inspected"):
        inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(5), passed_quantity=D(4))
    with pytest.raises(InvalidInput, match="at least one defect"):
        inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(5), passed_quantity=D(4),
                                      failed_quantity=D(1))
    with pytest.raises(Conflict, match="cannot inspect 11"):
        inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(11), passed_quantity=D(11))
    inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(6), passed_quantity=D(6))
    with pytest.raises(Conflict, match="4.000 of its output"):  # 6 already under an open inspection
        inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(5), passed_quantity=D(5))
    assert Inspection.objects.count() == 1


def test_release_moves_passed_to_available_failed_to_scrap_and_rework_to_a_task(workshop, client_for):
    client = client_for("planner")
    task = completed_bears(workshop, "10")
    lot = StockLot.objects.get(production_task=task)
    response = client.post(URL, {
        "production_task": task.pk, "inspected_quantity": "10", "passed_quantity": "7", "failed_quantity": "2",
        "rework_quantity": "1", "defects": [{"defect_code": workshop["seam"].pk, "quantity": "2"},
                                            {"defect_code": workshop["eye"].pk, "quantity": "1"}],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["lot"], body["lot_number"], body["inspector"]) == (
        "open", lot.pk, lot.number, client.user.pk)
    assert lot_quantity(lot, StockStatus.QUARANTINE) == D(10)  # nothing moves before the release

    response = client.post(f"{URL}{body['id']}/release/")
    assert response.status_code == 200, response.content
    released = response.json()
    assert released["status"] == "released" and released["released_by"] == client.user.pk
    assert lot_quantity(lot, StockStatus.AVAILABLE) == D(7)
    assert lot_quantity(lot, StockStatus.QUARANTINE) == D(0)
    scrap = StockMovement.objects.get(lot=lot, kind=MovementKind.SCRAP)
    assert scrap.quantity == D(-2) and "open-seam" in scrap.reason and "missing-eye" in scrap.reason
    rework_task = ProductionTask.objects.get(pk=released["rework_task"])
    assert (rework_task.status, rework_task.quantity) == (TaskStatus.DRAFT, D(1))
    assert StockMovement.objects.get(lot=lot, kind=MovementKind.REWORK).production_task_id == rework_task.pk
    lot.refresh_from_db()
    assert lot.status == LotStatus.AVAILABLE
    balance = StockBalance.objects.get(product=workshop["bear"])
    assert (balance.on_hand, balance.quarantine, balance.available) == (D(7), D(0), D(7))
    assert verify_ledger() == []

    again = client.post(f"{URL}{body['id']}/release/")
    assert again.status_code == 409 and again.json()["current_status"] == "released"
    assert "is released" in again.json()["detail"]
    assert client.post(f"{URL}{body['id']}/reject/", {"reason": "late"}, format="json").status_code == 409
    assert verify_ledger() == []

    inventory = client.get("/api/v1/finishgoods/inventory/", {"product": workshop["bear"].pk}).json()
    assert [(r["lot_number"], r["status"], r["quantity"]) for r in inventory["results"]] == [
        (lot.number, "available", "7.000")]
    assert client.get("/api/v1/finishgoods/inventory/", {"status": "quarantine",
                                                        "product": workshop["bear"].pk}).json()["count"] == 0
    listed = client.get(URL, {"status": "released", "defect_code": workshop["eye"].pk}).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]


def test_reject_blocks_the_lot_until_a_decision_with_a_note(workshop, client_for):
    client = client_for("planner")
    task = completed_bears(workshop, "4")
    lot = StockLot.objects.get(production_task=task)
    inspection = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(4),
                                               passed_quantity=D(0), failed_quantity=D(4),
                                               defects=[DefectInput(workshop["seam"].pk, D(4))])
    assert client.post(f"{URL}{inspection.pk}/reject/", {}, format="json").status_code == 400
    response = client.post(f"{URL}{inspection.pk}/reject/", {"reason": "whole batch stitched wrong"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    lot.refresh_from_db()
    assert lot.status == LotStatus.BLOCKED and lot_quantity(lot, StockStatus.BLOCKED) == D(4)
    assert StockBalance.objects.get(product=workshop["bear"]).blocked == D(4)
    assert client.post(f"{URL}{inspection.pk}/release/").json()["current_status"] == "rejected"

    decide = f"/api/v1/quality/lots/{lot.pk}/decide/"
    refused = client.post(decide, {"action": "release"}, format="json")
    assert refused.status_code == 409 and refused.json()["current_status"] == "blocked"
    assert client.post(decide, {"action": "unblock"}, format="json").status_code == 400
    assert client.post(decide, {"action": "unblock", "note": "re-checked: stitching ok"},
                       format="json").status_code == 201
    lot.refresh_from_db()
    assert lot.status == LotStatus.AVAILABLE and lot_quantity(lot, StockStatus.AVAILABLE) == D(4)
    decisions = client.get("/api/v1/quality/decisions/", {"lot": lot.pk}).json()["results"]
    assert [(d["action"], d["from_status"], d["to_status"]) for d in decisions] == [
        ("unblock", "blocked", "available"), ("block", "quarantine", "blocked")]
    assert verify_ledger() == []


def test_release_without_a_bom_for_rework_writes_nothing(workshop):
    task = completed_bears(workshop, "3")
    inspection = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(3),
                                               passed_quantity=D(2), rework_quantity=D(1),
                                               defects=[DefectInput(workshop["eye"].pk, D(1))])
    workshop["bear"].boms.update(is_active=False)
    movements = StockMovement.objects.count()
    with pytest.raises(Conflict, match="cannot create the rework task"):
        inspections.release_inspection(inspection.pk)
    inspection.refresh_from_db()
    assert inspection.status == "open" and StockMovement.objects.count() == movements
    assert verify_ledger() == []


def test_output_without_a_lot_is_inspected_from_the_items_quarantine(workshop, build):
    doll = build.product("DOLL", requires_inspection=True)
    build.bom(doll, [(workshop["filling"], "1")])
    task = production.create_task(product_id=doll.pk, quantity=D(5), location_id=workshop["floor"].pk,
                                  due_date=task_due())
    for target in (TaskStatus.APPROVED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED):
        production.transition_task(task.pk, target)
    inspection = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(5),
                                               passed_quantity=D(5))
    assert inspection.lot is None
    inspections.release_inspection(inspection.pk)
    balance = StockBalance.objects.get(product=doll)
    assert (balance.on_hand, balance.quarantine, balance.available) == (D(5), D(0), D(5))
    assert verify_ledger() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_move_the_stock_once(workshop):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections.")
    task = completed_bears(workshop, "6")
    inspection = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(6),
                                               passed_quantity=D(5), failed_quantity=D(1),
                                               defects=[DefectInput(workshop["seam"].pk, D(1))])
    clicks = 4
    barrier = threading.Barrier(clicks)
    outcomes: list[str] = []
    lock = threading.Lock()

    def release() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            inspections.release_inspection(inspection.pk)
            result = "released"
        except IllegalTransition as exc:
            result = f"refused {exc.current}"
        except Exception as exc:  # surfaced in the assertion below
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=release) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused released"] * (clicks - 1) + ["released"], outcomes
    lot = StockLot.objects.get(production_task=task)
    assert lot_quantity(lot, StockStatus.AVAILABLE) == D(5)
    assert StockMovement.objects.filter(lot=lot, kind=MovementKind.SCRAP).count() == 1
    assert verify_ledger() == []


@pytest.mark.parametrize("current", ["open", "released", "rejected"])
@pytest.mark.parametrize("action", ["release", "reject"])
def test_every_inspection_step_is_legal_only_when_open(workshop, client_for, current, action):
    client = client_for("planner")
    task = completed_bears(workshop, "2")
    inspection = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(2),
                                               passed_quantity=D(2))
    if current == "released":
        inspections.release_inspection(inspection.pk)
    elif current == "rejected":
        inspections.reject_inspection(inspection.pk, reason="setup")
    movements = StockMovement.objects.count()
    response = client.post(f"{URL}{inspection.pk}/{action}/", {"reason": "because"}, format="json")
    if current == "open":
        assert response.status_code == 200
        assert response.json()["status"] == {"release": "released", "reject": "rejected"}[action]
        assert StockMovement.objects.count() > movements
    else:
        assert response.status_code == 409 and response.json()["current_status"] == current
        assert StockMovement.objects.count() == movements
    assert verify_ledger() == []


def test_the_dashboard_reports_the_pass_rate_of_inspected_units(workshop, client_for):
    task = completed_bears(workshop, "10")
    inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(10), passed_quantity=D(8),
                                  failed_quantity=D(2), defects=[DefectInput(workshop["seam"].pk, D(2))])
    qc = client_for("viewer").get("/api/v1/dashboard/production/").json()["qc"]
    assert qc["available"] is True and qc["pass_rate"] == 0.8 and qc["inspections"] == 1
