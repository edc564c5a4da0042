"""MoySklad connector against the loopback MoySklad fake: stores, products (kopecks), retail demands, stock."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from branches.models import Location
from demo.fakes import MoySkladFake
from demo.fakes.moysklad import MOYSKLAD_LOGIN, MOYSKLAD_PASSWORD
from integrations.models import SyncCursor
from sales.models import DailySale, Order, Product, StockLevel

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_stores_and_products_with_kopecks_turned_into_money(moysklad_account, sync, dataset):
    org = sync(moysklad_account, "org")
    assert org.status == "succeeded", org.error
    active = [s for s in dataset.moysklad_stores if not s.archived]
    archived = [s for s in dataset.moysklad_stores if s.archived]
    assert Location.objects.filter(source=moysklad_account).exclude(external_id="account").count() == len(active)
    assert archived and not Location.objects.filter(source=moysklad_account, external_id=archived[0].id).exists()
    child = next(s for s in active if s.parent_id)
    assert Location.objects.get(source=moysklad_account, external_id=child.id).parent.external_id == child.parent_id

    run = sync(moysklad_account, "products")
    assert run.status == "succeeded", run.error
    ms_products = dataset.products_of("moysklad")
    assert run.rows_created == len(ms_products)
    sample = ms_products[0]
    product = Product.objects.get(source_refs__external_id=sample.moysklad_id)
    # salePrices[].value is in kopecks: 129000.0 → 1290.00
    assert product.list_price == Decimal(round(sample.list_price * 100)) / 100
    assert product.sku == sample.sku and product.category.code == sample.category_code


def test_retail_demands_become_orders_and_daily_sales(moysklad_account, sync, dataset):
    run = sync(moysklad_account, "sales")
    assert run.status == "succeeded", run.error
    first = dt.date.fromisoformat(run.details["window"]["from"])
    sales = dataset.sales_of("moysklad")
    sales = sales[(sales["units"] > 0) & (sales["date"].dt.date >= first)]
    stores = {loc.code: loc.external_id for loc in dataset.locations_of("moysklad")}
    expected = {(stores[r.location_code], dataset.product(r.sku).moysklad_id, r.date.date()): (int(r.units), r.revenue)
                for r in sales.itertuples()}
    stored = {(s.location.external_id, s.product.source_refs.get().external_id, s.date): (int(s.quantity), s.revenue)
              for s in DailySale.objects.filter(location__source=moysklad_account)
              .select_related("location", "product")}
    assert stored.keys() == expected.keys()
    for key, (units, revenue) in expected.items():
        assert stored[key][0] == units
        assert abs(stored[key][1] - Decimal(str(round(revenue, 2)))) <= Decimal("0.02")  # kopeck rounding of %
    order = Order.objects.filter(account=moysklad_account).first()
    assert order.status == "delivered" and order.channel == "retail" and order.lines.exists()
    assert run.details["products_discovered"] == len({k[1] for k in expected})  # no products stream ran first
    again = sync(moysklad_account, "sales")
    assert again.rows_created == again.rows_updated == 0 and again.rows_unchanged == run.rows_created
    assert again.details["daily_sales"]["created"] == again.details["daily_sales"]["updated"] == 0


def test_gzip_is_asked_for_and_basic_auth_works_too(account_for, moysklad_account, sync, dataset):
    assert sync(moysklad_account, "org").status == "succeeded"
    assert all("gzip" in r.headers.get("accept-encoding", "") for r in moysklad_account.fake.requests)
    assert all(r.headers["authorization"].startswith("Bearer ") for r in moysklad_account.fake.requests)
    basic = account_for("moysklad", MoySkladFake(dataset), name="MoySklad basic",
                        secrets={"login": MOYSKLAD_LOGIN, "password": MOYSKLAD_PASSWORD})
    run = sync(basic, "org")
    assert run.status == "succeeded" and run.details["auth"] == "basic"
    assert basic.fake.user_tokens == []  # we never asked for a token (that would log the user's other apps out)


def test_offset_paging_follows_next_href(account_for, sync, dataset):
    fake = MoySkladFake(dataset)
    account = account_for("moysklad", fake, options={"page_limit": 10})
    run = sync(account, "products")
    assert run.status == "succeeded", run.error
    total = len(dataset.products_of("moysklad"))
    offsets = [int(r.arg("offset")) for r in fake.requests if r.path.endswith("/entity/product")]
    assert offsets == list(range(0, total, 10)) and len(offsets) == math.ceil(total / 10)
    assert Product.objects.count() == total


def test_429_waits_x_lognex_retry_after_in_milliseconds(moysklad_account, sync):
    moysklad_account.fake.throttle_next(retry_after=0.2, path="/entity/product")
    run = sync(moysklad_account, "products")
    assert run.status == "succeeded", run.error
    assert [r.status for r in moysklad_account.fake.requests_to("/entity/product")][:2] == [429, 200]
    assert 0.2 <= run.details["http"]["waited_s"] < 1  # 200 ms, not 200 s


def test_request_weights_keep_within_the_45_unit_bucket(account_for, sync, dataset):
    fake = MoySkladFake(dataset, rate_limits=True)  # 45 units / 3 s; stock reports cost 5
    account = account_for("moysklad", fake, request_rate_per_minute=None, options={"request_weight": 3})
    run = sync(account, "stock")
    assert run.status == "succeeded", run.error
    reports = fake.requests_to("/report/stock/all")
    assert 3 + 5 * len(reports) > 45  # more units than one bucket holds…
    assert all(r.status != 429 for r in fake.requests)  # …yet the client never overdrew it
    assert run.details["http"]["waited_s"] > 0


def test_server_error_then_success_and_bad_token(account_for, moysklad_account, sync, dataset):
    moysklad_account.fake.fail_next(502, path="/entity/store")
    assert sync(moysklad_account, "org").status == "succeeded"
    wrong = account_for("moysklad", MoySkladFake(dataset), name="MoySklad wrong", secrets={"token": "nope-token-1234"})
    run = sync(wrong, "org")
    assert run.status == "failed" and "MoySklad wrong" in run.error and "401" in run.error
    assert "Ошибка аутентификации" in run.error and "nope-token-1234" not in run.error


def test_malformed_page_fails_applies_nothing_and_keeps_the_cursor(moysklad_account, sync):
    assert sync(moysklad_account, "products", "incremental").status == "succeeded"
    cursor = SyncCursor.objects.get(account=moysklad_account, stream="products").value
    Product.objects.all().delete()
    moysklad_account.fake.malformed_next(path="/entity/product")
    run = sync(moysklad_account, "products", "full")
    # The folders are read first (the fault matches their path too): the message names that very page.
    assert run.status == "failed" and "products stream" in run.error and "entity/productfolder offset 0" in run.error
    assert not Product.objects.exists()
    assert SyncCursor.objects.get(account=moysklad_account, stream="products").value == cursor


def test_incremental_asks_for_what_changed_since_the_cursor(moysklad_account, sync):
    sync(moysklad_account, "sales")
    cursor = SyncCursor.objects.get(account=moysklad_account, stream="sales").value["updated"]
    live = sync(moysklad_account, "sales", "incremental")
    assert live.status == "succeeded" and live.details["filter"] == f"updated>={cursor}"
    assert moysklad_account.fake.requests_to("/entity/retaildemand")[-1].arg("filter") == f"updated>={cursor}"
    assert live.rows_created == live.rows_updated == 0


def test_a_draft_receipt_never_counts_and_moscow_midnight_is_the_local_day(moysklad_account, sync, dataset):
    sync(moysklad_account, "org")
    store = dataset.locations_of("moysklad")[0].external_id
    product = dataset.products_of("moysklad")[0].moysklad_id
    day = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    base = "http://127.0.0.1/api/remap/1.2"

    def demand(demand_id: str, applicable: bool) -> dict:
        return {"id": demand_id, "moment": f"{day} 00:30:00.000", "updated": f"{day} 00:31:00.000",
                "applicable": applicable, "sum": 25000,
                "store": {"meta": {"href": f"{base}/entity/store/{store}", "type": "store"}},
                "positions": {"meta": {"size": 1}, "rows": [{"quantity": 2, "price": 12500, "discount": 0,
                                                             "assortment": {"meta": {
                                                                 "href": f"{base}/entity/product/{product}",
                                                                 "type": "product"}}}]}}

    body = {"meta": {"size": 2, "limit": 100, "offset": 0}, "rows": [demand("draft-1", False), demand("sold-1", True)]}
    moysklad_account.fake.fail_next(200, body=body, path="/entity/retaildemand")
    run = sync(moysklad_account, "sales", date_from=day.isoformat(), date_to=day.isoformat())
    assert run.status == "succeeded", run.error
    draft, sold = Order.objects.get(external_id="draft-1"), Order.objects.get(external_id="sold-1")
    assert draft.status == "cancelled" and sold.status == "delivered"
    # 00:30 in Moscow is 21:30 UTC the day before; the business day stays Moscow's.
    assert sold.ordered_at == dt.datetime.combine(day - dt.timedelta(days=1), dt.time(21, 30), UTC)
    assert sold.business_date == day and sold.total == Decimal("250.00")
    sale = DailySale.objects.get(location__external_id=store, date=day)
    assert (sale.quantity, sale.revenue, sale.price_paid) == (2, Decimal("250.00"), Decimal("125.00"))


def test_stock_per_store(moysklad_account, sync, dataset):
    run = sync(moysklad_account, "stock")
    assert run.status == "succeeded", run.error
    location = dataset.locations_of("moysklad")[0]
    stock = dataset.stock[dataset.stock["location_code"] == location.code]
    stored = {s.product.sku: (s.on_hand, s.reserved) for s in StockLevel.objects.filter(
        source=moysklad_account, location__external_id=location.external_id).select_related("product")}
    assert stored == {r.sku: (Decimal(str(r.on_hand)), Decimal(str(r.reserved))) for r in stock.itertuples()}


def test_a_product_brought_by_someone_else_keeps_its_description(moysklad_account, sync, dataset):
    from sales.services.ingest import upsert_products

    sample = dataset.products_of("moysklad")[0]
    report = upsert_products([{"sku": sample.sku, "name": "Named by a person", "list_price": "1.00"}])
    assert report.applied
    run = sync(moysklad_account, "products")
    assert run.status == "succeeded", run.error
    product = Product.objects.get(sku=sample.sku)
    assert (product.name, product.list_price) == ("Named by a person", Decimal("1.00"))  # not overwritten…
    assert product.source_refs.get().external_id == sample.moysklad_id  # …but known to MoySklad now
    if sample.barcode:
        assert product.barcodes.filter(barcode=sample.barcode).exists()
    own = Product.objects.get(sku=dataset.products_of("moysklad")[1].sku)
    assert own.name == dataset.products_of("moysklad")[1].name  # created by this sync: described by it
