"""Import/export API: validate, upload (inline and background job), templates, exports with formula escaping."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales.choices import ImportJobStatus
from sales.models import DailySale, ImportJob, Product
from sales.tasks import run_import_job
from tests.sales.conftest import SALES_HEADER, csv_bytes

pytestmark = pytest.mark.django_db
GOOD = csv_bytes([SALES_HEADER, ["B1", "P1", "2026-03-01", "3", "30", "", "", "", ""],
                  ["B1", "P2", "2026-03-01", "1", "5", "", "", "", ""]])
BAD = csv_bytes([SALES_HEADER, ["B1", "P1", "2026-03-01", "3", "", "", "", "", ""],
                 ["B1", "NOPE", "2026-03-01", "x", "", "", "", "", ""]])


@pytest.fixture(autouse=True)
def _imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def upload(data: bytes, name: str = "sales.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("viewer", 403), ("planner", 403),
                                                ("integrator", 200), ("admin", 200)])
def test_validate_permissions(client_for, shop, role, expected):
    response = client_for(role).post("/api/v1/import-export/validate/", {"file": upload(GOOD), "kind": "sales"},
                                     format="multipart")
    assert response.status_code == expected


def test_validate_reports_and_writes_nothing(client_for, shop):
    client = client_for("integrator")
    good = client.post("/api/v1/import-export/validate/", {"file": upload(GOOD), "kind": "sales"},
                       format="multipart").json()
    assert (good["rows"], good["valid"], good["errors"], good["created"]) == (2, True, [], 2)
    bad = client.post("/api/v1/import-export/validate/", {"file": upload(BAD), "kind": "sales"},
                      format="multipart").json()
    assert bad["valid"] is False
    assert {(e["row"], e["column"]) for e in bad["errors"]} == {(3, "sku"), (3, "quantity")}
    assert DailySale.objects.count() == 0 and ImportJob.objects.count() == 0


def test_validate_bad_parameters(client_for):
    client = client_for("integrator")
    response = client.post("/api/v1/import-export/validate/", {"file": upload(GOOD), "kind": "bom"},
                           format="multipart")
    assert response.status_code == 400 and "kind" in response.json()
    assert "file" in client.post("/api/v1/import-export/validate/", {"kind": "sales"}, format="multipart").json()


def test_upload_inline_writes_atomically(client_for, shop):
    client = client_for("integrator")
    rejected = client.post("/api/v1/import-export/upload/", {"file": upload(BAD), "kind": "sales"},
                           format="multipart")
    assert rejected.status_code == 400
    assert rejected.json()["job"]["status"] == ImportJobStatus.REJECTED
    assert rejected.json()["report"]["error_count"] == 2
    assert DailySale.objects.count() == 0

    created = client.post("/api/v1/import-export/upload/", {"file": upload(GOOD), "kind": "sales"},
                          format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["job"]["status"] == ImportJobStatus.SUCCEEDED and body["job"]["progress"] == 100
    assert body["report"]["created"] == 2 and DailySale.objects.count() == 2
    again = client.post("/api/v1/import-export/upload/", {"file": upload(GOOD), "kind": "sales"},
                        format="multipart")
    assert again.json()["report"]["unchanged"] == 2


def test_large_upload_runs_as_a_background_job(client_for, shop, settings, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ

    settings.SALES_IMPORT_INLINE_MAX_BYTES = 10
    client = client_for("integrator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/import-export/upload/", {"file": upload(GOOD), "kind": "sales",
                                                                 "create_missing": "true"}, format="multipart")
    assert response.status_code == 202
    job_id = response.json()["job"]["id"]
    assert response.json()["job"]["status"] == ImportJobStatus.QUEUED
    assert OrmQ.objects.count() == 1  # queued for a django-q2 worker
    assert DailySale.objects.count() == 0

    assert run_import_job(job_id) == ImportJobStatus.SUCCEEDED  # what the worker runs
    job = client.get(f"/api/v1/import-export/jobs/{job_id}/").json()
    assert (job["status"], job["progress"], job["rows_processed"]) == (ImportJobStatus.SUCCEEDED, 100.0, 2)
    assert job["report"]["created"] == 2 and job["created_by"] == client.user.username
    assert run_import_job(job_id) == ImportJobStatus.SUCCEEDED  # a second delivery does not run it again
    assert DailySale.objects.count() == 2
    assert client_for("viewer").get("/api/v1/import-export/jobs/").json()["count"] == 1


@pytest.mark.parametrize("kind", ["branches", "products", "sales", "stock"])
def test_templates(client_for, kind):
    client = client_for("viewer")
    as_csv = client.get(f"/api/v1/import-export/templates/{kind}/", {"format": "csv"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(header) == len(example) > 3
    as_xlsx = client.get(f"/api/v1/import-export/templates/{kind}/", {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    data, columns = workbook["data"], workbook["columns"]
    assert [c.value for c in data[1]] == header
    assert all(c.comment is not None and c.comment.text for c in data[1])
    assert columns.max_row == len(header) + 1


def test_template_and_export_bad_parameters(client_for):
    client = client_for("integrator")
    assert "kind" in client.get("/api/v1/import-export/templates/bom/").json()
    assert "format" in client.get("/api/v1/import-export/templates/sales/", {"format": "pdf"}).json()
    assert "format" in client.get("/api/v1/import-export/export/sales/", {"format": "pdf"}).json()
    assert "date_from" in client.get("/api/v1/import-export/export/sales/", {"date_from": "soon"}).json()
    assert client_for("anonymous").get("/api/v1/import-export/export/sales/").status_code == 401


def test_export_escapes_formulas_and_reimports(client_for, shop):
    Product.objects.create(sku="=HYPERLINK(\"http://evil\")", name="+cmd|' /C calc'!A0")
    Product.objects.create(sku="@SUM(1)", name="-2+3")
    client = client_for("integrator")
    response = client.get("/api/v1/import-export/export/products/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = {cell for row in rows[1:] for cell in row}
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'+cmd|' /C calc'!A0" in cells
    assert "'@SUM(1)" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    xlsx = client.get("/api/v1/import-export/export/products/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["data"]
    assert not any(str(c.value).startswith(("=", "+", "-", "@")) for row in sheet.iter_rows() for c in row if c.value)

    reimport = client.post("/api/v1/import-export/validate/", {
        "file": SimpleUploadedFile("p.csv", b"".join(client.get("/api/v1/import-export/export/products/")
                                                     .streaming_content)), "kind": "products"}, format="multipart")
    assert reimport.json()["unchanged"] == 4, reimport.json()


def test_export_uses_the_list_filters(client_for, shop):
    DailySale.objects.create(location=shop["b1"], product=shop["p1"], date="2026-03-01", quantity=1)
    DailySale.objects.create(location=shop["b2"], product=shop["p1"], date="2026-03-02", quantity=2)
    client = client_for("viewer")
    response = client.get("/api/v1/import-export/export/sales/", {"location": shop["b2"].pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["location_code", "sku", "date"]
    assert [r[:4] for r in rows[1:]] == [["B2", "P1", "2026-03-02", "2.000"]]
    branches = client.get("/api/v1/import-export/export/branches/", {"ancestor": shop["region"].pk})
    codes = [r[0] for r in csv.reader(io.StringIO(b"".join(branches.streaming_content).decode("utf-8-sig")))]
    assert codes == ["code", "B1", "B2"]


def test_upload_needs_the_permissions_of_the_kind(api_client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user("sales-only")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="sales"))
    api_client.force_authenticate(user)
    branches = csv_bytes([["code", "name"], ["B7", "Shop 7"]])
    denied = api_client.post("/api/v1/import-export/upload/", {"file": upload(branches), "kind": "branches"},
                             format="multipart")
    assert denied.status_code == 403 and "branches.add_location" in denied.json()["detail"]
    assert ImportJob.objects.count() == 0


def test_branches_upload(client_for):
    from branches.models import Location

    branches = csv_bytes([["code", "name", "parent_code"], ["S1", "Shop 1", "G"], ["G", "Group", ""]])
    response = client_for("integrator").post("/api/v1/import-export/upload/",
                                             {"file": upload(branches), "kind": "branches"}, format="multipart")
    assert response.status_code == 201, response.content
    assert Location.objects.get(code="S1").parent == Location.objects.get(code="G")
