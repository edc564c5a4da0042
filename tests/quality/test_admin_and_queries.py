"""Quality admin screens open and act through the services; list endpoints keep a flat query count."""

from decimal import Decimal

import pytest

from planning.models import StockLot
from quality.models import Inspection, LotDecision
from quality.services import inspections, lab
from quality.services.inspections import DefectInput
from quality.services.lots import decide_lot

from .conftest import completed_bears, receive_fabric

D = Decimal


@pytest.fixture
def floor_with_history(workshop):
    """Two inspected tasks (one released), two fabric lots each with a lab test."""
    for quantity in ("4", "6"):
        task = completed_bears(workshop, quantity)
        inspection = inspections.create_inspection(
            production_task_id=task.pk, inspected_quantity=D(quantity), passed_quantity=D(quantity) - 1,
            failed_quantity=D(1), defects=[DefectInput(workshop["seam"].pk, D(1))])
    inspections.release_inspection(inspection.pk)
    for number in ("A-1", "A-2", "A-3"):
        lab.create_lab_test(lot_id=receive_fabric(workshop, 3, number).pk)
    decide_lot(StockLot.objects.get(number="A-3").pk, "block", note="wet pallet")
    return workshop


@pytest.mark.parametrize("model", ["defectcode", "inspection", "testmethod", "specification", "labtest",
                                   "lotdecision"])
def test_admin_changelists_open(floor_with_history, admin_client, model):
    assert admin_client.get(f"/admin/quality/{model}/").status_code == 200


def test_admin_pages_of_lots_and_buckets_open(floor_with_history, admin_client):
    lot = StockLot.objects.first()
    assert admin_client.get("/admin/planning/stocklot/").status_code == 200
    assert admin_client.get(f"/admin/planning/stocklot/{lot.pk}/change/").status_code == 200
    assert admin_client.get("/admin/planning/stockbucket/").status_code == 200
    assert admin_client.get(f"/admin/quality/inspection/{Inspection.objects.first().pk}/change/").status_code == 200


def test_admin_lot_decision_applies_through_the_service_and_shows_refusals(floor_with_history, admin_client):
    lot = StockLot.objects.get(number="A-1")
    refused = admin_client.post("/admin/quality/lotdecision/add/", {"lot": lot.pk, "action": "unblock",
                                                                     "note": "x"})
    assert refused.status_code == 200 and b"is quarantine" in refused.content  # the form again, with the 409 text
    assert not LotDecision.objects.filter(lot=lot).exists()
    done = admin_client.post("/admin/quality/lotdecision/add/", {"lot": lot.pk, "action": "block",
                                                                  "note": "smells of oil"})
    assert done.status_code == 302
    decision = LotDecision.objects.get(lot=lot)
    lot.refresh_from_db()
    assert (decision.from_status, decision.to_status, lot.status) == ("quarantine", "blocked", "blocked")


def test_admin_release_action(floor_with_history, admin_client):
    open_one = Inspection.objects.get(status="open")
    admin_client.post("/admin/quality/inspection/", {"action": "release", "_selected_action": [open_one.pk]})
    open_one.refresh_from_db()
    assert open_one.status == "released"


@pytest.mark.parametrize("path", ["/api/v1/finishgoods/inspections/", "/api/v1/finishgoods/inventory/",
                                  "/api/v1/quality/tests/", "/api/v1/quality/lots/",
                                  "/api/v1/quality/specifications/", "/api/v1/quality/decisions/"])
def test_list_query_count_is_flat(floor_with_history, client_for, django_assert_max_num_queries, path):
    client = client_for("viewer")
    client.get(path)  # warm the permission cache
    with django_assert_max_num_queries(8):
        response = client.get(path)
    assert response.status_code == 200 and response.json()["count"] >= 1
