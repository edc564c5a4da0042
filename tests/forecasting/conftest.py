"""Small builders for forecasting tests: a location tree, a catalogue and a few months of daily sales.

Series are generated from a seed with a weekly pattern, so LightGBM trains on them in about a second.
Engine parameters below keep training short (a fixed, small number of rounds) without changing what
the code paths do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from branches.models import Location
from sales.models import DailySale, DemandDriver, Product, ProductCategory

# Fast, deterministic engine settings for tests: few rounds, small trees.
FAST = {"num_rounds": 30, "num_leaves": 15, "min_data_in_leaf": 5}
END = dt.date(2026, 3, 31)  # last day of generated sales ("yesterday")


@pytest.fixture(autouse=True)
def _artifacts_in_tmp(settings, tmp_path):
    """Each test stores models in its own folder (the storage re-reads ARTIFACTS_ROOT)."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"


class World:
    """A region with two stores and a warehouse outside it; two categories (one nested); four products."""

    def __init__(self):
        self.region = Location.objects.create(name="North region", code="NORTH")
        self.store_a = Location.objects.create(name="Store A", code="A01", parent=self.region)
        self.store_b = Location.objects.create(name="Store B", code="B02", parent=self.region)
        self.warehouse = Location.objects.create(name="Warehouse", code="=WH")  # formula-looking on purpose
        self.food = ProductCategory.objects.create(code="FOOD", name="Food")
        self.bakery = ProductCategory.objects.create(code="BAKERY", name="Bakery", parent=self.food)
        self.drinks = ProductCategory.objects.create(code="DRINKS", name="Drinks")
        self.bread = Product.objects.create(sku="BREAD", name="Bread", category=self.bakery)
        self.milk = Product.objects.create(sku="MILK", name="Milk", category=self.food)
        self.cola = Product.objects.create(sku="+COLA", name="Cola", category=self.drinks)
        self.tea = Product.objects.create(sku="TEA", name="Tea")

    def sales(self, location, product, *, days=90, end=END, level=8.0, seed=0, skip=()):
        """Poisson demand with a weekend lift, one row per day (days in ``skip`` have no row)."""
        rng = np.random.default_rng(seed)
        start = end - dt.timedelta(days=days - 1)
        rows = []
        for i in range(days):
            day = start + dt.timedelta(days=i)
            if day in skip:
                continue
            qty = int(rng.poisson(level * (1.4 if day.weekday() >= 5 else 1.0)))
            rows.append(
                DailySale(location=location, product=product, date=day, quantity=Decimal(qty),
                          revenue=Decimal(qty * 50), price_paid=Decimal("50.00"))
            )
        DailySale.objects.bulk_create(rows)
        return rows

    def standard(self, days=90):
        """Three series in the region and one at the warehouse."""
        self.sales(self.store_a, self.bread, days=days, level=10, seed=1)
        self.sales(self.store_a, self.milk, days=days, level=6, seed=2)
        self.sales(self.store_b, self.bread, days=days, level=4, seed=3)
        self.sales(self.warehouse, self.cola, days=days, level=20, seed=4)
        return self

    def driver(self, location, day, product=None, **values):
        return DemandDriver.objects.create(location=location, product=product, date=day, **values)


@pytest.fixture
def world(db) -> World:
    return World()


def make_run(series, *, start=END + dt.timedelta(days=1), days=7, yhat=5.0, band=2.0, status="succeeded", **fields):
    """A finished run with hand-made forecasts (no training): for tests of what reads forecasts."""
    from django.utils import timezone

    from forecasting.models import Forecast, ModelRun

    run = ModelRun.objects.create(
        status=status, horizon=days, forecast_start=start, forecast_end=start + dt.timedelta(days=days - 1),
        forecast_count=len(series) * days, finished_at=timezone.now(), **fields,
    )
    Forecast.objects.bulk_create(
        Forecast(run=run, location=loc, product=prod, date=start + dt.timedelta(days=i), yhat=yhat,
                 p10=yhat - band, p50=yhat, p90=yhat + band)
        for loc, prod in series for i in range(days)
    )
    return run


def scoped_accuracy(world: World, scope_name: str):
    """A run in a scope over store A and one without a scope over store B, each with its first day's actual arrived
    and logged: the two groups of accuracy by forecast scope. Returns the scope and its run."""
    from forecasting.services import update_accuracy
    from forecasting.services.scopes import save_scope

    scope = save_scope(name=scope_name, location=world.store_a)
    scoped = make_run([(world.store_a, world.bread)], yhat=5.0, forecast_scope=scope)
    make_run([(world.store_b, world.bread)], yhat=5.0)
    for location in (world.store_a, world.store_b):
        DailySale.objects.create(location=location, product=world.bread, date=END + dt.timedelta(days=1),
                                 quantity=Decimal(4))
    update_accuracy()
    return scope, scoped
