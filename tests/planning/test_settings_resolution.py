"""Effective planning settings: most specific row wins, field by field; bulk resolution in constant queries."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from planning.services.settings import DEFAULTS, SettingsResolver, resolve_settings, resolve_settings_bulk

D = Decimal


def test_without_rows_the_built_in_defaults_apply_and_kind_decides_make_or_buy(build):
    loc = build.location()
    goods, dish = build.product(kind="goods"), build.product(kind="dish")
    eff = resolve_settings(loc, goods)
    assert eff.service_level == DEFAULTS["service_level"]
    assert (eff.review_period_days, eff.lead_time_days, eff.protection_days) == (7, 2, 9)
    assert eff.make_or_buy == "buy" and resolve_settings(loc, dish).make_or_buy == "make"
    assert not eff.has_explicit_settings
    assert set(eff.sources.values()) <= {"default", "default for kind goods"}


def test_field_by_field_most_specific_wins(build):
    parent, child = build.location("REGION"), None
    child = build.location("SHOP", parent=parent)
    top_cat = build.category("FOOD")
    cat = build.category("DAIRY", parent=top_cat)
    milk = build.product("MILK", category=cat)
    supplier = build.supplier()
    build.settings(service_level=D("0.9"), review_period_days=7, lead_time_days=2, pack_size=D("1"))
    build.settings(location=parent, lead_time_days=4)  # region: slower deliveries
    build.settings(category=top_cat, service_level=D("0.97"))
    build.settings(category=cat, location=child, pack_size=D("6"))
    build.settings(product=milk, moq=D("24"), supplier=supplier)
    build.settings(product=milk, location=child, max_stock=D("200"))

    eff = resolve_settings(child, milk)
    assert eff.max_stock == D("200")  # product @ shop
    assert eff.moq == D("24") and eff.supplier_id == supplier.pk  # product anywhere
    assert eff.pack_size == D("6")  # category @ shop
    assert eff.service_level == D("0.97")  # parent category anywhere
    assert eff.lead_time_days == 4  # the shop's parent region
    assert eff.review_period_days == 7  # global
    assert eff.sources["lead_time_days"].endswith(f"(location {parent.pk})")
    assert eff.has_explicit_settings


def test_the_item_dimension_beats_the_location_dimension(build):
    shop = build.location()
    item = build.product()
    build.settings(location=shop, service_level=D("0.8"))
    build.settings(product=item, service_level=D("0.99"))
    assert resolve_settings(shop, item).service_level == D("0.99")


def test_a_nearer_location_overrides_its_ancestor(build):
    region = build.location()
    shop = build.location(parent=region)
    item = build.product()
    build.settings(location=region, review_period_days=14)
    build.settings(location=shop, review_period_days=3)
    other_shop = build.location(parent=region)
    assert resolve_settings(shop, item).review_period_days == 3
    assert resolve_settings(other_shop, item).review_period_days == 14


def test_an_explicit_false_is_a_value_not_inheritance(build):
    loc, item = build.location(), build.product()
    build.settings(allow_negative_stock=True)
    build.settings(product=item, allow_negative_stock=False)
    assert resolve_settings(loc, item).allow_negative_stock is False
    assert resolve_settings(loc, build.product()).allow_negative_stock is True


def test_one_row_per_scope_and_product_excludes_category(build):
    loc, item, cat = build.location(), build.product(), build.category()
    build.settings()
    build.settings(location=loc, product=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        build.settings()  # a second global row
    with pytest.raises(IntegrityError), transaction.atomic():
        build.settings(location=loc, product=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        build.settings(product=item, category=cat)


def test_bulk_resolution_uses_a_constant_number_of_queries(build, django_assert_num_queries):
    region = build.location()
    locations = [build.location(parent=region) for _ in range(5)]
    cat = build.category()
    products = [build.product(category=cat) for _ in range(20)]
    build.settings(service_level=D("0.9"))
    build.settings(category=cat, pack_size=D("6"))
    build.settings(location=region, lead_time_days=5)
    for product in products[:5]:
        build.settings(product=product, moq=D("10"))
    pairs = [(loc, prod) for loc in locations for prod in products]
    with django_assert_num_queries(3):
        resolved = resolve_settings_bulk(pairs)
    assert len(resolved) == 100
    assert {e.pack_size for e in resolved.values()} == {D("6")}
    assert {e.lead_time_days for e in resolved.values()} == {5}
    assert sum(1 for e in resolved.values() if e.moq == D("10")) == 25


def test_resolver_lists_candidate_rows_most_specific_first(build):
    loc, item = build.location(), build.product()
    glob = build.settings()
    at_loc = build.settings(location=loc)
    for_item = build.settings(product=item)
    both = build.settings(product=item, location=loc)
    rows = SettingsResolver.load().candidate_rows(loc, item)
    assert [r.pk for r in rows] == [both.pk, for_item.pk, at_loc.pk, glob.pk]
