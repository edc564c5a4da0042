"""Wildberries connector against the loopback WB fake: cards, orders, sales/returns, stock, 80k paging."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from demo.fakes import WildberriesFake
from demo.fakes.wildberries import WB_STATISTICS_ONLY_TOKEN
from integrations.models import SyncCursor
from sales.models import DailySale, Order, ProductSourceRef, StockLevel

pytestmark = pytest.mark.django_db


def paid(row: dict) -> Decimal:
    if row["priceWithDisc"]:
        return abs(Decimal(str(row["priceWithDisc"])))
    price = abs(Decimal(str(row["totalPrice"])))
    return (price * (100 - Decimal(str(row["discountPercent"]))) / 100).quantize(Decimal("0.01"))


def expected_daily(fake: WildberriesFake) -> dict[tuple[str, str, dt.date], tuple[int, int, Decimal]]:
    """Demand on the order day (cancelled orders left out), returns on the return day — from the raw rows."""
    days: dict[tuple[str, str, dt.date], list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for row in fake.order_rows():
        if not row["isCancel"]:
            entry = days[(row["warehouseName"], f"{row['nmId']}/{row['techSize']}",
                          dt.date.fromisoformat(row["date"][:10]))]
            entry[0] += 1
            entry[2] += paid(row)
    for row in fake.sale_rows():
        if row["saleID"].startswith("R"):
            entry = days[(row["warehouseName"], f"{row['nmId']}/{row['techSize']}",
                          dt.date.fromisoformat(row["date"][:10]))]
            entry[1] += 1
            entry[2] -= paid(row)
    return {k: (v[0], v[1], v[2]) for k, v in days.items()}


def stored_daily(account) -> dict[tuple[str, str, dt.date], tuple[int, int, Decimal]]:
    refs = dict(ProductSourceRef.objects.filter(account=account).values_list("product_id", "external_id"))
    return {(s.location.external_id, refs[s.product_id], s.date): (int(s.quantity), int(s.returns), s.revenue)
            for s in DailySale.objects.filter(location__source=account).select_related("location")}


def test_orders_sales_and_returns_give_daily_demand_once(wb_account, sync):
    fake = wb_account.fake
    for stream in ("products", "orders", "sales"):
        run = sync(wb_account, stream)
        assert run.status == "succeeded", (stream, run.error)
    assert stored_daily(wb_account) == expected_daily(fake)
    orders = Order.objects.filter(account=wb_account)
    sale_ids = [r["saleID"] for r in fake.sale_rows()]
    assert orders.filter(status="delivered").count() == sum(1 for s in sale_ids if s.startswith("S"))
    returns = orders.filter(status="returned", is_return=True)
    assert returns.count() == sum(1 for s in sale_ids if s.startswith("R")) > 0
    assert all(line.quantity == -1 for order in returns for line in order.lines.all())
    assert orders.filter(status="cancelled").count() == sum(1 for r in fake.order_rows() if r["isCancel"]) > 0
    assert orders.filter(is_return=False).count() == len({r["srid"] for r in fake.order_rows()})
    delivered = orders.filter(status="delivered").exclude(commission_total=0).first()
    assert delivered is not None and delivered.source_status.startswith("S")

    for stream in ("orders", "sales"):
        again = sync(wb_account, stream)
        assert again.rows_created == again.rows_updated == 0, stream
        assert again.details["daily_sales"]["updated"] == again.details["daily_sales"]["created"] == 0


def test_sales_before_orders_converge_to_the_same_result(wb_account, sync):
    assert sync(wb_account, "sales").status == "succeeded"  # orders not read yet: built from the sales
    assert sync(wb_account, "orders").status == "succeeded"
    assert stored_daily(wb_account) == expected_daily(wb_account.fake)
    sales = sum(1 for r in wb_account.fake.sale_rows() if r["saleID"].startswith("S"))
    assert Order.objects.filter(account=wb_account, status="delivered").count() == sales  # orders never undo a sale
    again = sync(wb_account, "sales")
    assert again.rows_updated == 0 and again.details["daily_sales"]["updated"] == 0


def test_moscow_times_are_stored_as_utc_with_the_moscow_business_day(wb_account, sync):
    sync(wb_account, "orders")
    row = next(r for r in wb_account.fake.order_rows() if r["date"][11:13] in ("00", "01", "02"))
    order = Order.objects.get(account=wb_account, external_id=row["srid"])
    local = dt.datetime.fromisoformat(row["date"])
    assert order.ordered_at == (local - dt.timedelta(hours=3)).replace(tzinfo=dt.UTC)
    assert order.ordered_at.date() == local.date() - dt.timedelta(days=1)  # the day before in UTC…
    assert order.business_date == local.date()  # …but Moscow's business day


def test_80k_rule_pages_on_last_change_date_and_deduplicates(account_for, sync, dataset):
    fake = WildberriesFake(dataset, page_cap=100)
    account = account_for("wildberries", fake, options={"page_cap": 100})
    run = sync(account, "orders")
    assert run.status == "succeeded", run.error
    requests = fake.requests_to("/api/v1/supplier/orders")
    rows = fake.order_rows()
    assert len(requests) > len(rows) // 100
    # Each follow-up page starts at the last lastChangeDate of the page before (WB's own ">=").
    by_start = sorted(rows, key=lambda r: r["lastChangeDate"])
    position = [r for r in by_start if r["lastChangeDate"] >= requests[0].arg("dateFrom")]
    assert requests[1].arg("dateFrom") == position[99]["lastChangeDate"]
    assert run.details["duplicates_dropped"] >= len(requests) - 1
    assert Order.objects.filter(account=account).count() == len({r["srid"] for r in rows})


def test_a_page_exactly_full_is_followed_by_one_more_request(account_for, sync, dataset):
    probe = WildberriesFake(dataset)
    count = len(probe.order_rows())
    fake = WildberriesFake(dataset, page_cap=count)
    account = account_for("wildberries", fake, options={"page_cap": count})
    run = sync(account, "orders")
    assert run.status == "succeeded", run.error
    assert len(fake.requests_to("/api/v1/supplier/orders")) == 2
    assert run.details["duplicates_dropped"] >= 1
    assert Order.objects.filter(account=account).count() == len({r["srid"] for r in probe.order_rows()})


def test_empty_answer_and_429_with_x_ratelimit_retry(account_for, wb_account, sync):
    empty = account_for("wildberries", WildberriesFake(None), name="WB empty")
    run = sync(empty, "sales")
    assert run.status == "succeeded" and run.rows_read == 0
    assert SyncCursor.objects.get(account=empty, stream="sales").value["last_change"] is None

    wb_account.fake.throttle_next(retry_after=1, path="/api/v1/supplier/sales")
    throttled = sync(wb_account, "sales")
    assert throttled.status == "succeeded", throttled.error
    assert [r.status for r in wb_account.fake.requests_to("/supplier/sales")][:2] == [429, 200]
    assert throttled.details["http"]["waited_s"] >= 1.0  # X-Ratelimit-Retry: 1 honoured


def test_incremental_reads_from_the_last_change_date_cursor(wb_account, sync):
    full = sync(wb_account, "sales")
    newest = max(r["lastChangeDate"] for r in wb_account.fake.sale_rows())
    assert SyncCursor.objects.get(account=wb_account, stream="sales").value["last_change"] == newest
    live = sync(wb_account, "sales", "incremental")
    assert live.status == "succeeded"
    assert wb_account.fake.requests_to("/supplier/sales")[-1].arg("dateFrom") == newest
    assert live.rows_read >= 1 and live.rows_created == live.rows_updated == 0
    assert full.rows_created > 0


def test_malformed_answer_fails_applies_nothing_and_keeps_the_cursor(wb_account, sync):
    assert sync(wb_account, "orders", "incremental").status == "succeeded"
    cursor = SyncCursor.objects.get(account=wb_account, stream="orders").value
    Order.objects.all().delete()
    DailySale.objects.all().delete()
    wb_account.fake.malformed_next(path="/supplier/orders")
    run = sync(wb_account, "orders", "full")
    assert run.status == "failed"
    assert "orders stream" in run.error and "/api/v1/supplier/orders" in run.error and "page 1" in run.error
    assert not Order.objects.exists() and not DailySale.objects.exists()
    assert SyncCursor.objects.get(account=wb_account, stream="orders").value == cursor


def test_token_without_the_content_category_is_named(account_for, sync, dataset):
    account = account_for("wildberries", WildberriesFake(dataset), secrets={"token": WB_STATISTICS_ONLY_TOKEN})
    run = sync(account, "products")
    assert run.status == "failed"
    assert "401" in run.error and "content category" in run.error and WB_STATISTICS_ONLY_TOKEN not in run.error
    assert sync(account, "stock").status == "succeeded"  # statistics still allowed


def test_cards_as_products_and_incremental_stops_at_the_cursor(wb_account, sync, dataset):
    run = sync(wb_account, "products")
    assert run.status == "succeeded", run.error
    wb_products = dataset.products_of("wildberries")
    assert ProductSourceRef.objects.filter(account=wb_account).count() == run.details["sizes"] == len(wb_products)
    sized = next(p for p in wb_products if p.size)
    ref = ProductSourceRef.objects.get(account=wb_account, external_id=f"{sized.wb_nm_id}/{sized.size}")
    assert ref.product.sku == sized.sku and ref.product.barcodes.filter(barcode=sized.barcode).exists()
    live = sync(wb_account, "products", "incremental")
    assert live.details["stopped_at_cursor"] is True and live.rows_created == live.rows_updated == 0


def test_stock_snapshot_per_warehouse(wb_account, sync, dataset):
    run = sync(wb_account, "stock")
    assert run.status == "succeeded", run.error
    names = {loc.code: loc.name for loc in dataset.locations_of("wildberries")}
    stock = dataset.stock[dataset.stock["location_code"].isin(list(names))]
    stored = StockLevel.objects.filter(source=wb_account)
    assert stored.count() == len(stock)
    row = stock.iloc[0]
    level = stored.get(location__external_id=names[row.location_code],
                       product__source_refs__external_id=f"{dataset.product(row.sku).wb_nm_id}/"
                                                         f"{dataset.product(row.sku).size or '0'}")
    assert level.on_hand == int(max(row.on_hand - row.reserved, 0)) and level.reserved == int(row.reserved)
    again = sync(wb_account, "stock", "incremental")
    assert again.rows_created == again.rows_updated == 0 and again.rows_unchanged == run.rows_created


def test_server_error_then_success(wb_account, sync):
    wb_account.fake.fail_next(502, path="/supplier/stocks")
    run = sync(wb_account, "stock")
    assert run.status == "succeeded", run.error
    assert [r.status for r in wb_account.fake.requests_to("/supplier/stocks")] == [502, 200]
