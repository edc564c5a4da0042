"""Small builders for sales tests: locations, categories, products, an integration account."""

import datetime as dt

import pytest

from branches.choices import LocationType
from branches.models import Location
from sales.models import Product, ProductCategory


@pytest.fixture
def make_location(db):
    def _make(code: str, parent: Location | None = None, name: str = "", type_: str = LocationType.BRANCH,
              **extra) -> Location:
        location = Location(code=code, name=name or f"Branch {code}", parent=parent, type=type_, **extra)
        location.save()
        return location

    return _make


@pytest.fixture
def make_category(db):
    def _make(code: str, parent: ProductCategory | None = None) -> ProductCategory:
        return ProductCategory.objects.create(code=code, name=f"Category {code}", parent=parent)

    return _make


@pytest.fixture
def make_product(db):
    def _make(sku: str, category: ProductCategory | None = None, **extra) -> Product:
        return Product.objects.create(sku=sku, name=extra.pop("name", f"Product {sku}"), category=category, **extra)

    return _make


@pytest.fixture
def account(db):
    from integrations.models import IntegrationAccount

    return IntegrationAccount.objects.create(kind="sentos", name="Sentos TR", base_url="http://127.0.0.1:1/",
                                             timezone="Europe/Istanbul")


@pytest.fixture
def shop(make_location, make_product):
    """Region R1 with branches B1 and B2, products P1 and P2: the smallest world sales tests need."""
    region = make_location("R1", type_=LocationType.BRANCH_GROUP)
    return {
        "region": region,
        "b1": make_location("B1", parent=region),
        "b2": make_location("B2", parent=region),
        "p1": make_product("P1"),
        "p2": make_product("P2"),
    }


DAY = dt.date(2026, 3, 2)


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """A CSV file (first row = header) as bytes."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], sheet: str = "Sheet1") -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gz(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


SALES_HEADER = ["location_code", "sku", "date", "quantity", "revenue", "discount", "returns", "price_paid",
                "on_promotion"]
