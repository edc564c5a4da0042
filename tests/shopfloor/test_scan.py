"""/api/v1/barcode/…: scan, scan actions (receive, start, complete, move, count), labels, history.

Unknown codes are 404 naming the code; an action the state does not allow is 409 naming the state; a role
without the right is 403; every scan lands in the history, refusals included, and the ledger stays balanced.
"""

import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from planning.models import PurchaseOrderLine, StockMovement
from planning.services import purchasing
from shopfloor.models import ScanEvent
from shopfloor.services import scan as scan_service

D = Decimal
SCAN = "/api/v1/barcode/scan/"
ACT = "/api/v1/barcode/scan/action/"
LABELS = "/api/v1/barcode/labels/"
SHEET = "/api/v1/barcode/labels/sheet/"
HISTORY = "/api/v1/barcode/scans/"


def sent_line(floor, quantity=5) -> PurchaseOrderLine:
    order = purchasing.create_purchase_order(location_id=floor.workshop.pk, supplier_id=floor.supplier.pk,
                                             lines=[purchasing.LineInput(floor.blank.pk, D(quantity))])
    purchasing.send_purchase_order(order.pk)
    return order.lines.get()


def test_unknown_code_is_404_naming_it_and_is_recorded(client_for, floor):
    response = client_for("viewer").post(SCAN, {"code": "P:NO-SUCH"}, format="json")
    assert response.status_code == 404
    assert "P:NO-SUCH" in response.json()["detail"] and response.json()["scanned"] == "P:NO-SUCH"
    event = ScanEvent.objects.get()
    assert (event.code, event.outcome) == ("P:NO-SUCH", "not_found")


def test_scan_lists_only_the_actions_the_user_may_take_now(client_for, floor):
    line = sent_line(floor)
    planner, viewer = client_for("planner"), client_for("viewer")
    answer = planner.post(SCAN, {"code": f"POL:{line.pk}"}, format="json").json()
    assert (answer["kind"], answer["object"]["outstanding_quantity"]) == ("purchase_order_line", "5.000")
    assert [a["name"] for a in answer["actions"]] == ["receive"]
    assert viewer.post(SCAN, {"code": f"POL:{line.pk}"}, format="json").json()["actions"] == []
    task = planner.post(SCAN, {"code": f"PT:{floor.task.pk}"}, format="json").json()
    assert [a["name"] for a in task["actions"]] == ["start"]  # approved: start, not complete
    product = planner.post(SCAN, {"code": "P:BLANK"}, format="json").json()
    assert sorted(a["name"] for a in product["actions"]) == ["count", "move"]
    assert ScanEvent.objects.filter(outcome="resolved").count() == 4


def test_scan_receive_posts_a_receipt_and_a_second_scan_is_409(client_for, floor):
    line = sent_line(floor)
    planner = client_for("planner")
    part = planner.post(ACT, {"code": f"POL:{line.pk}", "action": "receive", "quantity": "2"}, format="json")
    assert part.status_code == 200, part.content
    assert part.json()["result"]["received"] == "2.000" and floor.on_hand(floor.workshop) == 22
    rest = planner.post(ACT, {"code": f"POL:{line.pk}", "action": "receive"}, format="json")
    assert rest.status_code == 200 and rest.json()["actions"] == []
    assert floor.on_hand(floor.workshop) == 25
    again = planner.post(ACT, {"code": f"POL:{line.pk}", "action": "receive"}, format="json")
    assert again.status_code == 409 and again.json()["current_status"] == "received"
    assert floor.on_hand(floor.workshop) == 25
    assert list(ScanEvent.objects.order_by("id").values_list("action", "outcome")) == [
        ("receive", "done"), ("receive", "done"), ("receive", "refused")]
    floor.assert_ledger_consistent()


def test_receiving_a_draft_order_line_is_409_naming_the_draft(client_for, floor):
    order = purchasing.create_purchase_order(location_id=floor.workshop.pk, supplier_id=floor.supplier.pk,
                                             lines=[purchasing.LineInput(floor.blank.pk, D(5))])
    response = client_for("planner").post(ACT, {"code": f"POL:{order.lines.get().pk}", "action": "receive"},
                                          format="json")
    assert response.status_code == 409 and response.json()["current_status"] == "draft"
    assert "draft" in response.json()["detail"]


def test_over_receiving_is_400_and_writes_nothing(client_for, floor):
    line = sent_line(floor)
    response = client_for("planner").post(ACT, {"code": f"POL:{line.pk}", "action": "receive", "quantity": "6"},
                                          format="json")
    assert response.status_code == 400 and "quantity" in response.json()
    assert floor.on_hand(floor.workshop) == 20 and not StockMovement.objects.filter(kind="receipt",
                                                                                    quantity=6).exists()


def test_scan_start_and_complete_a_task(client_for, floor):
    planner = client_for("planner")
    code = f"PT:{floor.task.pk}"
    early = planner.post(ACT, {"code": code, "action": "complete"}, format="json")
    assert early.status_code == 409 and early.json()["current_status"] == "approved"
    started = planner.post(ACT, {"code": code, "action": "start"}, format="json")
    assert started.status_code == 200 and started.json()["object"]["status"] == "in_progress"
    assert [a["name"] for a in started.json()["actions"]] == ["complete"]
    done = planner.post(ACT, {"code": code, "action": "complete"}, format="json")
    assert done.status_code == 200 and done.json()["result"]["status"] == "completed"
    assert floor.on_hand(floor.workshop) == 10 and floor.on_hand(floor.workshop, floor.shirt) == 10
    again = planner.post(ACT, {"code": code, "action": "start"}, format="json")
    assert again.status_code == 409 and again.json()["current_status"] == "completed"
    floor.assert_ledger_consistent()


def test_scan_move_from_a_product_or_a_location(client_for, floor):
    planner = client_for("planner")
    moved = planner.post(ACT, {"code": "P:BLANK", "action": "move", "location": floor.workshop.pk,
                               "to_location": floor.embroidery_room.pk, "quantity": "4"}, format="json")
    assert moved.status_code == 200, moved.content
    back = planner.post(ACT, {"code": "L:EMB", "action": "move", "product": floor.blank.pk,
                              "to_location": floor.workshop.pk, "quantity": "1"}, format="json")
    assert back.status_code == 200, back.content
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (17, 3)
    too_much = planner.post(ACT, {"code": "L:EMB", "action": "move", "product": floor.blank.pk,
                                  "to_location": floor.workshop.pk, "quantity": "50"}, format="json")
    assert too_much.status_code == 409 and too_much.json()["code"] == "insufficient_stock"
    missing = planner.post(ACT, {"code": "P:BLANK", "action": "move", "location": floor.workshop.pk,
                                 "quantity": "1"}, format="json")
    assert missing.status_code == 400 and "to_location" in missing.json()
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (17, 3)
    floor.assert_ledger_consistent()


def test_cycle_count_posts_the_difference_with_the_reason(client_for, floor):
    planner = client_for("planner")
    counted = planner.post(ACT, {"code": "L:WS", "action": "count", "product": floor.blank.pk, "counted": "17",
                                 "reason": "aisle 3"}, format="json")
    assert counted.status_code == 200, counted.content
    assert counted.json()["result"] == {"on_hand_before": "20.000", "counted": "17.000", "difference": "-3.000",
                                        "movement": counted.json()["result"]["movement"]}
    movement = StockMovement.objects.get(pk=counted.json()["result"]["movement"])
    assert (movement.kind, movement.quantity, movement.reason) == ("adjustment", -3, "cycle count: aisle 3")
    no_reason = planner.post(ACT, {"code": "L:WS", "action": "count", "product": floor.blank.pk, "counted": "1"},
                             format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert floor.on_hand(floor.workshop) == 17


def test_roles_without_the_right_get_403_and_nothing_moves(client_for, floor):
    line = sent_line(floor)
    for role in ("viewer", "integrator"):
        response = client_for(role).post(ACT, {"code": f"POL:{line.pk}", "action": "receive"}, format="json")
        assert response.status_code == 403, role
    assert client_for("anonymous").post(SCAN, {"code": "P:BLANK"}, format="json").status_code == 401
    assert floor.on_hand(floor.workshop) == 20


def test_an_action_the_kind_does_not_have_is_400(client_for, floor):
    response = client_for("planner").post(ACT, {"code": "P:BLANK", "action": "receive"}, format="json")
    assert response.status_code == 400 and "count, move" in response.json()["action"][0]


def test_history_is_paginated_and_filterable(client_for, floor):
    planner = client_for("planner")
    planner.post(SCAN, {"code": "P:BLANK"}, format="json")
    planner.post(SCAN, {"code": "P:NOPE"}, format="json")
    listing = planner.get(HISTORY, {"outcome": "not_found"}).json()
    assert listing["count"] == 1 and listing["results"][0]["code"] == "P:NOPE"
    assert planner.get(HISTORY, {"kind": "product", "page_size": 1}).json()["count"] == 1


def test_label_endpoint_renders_a_decodable_symbol_for_an_object(client_for, floor):
    viewer = client_for("viewer")
    png = viewer.get(LABELS, {"kind": "production_task", "id": floor.task.pk})
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))] == [f"PT:{floor.task.pk}"]
    svg = viewer.get(LABELS, {"code": "L:WS", "symbology": "qr", "image_format": "svg"})
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    unknown = viewer.get(LABELS, {"code": "PT:999999"})
    assert unknown.status_code == 404 and "PT:999999" in unknown.json()["detail"]
    assert viewer.get(LABELS).status_code == 400


def test_label_sheet_is_a_pdf(client_for, floor):
    response = client_for("viewer").post(SHEET, {"labels": [{"code": "P:BLANK", "copies": 3},
                                                            {"kind": "location", "id": floor.workshop.pk}],
                                                 "symbology": "qr"}, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_scan_receives_of_one_line_receive_it_once(build):
    """8 scanners receive the same 5-piece line at the same instant: one receipt, seven 409s, stock +5 once."""
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from core.errors import IllegalTransition
    from core.roles import ensure_roles
    from tests.shopfloor.conftest import make_floor

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections; SQLite serialises writers.")
    floor = make_floor(build)
    line = sent_line(floor)
    user = get_user_model().objects.create_user("scanner")
    user.groups.add(ensure_roles()["planner"])
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def click() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            scan_service.perform_scan_action(f"POL:{line.pk}", "receive", scan_service.ActionParams(), user=user)
            outcomes.append("done")
        except IllegalTransition as exc:
            outcomes.append(f"refused:{exc.current}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["done"] + ["refused:received"] * 7
    assert floor.on_hand(floor.workshop) == 25
    assert StockMovement.objects.filter(kind="receipt", purchase_order_line=line).count() == 1
    assert ScanEvent.objects.filter(outcome="refused").count() == 7
    floor.assert_ledger_consistent()


def test_a_user_without_a_role_gets_no_labels_and_cannot_scan(make_user, floor):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("nobody"))
    assert client.get(LABELS, {"code": "P:BLANK"}).status_code == 403
    assert client.post(SHEET, {"labels": [{"code": "P:BLANK"}]}, format="json").status_code == 403
    assert client.post(SCAN, {"code": "P:BLANK"}, format="json").status_code == 403
    assert not ScanEvent.objects.exists()
