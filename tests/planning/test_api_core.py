"""Stateless proposal endpoint, planning health, and settings endpoints."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from planning.services.proposals import propose_orders
from sales.models import DailySale, StockLevel

from .conftest import TODAY

D = Decimal
PROPOSAL_URL = "/api/v1/planning/core/proposal"
HEALTH_URL = "/api/v1/planning/core/health"


@pytest.fixture
def viewer(client_for):
    return client_for("viewer")


def test_proposal_with_daily_values_returns_every_term(viewer):
    body = {
        "planning_date": "2026-03-02",
        "unit": "pcs",
        "settings": {"service_level": "0.95", "review_period_days": 7, "lead_time_days": 3, "moq": "60",
                     "pack_size": "12"},
        "demand": {"daily": [10] * 14},
        "supply": {"on_hand": "20", "reserved": "5",
                   "open_orders": [{"quantity": "40", "due_date": "2026-03-05"},
                                   {"quantity": "30", "due_date": "2026-03-12", "reference": "late PO"}]},
    }
    response = viewer.post(PROPOSAL_URL, body, format="json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["demand"] == "100.000" and result["safety_stock"] == "0.000"
    assert (result["open_supply_within"], result["open_supply_ignored"]) == ("40.000", "30.000")
    assert result["inventory_position"] == "55.000"
    assert result["raw_need"] == "45.000" and result["quantity"] == "60.000"
    assert [step["rule"] for step in result["rounding"]] == ["pack_size", "moq"]
    assert (result["order_date"], result["expected_arrival"], result["next_review_date"]) == (
        "2026-03-02", "2026-03-05", "2026-03-09")
    assert result["explanation"].startswith("Order 60 pcs on 2026-03-02 to arrive 2026-03-05")
    assert result["settings"]["pack_size"] == "12.000"
    assert viewer.post(PROPOSAL_URL + "/", body, format="json").status_code == 200  # with a slash too


def test_proposal_with_quantiles_and_service_levels(viewer):
    quantiles = [{"p10": 8, "p50": 10, "p90": 12}] * 4
    common = {"planning_date": "2026-03-02", "demand": {"quantiles": quantiles}}
    low = viewer.post(PROPOSAL_URL, {**common, "settings": {"service_level": "0.5", "lead_time_days": 1,
                                                            "review_period_days": 3}}, format="json").json()
    high = viewer.post(PROPOSAL_URL, {**common, "settings": {"service_level": "0.99", "lead_time_days": 1,
                                                             "review_period_days": 3}}, format="json").json()
    assert (low["safety_stock"], low["z"]) == ("0.000", "0.0000")
    assert (high["safety_stock"], high["z"]) == ("7.261", "2.3263")


def test_proposal_defaults_and_warnings(viewer):
    result = viewer.post(PROPOSAL_URL, {"demand": {"daily": [1, 1]}}, format="json").json()
    assert result["planning_date"] == timezone.localdate().isoformat()
    assert result["protection_days"] == 9 and result["settings"]["service_level"] == "0.9500"
    assert any("covers 2 of the 9 days" in w for w in result["warnings"])


@pytest.mark.parametrize(
    ("body", "field_path"),
    [
        ({}, ["demand"]),
        ({"demand": {}}, ["demand", "daily"]),
        ({"demand": {"daily": [1], "quantiles": [{"p50": 1}]}}, ["demand", "daily"]),
        ({"demand": {"daily": [-1]}}, ["demand", "daily"]),
        ({"demand": {"daily": [1e300]}}, ["demand", "daily"]),
        ({"demand": {"daily": [1], "daily_sigma": 1e300}}, ["demand", "daily_sigma"]),
        ({"demand": {"quantiles": [{"p10": 5, "p50": 1, "p90": 9}]}}, ["demand", "quantiles"]),
        ({"demand": {"quantiles": [{"p10": 5, "p50": 6}]}}, ["demand", "quantiles"]),
        ({"demand": {"daily": [1]}, "settings": {"service_level": "0.3"}}, ["settings", "service_level"]),
        ({"demand": {"daily": [1]}, "settings": {"service_level": "1"}}, ["settings", "service_level"]),
        ({"demand": {"daily": [1]}, "settings": {"pack_size": "0"}}, ["settings", "pack_size"]),
        ({"demand": {"daily": [1]}, "settings": {"lead_time_days": 0, "review_period_days": 0}},
         ["settings", "review_period_days"]),
        ({"demand": {"daily": [1]}, "supply": {"reserved": "-1"}}, ["supply", "reserved"]),
        ({"demand": {"daily": [1]}, "supply": {"open_orders": [{"quantity": "5"}]}}, ["supply", "open_orders"]),
        ({"demand": {"daily": [1]}, "planning_date": "yesterday"}, ["planning_date"]),
        ({"demand": {"quantiles": [{"date": "2026-03-02", "p50": 1}, {"date": "2026-03-02", "p50": 1}]},
          "planning_date": "2026-03-02"}, ["demand"]),
    ],
)
def test_proposal_validation_errors_name_the_field(viewer, body, field_path):
    response = viewer.post(PROPOSAL_URL, body, format="json")
    assert response.status_code == 400, response.content
    node = response.json()
    for key in field_path:
        if isinstance(node, list):
            node = next(item for item in node if item)
        assert key in node, (key, response.json())
        node = node[key]


def test_health_on_an_empty_database(viewer):
    response = viewer.get(HEALTH_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["locations"] == [] and body["coverage"]["active_items"] == 0
    assert body["coverage"]["with_forecast_share"] is None
    assert "no succeeded forecast run: nothing can be planned" in body["warnings"]
    assert viewer.get(HEALTH_URL + "/").status_code == 200


def test_health_reports_freshness_coverage_and_warnings(build, viewer):
    shop, quiet = build.location("SHOP"), build.location("QUIET")
    build.location("HQ")  # no data at all: not listed
    water, bread, cola = build.product("WATER"), build.product("BREAD"), build.product("COLA")
    last_day = timezone.localdate() - timedelta(days=1)
    for product in (water, bread, cola):
        DailySale.objects.create(location=shop, product=product, date=last_day, quantity=D("3"))
    DailySale.objects.create(location=quiet, product=water, date=last_day - timedelta(days=10), quantity=D("1"))
    StockLevel.objects.create(location=shop, product=water, as_of=timezone.now() - timedelta(days=5), on_hand=D("1"))
    build.run({(shop, water): [1] * 7, (shop, bread): [1] * 7}, start=timezone.localdate())
    build.settings(product=water, moq=D("6"))
    body = viewer.get(HEALTH_URL).json()
    rows = {row["code"]: row for row in body["locations"]}
    assert set(rows) == {"SHOP", "QUIET"}
    assert rows["SHOP"]["last_sales_day"] == last_day.isoformat() and rows["SHOP"]["forecast_items"] == 2
    assert rows["SHOP"]["snapshot_age_days"] == 5 and rows["SHOP"]["forecast_age_days"] == 0
    assert any("snapshot is 5 days old" in w for w in rows["SHOP"]["warnings"])
    assert "has sales but no succeeded forecast run covers it" in rows["QUIET"]["warnings"]
    coverage = body["coverage"]
    # Active items in the 28 days to the newest sale: SHOP × 3 + QUIET × water = 4; the water row covers 2
    assert (coverage["active_items"], coverage["with_forecast"], coverage["with_settings"]) == (4, 2, 2)
    assert coverage["with_forecast_share"] == 0.5 and coverage["with_both_share"] == 0.25
    assert "only 50% of active items have a forecast" in body["warnings"]


def test_health_shows_the_last_proposal_run(build, viewer):
    loc, item = build.location(), build.product()
    build.run({(loc, item): [1] * 10})
    propose_orders(planning_date=TODAY)
    proposals = viewer.get(HEALTH_URL).json()["proposals"]
    assert proposals["open"] == 1 and proposals["last_run"]["status"] == "succeeded"


# --- settings API ------------------------------------------------------------------------------------------


def test_settings_crud_and_effective(build, client_for):
    planner = client_for("planner")
    loc, item = build.location(), build.product()
    created = planner.post("/api/v1/planning/settings/", {"service_level": "0.9", "lead_time_days": 5},
                           format="json")
    assert created.status_code == 201, created.content
    assert created.json()["scope"] == "everything (global default)"
    assert created.json()["updated_by"] == planner.user.pk
    duplicate = planner.post("/api/v1/planning/settings/", {"moq": "1"}, format="json")
    assert duplicate.status_code == 400 and "already exist" in duplicate.json()["location"][0]
    both = planner.post("/api/v1/planning/settings/", {"product": item.pk, "category": build.category().pk},
                        format="json")
    assert both.status_code == 400 and "category" in both.json()
    bad = planner.post("/api/v1/planning/settings/", {"product": item.pk, "service_level": "1.5"}, format="json")
    assert bad.status_code == 400 and "service_level" in bad.json()
    row = planner.post("/api/v1/planning/settings/", {"product": item.pk, "location": loc.pk, "pack_size": "6"},
                       format="json")
    assert row.status_code == 201
    assert planner.patch(f"/api/v1/planning/settings/{row.json()['id']}/", {"pack_size": "12"},
                         format="json").status_code == 200
    effective = planner.get(f"/api/v1/planning/settings/effective?location={loc.pk}&product={item.pk}").json()
    assert (effective["pack_size"], effective["lead_time_days"], effective["protection_days"]) == ("12.000", 5, 12)
    assert effective["sources"]["review_period_days"] == "default"
    assert planner.get("/api/v1/planning/settings/effective?product=999999").status_code == 400
    assert planner.get("/api/v1/planning/settings/?is_global=true").json()["count"] == 1


def test_health_uses_the_newest_run_per_location(build, viewer):
    old_shop, new_shop, item = build.location("OLD"), build.location("NEW"), build.product()
    full = build.run({(old_shop, item): [1] * 7, (new_shop, item): [1] * 7})
    scoped = build.run({(new_shop, item): [1] * 7}, scope={"location": [new_shop.pk]})
    rows = {row["code"]: row for row in viewer.get(HEALTH_URL).json()["locations"]}
    assert (rows["OLD"]["forecast_run"], rows["NEW"]["forecast_run"]) == (full.pk, scoped.pk)
    assert rows["NEW"]["forecast_items"] == 1 and rows["NEW"]["forecast_age_days"] == 0
