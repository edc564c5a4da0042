"""upsert_orders, rebuild_daily_sales, upsert_products/upsert_categories and stock ingest."""

import datetime as dt
from decimal import Decimal

import pytest

from sales.models import (
    Customer,
    DailySale,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    ProductCategory,
    ProductSourceRef,
    StockLevel,
)
from sales.services.daily_from_orders import rebuild_daily_sales
from sales.services.ingest import ingest_stock_levels, upsert_categories, upsert_orders, upsert_products

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def order(external_id="o-1", *, day=DAY, lines=None, **extra):
    return {
        "external_id": external_id, "ordered_at": dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        "location_code": "B1", "channel": "trendyol", "status": "delivered",
        "customer": {"external_id": "c-1", "name": "Ayşe", "email": "a@example.com"},
        "lines": lines or [{"sku": "P1", "quantity": 2, "price": "10.00", "discount": "1.00"},
                           {"sku": "P2", "quantity": 1, "price": "5.00", "commission": "0.50"}],
        **extra,
    }


def test_orders_are_created_once_and_updated_on_resync(shop, account):
    report = upsert_orders(account, [order()])
    assert report.valid and (report.created, report.lines_written) == (1, 2), report.errors
    saved = Order.objects.get()
    assert (saved.total, saved.discount_total, saved.commission_total) == (
        Decimal("24.00"), Decimal("1.00"), Decimal("0.50"))
    assert saved.business_date == DAY and saved.customer.name == "Ayşe"
    assert (report.location_ids, report.date_from, report.date_to) == ([shop["b1"].pk], DAY, DAY)

    again = upsert_orders(account, [order()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = upsert_orders(account, [order(status="cancelled", day=DAY + dt.timedelta(days=1))])
    assert changed.updated == 1
    assert (changed.date_from, changed.date_to) == (DAY, DAY + dt.timedelta(days=1))  # old and new day
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 2
    assert Customer.objects.count() == 1


def test_business_date_follows_the_account_time_zone(shop, account):
    late = order(ordered_at=dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC))  # 01:30 next day in Istanbul
    upsert_orders(account, [late])
    assert Order.objects.get().business_date == dt.date(2026, 3, 3)


def test_return_orders_are_negative_and_commission_is_spread(shop, account):
    upsert_orders(account, [order("r-1", is_return=True, commission_total="3.00",
                                  lines=[{"sku": "P1", "quantity": 1, "price": "10"},
                                         {"sku": "P2", "quantity": 2, "price": "10"}])])
    lines = list(OrderLine.objects.order_by("line_no").values_list("quantity", "amount", "commission"))
    assert lines == [(Decimal("-1.000"), Decimal("-10.00"), Decimal("1.00")),
                     (Decimal("-2.000"), Decimal("-20.00"), Decimal("2.00"))]


def test_a_bad_order_rejects_the_batch(shop, account):
    report = upsert_orders(account, [order("ok"), order("bad", lines=[{"sku": "NOPE", "quantity": 1}]),
                                     order("ok")])
    assert {(e["row"], e["column"]) for e in report.errors} == {(2, "lines[1].sku"), (3, "external_id")}
    assert not Order.objects.exists() and not Customer.objects.exists()


def test_lines_by_product_external_id(shop, account):
    ProductSourceRef.objects.create(account=account, external_id="sentos-77", product=shop["p2"])
    report = upsert_orders(account, [order(lines=[{"product_external_id": "sentos-77", "quantity": 3, "price": 2}])])
    assert report.valid, report.errors
    assert OrderLine.objects.get().product == shop["p2"]


def test_rebuild_daily_sales_from_orders(shop, account):
    next_day = DAY + dt.timedelta(days=1)
    upsert_orders(account, [
        order("o-1"),
        order("o-2", lines=[{"sku": "P1", "quantity": 3, "price": "10.00"}]),
        order("o-3", status="cancelled", lines=[{"sku": "P1", "quantity": 100, "price": "10.00"}]),
        order("r-1", day=next_day, is_return=True, lines=[{"sku": "P1", "quantity": 1, "price": "10.00"}]),
    ])
    report = rebuild_daily_sales([shop["b1"].pk], DAY, next_day)
    assert report.valid and report.created == 3, report.errors
    p1 = DailySale.objects.get(product=shop["p1"], date=DAY)
    # o-1: 2 × 10 − 1 discount = 19; o-2: 30; o-3 cancelled.
    assert (p1.quantity, p1.revenue, p1.discount, p1.returns, p1.price_paid, p1.on_promotion) == (
        Decimal("5.000"), Decimal("49.00"), Decimal("1.00"), Decimal("0.000"), Decimal("9.80"), True)
    returned = DailySale.objects.get(product=shop["p1"], date=next_day)
    assert (returned.quantity, returned.returns, returned.revenue) == (Decimal("0.000"), Decimal("1.000"),
                                                                       Decimal("-10.00"))
    assert rebuild_daily_sales([shop["b1"].pk], DAY, next_day).unchanged == 3

    upsert_orders(account, [order("o-1", status="cancelled")])
    after = rebuild_daily_sales([shop["b1"].pk], DAY, DAY)
    assert after.deleted == 1  # P2 sold only in o-1
    assert not DailySale.objects.filter(product=shop["p2"]).exists()
    assert DailySale.objects.get(product=shop["p1"], date=DAY).quantity == 3


def test_rebuild_leaves_other_locations_and_days_alone(shop, account):
    DailySale.objects.create(location=shop["b2"], product=shop["p1"], date=DAY, quantity=9)
    DailySale.objects.create(location=shop["b1"], product=shop["p1"], date=DAY - dt.timedelta(days=5), quantity=4)
    upsert_orders(account, [order()])
    rebuild_daily_sales([shop["b1"].pk], DAY, DAY)
    assert DailySale.objects.count() == 4


def test_upsert_products_with_categories_barcodes_and_refs(db, account):
    upsert_categories([{"code": "JUICE", "name": "Juice", "parent_code": "DRINKS"},
                       {"code": "DRINKS", "name": "Drinks"}])
    assert ProductCategory.objects.get(code="JUICE").parent.code == "DRINKS"
    rows = [{"sku": "J1", "name": "Orange", "category_code": "JUICE", "list_price": 3.5, "barcodes": ["111", "222"],
             "external_id": "ext-1"},
            {"sku": "J2", "name": "Apple", "kind": "Goods", "barcode": "333", "external_id": "ext-2"}]
    report = upsert_products(rows, account=account)
    assert report.valid and report.created == 2, report.errors
    assert ProductSourceRef.objects.get(account=account, external_id="ext-1").product.sku == "J1"
    assert upsert_products(rows, account=account).unchanged == 2

    moved = upsert_products([{"sku": "J2", "barcodes": "111"}], account=account)
    assert moved.updated == 0 and moved.warnings == ["1 barcodes moved to another product"]
    assert ProductBarcode.objects.get(barcode="111").product.sku == "J2"
    renamed = upsert_products([{"sku": "J1", "name": "Orange juice"}])
    assert renamed.updated == 1 and Product.objects.get(sku="J1").list_price == Decimal("3.50")


def test_upsert_products_rejects_the_batch_on_any_error(db):
    report = upsert_products([{"sku": "N1", "name": "New"}, {"sku": "N2"}, {"sku": "N1", "name": "Again"}],
                             create_missing=False)
    assert {(e["row"], e["column"]) for e in report.errors} == {(3, "sku")}
    assert not Product.objects.exists()
    report = upsert_products([{"sku": "N1", "name": "New"}, {"sku": "N2"}])
    assert report.errors == [{"row": 2, "column": "name", "message": "is required for the new product 'N2'"}]
    assert not Product.objects.exists()


def test_category_cycles_are_refused(db):
    upsert_categories([{"code": "A", "name": "A"}, {"code": "B", "name": "B", "parent_code": "A"}])
    report = upsert_categories([{"code": "A", "parent_code": "B"}])
    assert report.errors and "its own ancestor" in report.errors[0]["message"]
    assert ProductCategory.objects.get(code="A").parent is None


def test_stock_levels(shop, account):
    as_of = dt.datetime(2026, 3, 1, 6, tzinfo=dt.UTC)
    rows = [{"location_code": "B1", "sku": "P1", "as_of": as_of, "on_hand": -1.5, "reserved": 0, "in_transit": 2},
            {"location_code": "B2", "sku": "P1", "as_of": "2026-03-01", "on_hand": 4}]
    report = ingest_stock_levels(rows, source=account)
    assert report.valid and report.created == 2, report.errors
    assert StockLevel.objects.get(location=shop["b1"]).on_hand == Decimal("-1.500")
    assert StockLevel.objects.get(location=shop["b1"]).source == account
    assert ingest_stock_levels(rows, source=account).unchanged == 2
    duplicate = ingest_stock_levels([rows[0], rows[0]])
    assert duplicate.errors[0]["column"] == "stock" and "also on row 1" in duplicate.errors[0]["message"]
    future = ingest_stock_levels([{**rows[0], "as_of": "2099-01-01"}])
    assert future.errors[0]["column"] == "as_of"


def test_unknown_ids_in_orders_are_errors(shop, account):
    report = upsert_orders(account, [order(location_id=999_999, lines=[{"product_id": 777_777, "quantity": 1}])])
    assert {e["column"] for e in report.errors} == {"location_id", "lines[1].product_id"}
    assert not Order.objects.exists()
