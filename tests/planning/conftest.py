"""Small builders for planning tests: rows of other apps are created directly, with only what matters."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from branches.models import Location
from forecasting.choices import RunStatus
from forecasting.models import Forecast, ModelRun
from planning.choices import MovementKind
from planning.models import BillOfMaterials, BomLine, PlanningSettings, Supplier
from planning.services.ledger import MovementSpec, post_movements
from sales.models import Product, ProductCategory

D = Decimal
TODAY = date(2026, 3, 2)


@dataclass
class Builders:
    """`build.location("A")`, `build.product("SKU")`, `build.run({(loc, prod): [(p10, p50, p90), …]})`, …"""

    _seq = count(1)

    def location(self, code: str = "", parent: Location | None = None, **extra) -> Location:
        code = code or f"L{next(self._seq)}"
        return Location.objects.create(code=code, name=f"Location {code}", parent=parent, **extra)

    def category(self, code: str = "", parent: ProductCategory | None = None) -> ProductCategory:
        code = code or f"C{next(self._seq)}"
        return ProductCategory.objects.create(code=code, name=f"Category {code}", parent=parent)

    def product(self, sku: str = "", kind: str = "goods", unit: str = "pcs", **extra) -> Product:
        sku = sku or f"SKU{next(self._seq)}"
        return Product.objects.create(sku=sku, name=f"Product {sku}", kind=kind, unit=unit, **extra)

    def supplier(self, code: str = "") -> Supplier:
        code = code or f"S{next(self._seq)}"
        return Supplier.objects.create(code=code, name=f"Supplier {code}")

    def settings(self, **fields) -> PlanningSettings:
        return PlanningSettings.objects.create(**fields)

    def run(self, series: dict, start: date = TODAY, status: str = RunStatus.SUCCEEDED,
            scope: dict | None = None) -> ModelRun:
        """A forecast run; `series` maps (location, product) to a list of (p10, p50, p90) or p50 values."""
        run = ModelRun.objects.create(status=status, finished_at=timezone.now(), horizon=28, scope=scope or {})
        rows = []
        for (loc, prod), values in series.items():
            for offset, value in enumerate(values):
                p10, p50, p90 = value if isinstance(value, tuple) else (value, value, value)
                rows.append(Forecast(run=run, location=loc, product=prod, date=start + timedelta(days=offset),
                                     yhat=p50, p10=p10, p50=p50, p90=p90))
        Forecast.objects.bulk_create(rows)
        if rows:
            days = [r.date for r in rows]
            ModelRun.objects.filter(pk=run.pk).update(
                forecast_count=len(rows), forecast_start=min(days), forecast_end=max(days)
            )
            run.refresh_from_db()
        return run

    def bom(self, product: Product, lines: list, output: str = "1", default: bool = True,
            variant: str = "main", version: int = 1) -> BillOfMaterials:
        """lines: (component, quantity) or (component, quantity, scrap %)."""
        bom = BillOfMaterials.objects.create(product=product, output_quantity=D(output), is_default=default,
                                             variant=variant, version=version)
        for index, line in enumerate(lines, start=1):
            component, quantity, *rest = line
            BomLine.objects.create(bom=bom, line_no=index, component=component, quantity=D(str(quantity)),
                                   unit=component.unit, scrap_percent=D(str(rest[0])) if rest else D("0"))
        return bom

    def stock(self, location: Location, product: Product, quantity) -> None:
        """Put `quantity` on hand through a receipt (positive) or an adjustment."""
        quantity = D(str(quantity))
        kind = MovementKind.RECEIPT if quantity > 0 else MovementKind.ADJUSTMENT
        post_movements([MovementSpec(location.pk, product.pk, kind, quantity, reason="test stock")],
                       allow_negative=True)


@pytest.fixture
def build(db) -> Builders:
    return Builders()
