"""Analytics never adds TRY and RUB together: every answer is in one currency and says which."""

import datetime as dt
from decimal import Decimal

import pytest

from sales.models import DailySale
from sales.services.daily_from_orders import rebuild_daily_sales
from sales.services.ingest import upsert_orders

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)


@pytest.fixture
def two_currencies(make_location, make_product, account):
    """Istanbul sells in TRY through Sentos orders; Moscow's day-level sales (iiko-like) are in RUB."""
    istanbul, moscow = make_location("IST"), make_location("MOW")
    tea = make_product("TEA")
    orders = [
        {"external_id": "s-1", "ordered_at": "2026-03-03T10:00:00+03:00", "location_code": "IST", "currency": "TRY",
         "lines": [{"sku": "TEA", "quantity": 2, "price": "500.00", "commission": "75.00"}]},
    ]
    assert upsert_orders(account, orders).valid
    rebuild_daily_sales([istanbul.pk], DAY, DAY)
    DailySale.objects.create(location=moscow, product=tea, date=DAY, quantity=Decimal(3), revenue=Decimal("300.00"))
    return {"istanbul": istanbul, "moscow": moscow}


def summary(client, **params):
    response = client.get("/api/v1/analytics/summary/", {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(),
                                                          **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_each_currency_is_summed_on_its_own(client_for, two_currencies):
    client = client_for("viewer")
    default = summary(client)
    assert default["currency"] == "RUB" and default["currencies"] == ["RUB", "TRY"]
    assert Decimal(str(default["current"]["revenue"])) == Decimal("300.00")  # not 1300
    assert Decimal(str(default["current"]["commission"])) == Decimal("0.00")
    lira = summary(client, currency="try")
    assert lira["currency"] == "TRY"
    assert Decimal(str(lira["current"]["revenue"])) == Decimal("1000.00")
    assert Decimal(str(lira["current"]["commission"])) == Decimal("75.00")
    assert lira["current"]["orders"] == 1


def test_one_currency_is_the_default_when_it_is_the_only_one(client_for, make_location, make_product, account):
    make_location("IST")
    make_product("TEA")
    assert upsert_orders(account, [{"external_id": "s-1", "ordered_at": "2026-03-03T10:00:00+03:00",
                                    "location_code": "IST", "currency": "TRY",
                                    "lines": [{"sku": "TEA", "quantity": 1, "price": "10.00"}]}]).valid
    body = summary(client_for("viewer"))
    assert body["currency"] == "TRY" and body["currencies"] == ["TRY"]


def test_a_location_selling_in_two_currencies_is_named_and_left_out(client_for, two_currencies, account):
    assert upsert_orders(account, [{"external_id": "s-2", "ordered_at": "2026-03-03T11:00:00+03:00",
                                    "location_code": "IST", "currency": "EUR",
                                    "lines": [{"sku": "TEA", "quantity": 1, "price": "20.00"}]}]).valid
    body = summary(client_for("viewer"), currency="TRY")
    assert body["mixed_currency_locations"] == [two_currencies["istanbul"].pk]
    assert Decimal(str(body["current"]["revenue"])) == Decimal("0.00")  # its daily sales mix TRY and EUR
    assert body["current"]["orders"] == 1  # order lines carry their own currency


def test_empty_database_and_bad_currency(client_for, db):
    client = client_for("viewer")
    body = summary(client)
    assert body["currency"] == "RUB" and body["currencies"] == []
    assert client.get("/api/v1/analytics/summary/", {"currency": "lira"}).status_code == 400
    for path in ("timeseries", "top-products"):
        response = client.get(f"/api/v1/analytics/{path}/")
        assert response.status_code == 200 and response.json()["currency"] == "RUB"


def test_the_currency_map_is_cached_per_data_version(client_for, two_currencies, account, settings,
                                                     django_capture_on_commit_callbacks):
    settings.API_CACHE_SECONDS = 60
    client = client_for("viewer")
    assert summary(client, currency="EUR")["currencies"] == ["RUB", "TRY"]
    with django_capture_on_commit_callbacks(execute=True):
        assert upsert_orders(account, [{"external_id": "e-1", "ordered_at": "2026-03-03T11:00:00+03:00",
                                        "location_code": "MOW", "currency": "EUR",
                                        "lines": [{"sku": "TEA", "quantity": 1, "price": "20.00"}]}]).valid
    body = summary(client, currency="EUR")
    assert body["currencies"] == ["EUR", "TRY"]  # Moscow now sells in EUR: no RUB data is left
    assert Decimal(str(body["current"]["revenue"])) == Decimal("300.00")  # its daily sales count as EUR now
