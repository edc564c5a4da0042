"""manage.py import_sales and the admin's import/export buttons (both run the ingest service)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from branches.models import Location
from sales.models import DailySale, Product, StockLevel
from tests.sales.conftest import SALES_HEADER, csv_bytes, gz, xlsx_bytes

pytestmark = pytest.mark.django_db
RECRUIT_LIKE = [["store_id", "item_id", "date", "units", "day_of_week", "holiday_flg"],
                ["air_1", "ALL", "2016-07-01", "35", "Friday", "0"],
                ["air_1", "ALL", "2016-07-04", "20", "Monday", "1"]]


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sales", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_gzipped_shared_layout_file(tmp_path):
    path = tmp_path / "visits.csv.gz"
    path.write_bytes(gz(csv_bytes(RECRUIT_LIKE)))
    with pytest.raises(CommandError, match="Nothing was imported: 4 problem"):
        call(str(path))
    dry, _ = call(str(path), "--create-missing", "--dry-run")
    assert "Dry run, nothing written" in dry and not DailySale.objects.exists()
    out, err = call(str(path), "--create-missing")
    assert "2 created" in out and "1 locations were created" in out and "day_of_week" in err
    assert Location.objects.get(code="air_1").external_id == "air_1"
    assert DailySale.objects.count() == 2
    again, _ = call(str(path))
    assert "2 unchanged" in again


def test_command_stock_xlsx_and_errors(tmp_path, shop):
    path = tmp_path / "stock.xlsx"
    path.write_bytes(xlsx_bytes([["location_code", "sku", "as_of", "on_hand"], ["B1", "P1", "2026-03-01", 5]]))
    out, _ = call(str(path), "--kind", "stock")
    assert "1 created" in out and StockLevel.objects.count() == 1
    with pytest.raises(CommandError, match="does not exist"):
        call(str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([SALES_HEADER, ["B1", "P1", "not-a-date", "1", "", "", "", "", ""]]))
    with pytest.raises(CommandError):
        call(str(bad))


@pytest.fixture
def admin_client(client, make_user):
    user = make_user("boss", role="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_import_previews_then_confirms(admin_client, shop, settings, tmp_path):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.TempFolderStorage"
    bad = csv_bytes([SALES_HEADER, ["B1", "NOPE", "2026-03-01", "1", "", "", "", "", ""]])
    response = admin_client.post("/admin/sales/dailysale/import/", {
        "format": "0", "resource": "0", "import_file": SimpleUploadedFile("s.csv", bad)})
    assert response.status_code == 200
    assert "unknown SKU" in response.content.decode() and "confirm_form" not in response.context_data
    assert not DailySale.objects.exists()

    good = csv_bytes([SALES_HEADER, ["B1", "P1", "2026-03-01", "1", "", "", "", "", ""],
                      ["B2", "P2", "2026-03-01", "2", "", "", "", "", ""]])
    preview = admin_client.post("/admin/sales/dailysale/import/", {
        "format": "0", "resource": "0", "import_file": SimpleUploadedFile("s.csv", good)})
    assert "2 new" in preview.content.decode()
    assert not DailySale.objects.exists()  # the preview is a dry run
    confirm = preview.context_data["confirm_form"]
    done = admin_client.post("/admin/sales/dailysale/process_import/", {**confirm.initial, "resource": "0"})
    assert done.status_code == 302
    assert DailySale.objects.count() == 2


def test_admin_export_escapes_formulas(admin_client, db):
    Product.objects.create(sku="=1+1", name="@evil")
    response = admin_client.post("/admin/sales/product/export/", {
        "format": "0", "resource": "0", "productsresource_sku": "on", "productsresource_name": "on"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["sku", "name"], ["'=1+1", "'@evil"]]


def test_admin_pages_render(admin_client, shop):
    DailySale.objects.create(location=shop["b1"], product=shop["p1"], date="2026-03-01", quantity=1)
    for model in ("product", "productcategory", "dailysale", "stocklevel", "order", "customer", "demanddriver",
                  "importjob"):
        assert admin_client.get(f"/admin/sales/{model}/").status_code == 200, model
    assert admin_client.get(f"/admin/sales/product/{shop['p1'].pk}/change/").status_code == 200
