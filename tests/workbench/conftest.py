"""A small morning for the workbench screens: every admin table has rows, every screen has something to show.

Rows are made through the services where one exists (proposals, approvals, task moves, snapshots), so the
screens see what production would leave behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from forecasting.models import ForecastAccuracyLog, LocationForecastPolicy, ModelRun
from forecasting.services.artifacts import store_model
from integrations.models import IntegrationAccount, SyncCursor, SyncRun
from monitoring.models import AlertRule
from monitoring.services.snapshots import build_and_persist_snapshot
from planning.models import OrderProposal, ProductionTask, PurchaseOrder
from planning.services import production, purchasing
from planning.services.proposals import approve_proposal, propose_orders
from sales.models import Customer, DailySale, DemandDriver, ImportJob, Order, StockLevel
from tests.conftest import PASSWORD
from tests.planning.conftest import TODAY, Builders

D = Decimal


@dataclass
class Morning:
    shop: object
    kitchen: object
    water: object
    pie: object
    juice: object
    supplier: object
    run: ModelRun
    approved: OrderProposal
    open_buy: OrderProposal
    draft_task: ProductionTask
    approved_task: ProductionTask
    sent_order: PurchaseOrder
    account: IntegrationAccount
    failed_sync: SyncRun


def build_morning() -> Morning:
    build = Builders()
    region = build.location("REGION")
    shop = build.location("SHOP", parent=region)
    kitchen = build.location("KITCHEN", parent=region)
    supplier = build.supplier("ACME")
    build.supplier("BETA")
    water = build.product("WATER", list_price=D("1.50"))
    juice = build.product("JUICE", list_price=D("2.00"))
    pie = build.product("PIE", kind="dish")
    dough = build.product("DOUGH", kind="semi_finished", unit="kg")
    flour = build.product("FLOUR", kind="material", unit="kg")
    build.bom(dough, [(flour, "0.6")])
    build.bom(pie, [(dough, "0.5")])
    build.settings(service_level=D("0.5"), review_period_days=7, lead_time_days=3, supplier=supplier)
    build.settings(product=juice, supplier=None)
    run = build.run({(shop, water): [10] * 28, (kitchen, pie): [4] * 28, (shop, juice): [3] * 28})
    ModelRun.objects.filter(pk=run.pk).update(metrics={"models": {"lightgbm": {"wape": 0.21}}}, series_count=3)
    name, digest = store_model(run, b"not a model, just bytes")
    ModelRun.objects.filter(pk=run.pk).update(model_file=name, model_sha256=digest)
    run.refresh_from_db()
    build.stock(shop, water, 5)
    build.stock(kitchen, flour, 100)
    build.stock(kitchen, dough, 50)
    propose_orders(run, planning_date=TODAY)
    # Juice has no supplier: its proposal is a buy without one.
    OrderProposal.objects.filter(product=juice).update(supplier=None)

    approved = approve_proposal(OrderProposal.objects.get(product=water, location=shop).pk)
    open_buy = OrderProposal.objects.get(product=juice, location=shop)
    draft_task = production.create_task(product_id=pie.pk, quantity=D("10"), location_id=kitchen.pk,
                                        due_date=TODAY + timedelta(days=2))
    approved_task = production.create_task(product_id=pie.pk, quantity=D("5"), location_id=kitchen.pk,
                                           due_date=TODAY + timedelta(days=3))
    production.apply_action(approved_task.pk, "approve")
    done = production.create_task(product_id=dough.pk, quantity=D("2"), location_id=kitchen.pk, due_date=TODAY)
    for action in ("approve", "start", "complete"):
        production.apply_action(done.pk, action)
    sent = purchasing.create_purchase_order(
        location_id=shop.pk, supplier_id=supplier.pk,
        lines=[purchasing.LineInput(product_id=water.pk, quantity=D("12"))],
    )
    purchasing.send_purchase_order(sent.pk)

    account = IntegrationAccount.objects.create(kind="iiko", name="iiko Almaty", base_url="http://127.0.0.1:1/")
    now = timezone.now()
    SyncRun.objects.create(account=account, stream="sales", status="succeeded", started_at=now - timedelta(hours=3),
                           finished_at=now - timedelta(hours=3), rows_read=120, rows_created=100)
    failed = SyncRun.objects.create(account=account, stream="stock", status="failed", started_at=now,
                                    finished_at=now, error="401 Unauthorized: check the login stored for the account",
                                    details={"pages": 1})
    SyncCursor.objects.create(account=account, stream="sales")
    customer = Customer.objects.create(account=account, external_id="C1")
    Order.objects.create(account=account, external_id="O1", location=shop, customer=customer, ordered_at=now,
                         business_date=TODAY)
    DailySale.objects.create(location=shop, product=water, date=TODAY - timedelta(days=1), quantity=D("9"))
    StockLevel.objects.create(location=shop, product=water, as_of=now, on_hand=D("5"))
    DemandDriver.objects.create(location=shop, date=TODAY, is_holiday=True)
    ImportJob.objects.create(kind="sales", file=ContentFile(b"x", name="sales.csv"), original_name="sales.csv")
    LocationForecastPolicy.objects.create(location=shop)
    ForecastAccuracyLog.objects.create(run=run, location=shop, product=water, date=TODAY, horizon_day=1,
                                       forecast=10, actual=9, error=1, abs_error=1)

    AlertRule.objects.create(name="Stock-out risks", metric="planning.stockout_risk.count", comparator="gt",
                             threshold=-1, severity="warning")
    build_and_persist_snapshot(trigger="admin")
    return Morning(shop, kitchen, water, pie, juice, supplier, run, approved, open_buy, draft_task,
                   ProductionTask.objects.get(pk=approved_task.pk), PurchaseOrder.objects.get(pk=sent.pk), account,
                   failed)


@pytest.fixture
def morning(db, settings, tmp_path) -> Morning:
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.IMPORTS_ROOT = tmp_path / "imports"
    return build_morning()


@pytest.fixture
def admin_user(make_user):
    return make_user("boss", is_superuser=True, is_staff=True)


@pytest.fixture
def planner(make_user):
    return make_user("planner", role="planner", is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.login(username="boss", password=PASSWORD)
    return client


@pytest.fixture
def planner_client(client, planner):
    client.login(username="planner", password=PASSWORD)
    return client

