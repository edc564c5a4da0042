"""Small builders for monitoring scenarios: rows of other apps created directly, at a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from branches.models import Location
from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
from integrations.models import IntegrationAccount, SyncRun
from planning.models import (
    BillOfMaterials,
    OrderProposal,
    PlanningSettings,
    ProductionTask,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
)
from sales.models import DailySale, Product, ProductCategory, StockLevel

NOW = datetime(2025, 3, 10, 12, 7, 30, tzinfo=UTC)
TODAY = date(2025, 3, 10)


def day(offset: int) -> date:
    """TODAY + offset days."""
    return TODAY + timedelta(days=offset)


class World:
    """Creates rows of the other apps the way their services would leave them (monitoring only reads them)."""

    def __init__(self) -> None:
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    # branches / sales
    def location(self, name: str | None = None, parent: Location | None = None, active: bool = True) -> Location:
        n = self._next()
        return Location.objects.create(name=name or f"Loc {n}", code=f"L{n}", parent=parent, is_active=active)

    def category(self, code: str | None = None, parent: ProductCategory | None = None) -> ProductCategory:
        code = code or f"C{self._next()}"
        return ProductCategory.objects.create(code=code, name=code, parent=parent)

    def product(self, sku: str | None = None, category: ProductCategory | None = None) -> Product:
        sku = sku or f"SKU{self._next()}"
        return Product.objects.create(sku=sku, name=sku, category=category)

    def sale(self, location, product, on: date, quantity: float = 1) -> DailySale:
        return DailySale.objects.create(location=location, product=product, date=on, quantity=Decimal(str(quantity)))

    def stock_level(self, location, product, as_of: datetime, on_hand: float = 0) -> StockLevel:
        return StockLevel.objects.create(location=location, product=product, as_of=as_of, on_hand=Decimal(str(on_hand)))

    def balance(self, location, product, on_hand: float, last_movement_at: datetime | None = None) -> StockBalance:
        return StockBalance.objects.create(
            location=location, product=product, on_hand=Decimal(str(on_hand)), last_movement_at=last_movement_at
        )

    # integrations
    def account(self, name: str | None = None, enabled: bool = True) -> IntegrationAccount:
        return IntegrationAccount.objects.create(
            kind="iiko", name=name or f"Account {self._next()}", base_url="http://127.0.0.1:1/", enabled=enabled
        )

    def sync_run(self, account, stream: str, status: str, at: datetime, finished: bool = True) -> SyncRun:
        run = SyncRun.objects.create(
            account=account, stream=stream, status=status, started_at=at,
            finished_at=at + timedelta(minutes=1) if finished else None,
        )
        SyncRun.objects.filter(pk=run.pk).update(created_at=at)  # auto_now_add: set the history explicitly
        run.refresh_from_db()
        return run

    # forecasting
    def model_run(self, finished_at: datetime, wape: float | None = 0.3, status: str = "succeeded",
                  algorithm: str = "lightgbm", forecasts: int = 1, **extra) -> ModelRun:
        """A run as forecasting leaves it (`forecasts`: its forecast_count; 0 = e.g. a failed run)."""
        metrics = {"models": {algorithm: {"wape": wape}}} if wape is not None else {}
        run = ModelRun.objects.create(
            algorithm=algorithm, status=status, finished_at=finished_at, started_at=finished_at, metrics=metrics,
            forecast_count=forecasts, **extra,
        )
        ModelRun.objects.filter(pk=run.pk).update(created_at=finished_at - timedelta(minutes=5))
        run.refresh_from_db()
        return run

    def forecast(self, run, location, product, on: date, p50: float) -> Forecast:
        return Forecast.objects.create(
            run=run, location=location, product=product, date=on, yhat=p50, p10=p50 * 0.5, p50=p50, p90=p50 * 1.5
        )

    def forecast_days(self, run, location, product, daily: list[float], start: date = TODAY) -> None:
        Forecast.objects.bulk_create(
            Forecast(run=run, location=location, product=product, date=start + timedelta(days=i), yhat=v, p10=v,
                     p50=v, p90=v)
            for i, v in enumerate(daily)
        )

    def accuracy(self, run, location, product, on: date, forecast: float, actual: float) -> ForecastAccuracyLog:
        return ForecastAccuracyLog.objects.create(
            run=run, location=location, product=product, date=on, horizon_day=1, forecast=forecast, actual=actual,
            error=forecast - actual, abs_error=abs(forecast - actual),
        )

    # planning
    def settings(self, lead_time_days: int | None, location=None, category=None, product=None) -> PlanningSettings:
        return PlanningSettings.objects.create(
            lead_time_days=lead_time_days, location=location, category=category, product=product
        )

    def purchase_order(self, location, status: str = "sent", expected_date: date | None = None,
                       lines: list[tuple] = ()) -> PurchaseOrder:
        """lines: (product, quantity, received_quantity, line expected date or None)."""
        order = PurchaseOrder.objects.create(location=location, status=status, expected_date=expected_date)
        for product, quantity, received, expected in lines:
            PurchaseOrderLine.objects.create(
                order=order, product=product, quantity=Decimal(str(quantity)),
                received_quantity=Decimal(str(received)), expected_date=expected,
            )
        return order

    def task(self, location, product, quantity: float, due: date, status: str = "approved") -> ProductionTask:
        bom = BillOfMaterials.objects.filter(product=product).first() or BillOfMaterials.objects.create(
            product=product, is_default=True
        )
        return ProductionTask.objects.create(
            product=product, bom=bom, quantity=Decimal(str(quantity)), location=location, due_date=due, status=status
        )

    def proposal(self, location, product, status: str = "proposed",
                 created_at: datetime | None = None) -> OrderProposal:
        zero = Decimal("0")
        proposal = OrderProposal.objects.create(
            location=location, product=product, kind="buy", status=status, quantity=Decimal("5"),
            planning_date=TODAY, order_date=TODAY, expected_arrival=day(2), protection_days=9,
            forecast_demand=zero, demand=zero, safety_stock=zero, on_hand=zero, open_supply=zero, reserved=zero,
            inventory_position=zero, target_level=zero, raw_need=zero, service_level=Decimal("0.95"),
            explanation="test",
        )
        if created_at is not None:
            OrderProposal.objects.filter(pk=proposal.pk).update(created_at=created_at)
        return proposal


@pytest.fixture
def world(db) -> World:
    return World()


def away_from_slot_boundary() -> None:
    """Tests that call the real clock twice and expect one slot: never straddle a quarter hour."""
    import time

    from django.utils import timezone

    now = timezone.now()
    seconds_into_slot = (now.minute % 15) * 60 + now.second + now.microsecond / 1e6
    if seconds_into_slot > 15 * 60 - 5:
        time.sleep(15 * 60 - seconds_into_slot + 0.5)


def populate(world: World, scale: int) -> None:
    """A scenario touching every section, `scale` times larger (used to show the query count is flat)."""
    from planning.models import StockBalance

    account = world.account()
    for i in range(scale):
        world.sync_run(account, "sales", "failed" if i % 2 else "succeeded", NOW - timedelta(hours=scale - i))
    region = world.location("Region")
    locations = [world.location(parent=region) for _ in range(2 * scale)]
    category = world.category()
    products = [world.product(category=category) for _ in range(3 * scale)]
    if not PlanningSettings.objects.filter(location=None, category=None, product=None).exists():
        world.settings(3)
    world.settings(5, category=category, location=region)
    run = world.model_run(NOW - timedelta(hours=1))
    DailySale.objects.bulk_create(
        DailySale(location=loc, product=prod, date=day(-d), quantity=Decimal("2"))
        for loc in locations for prod in products for d in range(1, 4)
    )
    Forecast.objects.bulk_create(
        Forecast(run=run, location=loc, product=prod, date=day(d), yhat=2, p10=1, p50=2, p90=3)
        for loc in locations for prod in products for d in range(7)
    )
    ForecastAccuracyLog.objects.bulk_create(
        ForecastAccuracyLog(run=run, location=loc, product=prod, date=day(-1), horizon_day=1, forecast=2, actual=3,
                            error=-1, abs_error=1)
        for loc in locations for prod in products
    )
    StockBalance.objects.bulk_create(
        StockBalance(location=loc, product=prod, on_hand=Decimal(i % 20), last_movement_at=NOW)
        for i, (loc, prod) in enumerate((loc, prod) for loc in locations for prod in products)
    )
    world.stock_level(locations[0], products[0], NOW - timedelta(hours=1), 4)
    for i in range(scale):
        world.proposal(locations[i], products[i])
        world.purchase_order(locations[i], "sent", day(-1), [(products[i], 5, 0, None)])
        world.task(locations[i], products[i], 2, due=day(-1))
