"""Issue 14: a control character in a product name made every XLSX export of products a 500.

Input refuses (API) or strips (files, upstreams) them; exports escape whatever older rows still hold.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


@pytest.mark.parametrize("field", ["name", "sku", "unit"])
def test_api_refuses_control_characters_naming_the_field(client_for, field):
    body = {"sku": "SKU-1", "name": "Juice", "unit": "pcs", field: "Bad\x07value"}
    response = client_for("integrator").post("/api/v1/products/", body, format="json")
    assert response.status_code == 400, response.content
    assert "U+0007" in response.json()[field][0]
    assert not Product.objects.exists()


def test_api_refuses_control_characters_in_branch_names(client_for):
    response = client_for("integrator").post("/api/v1/branches/", {"name": "Shop\x1b", "code": "B1",
                                                                   "type": "BRANCH"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_file_import_strips_control_characters(client_for):
    data = b"sku,name,unit\nSKU-1,Orange\x07 juice\tfresh,pcs\n"
    response = client_for("integrator").post("/api/v1/import-export/upload/", {
        "file": SimpleUploadedFile("p.csv", data), "kind": "products"}, format="multipart")
    assert response.status_code == 201, response.content
    assert Product.objects.get(sku="SKU-1").name == "Orange juice fresh"


def test_xlsx_export_escapes_control_characters_stored_earlier(client_for):
    Product.objects.create(sku="SKU-1", name="Old\x07row\x01name")  # stored before input was checked
    response = client_for("viewer").get("/api/v1/import-export/export/products/?format=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Old\\x07row\\x01name"]
