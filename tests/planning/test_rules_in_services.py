"""Rules live in the services: the admin and the API both go through them (no save() that skips a check)."""

import re
from datetime import date
from decimal import Decimal as D

import pytest

from planning.models import BillOfMaterials, ProductionTask
from planning.services import production

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(build):
    loc = build.location("SHOP")
    dish, part, plain = build.product("PIE", kind="dish"), build.product("FLOUR"), build.product("WATER")
    bom = build.bom(dish, [(part, "1")])
    task = production.create_task(product_id=dish.pk, quantity=D("2"), location_id=loc.pk, due_date=date(2026, 3, 5))
    return {"loc": loc, "dish": dish, "part": part, "plain": plain, "bom": bom, "task": task}


def _task_form(shop, **overrides):
    data = {"product": shop["dish"].pk, "quantity": "3", "location": shop["loc"].pk, "due_date": "2026-03-06",
            "bom": "", "notes": "from the admin"}
    data.update(overrides)
    return data


def test_only_a_draft_task_can_be_edited_or_deleted_whatever_the_door(shop, admin_client, client_for):
    task = shop["task"]
    ProductionTask.objects.filter(pk=task.pk).update(status="completed")
    with pytest.raises(production.NotDraft):
        production.update_draft_task(task.pk, {"quantity": D("5")})

    response = admin_client.post(f"/admin/planning/productiontask/{task.pk}/change/", _task_form(shop))
    assert ProductionTask.objects.get(pk=task.pk).quantity == D("2")  # the completed task was not edited
    assert response.status_code in (200, 302, 403)
    assert admin_client.post(f"/admin/planning/productiontask/{task.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ProductionTask.objects.filter(pk=task.pk).exists()

    api = client_for("planner")
    answer = api.patch(f"/api/v1/ppic/tasks/{task.pk}/", {"quantity": "5"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["current_status"] == "completed" and "only a draft can be edited" in answer.json()["detail"]


def test_a_draft_task_is_edited_through_the_service_in_the_admin(shop, admin_client):
    task = shop["task"]
    response = admin_client.post(f"/admin/planning/productiontask/{task.pk}/change/", _task_form(shop))
    assert response.status_code == 302, response.content[:2000]
    stored = ProductionTask.objects.get(pk=task.pk)
    assert (stored.quantity, stored.notes, stored.bom_id) == (D("3"), "from the admin", shop["bom"].pk)


def test_the_admin_cannot_create_a_task_the_service_would_refuse(shop, admin_client):
    before = ProductionTask.objects.count()
    response = admin_client.post("/admin/planning/productiontask/add/",
                                 _task_form(shop, product=shop["plain"].pk))  # no BOM at all
    assert response.status_code == 200 and b"has no active default BOM" in response.content
    response = admin_client.post("/admin/planning/productiontask/add/", _task_form(shop, quantity="0"))
    assert response.status_code == 200 and b"Quantity must be greater than 0" in response.content
    assert ProductionTask.objects.count() == before

    response = admin_client.post("/admin/planning/productiontask/add/", _task_form(shop))
    assert response.status_code == 302
    created = ProductionTask.objects.latest("pk")
    assert (created.status, created.bom_id, created.created_by.username) == ("draft", shop["bom"].pk, "admin")


def test_the_admin_makes_a_default_bom_through_the_service(shop, admin_client, build):
    second = build.bom(shop["dish"], [(shop["part"], "2")], default=False, version=2)
    data = {"product": shop["dish"].pk, "variant": second.variant, "version": second.version, "is_default": "on",
            "is_active": "on", "output_quantity": "1", "notes": "",
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000"}
    line = second.lines.get()
    data.update({"lines-0-id": line.pk, "lines-0-bom": second.pk, "lines-0-line_no": line.line_no,
                 "lines-0-component": line.component_id, "lines-0-quantity": str(line.quantity),
                 "lines-0-unit": line.unit, "lines-0-scrap_percent": str(line.scrap_percent), "lines-0-notes": ""})
    response = admin_client.post(f"/admin/planning/billofmaterials/{second.pk}/change/", data)
    assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())
    assert list(BillOfMaterials.objects.filter(product=shop["dish"], is_default=True).values_list("pk", flat=True)) == [
        second.pk]
