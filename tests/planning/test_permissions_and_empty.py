"""Who may do what (per role), every list/status endpoint on an empty database, and the admin screens."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from planning.models import OrderProposal, ProductionTask, PurchaseOrder
from planning.services.proposals import propose_orders

from .conftest import TODAY

D = Decimal

READ_ENDPOINTS = [
    "/api/v1/planning/settings/",
    "/api/v1/planning/proposals/",
    "/api/v1/planning/proposal-runs/",
    "/api/v1/warehouse/stock/",
    "/api/v1/warehouse/movements/",
    "/api/v1/warehouse/bom/",
    "/api/v1/warehouse/bom/variants",
    "/api/v1/purchasing/orders/",
    "/api/v1/purchasing/receipts/",
    "/api/v1/purchasing/suppliers/",
    "/api/v1/ppic/tasks/",
    "/api/v1/ppic/kanban/",
    "/api/v1/planning/core/health",
]


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_every_list_and_status_endpoint_answers_200_on_an_empty_database(client_for, url):
    response = client_for("viewer").get(url)
    assert response.status_code == 200, (url, response.content)
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_anonymous_is_401(api_client, url):
    assert api_client.get(url).status_code == 401


@pytest.mark.parametrize("role", ["viewer", "planner", "integrator", "admin"])
@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_every_role_reads(client_for, role, url):
    assert client_for(role).get(url).status_code == 200


def test_planner_group_holds_every_planning_permission(roles):
    planning_perms = set(Permission.objects.filter(content_type__app_label="planning").values_list("codename",
                                                                                                   flat=True))
    planner = set(Group.objects.get(name="planner").permissions.filter(content_type__app_label="planning")
                  .values_list("codename", flat=True))
    assert planning_perms and planning_perms == planner
    assert {"add_orderproposal", "change_productiontask", "delete_billofmaterials"} <= planner


@pytest.fixture
def world(build):
    loc = build.location("SHOP")
    item, dish, part = build.product("WATER"), build.product("PIE", kind="dish"), build.product("FLOUR")
    bom = build.bom(dish, [(part, "1")])
    build.stock(loc, part, 50)
    build.run({(loc, item): [5] * 14})
    propose_orders(planning_date=TODAY)
    task = ProductionTask.objects.create(product=dish, bom=bom, quantity=D("1"), location=loc,
                                         due_date=date(2026, 3, 5))
    order = PurchaseOrder.objects.create(location=loc)
    return {"loc": loc, "item": item, "dish": dish, "part": part, "bom": bom, "task": task, "order": order,
            "proposal": OrderProposal.objects.get()}


def writes(world) -> list[tuple[str, str, dict]]:
    """(method, url, body) of state-changing calls a planner may make."""
    loc, part = world["loc"], world["part"]
    return [
        ("post", "/api/v1/planning/settings/", {"moq": "1"}),
        ("post", "/api/v1/purchasing/suppliers/", {"code": "X", "name": "X"}),
        ("post", f"/api/v1/planning/proposals/{world['proposal'].pk}/approve", {}),
        ("post", f"/api/v1/ppic/tasks/{world['task'].pk}/approve", {}),
        ("put", f"/api/v1/ppic/kanban/{world['task'].pk}", {"position": 0}),
        ("post", "/api/v1/purchasing/orders/", {"location": loc.pk}),
        ("post", f"/api/v1/purchasing/orders/{world['order'].pk}/cancel", {}),
        ("post", "/api/v1/warehouse/bom/", {"product": world["item"].pk, "lines": [{"component": part.pk,
                                                                                   "quantity": "1"}]}),
        ("post", "/api/v1/warehouse/movements/", {"kind": "adjustment", "location": loc.pk, "product": part.pk,
                                                  "quantity": "1", "reason": "count"}),
        ("post", "/api/v1/ppic/tasks/", {"product": world["dish"].pk, "quantity": "1", "location": loc.pk,
                                         "due_date": "2026-03-05"}),
    ]


@pytest.mark.parametrize("role", ["viewer", "integrator"])
def test_viewer_and_integrator_cannot_write_planning(world, client_for, role):
    client = client_for(role)
    for method, url, body in writes(world):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (role, url, response.status_code)


def test_planner_can_write_planning(world, client_for):
    client = client_for("planner")
    for method, url, body in writes(world):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201), (url, response.content)


def test_anonymous_cannot_write(world, api_client):
    for method, url, body in writes(world):
        assert getattr(api_client, method)(url, body, format="json").status_code == 401


def test_viewer_may_use_the_stateless_calculator_and_validation(client_for):
    viewer = client_for("viewer")
    assert viewer.post("/api/v1/planning/core/proposal", {"demand": {"daily": [1]}}, format="json").status_code == 200
    assert viewer.post("/api/v1/warehouse/bom/validate", {}, format="json").status_code == 200


def test_user_without_a_role_reads_nothing(make_user, api_client):
    api_client.force_authenticate(make_user("nobody"))
    assert api_client.get("/api/v1/planning/proposals/").status_code == 403
    assert api_client.get("/api/v1/planning/core/health").status_code == 403


# --- admin -------------------------------------------------------------------------------------------------


ADMIN_MODELS = ["supplier", "planningsettings", "stockbalance", "stockmovement", "purchaseorder", "purchasereceipt",
                "billofmaterials", "proposalrun", "orderproposal", "productiontask"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelists_open(world, admin_client, model):
    assert admin_client.get(f"/admin/planning/{model}/").status_code == 200


def test_admin_change_pages_open(world, admin_client):
    for model, pk in [("orderproposal", world["proposal"].pk), ("productiontask", world["task"].pk),
                      ("billofmaterials", world["bom"].pk), ("purchaseorder", world["order"].pk)]:
        assert admin_client.get(f"/admin/planning/{model}/{pk}/change/").status_code == 200, model
    assert admin_client.get("/admin/planning/billofmaterials/add/").status_code == 200


def test_admin_approve_action(world, admin_client):
    proposal = world["proposal"]
    response = admin_client.post("/admin/planning/orderproposal/", {
        "action": "approve_selected", "_selected_action": [proposal.pk]}, follow=True)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "approved"
    again = admin_client.post("/admin/planning/orderproposal/", {
        "action": "approve_selected", "_selected_action": [proposal.pk]}, follow=True)
    assert "is approved" in again.content.decode()


def test_admin_task_actions_follow_the_rules(world, admin_client):
    task = world["task"]
    admin_client.post("/admin/planning/productiontask/", {"action": "complete_tasks", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.status == "draft"  # completing a draft is illegal: refused with a message
    for action in ("approve_tasks", "start_tasks", "complete_tasks"):
        admin_client.post("/admin/planning/productiontask/", {"action": action, "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.status == "completed" and task.completed_by is not None


def test_admin_refuses_an_invalid_bom(world, admin_client):
    dish = world["dish"]
    response = admin_client.post("/admin/planning/billofmaterials/add/", {
        "product": dish.pk, "variant": "v2", "version": 1, "is_active": "on", "output_quantity": "1", "notes": "",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000",
        "lines-0-line_no": "1", "lines-0-component": dish.pk, "lines-0-quantity": "1", "lines-0-unit": "pcs",
        "lines-0-scrap_percent": "0", "lines-0-notes": "",
    })
    assert response.status_code == 200  # the form again, with the error
    assert "its own component" in response.content.decode()
    assert dish.boms.count() == 1
