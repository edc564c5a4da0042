"""Loading history and drivers from the sales app, scopes, and per-location missing-day policies."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from forecasting.choices import MissingDayPolicy
from forecasting.models import LocationForecastPolicy
from forecasting.services import InvalidParameter, NoHistory, load_history, resolve_scope
from forecasting.services.history import EpochDay, epoch_day
from forecasting.services.policies import missing_day_policies
from sales.models import DailySale
from tests.forecasting.conftest import END

pytestmark = pytest.mark.django_db


def series_keys(frame: pd.DataFrame) -> set[tuple[int, int]]:
    pairs = frame[["location", "product"]].drop_duplicates()
    return {(int(loc), int(prod)) for loc, prod in pairs.itertuples(index=False)}


def test_history_frame_has_engine_columns_and_frugal_dtypes(world):
    world.standard(days=30)
    history = load_history()
    frame = history.frame
    assert list(frame.columns[:5]) == ["location", "product", "date", "y", "category"]
    assert len(frame) == 4 * 30
    assert isinstance(frame["location"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["product"].dtype, pd.CategoricalDtype)
    assert frame["y"].dtype == np.float32
    assert history.data_start == END - dt.timedelta(days=29) and history.data_end == END
    assert history.series_count == 4
    # Category codes come from Product.category; a product without a category gets "".
    by_product = frame.groupby("product", observed=True)["category"].first().astype(str).to_dict()
    assert by_product[str(world.bread.pk)] == "BAKERY"
    assert by_product[str(world.cola.pk)] == "DRINKS"
    # Quantities arrive as floats equal to the stored decimals.
    stored = DailySale.objects.get(location=world.store_a, product=world.bread, date=END).quantity
    row = frame[(frame["location"] == str(world.store_a.pk)) & (frame["product"] == str(world.bread.pk))
                & (frame["date"] == pd.Timestamp(END))]
    assert float(row["y"].iloc[0]) == float(stored)


def test_epoch_day_matches_python_on_this_database(world):
    days = [dt.date(1970, 1, 1), dt.date(2024, 2, 29), dt.date(2026, 3, 31), dt.date(1969, 12, 31)]
    for i, day in enumerate(days):
        DailySale.objects.create(location=world.store_a, product=world.bread, date=day, quantity=Decimal(i))
    got = dict(DailySale.objects.annotate(d=EpochDay("date")).values_list("date", "d"))
    assert got == {day: epoch_day(day) for day in days}


def test_empty_database_raises_no_history(db):
    with pytest.raises(NoHistory) as info:
        load_history()
    assert info.value.field == "history"
    assert "no daily sales" in str(info.value)


def test_scope_location_subtree_and_category_subtree(world):
    world.standard(days=20)
    region = load_history(resolve_scope(location="NORTH"))
    assert series_keys(region.frame) == {
        (world.store_a.pk, world.bread.pk), (world.store_a.pk, world.milk.pk), (world.store_b.pk, world.bread.pk)
    }
    food = load_history(resolve_scope(category="FOOD"))  # FOOD includes its sub-category BAKERY (bread)
    assert {prod for _, prod in series_keys(food.frame)} == {world.bread.pk, world.milk.pk}
    one = load_history(resolve_scope(location=world.store_b.pk, product="BREAD"))
    assert series_keys(one.frame) == {(world.store_b.pk, world.bread.pk)}
    with pytest.raises(NoHistory):
        load_history(resolve_scope(product="TEA"))


def test_resolve_scope_names_the_field_at_fault(world):
    with pytest.raises(InvalidParameter) as info:
        resolve_scope(location="NOPE")
    assert info.value.field == "location" and "NOPE" in str(info.value)
    with pytest.raises(InvalidParameter) as info:
        resolve_scope(product=[world.bread.pk, 987654])
    assert info.value.field == "product" and "987654" in str(info.value)
    with pytest.raises(InvalidParameter) as info:
        resolve_scope(category="SWEETS")
    assert info.value.field == "category"
    world.store_b.code = "A01"
    world.store_b.save()
    with pytest.raises(InvalidParameter, match="matches 2"):
        resolve_scope(location="A01")


def test_drivers_location_wide_apply_to_every_product_and_product_rows_win(world):
    world.standard(days=30)
    promo_day = END - dt.timedelta(days=3)
    world.driver(world.store_a, promo_day, is_promotion=True, is_holiday=True)  # whole store
    world.driver(world.store_a, promo_day, product=world.milk, is_promotion=False)  # but not milk
    closed_day = END + dt.timedelta(days=2)
    world.driver(world.store_b, closed_day, is_open=False)
    world.driver(world.store_a, END + dt.timedelta(days=1), product=world.bread, planned_price=Decimal("45.00"))
    history = load_history(horizon=7)
    assert set(history.drivers) == {"promo", "holiday", "is_open", "price"}
    frame = history.frame.assign(loc=lambda f: f["location"].astype(int), prod=lambda f: f["product"].astype(int))
    on_day = frame[frame["date"] == pd.Timestamp(promo_day)].set_index(["loc", "prod"])
    assert on_day.loc[(world.store_a.pk, world.bread.pk), "promo"] == 1.0
    assert on_day.loc[(world.store_a.pk, world.milk.pk), "promo"] == 0.0  # product row beats the store row
    assert on_day.loc[(world.store_a.pk, world.milk.pk), "holiday"] == 1.0  # store row fills what it leaves open
    assert on_day.loc[(world.store_b.pk, world.bread.pk), "promo"] == 0.0
    future = history.future.assign(loc=lambda f: f["location"].astype(int), prod=lambda f: f["product"].astype(int))
    closed = future[future["date"] == pd.Timestamp(closed_day)]
    assert set(zip(closed["loc"], closed["prod"], strict=True)) == {(world.store_b.pk, world.bread.pk)}
    assert (closed["is_open"] == 0).all()
    priced = future[(future["loc"] == world.store_a.pk) & (future["prod"] == world.bread.pk)]
    assert priced["price"].tolist() == [45.0]


def test_feature_ads_and_extended_promotions_reach_the_engine(world):
    world.standard(days=30)
    ad_day = END - dt.timedelta(days=5)
    world.driver(world.store_a, ad_day, product=world.bread, is_advertised=True)
    world.driver(world.store_b, ad_day, is_extended_promotion=True)  # the whole store takes part
    world.driver(world.store_a, ad_day - dt.timedelta(days=7), product=world.bread, is_advertised=False)
    world.driver(world.store_b, ad_day - dt.timedelta(days=7), is_extended_promotion=False)
    world.driver(world.store_a, END + dt.timedelta(days=1), product=world.bread, is_advertised=True)
    history = load_history(horizon=7)
    assert {"advertised", "promo2"} <= set(history.drivers)
    frame = history.frame.assign(loc=lambda f: f["location"].astype(int), prod=lambda f: f["product"].astype(int))
    on_day = frame[frame["date"] == pd.Timestamp(ad_day)].set_index(["loc", "prod"])
    assert on_day.loc[(world.store_a.pk, world.bread.pk), "advertised"] == 1.0
    assert on_day.loc[(world.store_b.pk, world.bread.pk), "promo2"] == 1.0
    future = history.future.assign(loc=lambda f: f["location"].astype(int), prod=lambda f: f["product"].astype(int))
    ads = future[(future["loc"] == world.store_a.pk) & (future["prod"] == world.bread.pk)]
    assert ads["advertised"].tolist() == [1.0]



def test_future_drivers_reach_a_week_past_the_horizon(world):
    """A closure the day after the horizon reaches the engine: the horizon's last day reads it as 'tomorrow'."""
    world.standard(days=30)
    world.driver(world.store_b, END + dt.timedelta(days=8), is_open=False)
    world.driver(world.store_b, END + dt.timedelta(days=20), is_open=False)  # past the lookahead: not read
    history = load_history(horizon=7)
    assert "is_open" in history.drivers
    future = history.future.assign(loc=lambda f: f["location"].astype(int))
    closed = future[future["is_open"] == 0]
    assert set(closed["date"]) == {pd.Timestamp(END + dt.timedelta(days=8))}
    assert set(closed["loc"]) == {world.store_b.pk}

def test_constant_drivers_are_left_out(world):
    world.standard(days=30)  # no promotions, one price, no drivers at all
    assert load_history(horizon=7).drivers == []


def test_fingerprint_is_stable_and_follows_the_data(world):
    world.standard(days=20)
    first = load_history().fingerprint
    assert load_history().fingerprint == first
    sale = DailySale.objects.filter(location=world.warehouse).order_by("date").last()
    sale.quantity += 1
    sale.save()
    assert load_history().fingerprint != first
    LocationForecastPolicy.objects.create(location=world.warehouse, missing_day_policy=MissingDayPolicy.UNKNOWN)
    assert load_history().missing_policy_by_location == {str(world.warehouse.pk): "unknown"}


def test_missing_day_policy_is_inherited_down_the_tree(world):
    LocationForecastPolicy.objects.create(location=world.region, missing_day_policy=MissingDayPolicy.UNKNOWN)
    LocationForecastPolicy.objects.create(location=world.store_b, missing_day_policy=MissingDayPolicy.ZERO)
    policies = missing_day_policies([world.store_a.pk, world.store_b.pk, world.warehouse.pk, world.region.pk])
    assert policies == {
        world.store_a.pk: "unknown",  # from the region
        world.store_b.pk: "zero",  # its own row wins
        world.warehouse.pk: "zero",  # the default
        world.region.pk: "unknown",
    }


def test_loading_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    world.standard(days=40)
    world.driver(world.store_a, END, is_promotion=True)
    scope = resolve_scope(location=world.region.pk)
    with django_assert_max_num_queries(6):  # roots, sales, drivers, categories, policies (+1 spare)
        load_history(scope, horizon=7)


def test_history_read_in_small_chunks_is_the_same_frame(world, monkeypatch):
    """Memory-flat loading: rows arrive a chunk at a time (cursor batches on SQLite, CSV slices of COPY on
    PostgreSQL) into typed arrays; however small the chunks, the frame is the one read in one go."""
    from forecasting.services import history as module

    world.standard(days=60)
    world.sales(world.store_b, world.milk, days=20, level=3, seed=9, skip={END - dt.timedelta(days=3)})
    DailySale.objects.filter(location=world.store_b, product=world.milk).update(price_paid=None)  # NULL → NaN
    whole = load_history(horizon=7)
    monkeypatch.setattr(module, "FETCH_CHUNK", 7)
    monkeypatch.setattr(module, "COPY_CHUNK_BYTES", 64)  # a few lines per parse, cut mid-line by COPY's blocks
    chunked = load_history(horizon=7)
    pd.testing.assert_frame_equal(chunked.frame, whole.frame)
    assert chunked.fingerprint == whole.fingerprint and chunked.row_count == 4 * 60 + 19
    assert chunked.frame["y"].dtype == np.float32
