"""An import's row and column problems are reported in the request's language (English by default)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales.models import DailySale
from tests.sales.conftest import SALES_HEADER, csv_bytes

pytestmark = pytest.mark.django_db
BAD = csv_bytes(
    [
        SALES_HEADER,
        ["B1", "P1", "2026-03-01", "3", "", "", "", "", ""],
        ["B1", "NOPE", "2026-03-01", "x", "", "", "", "", ""],
    ]
)


@pytest.fixture(autouse=True)
def _imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


@pytest.mark.parametrize(
    ("language", "sku", "quantity"),
    [
        (None, "unknown SKU 'NOPE': import the product first", "'x' is not a number"),
        ("ru", "неизвестный артикул 'NOPE': сначала импортируйте товар", "'x' — не число"),
        ("tr", "bilinmeyen stok kodu 'NOPE': önce ürünü içe aktarın", "'x' bir sayı değil"),
    ],
)
def test_a_rejected_upload_names_row_and_column_in_the_browsers_language(client_for, shop, language, sku, quantity):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client_for("integrator").post(
        "/api/v1/import-export/upload/",
        {"file": SimpleUploadedFile("sales.csv", BAD, content_type="text/csv"), "kind": "sales"},
        format="multipart",
        **headers,
    )
    assert response.status_code == 400
    problems = {(e["row"], e["column"]): e["message"] for e in response.json()["report"]["errors"]}
    assert set(problems) == {(3, "sku"), (3, "quantity")}
    assert problems[(3, "sku")].startswith(sku) and problems[(3, "quantity")] == quantity
    assert DailySale.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "the file is binary, not CSV or XLSX"),
        ("ru", "файл двоичный, а не CSV или XLSX"),
        ("kk", "файл екілік, CSV немесе XLSX емес"),
        ("tr", "dosya ikili, CSV veya XLSX değil"),
    ],
)
def test_an_unreadable_file_is_refused_in_the_browsers_language(client_for, language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client_for("integrator").post(
        "/api/v1/import-export/validate/",
        {"file": SimpleUploadedFile("sales.csv", b"\x00\x01\x02\x03" * 64, content_type="text/csv"), "kind": "sales"},
        format="multipart",
        **headers,
    )
    assert response.status_code in (400, 422), response.content
    assert expected in str(response.json())
