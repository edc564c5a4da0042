"""The demo data set is deterministic, big enough and realistic in the ways later issues rely on."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest

from demo.dataset import (
    DEFAULT_END_DATE,
    ZERO_GUID,
    bom_components,
    build_demo_dataset,
    is_valid_ean13,
)


@pytest.fixture(scope="module")
def default_dataset():
    started = time.perf_counter()
    dataset = build_demo_dataset()
    dataset.build_seconds = time.perf_counter() - started
    return dataset


def test_same_seed_gives_identical_data(small_dataset):
    again = build_demo_dataset(size="small")
    pd.testing.assert_frame_equal(small_dataset.daily_sales, again.daily_sales)
    pd.testing.assert_frame_equal(small_dataset.stock, again.stock)
    pd.testing.assert_frame_equal(small_dataset.drivers, again.drivers)
    assert small_dataset.onec_branches == again.onec_branches
    assert small_dataset.iiko_departments == again.iiko_departments
    assert small_dataset.products == again.products
    assert small_dataset.boms == again.boms


def test_another_seed_gives_other_sales_and_ids(small_dataset):
    other = build_demo_dataset(seed=7, size="small")
    assert not small_dataset.daily_sales["units"].equals(other.daily_sales["units"])
    assert small_dataset.iiko_departments[0].id != other.iiko_departments[0].id


def test_default_set_meets_the_minimums(default_dataset):
    ds = default_dataset
    assert ds.build_seconds < 10
    assert len(ds.onec_branches) + len(ds.iiko_departments) >= 50
    assert len(ds.onec_branches) >= 50
    assert len(ds.products) >= 200
    assert 12 <= len(ds.locations) <= 20
    sales = ds.daily_sales
    assert 300_000 <= len(sales) <= 400_000
    assert sales["date"].max() == pd.Timestamp(DEFAULT_END_DATE - dt.timedelta(days=1))
    assert (sales["date"].max() - sales["date"].min()).days >= 730
    per_location = sales.groupby("location_code")["sku"].nunique()
    assert per_location.between(28, 50).all()


def test_default_set_has_seasonality_promotions_zeros_and_closed_days(default_dataset):
    ds = default_dataset
    sales = ds.daily_sales
    restaurants = sales[
        sales["location_code"].isin([loc.code for loc in ds.locations if loc.kind == "restaurant"])
    ]
    by_weekday = restaurants.groupby(restaurants["date"].dt.day_of_week)["units"].mean()
    assert by_weekday[5] > 1.3 * by_weekday[1]  # Saturday busier than Tuesday
    soup = sales[sales["sku"] == "DSH-0001"]  # borscht sells in winter
    by_month = soup.groupby(soup["date"].dt.month)["units"].mean()
    assert by_month[1] > 1.3 * by_month[7]
    assert sales["promo"].any() and (sales.loc[sales["promo"], "discount"] > 0).any()
    promo_rate = sales[sales["promo"]]["units"].mean()
    assert promo_rate > sales[~sales["promo"]]["units"].mean()
    assert (sales["units"] == 0).mean() > 0.05
    assert not ds.closed_days.empty
    closed = ds.closed_days.iloc[0]
    open_rows = sales[(sales["location_code"] == closed["location_code"]) & (sales["date"] == closed["date"])]
    assert open_rows.empty
    assert (sales["revenue"] - (sales["units"] * sales["price"] - sales["discount"])).abs().max() < 0.02


def test_small_size_is_tiny(small_dataset):
    sales = small_dataset.daily_sales
    assert len(small_dataset.locations) == 4
    assert sales.groupby("location_code")["sku"].nunique().eq(5).all()
    assert sales["date"].nunique() == 60
    assert len(sales) <= 4 * 5 * 60


def test_products_have_unique_skus_valid_barcodes_and_shared_identities(small_dataset):
    products = small_dataset.products
    assert len({p.sku for p in products}) == len(products)
    barcodes = [p.barcode for p in products if p.barcode]
    assert barcodes and all(is_valid_ean13(code) for code in barcodes)
    assert len(set(barcodes)) == len(barcodes)
    assert {p.kind for p in products} == {"goods", "dish", "material", "semi_finished", "service"}
    shared = [p for p in products if len(p.systems) >= 2]
    assert len(shared) >= 20
    assert any({"moysklad", "sentos", "wildberries"} <= set(p.systems) for p in shared)
    categories = {c.code for c in small_dataset.categories}
    assert all(p.category_code in categories for p in products)
    assert all(c.parent_code is None or c.parent_code in categories for c in small_dataset.categories)


def test_org_trees_link_iiko_codes_to_onec_branch_codes(small_dataset):
    onec_codes = {b.code for b in small_dataset.onec_branches}
    ids = {b.id for b in small_dataset.onec_branches}
    assert all(b.parent_id is None or b.parent_id in ids for b in small_dataset.onec_branches)
    types = {d.type for d in small_dataset.iiko_departments}
    assert {
        "CORPORATION",
        "JURPERSON",
        "DEPARTMENT",
        "SALEPOINT",
        "STORE",
        "CENTRALSTORE",
        "MANUFACTURE",
    } <= types
    departments = [d for d in small_dataset.iiko_departments if d.type == "DEPARTMENT"]
    linked = [d for d in departments if d.code in onec_codes]
    assert len(linked) >= 6 and len(linked) < len(departments)  # some iiko departments are unknown to 1C
    assert all(len(d.id) == 36 for d in small_dataset.iiko_departments)
    assert ZERO_GUID not in {d.id for d in small_dataset.iiko_departments}
    assert all(len(b.inn) == 10 for b in small_dataset.onec_branches if not b.is_group)


def test_boms_reach_three_levels_with_shared_components(small_dataset):
    boms = small_dataset.boms
    by_sku = {p.sku: p for p in small_dataset.products}
    pelmeni = next(p.sku for p in small_dataset.products if p.name == "Пельмени отварные")
    components = bom_components(boms, pelmeni)
    assert {by_sku[s].name for s in components} >= {
        "Пельмени п/ф",
        "Тесто пельменное",
        "Фарш мясной",
        "Говядина",
    }
    users = [line.parent_sku for line in boms if by_sku[line.component_sku].name == "Тесто пельменное"]
    assert len(users) >= 2
    assert all(line.quantity > 0 and line.scrap_pct >= 0 for line in boms)
    assert all(by_sku[line.parent_sku].kind in ("dish", "semi_finished") for line in boms)


def test_stock_and_drivers_cover_the_latest_day_and_the_next_28_days(small_dataset):
    ds = small_dataset
    assert (ds.stock["as_of"] == pd.Timestamp(ds.end_date)).all()
    assert {"on_hand", "reserved", "in_transit"} <= set(ds.stock.columns)
    assert set(ds.stock["location_code"]) == {loc.code for loc in ds.locations}
    drivers = ds.drivers
    assert drivers["date"].min() >= pd.Timestamp(ds.end_date)
    assert drivers["date"].max() < pd.Timestamp(ds.end_date + dt.timedelta(days=28))
    assert {"holiday", "promo"} <= set(drivers["driver"])  # 4 November falls in the default horizon


def test_end_date_none_means_today():
    dataset = build_demo_dataset(size="small", end_date=None)
    assert dataset.end_date == dt.date.today()
    assert dataset.daily_sales["date"].max() == pd.Timestamp(dt.date.today() - dt.timedelta(days=1))


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="Unknown demo size"):
        build_demo_dataset(size="huge")
