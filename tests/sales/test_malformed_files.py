"""Issue 14: malformed and oversized import files are a 400/413/422 naming the problem (and the row), never a 500,
a traceback or a worker held for minutes; a large validation is a background job like a large upload."""

from __future__ import annotations

import gzip
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sales.choices import ImportJobStatus
from sales.models import ImportJob, Product
from sales.tasks import run_import_job

VALIDATE = "/api/v1/import-export/validate/"
UPLOAD = "/api/v1/import-export/upload/"
HEADER = b"sku,name,unit\n"


@pytest.fixture(autouse=True)
def _imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def products_csv(rows: int, start: int = 0) -> bytes:
    return HEADER + b"".join(f"SKU-{i},Product {i},pcs\n".encode() for i in range(start, start + rows))


def post(client, url: str, data: bytes, name: str = "products.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, data), "kind": "products"}, format="multipart")


def fake_xlsx() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 200 + b"not really a workbook"


def truncated_gzip() -> bytes:
    return gzip.compress(products_csv(5000))[:-400]


MALFORMED = {
    "lone invalid byte": (HEADER + b"SKU-1,Caf\xc3\xa9 \x98 latte,pcs\n", "0x98", 2),
    "cp1251 after 64 KB": (products_csv(3000) + "SKU-X,Молоко,pcs\n".encode("cp1251"), "UTF-8", 3002),
    "truncated gzip": (truncated_gzip(), "truncated", None),
    "fake xlsx": (fake_xlsx(), "XLSX", None),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_validate_names_the_problem_of_a_malformed_file(client_for, case):
    data, needle, row = MALFORMED[case]
    name = "products.xlsx" if case == "fake xlsx" else "products.csv"
    response = post(client_for("integrator"), VALIDATE, data, name)
    assert response.status_code == 422, response.content
    body = response.json()
    assert needle in body["detail"]
    if row is not None:
        assert body["row"] == row
    assert Product.objects.count() == 0


@pytest.mark.parametrize("case", list(MALFORMED))
def test_upload_of_a_malformed_file_is_a_400_naming_it_and_writes_nothing(client_for, case):
    data, needle, _row = MALFORMED[case]
    response = post(client_for("integrator"), UPLOAD, data)
    assert response.status_code == 400, response.content
    errors = response.json()["report"]["errors"]
    assert needle in errors[0]["message"]
    assert Product.objects.count() == 0


@pytest.mark.parametrize("case", list(MALFORMED))
def test_import_command_reports_a_malformed_file_without_a_traceback(db, tmp_path, case):
    data, needle, _row = MALFORMED[case]
    path = tmp_path / "products.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_sales", str(path), "--kind", "products", stderr=err, stdout=io.StringIO())
    assert needle in err.getvalue()


# --- limits -------------------------------------------------------------------------------------------------------

def test_upload_over_the_size_limit_is_a_413_and_stores_nothing(client_for, settings):
    settings.SALES_IMPORT_MAX_UPLOAD_BYTES = 1000
    client = client_for("integrator")
    for url in (UPLOAD, VALIDATE):
        response = post(client, url, products_csv(100))
        assert response.status_code == 413, response.content
        assert "SALES_IMPORT_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert ImportJob.objects.count() == 0


def test_an_announced_oversized_body_is_refused_before_it_is_read(client_for, settings):
    settings.SALES_IMPORT_MAX_UPLOAD_BYTES = 1000
    data = products_csv(20_000)  # ~500 KB: over the limit plus the form's overhead
    response = post(client_for("integrator"), UPLOAD, data)
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request is")  # refused on the announced length
    assert ImportJob.objects.count() == 0


def test_too_many_rows_is_a_413_naming_the_row(client_for, settings):
    settings.SALES_IMPORT_MAX_ROWS = 10
    response = post(client_for("integrator"), VALIDATE, products_csv(50))
    assert response.status_code == 413
    assert response.json()["row"] == 12 and "SALES_IMPORT_MAX_ROWS" in response.json()["detail"]


def test_too_many_columns_is_a_413(client_for, settings):
    settings.SALES_IMPORT_MAX_COLUMNS = 20
    header = "sku,name," + ",".join(f"extra{i}" for i in range(30))
    response = post(client_for("integrator"), VALIDATE, (header + "\nA,B\n").encode())
    assert response.status_code == 413
    assert "SALES_IMPORT_MAX_COLUMNS" in response.json()["detail"]


def test_gzip_bomb_is_refused_by_its_uncompressed_size(client_for, settings):
    settings.SALES_IMPORT_MAX_UNCOMPRESSED_BYTES = 64 * 1024
    bomb = gzip.compress(products_csv(20_000))  # ~500 KB unpacked, a few KB packed
    assert len(bomb) < 100_000
    response = post(client_for("integrator"), VALIDATE, bomb, "products.csv.gz")
    assert response.status_code == 413
    assert "SALES_IMPORT_MAX_UNCOMPRESSED_BYTES" in response.json()["detail"]


def _workbook(rows: int, width: int = 3) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "name", "unit"] + [None] * (width - 3))
    for i in range(rows):
        sheet.append([f"SKU-{i}", f"Product {i}", "pcs"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_unpacking_over_the_limit_is_refused_before_it_is_read(client_for, settings):
    data = _workbook(3000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    settings.SALES_IMPORT_MAX_UNCOMPRESSED_BYTES = unpacked // 2
    response = post(client_for("integrator"), VALIDATE, data, "products.xlsx")
    assert response.status_code == 413
    assert "unpacks to" in response.json()["detail"]


def test_workbook_declaring_a_huge_width_is_read_only_as_wide_as_the_limit(client_for):
    """Sheets declaring 16,384 columns made read-only mode pad every row; only the limit's width is read."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "name", "unit"])
    sheet.append(["SKU-1", "Product 1", "pcs"])
    sheet.cell(row=1, column=16_000).value = None  # declares the width without a value
    sheet.cell(row=3, column=16_000).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    response = post(client_for("integrator"), VALIDATE, buffer.getvalue(), "products.xlsx")
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 1 and response.json()["valid"] is True


def test_large_validation_is_a_background_job_that_writes_nothing(client_for, settings):
    settings.SALES_IMPORT_INLINE_MAX_BYTES = 1000
    response = post(client_for("integrator"), VALIDATE, products_csv(200))
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get(pk=response.json()["job"]["id"])
    assert job.dry_run is True
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.SUCCEEDED
    assert job.report["rows"] == 200 and job.report["dry_run"] is True
    assert Product.objects.count() == 0
