"""Analytics API: numbers checked against sums computed here from the rows the test created."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from sales.models import DailySale, StockLevel
from sales.services.ingest import upsert_orders

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)  # a Monday
DAYS = 14


@pytest.fixture
def world(shop, make_location, make_category, make_product, account):
    """Daily sales on 3 locations × 3 products × 28 days (two 14-day periods) and a few channel orders."""
    far = make_location("B9", parent=make_location("R2"))
    drinks = make_category("DRINKS")
    juice = make_category("JUICE", parent=drinks)
    p1, p2 = shop["p1"], shop["p2"]
    p1.category = juice
    p1.save()
    p2.category = drinks
    p2.save()
    p3 = make_product("P3")
    rows = []
    for offset in range(-DAYS, DAYS):
        day = START + dt.timedelta(days=offset)
        for li, location in enumerate([shop["b1"], shop["b2"], far]):
            for pi, product in enumerate([p1, p2, p3]):
                quantity = Decimal((offset * 7 + li * 3 + pi * 5) % 11)
                row = {"location": location, "product": product, "date": day, "quantity": quantity,
                       "revenue": quantity * (pi + 2), "discount": Decimal("0.50") if pi == 0 else Decimal(0),
                       "returns": Decimal(1) if (offset + li) % 5 == 0 else Decimal(0)}
                rows.append(row)
    DailySale.objects.bulk_create([DailySale(**row) for row in rows])
    orders = [
        {"external_id": "o-1", "ordered_at": "2026-03-03T10:00:00+03:00", "location_code": "B1", "channel": "wb",
         "lines": [{"sku": "P1", "quantity": 2, "price": 10, "commission": "1.50"},
                   {"sku": "P2", "quantity": 1, "price": 4, "commission": "0.40"}]},
        {"external_id": "o-2", "ordered_at": "2026-03-09T10:00:00+03:00", "location_code": "B2", "channel": "ozon",
         "lines": [{"sku": "P1", "quantity": 1, "price": 10, "discount": 2, "commission": "1.00"}]},
        {"external_id": "o-3", "ordered_at": "2026-03-10T10:00:00+03:00", "location_code": "B1", "channel": "wb",
         "status": "cancelled", "lines": [{"sku": "P1", "quantity": 50, "price": 10, "commission": "9"}]},
        {"external_id": "r-1", "ordered_at": "2026-03-11T10:00:00+03:00", "location_code": "B1", "channel": "wb",
         "is_return": True, "lines": [{"sku": "P1", "quantity": 1, "price": 10}]},
    ]
    assert upsert_orders(account, orders).valid
    return {"rows": rows, "p1": p1, "p2": p2, "p3": p3, "drinks": drinks, "juice": juice, "far": far, **shop}


def expected(rows, date_from, date_to, keep=lambda r: True):
    picked = [r for r in rows if date_from <= r["date"] <= date_to and keep(r)]
    return {
        "revenue": sum((r["revenue"] for r in picked), Decimal(0)),
        "units": sum((r["quantity"] for r in picked), Decimal(0)),
        "discounts": sum((r["discount"] for r in picked), Decimal(0)),
        "returns": sum((r["returns"] for r in picked), Decimal(0)),
    }


def get(client, path, **params):
    response = client.get(f"/api/v1/analytics/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_close(actual, wanted):
    assert Decimal(str(actual)) == Decimal(wanted).quantize(Decimal("0.001")) or float(actual) == pytest.approx(
        float(wanted), abs=0.005)


def test_summary_matches_independent_sums(client_for, world):
    end = START + dt.timedelta(days=DAYS - 1)
    body = get(client_for("viewer"), "summary", date_from=START.isoformat(), date_to=end.isoformat(),
               location=world["region"].pk)
    in_region = lambda r: r["location"].code in ("B1", "B2")  # noqa: E731
    current = expected(world["rows"], START, end, in_region)
    previous = expected(world["rows"], START - dt.timedelta(days=DAYS), START - dt.timedelta(days=1), in_region)
    for name in ("revenue", "units", "discounts", "returns"):
        assert_close(body["current"][name], current[name])
        assert_close(body["previous"][name], previous[name])
        assert_close(body["delta"][name]["absolute"], current[name] - previous[name])
    pct = float((current["revenue"] - previous["revenue"]) / previous["revenue"] * 100)
    assert body["delta"]["revenue"]["percent"] == pytest.approx(pct, abs=0.01)
    # Orders: o-1 (24.00), o-2 (8.00), r-1 (-10.00); o-3 is cancelled.
    assert body["current"]["orders"] == 3
    assert_close(body["current"]["average_order_value"], Decimal("22.00") / 3)
    assert_close(body["current"]["commission"], Decimal("2.90"))
    assert body["previous"]["orders"] == 0 and body["delta"]["orders"]["percent"] is None
    assert body["period"] == {"date_from": START.isoformat(), "date_to": end.isoformat(), "days": DAYS}
    assert body["previous_period"]["date_to"] == (START - dt.timedelta(days=1)).isoformat()


def test_summary_filters_by_category_subtree_product_and_channel(client_for, world):
    client = client_for("planner")
    end = START + dt.timedelta(days=DAYS - 1)
    params = {"date_from": START.isoformat(), "date_to": end.isoformat()}
    drinks = get(client, "summary", category=world["drinks"].pk, **params)
    wanted = expected(world["rows"], START, end, lambda r: r["product"].sku in ("P1", "P2"))
    assert_close(drinks["current"]["revenue"], wanted["revenue"])
    juice = get(client, "summary", category=world["juice"].pk, product=world["p1"].pk, **params)
    assert_close(juice["current"]["units"], expected(world["rows"], START, end,
                                                     lambda r: r["product"].sku == "P1")["units"])
    wb = get(client, "summary", channel="wb", **params)["current"]
    # Channel figures come from order lines: o-1 (24.00, 3 units) and r-1 (−10.00, 1 returned).
    assert (wb["orders"], Decimal(str(wb["revenue"])), Decimal(str(wb["units"])), Decimal(str(wb["returns"]))) == (
        2, Decimal("14.00"), Decimal("3.000"), Decimal("1.000"))


def test_timeseries_week_and_month_buckets(client_for, world):
    client = client_for("viewer")
    date_from, date_to = START - dt.timedelta(days=DAYS), START + dt.timedelta(days=DAYS - 1)
    weekly = get(client, "timeseries", granularity="week", date_from=date_from.isoformat(),
                 date_to=date_to.isoformat())
    assert [p["period"] for p in weekly["points"]] == [
        (date_from + dt.timedelta(days=7 * i)).isoformat() for i in range(4)]
    for point in weekly["points"]:
        begin = dt.date.fromisoformat(point["period"])
        want = expected(world["rows"], begin, begin + dt.timedelta(days=6))
        assert_close(point["revenue"], want["revenue"])
        assert_close(point["units"], want["units"])
    monthly = get(client, "timeseries", granularity="month", date_from=date_from.isoformat(),
                  date_to=date_to.isoformat())
    by_month = defaultdict(Decimal)
    for row in world["rows"]:
        by_month[row["date"].replace(day=1).isoformat()] += row["revenue"]
    assert {p["period"]: Decimal(str(p["revenue"])) for p in monthly["points"]} == dict(by_month)
    daily = get(client, "timeseries", date_from="2026-03-01", date_to="2026-03-31")
    assert len(daily["points"]) == 31 and daily["points"][-1]["revenue"] == 0  # gaps filled with zeros
    assert sum(p["orders"] for p in daily["points"]) == 3


def test_top_products(client_for, world):
    client = client_for("viewer")
    end = START + dt.timedelta(days=DAYS - 1)
    body = get(client, "top-products", by="units", limit=2, date_from=START.isoformat(), date_to=end.isoformat())
    units = defaultdict(Decimal)
    for row in world["rows"]:
        if START <= row["date"] <= end:
            units[row["product"].sku] += row["quantity"]
    best = sorted(units.items(), key=lambda item: -item[1])[:2]
    assert [(r["sku"], Decimal(str(r["units"]))) for r in body["results"]] == best
    total = sum(units.values())
    assert body["results"][0]["share"] == pytest.approx(float(best[0][1] / total * 100), abs=0.01)
    assert body["results"][0]["rank"] == 1
    too_many = client.get("/api/v1/analytics/top-products/", {"limit": 101})
    assert too_many.status_code == 400 and "limit" in too_many.json()
    assert "by" in client.get("/api/v1/analytics/top-products/", {"by": "margin"}).json()


def test_product_performance(client_for, world):
    StockLevel.objects.create(location=world["b1"], product=world["p1"], on_hand=40,
                              as_of=dt.datetime(2026, 3, 14, 20, tzinfo=dt.UTC))
    StockLevel.objects.create(location=world["b1"], product=world["p1"], on_hand=999,
                              as_of=dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC))  # older: ignored
    StockLevel.objects.create(location=world["b2"], product=world["p1"], on_hand=-5,
                              as_of=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))  # negative counts as none
    client = client_for("viewer")
    end = START + dt.timedelta(days=DAYS - 1)
    params = {"date_from": START.isoformat(), "date_to": end.isoformat()}
    body = get(client, "product-performance/P1", **params)
    assert get(client, f"product-performance/{world['p1'].pk}", **params) == body
    p1 = expected(world["rows"], START, end, lambda r: r["product"].sku == "P1")
    juice = expected(world["rows"], START, end, lambda r: r["product"].category_id == world["juice"].pk)
    assert_close(body["current"]["revenue"], p1["revenue"])
    assert body["share_of_category"] == pytest.approx(float(p1["revenue"] / juice["revenue"] * 100), abs=0.01)
    revenue = defaultdict(Decimal)
    for row in world["rows"]:
        if START <= row["date"] <= end:
            revenue[row["product"].sku] += row["revenue"]
    assert body["rank"] == 1 + sum(1 for value in revenue.values() if value > revenue["P1"])
    assert body["products_ranked"] == 3 and body["rank_in_category"] == 1
    window = expected(world["rows"], end - dt.timedelta(days=27), end, lambda r: r["product"].sku == "P1")
    average = window["units"] / 28
    assert body["stock"]["known"] is True and body["stock"]["locations"] == 2
    assert_close(body["stock"]["on_hand"], Decimal(40))
    assert body["stock"]["days_of_cover"] == pytest.approx(float(Decimal(40) / average), abs=0.1)
    assert len(body["trend"]["series"]) == 2 and body["trend"]["granularity"] == "week"
    assert get(client, "product-performance/P3", **params)["stock"]["days_of_cover"] is None
    assert client.get("/api/v1/analytics/product-performance/NOPE/").status_code == 404


def test_empty_database_answers_zeros(client_for):
    client = client_for("viewer")
    summary = get(client, "summary")
    assert summary["current"] == {"revenue": 0, "units": 0, "orders": 0, "average_order_value": 0, "discounts": 0,
                                  "returns": 0, "commission": 0}
    assert get(client, "top-products")["results"] == []
    points = get(client, "timeseries", granularity="month")["points"]
    assert all(p["revenue"] == 0 for p in points)


@pytest.mark.parametrize(("params", "name"), [
    ({"date_from": "2026-02-30"}, "date_from"), ({"date_to": "x"}, "date_to"),
    ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_from"), ({"location": 0}, "location"),
    ({"category": "abc"}, "category"), ({"granularity": "hour"}, "granularity"),
])
def test_bad_parameters_are_400_naming_the_parameter(client_for, params, name):
    response = client_for("viewer").get("/api/v1/analytics/timeseries/", params)
    assert response.status_code == 400 and name in response.json()


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("viewer", 200), ("planner", 200),
                                              ("integrator", 200)])
def test_analytics_permissions(client_for, role, status):
    assert client_for(role).get("/api/v1/analytics/summary/").status_code == status
