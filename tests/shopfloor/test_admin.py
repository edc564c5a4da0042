"""Shop-floor admin: every screen opens; job actions go through the services (same rules, refusals as messages)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from shopfloor.models import EmbroideryJob, EmbroideryStep, ScanEvent
from shopfloor.services import embroidery

D = Decimal
BASE = "/admin/shopfloor/"


@pytest.fixture
def staff_client(client, roles):
    user = get_user_model().objects.create_user("floor", password="x-Long-Password-1", is_staff=True)
    user.groups.add(roles["planner"])
    client.force_login(user)
    return client


def planned_job(floor) -> EmbroideryJob:
    return embroidery.create_job(embroidery.JobInput(
        production_task_id=floor.task.pk, design_id=floor.design.pk, part_id=floor.blank.pk, quantity=D(5),
        embroidery_location_id=floor.embroidery_room.pk, planned_date=date(2026, 3, 5), machine="M1"))


@pytest.mark.parametrize("model", ["embroiderydesign", "embroiderystep", "embroideryjob", "scanevent"])
def test_every_screen_opens(staff_client, floor, model):
    rows = {
        "embroiderydesign": floor.design,
        "embroiderystep": EmbroideryStep.objects.create(bom=floor.bom, design=floor.design, part=floor.blank),
        "embroideryjob": planned_job(floor),
        "scanevent": ScanEvent.objects.create(code="P:BLANK", kind="product", outcome="resolved"),
    }
    assert staff_client.get(f"{BASE}{model}/").status_code == 200
    assert staff_client.get(f"{BASE}{model}/{rows[model].pk}/change/").status_code == 200


def test_start_action_moves_the_parts_and_a_second_start_is_refused_as_a_message(staff_client, floor):
    job = planned_job(floor)
    url = f"{BASE}embroideryjob/"
    response = staff_client.post(url, {"action": "start_jobs", "_selected_action": [job.pk]}, follow=True)
    assert response.status_code == 200 and "Started: 1" in response.content.decode()
    assert floor.on_hand(floor.embroidery_room) == 5
    again = staff_client.post(url, {"action": "start_jobs", "_selected_action": [job.pk]}, follow=True)
    assert again.status_code == 200 and "in_progress" in again.content.decode()
    assert floor.on_hand(floor.embroidery_room) == 5
    assert "delete_selected" not in staff_client.get(url).content.decode()


def test_adding_a_job_in_admin_applies_the_service_rules(staff_client, floor):
    url = f"{BASE}embroideryjob/add/"
    form = {"production_task": floor.task.pk, "design": floor.design.pk, "part": floor.blank.pk, "quantity": "3",
            "machine": "", "embroidery_location": floor.embroidery_room.pk, "planned_date": "2026-03-05",
            "notes": ""}
    refused = staff_client.post(url, form)
    assert refused.status_code == 200 and "exactly one of machine" in refused.content.decode()
    assert not EmbroideryJob.objects.exists()
    saved = staff_client.post(url, {**form, "machine": "M2"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    job = EmbroideryJob.objects.get()
    assert (job.status, job.quantity, job.created_by.username) == ("planned", 3, "floor")
