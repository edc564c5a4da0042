"""The SQL lead-time expression agrees with planning's own SettingsResolver on every pair of a mixed set-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forecasting.models import Forecast
from monitoring.services.lead_time import LeadTimeRules
from planning.models import PlanningSettings
from planning.services.settings import SettingsResolver
from tests.monitoring.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_settings(world):
    root = world.location("Root")
    region = world.location("Region", parent=root)
    store_1, store_2 = world.location("Store 1", parent=region), world.location("Store 2", parent=region)
    elsewhere = world.location("Elsewhere")
    food = world.category("food")
    dairy = world.category("dairy", parent=food)
    cheese = world.category("cheese", parent=dairy)
    drinks = world.category("drinks")
    products = [
        world.product("milk", dairy), world.product("brie", cheese), world.product("bread", food),
        world.product("cola", drinks), world.product("nails"), world.product("gouda", cheese),
    ]
    milk, brie, bread, cola, nails, gouda = products
    world.settings(2)  # global
    world.settings(4, location=region)
    world.settings(6, category=food)
    world.settings(7, category=cheese, location=root)
    world.settings(8, category=dairy, location=store_1)
    world.settings(10, product=milk)
    world.settings(10, product=gouda)  # merged with milk's into one `product IN (…)` branch
    world.settings(11, product=bread)
    world.settings(12, product=brie, location=region)
    world.settings(13, product=brie, location=store_2)
    world.settings(None, category=drinks, location=elsewhere)  # sets other fields only: ignored for lead time
    PlanningSettings.objects.filter(category=drinks).update(review_period_days=3)
    world.settings(3, location=elsewhere)
    locations = [root, region, store_1, store_2, elsewhere]
    run = world.model_run(NOW)
    Forecast.objects.bulk_create(
        Forecast(run=run, location=loc, product=prod, date=TODAY, yhat=1, p10=1, p50=1, p90=1)
        for loc in locations for prod in products
    )
    return locations, products


def test_sql_lead_time_matches_the_planning_resolver_for_every_pair(mixed_settings):
    locations, products = mixed_settings
    rules = LeadTimeRules.load()
    rows = Forecast.objects.annotate(lead=rules.days_expression(), cutoff=rules.cutoff_expression(TODAY)).values_list(
        "location_id", "product_id", "lead", "cutoff"
    )
    from_sql = {(loc, prod): (lead, cutoff) for loc, prod, lead, cutoff in rows}
    resolver = SettingsResolver.load()
    expected = {
        (loc.pk, prod.pk): resolver.resolve(loc, prod).lead_time_days for loc in locations for prod in products
    }
    assert {pair: lead for pair, (lead, _cutoff) in from_sql.items()} == expected
    assert all(cutoff == TODAY + timedelta(days=lead) for lead, cutoff in from_sql.values())
    assert len(set(expected.values())) >= 6  # the set-up really exercises many branches


def test_without_settings_rows_every_item_gets_planning_default(world):
    loc, prod = world.location(), world.product()
    run = world.model_run(NOW)
    world.forecast(run, loc, prod, TODAY, 1)
    rules = LeadTimeRules.load()
    assert rules.rules == [] and rules.distinct_days == [2]
    assert Forecast.objects.annotate(lead=rules.days_expression()).values_list("lead", flat=True)[0] == 2


def test_a_global_row_ends_the_case_and_later_rules_are_unreachable(world):
    world.settings(5)
    rules = LeadTimeRules.load()
    assert rules.default_days == 2 and rules.distinct_days == [5]
    loc, prod = world.location(), world.product()
    run = world.model_run(NOW)
    world.forecast(run, loc, prod, TODAY, 1)
    assert Forecast.objects.annotate(lead=rules.days_expression()).values_list("lead", flat=True)[0] == 5
