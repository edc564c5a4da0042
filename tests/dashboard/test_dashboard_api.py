"""The dashboard: 200 on an empty database, and figures that come from the rows behind them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from branches.models import Location
from planning.models import BillOfMaterials, OrderProposal, ProposalRun
from planning.services import production
from sales.models import DailySale, Product
from sales.services.daily_from_orders import rebuild_daily_sales
from sales.services.ingest import upsert_orders

pytestmark = pytest.mark.django_db
PATHS = ("overview", "stats", "analytics", "production")


@pytest.mark.parametrize("path", PATHS)
def test_every_block_answers_200_on_an_empty_database(client_for, path):
    response = client_for("viewer").get(f"/api/v1/dashboard/{path}/")
    assert response.status_code == 200, response.content


def test_empty_overview_says_there_is_nothing_yet(client_for):
    body = client_for("viewer").get("/api/v1/dashboard/overview/").json()
    assert body["sales"] == []
    assert body["forecast_accuracy"]["run_id"] is None and body["forecast_accuracy"]["wape"] is None
    assert body["proposals_waiting"] == {"count": 0, "with_quantity": 0, "oldest_created_at": None}
    assert set(body["tasks_by_status"].values()) == {0}
    assert body["stockout_risks"]["count"] is None and body["stockout_risks"]["snapshot_state"] == "missing"


def test_qc_is_available_with_no_figure_on_an_empty_database(client_for):
    for path in ("overview", "production"):
        qc = client_for("viewer").get(f"/api/v1/dashboard/{path}/").json()["qc"]
        assert qc["available"] is True and qc["pass_rate"] is None and qc["inspections"] == 0


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("viewer", 200)])
def test_dashboard_needs_a_login(client_for, role, status):
    for path in PATHS:
        assert client_for(role).get(f"/api/v1/dashboard/{path}/").status_code == status


def test_user_without_a_role_sees_no_figures(make_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("nobody"))
    assert client.get("/api/v1/dashboard/overview/").status_code == 403


@pytest.fixture
def shop_floor(db):
    from integrations.models import IntegrationAccount

    today = timezone.localdate()
    shop = Location.objects.create(code="IST", name="Istanbul")
    moscow = Location.objects.create(code="MOW", name="Moscow")
    soup = Product.objects.create(sku="SOUP", name="Soup")
    water = Product.objects.create(sku="WATER", name="Water")
    bom = BillOfMaterials.objects.create(product=soup, is_default=True)
    bom.lines.create(line_no=1, component=water, quantity=Decimal(1), unit=water.unit)
    late = production.create_task(product_id=soup.pk, quantity=Decimal(2), location_id=shop.pk,
                                  due_date=today - dt.timedelta(days=2))
    production.create_task(product_id=soup.pk, quantity=Decimal(1), location_id=shop.pk,
                           due_date=today + dt.timedelta(days=3))
    production.apply_action(late.pk, "approve")
    run = ProposalRun.objects.create(status="succeeded", planning_date=today)
    zero = Decimal(0)
    OrderProposal.objects.create(
        proposal_run=run, location=shop, product=soup, kind="buy", quantity=Decimal(5), planning_date=today,
        order_date=today, expected_arrival=today, protection_days=1, forecast_demand=zero, demand=zero,
        safety_stock=zero, on_hand=zero, open_supply=zero, reserved=zero, inventory_position=zero, target_level=zero,
        raw_need=zero, service_level=Decimal("0.95"))
    account = IntegrationAccount.objects.create(kind="sentos", name="Sentos", base_url="http://127.0.0.1:9/")
    assert upsert_orders(account, [{"external_id": "s-1", "ordered_at": timezone.now().isoformat(),
                                    "location_code": "IST", "currency": "TRY",
                                    "lines": [{"sku": "SOUP", "quantity": 1, "price": "90.00"}]}]).valid
    rebuild_daily_sales([shop.pk], today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    DailySale.objects.create(location=moscow, product=soup, date=today, quantity=Decimal(2), revenue=Decimal("40"))
    return {"today": today}


def test_overview_counts_what_is_there_and_keeps_currencies_apart(client_for, shop_floor):
    body = client_for("viewer").get("/api/v1/dashboard/overview/").json()
    assert body["proposals_waiting"]["count"] == 1 and body["proposals_waiting"]["with_quantity"] == 1
    assert body["tasks_by_status"]["approved"] == 1 and body["tasks_by_status"]["draft"] == 1
    sales = {row["currency"]: row for row in body["sales"]}
    assert set(sales) == {"RUB", "TRY"}
    assert Decimal(str(sales["RUB"]["revenue"])) == Decimal("40.00")
    assert Decimal(str(sales["TRY"]["revenue"])) == Decimal("90.00")
    assert sales["TRY"]["orders"] == 1


def test_production_block(client_for, shop_floor):
    body = client_for("planner").get("/api/v1/dashboard/production/").json()
    assert body["tasks_overdue"] == 1 and body["tasks_due_next_7_days"] == 1
    assert body["tasks_completed_last_7_days"] == 0 and body["purchase_orders_open"] == 0


def test_stats_and_analytics_blocks(client_for, shop_floor):
    client = client_for("viewer")
    stats = client.get("/api/v1/dashboard/stats/").json()
    assert stats["locations"] == 2 and stats["products"] == 2 and stats["orders"] == 1
    lira = client.get("/api/v1/dashboard/analytics/", {"currency": "TRY"}).json()
    assert lira["currency"] == "TRY" and lira["currencies"] == ["RUB", "TRY"]
    assert lira["top_products"][0]["product_id"] == Product.objects.get(sku="SOUP").pk
    assert client.get("/api/v1/dashboard/analytics/", {"date_from": "2026-02-02",
                                                       "date_to": "2026-01-01"}).status_code == 400


@pytest.mark.parametrize(("path", "ceiling"), [("overview", 20), ("stats", 15), ("analytics", 25),
                                               ("production", 8)])
def test_query_count_stays_flat(client_for, shop_floor, django_assert_max_num_queries, path, ceiling):
    client = client_for("viewer")
    client.get(f"/api/v1/dashboard/{path}/")  # warm the permission cache
    with django_assert_max_num_queries(ceiling):
        assert client.get(f"/api/v1/dashboard/{path}/").status_code == 200
