"""iiko commerce streams against the loopback iiko fake: products, OLAP daily sales, store balances.

Checked against the demo data set the fake serves (sums computed here, independently of the connector).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from branches.models import Location
from demo.fakes import IikoFake
from demo.fakes.base import FakeRequest
from integrations.models import SyncCursor
from sales.models import DailySale, Product, ProductSourceRef, StockLevel

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")


def expected_sales(dataset, first: dt.date, last: dt.date) -> dict[tuple[str, str, dt.date], tuple[int, Decimal]]:
    """(department id, iiko product id, day) → (units, revenue) straight from the data set."""
    sales = dataset.sales_of("iiko")
    sales = sales[(sales["units"] > 0) & (sales["date"].dt.date >= first) & (sales["date"].dt.date <= last)]
    departments = {loc.code: loc.external_id for loc in dataset.locations_of("iiko")}
    return {(departments[r.location_code], dataset.product(r.sku).iiko_id, r.date.date()):
            (int(r.units), Decimal(str(round(r.revenue, 2)))) for r in sales.itertuples()}


def stored_sales(account) -> dict[tuple[str, str, dt.date], tuple[int, Decimal]]:
    refs = dict(ProductSourceRef.objects.filter(account=account).values_list("product_id", "external_id"))
    return {(s.location.external_id, refs[s.product_id], s.date): (int(s.quantity), s.revenue)
            for s in DailySale.objects.filter(location__source=account).select_related("location")
            if s.quantity or s.returns}


def olap_bodies(fake) -> list[dict]:
    return [json.loads(r.body) for r in fake.requests_to("/v2/reports/olap", "POST")]


def test_products_with_refs_categories_and_deleted_ones(iiko_account, sync, dataset):
    run = sync(iiko_account, "products")
    assert run.status == "succeeded", run.error
    iiko_products = dataset.products_of("iiko")
    assert run.rows_created == len(iiko_products) and run.rows_skipped == 2  # two deleted, never seen: not created
    refs = ProductSourceRef.objects.filter(account=iiko_account)
    assert refs.count() == len(iiko_products)
    borscht = iiko_products[0]
    product = Product.objects.get(source_refs__external_id=borscht.iiko_id)
    assert product.sku == borscht.sku and product.list_price == Decimal(str(borscht.list_price))
    assert product.category.code == borscht.category_code
    assert iiko_account.fake.unreleased_tokens() == []

    again = sync(iiko_account, "products", "incremental")
    assert again.status == "succeeded" and again.rows_created == again.rows_updated == 0
    assert again.details["catalogue"] == "unchanged since the last run"


def test_daily_sales_match_source_without_deleted_orders(iiko_account, sync, dataset):
    assert sync(iiko_account, "org").status == "succeeded"
    first, last = dataset.start_date, dataset.last_sales_date
    run = sync(iiko_account, "sales", date_from=first.isoformat(), date_to=last.isoformat())
    assert run.status == "succeeded", run.error
    assert stored_sales(iiko_account) == expected_sales(dataset, first, last)
    fake = iiko_account.fake
    bodies = olap_bodies(fake)
    assert len(bodies) == run.details["windows"] >= 3  # 60 days → three calendar months at least
    for body in bodies:
        window = body["filters"]["OpenDate.Typed"]
        start, end = dt.date.fromisoformat(window["from"]), dt.date.fromisoformat(window["to"])
        assert (start.year, start.month) == ((end - dt.timedelta(days=1)).year, (end - dt.timedelta(days=1)).month)
        assert body["filters"]["OrderDeleted"]["values"] == ["NOT_DELETED"]
    assert fake.overlapping_requests() == [] and fake.rejected_concurrent == 0
    assert fake.unreleased_tokens() == [] and len(fake.issued_tokens) == 2  # org run + sales run, both released


def test_rerun_changes_nothing_and_cursor_moves_to_today(iiko_account, sync, dataset):
    sync(iiko_account, "org")
    full = sync(iiko_account, "sales")
    assert full.status == "succeeded" and full.rows_created > 0
    today = dt.datetime.now(MOSCOW).date()
    assert SyncCursor.objects.get(account=iiko_account, stream="sales").value["next_from"] == today.isoformat()
    rerun = sync(iiko_account, "sales")
    assert rerun.rows_created == rerun.rows_updated == 0 and rerun.rows_unchanged == full.rows_created
    live = sync(iiko_account, "sales", "incremental")
    assert live.status == "succeeded"
    assert live.details["window"] == {"from": (today - dt.timedelta(days=1)).isoformat(), "to": today.isoformat(),
                                      "reason": "incremental"}
    assert live.rows_created == live.rows_updated == 0


def test_malformed_olap_row_fails_the_run_naming_stream_and_position(iiko_account, sync, dataset):
    sync(iiko_account, "org")
    day = dataset.last_sales_date
    bad = {"data": [{"Department.Id": dataset.locations_of("iiko")[0].external_id, "OpenDate.Typed": "not-a-date",
                     "DishId": dataset.products_of("iiko")[0].iiko_id, "DishAmountInt": 1}], "summary": []}
    iiko_account.fake.fail_next(200, body=bad, path="/v2/reports/olap")
    run = sync(iiko_account, "sales", date_from=day.isoformat(), date_to=day.isoformat())
    assert run.status == "failed"
    assert "sales stream" in run.error and f"OLAP window {day}..{day}, row 1" in run.error
    assert "'not-a-date' is not a date" in run.error and "nothing of this run was stored" in run.error
    assert not DailySale.objects.exists() and not SyncCursor.objects.filter(stream="sales").exists()
    assert iiko_account.fake.unreleased_tokens() == []


class SecondWindowBroken(IikoFake):
    """Answers the second OLAP request with truncated JSON: the first window's rows must not be kept either."""

    def olap(self, request):
        response = super().olap(request)
        self.olap_calls = getattr(self, "olap_calls", 0) + 1
        if self.olap_calls == 2:
            response.body = response.body[: len(response.body) // 2]
        return response


def test_failure_in_a_later_window_applies_nothing(account_for, sync, dataset):
    account = account_for("iiko", SecondWindowBroken(dataset))
    sync(account, "org")
    run = sync(account, "sales", date_from=dataset.start_date.isoformat(),
               date_to=dataset.last_sales_date.isoformat())
    assert run.status == "failed" and "not valid JSON" in run.error and "OLAP window" in run.error
    assert not DailySale.objects.exists() and not ProductSourceRef.objects.exists()


def test_server_error_then_success_and_wrong_password(iiko_account, account_for, sync, dataset):
    sync(iiko_account, "org")
    iiko_account.fake.fail_next(500, path="/v2/reports/olap")
    run = sync(iiko_account, "sales")
    assert run.status == "succeeded", run.error
    statuses = [r.status for r in iiko_account.fake.requests_to("/v2/reports/olap")]
    assert statuses[:2] == [500, 200]

    wrong = account_for("iiko", IikoFake(dataset), name="iiko wrong",
                        secrets={"login": "api_sync", "password": "not-the-password"})
    failed = sync(wrong, "products")
    assert failed.status == "failed" and "refused the stored login" in failed.error and "401" in failed.error
    assert "not-the-password" not in failed.error


def test_vanished_sale_is_written_as_zero(iiko_account, sync, dataset):
    sync(iiko_account, "org")
    day = dataset.last_sales_date
    first = sync(iiko_account, "sales", date_from=day.isoformat(), date_to=day.isoformat())
    assert first.status == "succeeded" and first.rows_created >= 2
    expected = expected_sales(dataset, day, day)
    kept = dict(list(expected.items())[1:])
    gone = next(iter(expected))
    rows = [{"Department.Id": d, "OpenDate.Typed": day.isoformat(), "DishId": p, "DishAmountInt": units,
             "DishSumInt": float(revenue), "DishDiscountSumInt": float(revenue)}
            for (d, p, day_), (units, revenue) in kept.items()]
    iiko_account.fake.fail_next(200, body={"data": rows, "summary": []}, path="/v2/reports/olap")
    second = sync(iiko_account, "sales", date_from=day.isoformat(), date_to=day.isoformat())
    assert second.status == "succeeded" and second.details["zeroed"] == 1
    sale = DailySale.objects.get(location__external_id=gone[0], product__source_refs__external_id=gone[1], date=day)
    assert sale.quantity == 0 and sale.revenue == 0
    assert stored_sales(iiko_account) == kept


def test_stock_per_department_and_lines_that_disappear_become_zero(iiko_account, sync, dataset):
    sync(iiko_account, "org")
    run = sync(iiko_account, "stock")
    assert run.status == "succeeded", run.error
    location = dataset.locations_of("iiko")[0]
    stock = dataset.stock[(dataset.stock["location_code"] == location.code) & (dataset.stock["on_hand"] != 0)]
    department = Location.objects.get(source=iiko_account, external_id=location.external_id)
    stored = StockLevel.objects.filter(location=department)
    assert stored.count() == len(stock) == run.rows_created
    assert stored.aggregate(total=Sum("on_hand"))["total"] == Decimal(str(round(stock["on_hand"].sum(), 3)))
    # The balance is asked at Moscow local time (iiko's own clock), not UTC.
    asked = iiko_account.fake.requests_to("/v2/reports/balance/stores")[-1].arg("timestamp")
    assert abs(dt.datetime.fromisoformat(asked) - dt.datetime.now(MOSCOW).replace(tzinfo=None)) < dt.timedelta(
        minutes=5)

    request = FakeRequest("GET", "/resto/api/v2/reports/balance/stores", {"timestamp": [asked]}, {}, b"", {})
    balances = json.loads(iiko_account.fake.balance(request).body)
    iiko_account.fake.fail_next(200, body=balances[1:], path="/v2/reports/balance/stores")
    again = sync(iiko_account, "stock", "incremental")
    assert again.status == "succeeded" and again.details["zeroed"] == 1
    gone = StockLevel.objects.get(location=department, product__source_refs__external_id=balances[0]["product"],
                                  as_of=dt.datetime.fromisoformat(again.details["as_of"]))
    assert gone.on_hand == 0


def test_tokens_are_released_even_when_a_stream_fails(iiko_account, sync):
    run = sync(iiko_account, "sales")  # no departments yet
    assert run.status == "failed" and "run the org stream first" in run.error
    iiko_account.fake.fail_next(200, body={"not": "a list"}, path="/v2/entities/products/list")
    failed = sync(iiko_account, "products")
    assert failed.status == "failed" and "products/list" in failed.error
    assert iiko_account.fake.unreleased_tokens() == []
    assert not Product.objects.exists()
