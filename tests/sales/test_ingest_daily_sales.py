"""ingest_daily_sales: validation first, all-or-nothing, idempotent re-imports, drivers, create-missing."""

import datetime as dt
from decimal import Decimal

import pytest

from branches.models import Location
from sales.models import DailySale, DemandDriver, Product
from sales.services.ingest import ingest_daily_sales, upsert_demand_drivers
from tests.sales.conftest import DAY

pytestmark = pytest.mark.django_db


def sale(location="B1", sku="P1", date=DAY, quantity=3, **extra):
    return {"location_code": location, "sku": sku, "date": date, "quantity": quantity, **extra}


def snapshot():
    return sorted(
        DailySale.objects.values_list("location__code", "product__sku", "date", "quantity", "revenue", "discount",
                                      "returns", "price_paid", "on_promotion")
    )


def test_creates_then_reimport_is_a_no_op(shop):
    rows = [
        sale(quantity="3", revenue="29.70", discount="0.30", price_paid="9.90", on_promotion="1"),
        sale(sku="P2", quantity=1.5, revenue=Decimal("12.00")),
        sale(location="B2", date=DAY - dt.timedelta(days=1), quantity=0),
    ]
    report = ingest_daily_sales(rows)
    assert report.valid and report.applied
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    first = DailySale.objects.get(location=shop["b1"], product=shop["p1"], date=DAY)
    assert first.quantity == Decimal("3.000") and first.revenue == Decimal("29.70")
    assert first.price_paid == Decimal("9.90") and first.on_promotion is True
    before = snapshot()
    stamps = list(DailySale.objects.order_by("pk").values_list("updated_at", flat=True))

    again = ingest_daily_sales(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert list(DailySale.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_changed_values_update_only_those_rows(shop):
    ingest_daily_sales([sale(quantity=3), sale(sku="P2", quantity=4)])
    report = ingest_daily_sales([sale(quantity=5), sale(sku="P2", quantity=4)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert DailySale.objects.get(product=shop["p1"]).quantity == 5


def test_revenue_defaults_to_quantity_times_price(shop):
    ingest_daily_sales([sale(quantity=4, price_paid="2.50")])
    assert DailySale.objects.get().revenue == Decimal("10.00")


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (sale(location="NOPE"), "location_code", "unknown location code 'NOPE'"),
        (sale(sku="NOPE"), "sku", "unknown SKU 'NOPE'"),
        (sale(date="2026-02-30"), "date", "is not a date"),
        (sale(date=""), "date", "is required"),
        (sale(date=dt.date.today() + dt.timedelta(days=5)), "date", "in the future"),
        (sale(quantity=-1), "quantity", "negative"),
        (sale(quantity="abc"), "quantity", "is not a number"),
        (sale(quantity="nan"), "quantity", "finite"),
        (sale(returns=-2), "returns", "negative"),
        (sale(discount="x"), "discount", "is not a number"),
        (sale(on_promotion="maybe"), "on_promotion", "yes/no"),
        (sale(is_open="perhaps"), "is_open", "yes/no"),
        (sale(quantity=10**12), "quantity", "too large"),
    ],
)
def test_a_bad_row_rejects_the_whole_batch(shop, row, column, fragment):
    good = sale(sku="P2")
    report = ingest_daily_sales([good, row], first_row=2)
    assert not report.valid and not report.applied
    assert report.errors[0]["row"] == 3
    assert report.errors[0]["column"] == column
    assert fragment in report.errors[0]["message"]
    assert DailySale.objects.count() == 0


def test_failed_batch_leaves_existing_rows_unchanged(shop):
    ingest_daily_sales([sale(quantity=1)])
    before = snapshot()
    report = ingest_daily_sales([sale(quantity=99), sale(sku="P2", quantity="bad")])
    assert not report.valid
    assert snapshot() == before


def test_duplicate_keys_in_one_batch_are_rejected_across_chunks(shop):
    rows = [sale(quantity=1), sale(sku="P2"), sale(quantity=2)]
    report = ingest_daily_sales(rows, batch_size=2, first_row=2)
    assert not report.valid
    [error] = report.errors
    assert error["row"] == 4 and error["column"] == "sale"
    assert "also on row 2" in error["message"]
    assert DailySale.objects.count() == 0


def test_errors_are_capped_but_counted(shop):
    rows = [sale(location="NOPE", date=DAY - dt.timedelta(days=i)) for i in range(30)]
    report = ingest_daily_sales(rows, max_errors=5)
    assert report.error_count == 30 and len(report.errors) == 5


def test_dry_run_counts_but_writes_nothing(shop):
    report = ingest_daily_sales([sale(), sale(sku="P2")], dry_run=True)
    assert report.valid and not report.applied and report.created == 2
    assert DailySale.objects.count() == 0


def test_create_missing_makes_manual_branches_and_products(db):
    rows = [sale(location="NEW1", sku="ALL", quantity=10), sale(location="NEW1", sku="X9", product_name="Juice")]
    report = ingest_daily_sales(rows, create_missing=True)
    assert report.valid, report.errors
    location = Location.objects.get(code="NEW1")
    assert (location.source_id, location.external_id, location.type) == (None, "NEW1", "BRANCH")
    assert location.tree_path == f"/{location.pk}/"
    assert Product.objects.get(sku="X9").name == "Juice"
    assert Product.objects.filter(sku="ALL").exists()
    assert report.locations_created == ["NEW1"] and sorted(report.products_created) == ["ALL", "X9"]


def test_create_missing_is_rolled_back_with_a_rejected_batch(db):
    report = ingest_daily_sales([sale(location="NEW1"), sale(location="NEW1", quantity="x")], create_missing=True)
    assert not report.valid
    assert not Location.objects.filter(code="NEW1").exists()
    assert not Product.objects.exists()


def test_driver_only_rows_are_never_sales(shop):
    future = dt.date.today() + dt.timedelta(days=10)
    rows = [
        sale(quantity=None, date=future, promotion="1", planned_price="7.5"),
        sale(sku="ALL", quantity="", date=future, is_open="0", is_holiday="1"),
        sale(quantity=float("nan"), date=future + dt.timedelta(days=1)),  # nothing at all: skipped
    ]
    report = ingest_daily_sales(rows)
    assert report.valid, report.errors
    assert DailySale.objects.count() == 0
    assert (report.skipped, report.drivers_created) == (3, 2)
    product_driver = DemandDriver.objects.get(product=shop["p1"])
    assert (product_driver.is_promotion, product_driver.planned_price, product_driver.is_open) == (
        True, Decimal("7.50"), None)
    store_driver = DemandDriver.objects.get(product__isnull=True)
    assert (store_driver.is_open, store_driver.is_holiday) == (False, True)


def test_sales_rows_carry_drivers_and_partial_driver_updates_keep_other_values(shop):
    ingest_daily_sales([sale(sku="ALL", quantity=None, is_open=1, is_holiday=0)])
    report = upsert_demand_drivers([{"location_code": "B1", "sku": "ALL", "date": DAY, "promotion": True}])
    assert (report.drivers_updated, report.drivers_created) == (1, 0)
    driver = DemandDriver.objects.get()
    assert (driver.is_open, driver.is_holiday, driver.is_promotion) == (True, False, True)
    again = upsert_demand_drivers([{"location_code": "B1", "sku": "ALL", "date": DAY, "promotion": True}])
    assert (again.drivers_updated, again.drivers_unchanged) == (0, 1)


def test_location_id_and_product_id_keys_skip_code_lookups(shop):
    report = ingest_daily_sales([{"location_id": shop["b2"].pk, "product_id": shop["p2"].pk, "date": "2026-03-01",
                                  "quantity": 2}])
    assert report.valid
    assert DailySale.objects.get().location == shop["b2"]


def test_ambiguous_location_code_is_reported(shop, make_location):
    make_location("B9")
    make_location("B9")
    report = ingest_daily_sales([sale(location="B9")])
    assert "matches several locations" in report.errors[0]["message"]


def test_ambiguous_code_prefers_the_sources_own_location(shop, make_location, account):
    make_location("B9")
    own = make_location("B9", source=account, external_id="w-9")
    report = ingest_daily_sales([sale(location="B9")], source=account)
    assert report.valid
    assert DailySale.objects.get().location == own


def test_progress_is_reported_per_chunk(shop):
    seen = []
    ingest_daily_sales((sale(date=DAY - dt.timedelta(days=i)) for i in range(5)), batch_size=2,
                       progress=seen.append)
    assert seen == [2, 4, 5]


def test_pandas_style_values_are_accepted(shop):
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"location_code": ["B1", "B1"], "sku": ["P1", "P2"],
                          "date": pd.to_datetime(["2026-03-01", "2026-03-01"]), "quantity": np.array([2, 3]),
                          "price_paid": [1.5, np.nan], "on_promotion": [True, False]})
    report = ingest_daily_sales(frame.to_dict("records"))
    assert report.valid, report.errors
    assert DailySale.objects.get(product=shop["p1"]).price_paid == Decimal("1.50")
    assert DailySale.objects.get(product=shop["p2"]).price_paid is None


def test_unknown_ids_are_errors_not_database_crashes(shop):
    report = ingest_daily_sales([{"location_id": 999_999, "product_id": shop["p1"].pk, "date": DAY, "quantity": 1},
                                 {"location_id": shop["b1"].pk, "product_id": 888_888, "date": DAY, "quantity": 1},
                                 {"location_id": "x", "sku": "P1", "date": DAY, "quantity": 1}])
    assert [(e["row"], e["column"]) for e in report.errors] == [(1, "location_id"), (2, "product_id"),
                                                               (3, "location_id")]
    assert DailySale.objects.count() == 0


def test_duplicate_inside_one_chunk_then_more_chunks(shop):
    rows = [sale(quantity=1), sale(quantity=2), sale(sku="P2"), sale(sku="P2", date=DAY - dt.timedelta(days=1)),
            sale(location="B2")]
    report = ingest_daily_sales(rows, batch_size=2)
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "sale")]
    assert "also on row 1" in report.errors[0]["message"]
    assert DailySale.objects.count() == 0
    # The same connection is usable afterwards (the failed merge was rolled back to its savepoint).
    assert ingest_daily_sales(rows[1:], batch_size=2).created == 4
