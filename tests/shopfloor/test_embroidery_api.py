"""/api/v1/embroidery/…: CRUD and transitions per role; 409 bodies name the state; lists paged and filtered."""

from decimal import Decimal

import pytest

from planning.models import StockMovement
from shopfloor.models import EmbroideryDesign, EmbroideryJob

D = Decimal
DESIGNS = "/api/v1/embroidery/designs/"
STEPS = "/api/v1/embroidery/steps/"
JOBS = "/api/v1/embroidery/jobs/"


def job_body(floor, **extra) -> dict:
    return {"production_task": floor.task.pk, "design": floor.design.pk, "part": floor.blank.pk, "quantity": "10",
            "machine": "Tajima 1", "embroidery_location": floor.embroidery_room.pk, "planned_date": "2026-03-05",
            **extra}


@pytest.mark.parametrize("url", [DESIGNS, STEPS, JOBS, "/api/v1/barcode/scans/"])
def test_lists_answer_200_on_an_empty_database(client_for, url):
    response = client_for("viewer").get(url)
    assert response.status_code == 200 and response.json()["count"] == 0


def test_design_crud_with_a_picture(client_for, floor, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    planner = client_for("planner")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(picture, format="PNG")
    created = planner.post(DESIGNS, {"code": "STAR", "name": "Star", "stitch_count": 900,
                                     "machine_minutes_per_piece": "1.50",
                                     "picture": SimpleUploadedFile("star.png", picture.getvalue(), "image/png")},
                           format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["picture"].endswith(".png")
    design_id = created.json()["id"]
    updated = planner.patch(f"{DESIGNS}{design_id}/", {"colours": ["gold", "red"]}, format="json")
    assert updated.json()["colours"] == ["gold", "red"]
    assert planner.get(f"{DESIGNS}?code=star").json()["count"] == 1
    assert client_for("viewer").post(DESIGNS, {"code": "X", "name": "X", "stitch_count": 1}).status_code == 403
    assert planner.delete(f"{DESIGNS}{design_id}/").status_code == 204


def test_job_lifecycle_over_the_api(client_for, floor):
    planner = client_for("planner")
    created = planner.post(JOBS, job_body(floor), format="json")
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["status"] == "planned"
    started = planner.post(f"{JOBS}{job['id']}/start/")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    assert floor.on_hand(floor.embroidery_room) == 10
    again = planner.post(f"{JOBS}{job['id']}/start/")
    assert again.status_code == 409
    assert again.json()["current_status"] == "in_progress" and "in_progress" in again.json()["detail"]
    edit = planner.patch(f"{JOBS}{job['id']}/", {"quantity": "3"}, format="json")
    assert edit.status_code == 409 and edit.json()["current_status"] == "in_progress"
    wrong = planner.post(f"{JOBS}{job['id']}/complete/", {"output_quantity": "9"}, format="json")
    assert wrong.status_code == 400 and "output_quantity" in wrong.json()
    done = planner.post(f"{JOBS}{job['id']}/complete/", {"output_quantity": "8", "scrap_quantity": "2"},
                        format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["output_quantity"], done.json()["scrap_quantity"]) == (
        "done", "8.000", "2.000")
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (18, 0)
    cancel = planner.post(f"{JOBS}{job['id']}/cancel/", {"reason": "late"}, format="json")
    assert cancel.status_code == 409 and cancel.json()["current_status"] == "done"
    assert planner.get(f"{JOBS}?status=done&production_task={floor.task.pk}").json()["count"] == 1
    assert planner.get(f"{JOBS}?status=planned").json()["count"] == 0
    floor.assert_ledger_consistent()


def test_viewer_reads_but_cannot_create_or_move_jobs(client_for, floor):
    planner, viewer = client_for("planner"), client_for("viewer")
    job_id = planner.post(JOBS, job_body(floor), format="json").json()["id"]
    assert viewer.get(f"{JOBS}{job_id}/").status_code == 200
    assert viewer.post(JOBS, job_body(floor), format="json").status_code == 403
    assert viewer.post(f"{JOBS}{job_id}/start/").status_code == 403
    assert client_for("anonymous").get(JOBS).status_code == 401
    assert EmbroideryJob.objects.get(pk=job_id).status == "planned" and not StockMovement.objects.filter(
        reference__startswith="embroidery").exists()


def test_bad_job_input_is_400_naming_the_field(client_for, floor):
    planner = client_for("planner")
    both = planner.post(JOBS, job_body(floor, subcontractor=floor.supplier.pk), format="json")
    assert both.status_code == 400 and "machine" in both.json()
    zero = planner.post(JOBS, job_body(floor, quantity="0"), format="json")
    assert zero.status_code == 400 and "quantity" in zero.json()
    assert not EmbroideryJob.objects.exists()


def test_only_planned_jobs_are_deleted(client_for, floor):
    planner = client_for("planner")
    job_id = planner.post(JOBS, job_body(floor), format="json").json()["id"]
    planner.post(f"{JOBS}{job_id}/start/")
    refused = planner.delete(f"{JOBS}{job_id}/")
    assert refused.status_code == 409 and refused.json()["current_status"] == "in_progress"


def test_steps_crud(client_for, floor):
    planner = client_for("planner")
    created = planner.post(STEPS, {"bom": floor.bom.pk, "design": floor.design.pk, "part": floor.blank.pk,
                                   "lead_time_days": 3}, format="json")
    assert created.status_code == 201, created.content
    assert planner.get(f"{STEPS}?product={floor.shirt.pk}").json()["count"] == 1
    assert EmbroideryDesign.objects.count() == 1


def test_list_query_counts_stay_flat(client_for, floor, django_assert_max_num_queries):
    from shopfloor.models import ScanEvent

    planner = client_for("planner")
    for _ in range(12):
        assert planner.post(JOBS, job_body(floor), format="json").status_code == 201
        ScanEvent.objects.create(code="P:BLANK", kind="product", outcome="resolved", user=planner.user)
    for url in (JOBS, DESIGNS, "/api/v1/barcode/scans/"):
        with django_assert_max_num_queries(8):
            response = planner.get(url)
        assert response.status_code == 200 and response.json()["count"] >= 1
