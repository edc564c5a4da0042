"""Sentos connector against the loopback Sentos fake: warehouses, products with variants and stock, orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from branches.models import Location
from demo.fakes import SentosFake
from integrations.models import RateLimitBucket, SyncCursor
from sales.models import DailySale, Order, Product, ProductSourceRef, StockLevel

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def expected_daily(dataset, first: dt.date, last: dt.date) -> dict[tuple[str, str, dt.date], tuple[int, Decimal]]:
    sales = dataset.sales_of("sentos")
    sales = sales[(sales["units"] > 0) & (sales["date"].dt.date >= first) & (sales["date"].dt.date <= last)]
    return {(r.location_code.split("-")[1], r.sku, r.date.date()): (int(r.units), Decimal(str(round(r.revenue, 2))))
            for r in sales.itertuples()}


def stored_daily(account) -> dict[tuple[str, str, dt.date], tuple[int, Decimal]]:
    return {(s.location.external_id, s.product.sku, s.date): (int(s.quantity), s.revenue)
            for s in DailySale.objects.filter(location__source=account).select_related("location", "product")}


def test_warehouses_products_variants_and_stock(sentos_account, sync, dataset):
    org = sync(sentos_account, "org")
    assert org.status == "succeeded" and org.rows_created == 1 + len(dataset.sentos_warehouses)
    root = Location.objects.get(source=sentos_account, external_id="account")
    assert root.name == "Sentos demo" and root.children.count() == len(dataset.sentos_warehouses)

    run = sync(sentos_account, "products")
    assert run.status == "succeeded", run.error
    sellable = dataset.products_of("sentos")
    assert ProductSourceRef.objects.filter(account=sentos_account).count() == len(sellable)
    sized = next(p for p in sellable if p.size)
    product = Product.objects.get(sku=sized.sku)
    assert sized.size in product.name.split() and product.barcodes.filter(barcode=sized.barcode).exists()
    assert product.list_price is None  # lira prices never land in the catalogue's list price
    # Top-level stock lines name the warehouse by id, variant lines by {id, name}: both read, both recorded.
    assert run.details["shapes"]["stock warehouse reference"] == "id + object {id, name}"
    stock = dataset.stock[dataset.stock["location_code"].str.startswith("SENTOS-")]
    # Sentos lists every warehouse for every item, zero stock included.
    assert StockLevel.objects.filter(source=sentos_account).count() == len(sellable) * len(dataset.sentos_warehouses)
    warehouse = dataset.sentos_warehouses[0]
    on_hand = {p.sku: Decimal(0) for p in sellable}
    for row in stock.itertuples():
        if int(row.location_code.split("-")[1]) == warehouse.id:
            on_hand[row.sku] = Decimal(int(max(row.on_hand, 0)))
    stored = {s.product.sku: s.on_hand for s in StockLevel.objects.filter(location__external_id=str(warehouse.id),
                                                                           source=sentos_account)}
    assert stored == on_hand


def test_orders_become_daily_sales_without_cancellations(sentos_account, sync, dataset):
    run = sync(sentos_account, "orders")
    assert run.status == "succeeded", run.error
    first = dt.date.fromisoformat(run.details["window"]["from"])
    assert stored_daily(sentos_account) == expected_daily(dataset, first, dataset.last_sales_date)
    cancelled = Order.objects.filter(account=sentos_account, status="cancelled")
    assert cancelled.count() == run.details["cancelled"] > 0
    assert set(cancelled.values_list("source_status", flat=True)) == {"6"}
    assert run.details["shapes"]["order_date"] == "YYYY-MM-DD HH:MM:SS"

    rerun = sync(sentos_account, "orders")
    assert rerun.rows_created == rerun.rows_updated == 0 and rerun.rows_unchanged == run.rows_created
    assert rerun.details["daily_sales"]["created"] == rerun.details["daily_sales"]["updated"] == 0


class CraftedOrders(SentosFake):
    """Serves hand-made orders (a night order, an unknown SKU) and, with `bare`, bare arrays instead of envelopes."""

    def __init__(self, orders: dict[dt.date, list[dict[str, Any]]], bare: bool = False, **kwargs) -> None:
        super().__init__(None, **kwargs)
        self.crafted = orders
        self.bare = bare

    def orders_for(self, day: dt.date) -> list[dict[str, Any]]:
        return self.crafted.get(day, [])

    def warehouses(self, request):
        from demo.fakes.base import FakeResponse

        return FakeResponse.json({"data": [{"id": 1, "name": "Merkez Depo"}]})

    def _envelope(self, rows, page, size):
        envelope = super()._envelope(rows, page, size)
        return envelope["data"] if self.bare else envelope


def crafted_order(order_id: int, moment: str, status: int = 2) -> dict[str, Any]:
    return {"id": order_id, "order_code": f"TY{order_id}", "status": status, "source": "TRENDYOL",
            "order_date": moment, "total": "499.80", "warehouse_id": 1,
            "lines": [{"sku": "NEW-SKU-1", "barcode": "8690000099990", "name": "Yeni Ürün", "quantity": 2,
                       "price": "249.90", "discount": "0.00", "amount": "499.80", "currency": "TRY"}]}


def test_turkey_local_time_becomes_utc_and_the_local_business_day(account_for, sync):
    day = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    fake = CraftedOrders({day: [crafted_order(1, f"{day} 01:30:00"), crafted_order(2, f"{day} 23:59:00")]})
    account = account_for("sentos", fake)
    run = sync(account, "orders", date_from=day.isoformat(), date_to=day.isoformat())
    assert run.status == "succeeded", run.error
    night = Order.objects.get(account=account, external_id="1")
    # 01:30 in Istanbul (UTC+3) is 22:30 UTC the day before, but the shop's business day is `day`.
    assert night.ordered_at == dt.datetime.combine(day - dt.timedelta(days=1), dt.time(22, 30), UTC)
    assert night.business_date == day and night.channel == "TRENDYOL" and night.currency == "TRY"
    late = Order.objects.get(account=account, external_id="2")
    assert late.ordered_at == dt.datetime.combine(day, dt.time(20, 59), UTC) and late.business_date == day
    sale = DailySale.objects.get(location__source=account)
    assert (sale.date, sale.quantity, sale.revenue) == (day, 4, Decimal("999.60"))
    assert Product.objects.get(sku="NEW-SKU-1").name == "Yeni Ürün"  # discovered from the order line
    assert run.details["products_discovered"] == 1


@pytest.mark.parametrize("bare", [False, True], ids=["envelope", "bare-array"])
def test_paging_exact_boundary_and_empty_pages(account_for, sync, bare):
    day = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    fake = CraftedOrders({day: [crafted_order(i, f"{day} 12:00:0{i}") for i in range(1, 5)]}, bare=bare)
    account = account_for("sentos", fake, options={"page_size": 2})
    run = sync(account, "orders", date_from=(day - dt.timedelta(days=1)).isoformat(), date_to=day.isoformat())
    assert run.status == "succeeded", run.error
    assert Order.objects.filter(account=account).count() == 4
    pages = [r.arg("page") for r in fake.requests_to("/api/orders")]
    # Envelope: total_pages says 2, so page 3 is never asked for. Bare arrays: a full page may have a successor,
    # so page 3 is asked for and is empty.
    assert pages == (["1", "2", "3"] if bare else ["1", "2"])
    assert run.details["shapes"]["/orders paging"] == ("bare array" if bare else "envelope")

    empty = sync(account, "orders", date_from="2020-01-01", date_to="2020-01-02")
    assert empty.status == "succeeded" and empty.rows_read == 0


def test_429_with_retry_after_then_success(sentos_account, sync):
    sentos_account.fake.throttle_next(retry_after=1, path="/api/orders")
    run = sync(sentos_account, "orders")
    assert run.status == "succeeded", run.error
    statuses = [r.status for r in sentos_account.fake.requests_to("/api/orders")]
    assert statuses[:2] == [429, 200]
    assert run.details["http"]["waited_s"] >= 1.0  # Retry-After: 1 was honoured (backoff alone is milliseconds)


def test_per_path_rate_buckets_throttle_the_client(account_for, sync, dataset):
    fake = SentosFake(dataset)
    account = account_for("sentos", fake, request_rate_per_minute=None,
                          options={"rate_per_minute": 1200, "rate_burst": 1, "page_size": 10})
    run = sync(account, "products")
    assert run.status == "succeeded", run.error
    assert len(fake.requests_to("/api/products")) >= 3
    assert run.details["http"]["waited_s"] > 0  # the shared client spaced the pages
    keys = set(RateLimitBucket.objects.filter(bucket_key__startswith=f"account:{account.pk}:sentos:")
               .values_list("bucket_key", flat=True))
    assert {f"account:{account.pk}:sentos:GET warehouses", f"account:{account.pk}:sentos:GET products"} <= keys


def test_server_error_then_success(sentos_account, sync):
    sentos_account.fake.fail_next(503, path="/api/products")
    run = sync(sentos_account, "products")
    assert run.status == "succeeded", run.error
    assert [r.status for r in sentos_account.fake.requests_to("/api/products")][:2] == [503, 200]


def test_wrong_secret_fails_with_a_clear_message(account_for, sync, dataset):
    account = account_for("sentos", SentosFake(dataset), name="Sentos wrong",
                          secrets={"api_key": "test-sentos-api-key", "api_secret": "wrong-secret-xyz"})
    run = sync(account, "orders")
    assert run.status == "failed"
    assert "Sentos wrong" in run.error and "401" in run.error and "invalid API key or secret" in run.error
    assert "wrong-secret-xyz" not in run.error and "Check the login/password or API key" in run.error


def test_malformed_page_fails_naming_it_applies_nothing_and_keeps_the_cursor(sentos_account, sync, dataset):
    first = sync(sentos_account, "orders", "incremental")  # no cursor yet: reads the full window
    assert first.status == "succeeded"
    cursor = SyncCursor.objects.get(account=sentos_account, stream="orders").value
    orders_before = Order.objects.count()
    sentos_account.options = {"page_size": 20}
    sentos_account.save()
    Order.objects.all().delete()  # whatever the failed run would write must stay absent
    DailySale.objects.all().delete()
    sentos_account.fake.malformed_next(path="/api/orders", query={"page": "2"})
    run = sync(sentos_account, "orders", "full")
    assert run.status == "failed"
    assert "orders stream" in run.error and "page 2" in run.error and "not valid JSON" in run.error
    assert Order.objects.count() == 0 and not DailySale.objects.exists()
    assert SyncCursor.objects.get(account=sentos_account, stream="orders").value == cursor
    assert orders_before > 0


def test_incremental_reads_from_the_cursor_with_lookback(sentos_account, sync):
    sync(sentos_account, "orders", "incremental")
    cursor = SyncCursor.objects.get(account=sentos_account, stream="orders").value["next_from"]
    live = sync(sentos_account, "orders", "incremental")
    assert live.status == "succeeded"
    assert live.details["window"]["from"] == (dt.date.fromisoformat(cursor) - dt.timedelta(days=3)).isoformat()
    asked = sentos_account.fake.requests_to("/api/orders")[-1]
    assert asked.arg("start_date") == live.details["window"]["from"]
