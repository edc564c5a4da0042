"""import_file: CSV/XLSX/gzip reading, layouts of the shared data sets, and bad files of every kind."""

import datetime as dt
import gzip
import io
from decimal import Decimal
from pathlib import Path

import pytest

from branches.models import Location
from sales.models import DailySale, DemandDriver, Product, ProductBarcode, StockLevel
from sales.services.file_import import import_file
from tests.sales.conftest import SALES_HEADER, csv_bytes, gz, xlsx_bytes

pytestmark = pytest.mark.django_db
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def run(data: bytes, kind: str = "sales", name: str = "file.csv", **kwargs):
    return import_file(io.BytesIO(data), kind=kind, name=name, **kwargs)


GOOD_ROWS = [
    SALES_HEADER,
    ["B1", "P1", "2026-03-01", "3", "29.70", "0.30", "0", "9.90", "1"],
    ["B1", "P2", "01.03.2026", "2", "", "", "", "5", "0"],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_with_any_common_delimiter(shop, delimiter):
    report = run(csv_bytes(GOOD_ROWS, delimiter=delimiter))
    assert report.valid and report.applied, report.errors
    assert DailySale.objects.count() == 2
    assert DailySale.objects.get(product=shop["p2"]).revenue == Decimal("10.00")


def test_windows_1251_csv(shop, make_location):
    make_location("Кафе-1")
    report = run(csv_bytes([SALES_HEADER, ["Кафе-1", "P1", "2026-03-01", "1", "", "", "", "", ""]],
                           delimiter=";", encoding="cp1251"))
    assert report.valid, report.errors
    assert DailySale.objects.get().location.code == "Кафе-1"


@pytest.mark.parametrize("packer", [lambda rows: gz(csv_bytes(rows)), xlsx_bytes, lambda rows: gz(xlsx_bytes(rows))])
def test_gzip_and_xlsx(shop, packer):
    report = run(packer(GOOD_ROWS), name="upload.bin")
    assert report.valid, report.errors
    assert DailySale.objects.count() == 2


def test_xlsx_native_dates_and_numbers(shop):
    rows = [SALES_HEADER, ["B1", "P1", dt.datetime(2026, 3, 1), 4, 40.5, None, None, 10.125, True]]
    report = run(xlsx_bytes(rows), name="sales.xlsx")
    assert report.valid, report.errors
    sale = DailySale.objects.get()
    assert (sale.date, sale.quantity, sale.revenue, sale.price_paid, sale.on_promotion) == (
        dt.date(2026, 3, 1), Decimal("4.000"), Decimal("40.50"), Decimal("10.13"), True)  # half away from zero


def test_wrong_delimiter_is_named(shop):
    report = run(csv_bytes(GOOD_ROWS, delimiter="|"))
    assert not report.valid
    [error] = report.errors
    assert error["row"] == 1 and error["column"] == "location_code"
    assert "single column" in error["message"] and "commas, semicolons or tabs" in error["message"]
    assert DailySale.objects.count() == 0


def test_missing_column_is_named(shop):
    report = run(csv_bytes([["location_code", "quantity", "date"], ["B1", "1", "2026-03-01"]]))
    [error] = report.errors
    assert error["column"] == "sku" and "missing required column(s) sku" in error["message"]


def test_sales_file_without_quantity_or_drivers_is_rejected(shop):
    report = run(csv_bytes([["location_code", "sku", "date"], ["B1", "P1", "2026-03-01"]]))
    assert report.errors[0]["column"] == "quantity"


def test_bad_values_report_the_spreadsheet_row_and_column(shop):
    rows = [
        SALES_HEADER,
        ["B1", "P1", "2026-03-01", "1", "", "", "", "", ""],
        [],  # a blank line does not shift the numbering
        ["B1", "P2", "2026-13-45", "1", "", "", "", "", ""],
        ["NOPE", "P1", "2026-03-02", "1", "", "", "", "", ""],
        ["B1", "NOSKU", "2026-03-02", "1", "", "", "", "", ""],
        ["B1", "P1", "2026-03-01", "7", "", "", "", "", ""],
    ]
    report = run(csv_bytes(rows))
    found = {(e["row"], e["column"]) for e in report.errors}
    assert found == {(4, "date"), (5, "location_code"), (6, "sku"), (7, "sale")}
    assert DailySale.objects.count() == 0


def test_unparseable_file(shop):
    report = run(b"\x00\x01\x02binary", name="x.csv")
    assert "binary" in report.errors[0]["message"]
    assert run(b"", name="x.csv").errors[0]["message"] == "the file is empty"
    assert "not an Excel workbook" in run(b"a,b\n", name="x.xlsx").errors[0]["message"]


def test_shared_data_layouts_map_to_sales_and_drivers(db):
    rossmann = csv_bytes([
        ["store_id", "item_id", "date", "units", "open", "promo", "promo2", "school_holiday", "store_type"],
        ["R0025", "ALL", "2013-01-01", "0", "0", "0", "0", "1", "c"],
        ["R0025", "ALL", "2013-01-02", "11944", "1", "1", "0", "0", "c"],
    ])
    report = run(gz(rossmann), name="sales.csv.gz", create_missing=True)
    assert report.valid, report.errors
    assert any("store_type" in w for w in report.warnings)
    assert not any("promo2" in w for w in report.warnings)  # imported as the extended-promotion driver
    sale = DailySale.objects.get(date=dt.date(2013, 1, 2))
    assert (sale.location.code, sale.product.sku, sale.quantity, sale.on_promotion) == (
        "R0025", "ALL", Decimal("11944.000"), True)
    closed = DemandDriver.objects.get(date=dt.date(2013, 1, 1))
    assert (closed.product_id, closed.is_open, closed.is_holiday, closed.is_promotion) == (None, False, True, False)
    assert closed.is_extended_promotion is False

    dominicks = csv_bytes([
        ["store_id", "item_id", "item_name", "week", "date", "units", "price", "deal", "feat"],
        ["D005", "OJ01", "Tropicana Premium 64 oz", "40", "1990-06-14", "92", "3.66", "1", "0.0"],
        ["D005", "OJ01", "Tropicana Premium 64 oz", "41", "1990-06-21", "80", "3.66", "0", "0.9645"],
    ])
    report = run(dominicks, create_missing=True)
    assert report.valid, report.errors
    juice = Product.objects.get(sku="OJ01")
    assert juice.name == "Tropicana Premium 64 oz"
    sale = DailySale.objects.get(product=juice, date=dt.date(1990, 6, 14))
    assert (sale.price_paid, sale.revenue, sale.on_promotion) == (Decimal("3.66"), Decimal("336.72"), True)
    driver = DemandDriver.objects.get(product=juice, date=dt.date(1990, 6, 14))
    assert (driver.planned_price, driver.is_promotion, driver.is_advertised) == (Decimal("3.66"), True, False)
    # a feature-ad share counts as advertised from one half up
    assert DemandDriver.objects.get(product=juice, date=dt.date(1990, 6, 21)).is_advertised is True


def test_stock_file(shop):
    rows = [["store_id", "sku", "as_of", "on_hand", "reserved", "in_transit"],
            ["B1", "P1", "2026-03-01T08:00:00+03:00", "-2", "0", "5"],
            ["B1", "P2", "2026-03-01", "7", "", ""]]
    report = run(csv_bytes(rows), kind="stock")
    assert report.valid, report.errors
    first = StockLevel.objects.get(product=shop["p1"])
    assert first.on_hand == Decimal("-2.000") and first.as_of == dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC)
    assert run(csv_bytes(rows), kind="stock").unchanged == 2
    bad = run(csv_bytes([rows[0], ["B1", "P1", "2026-03-01", "1", "-1", ""]]), kind="stock")
    assert bad.errors[0]["column"] == "reserved"


def test_products_file(db):
    rows = [["sku", "name", "kind", "category_code", "category_name", "unit", "list_price", "is_active", "barcodes"],
            ["A1", "Apple", "goods", "FRUIT", "Fruit", "kg", "2.50", "1", "4601234567893, 4601234567894"],
            ["A2", "Dough", "semi_finished", "FRUIT", "", "kg", "", "yes", ""]]
    report = run(csv_bytes(rows), kind="products")
    assert report.valid and report.created == 2, report.errors
    apple = Product.objects.get(sku="A1")
    assert apple.category.name == "Fruit" and apple.list_price == Decimal("2.50")
    assert sorted(apple.barcodes.values_list("barcode", flat=True)) == ["4601234567893", "4601234567894"]
    assert run(csv_bytes(rows), kind="products").unchanged == 2
    bad = run(csv_bytes([rows[0], ["A3", "X", "spaceship", "", "", "", "", "", "4601234567893"],
                         ["A3", "Y", "", "", "", "", "-1", "", ""]]), kind="products")
    assert {(e["row"], e["column"]) for e in bad.errors} == {(2, "kind"), (3, "sku")}
    assert ProductBarcode.objects.get(barcode="4601234567893").product == apple


def test_branches_file_builds_a_tree_in_any_order(db, make_location):
    group = make_location("G1", name="Synced group")
    rows = [["code", "name", "parent_code", "type"],
            ["B11", "Shop 11", "REG", "BRANCH"],
            ["REG", "Region", "G1", "branch_group"]]
    report = run(csv_bytes(rows), kind="branches")
    assert report.valid and report.created == 2, report.errors
    shop, region = Location.objects.get(code="B11"), Location.objects.get(code="REG")
    assert shop.parent == region and region.parent == group
    assert shop.tree_path == f"{group.tree_path}{region.pk}/{shop.pk}/"
    assert (shop.source_id, shop.external_id) == (None, "B11")
    assert run(csv_bytes(rows), kind="branches").unchanged == 2
    bad = run(csv_bytes([rows[0], ["B12", "Shop 12", "NOWHERE", ""], ["B13", "", "", ""]]), kind="branches")
    assert {(e["row"], e["column"]) for e in bad.errors} == {(2, "parent_code"), (3, "name")}
    assert not Location.objects.filter(code="B12").exists()


def _head_of(path: Path, lines: int) -> bytes:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return gz("".join(next(handle) for _ in range(lines)).encode())


@pytest.mark.parametrize("relative", ["rossmann_top100_daily/sales.csv.gz", "recruit_restaurant_daily/visits.csv.gz",
                                      "dominicks_oj_weekly/sales.csv.gz"])
def test_shared_data_files_import_as_they_are(db, relative):
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared benchmark data is not on this machine")
    report = run(_head_of(path, 301), name=path.name, create_missing=True)
    assert report.valid, report.errors[:3]
    assert report.rows == 300 and DailySale.objects.count() == 300
    assert run(_head_of(path, 301), name=path.name).unchanged == 300
