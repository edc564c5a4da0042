"""The shared read cache for dashboard aggregates: hits, invalidation on writes, and what it must never skip."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from branches.models import Location
from core.read_cache import VERSION_KEY, data_version
from sales.models import DailySale, Product
from sales.services.ingest import ingest_daily_sales

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/analytics/summary/?date_from=2026-01-01&date_to=2026-01-31"
HEALTH = "/api/v1/planning/core/health"


def sales(quantity: int, day: int = 5) -> list[dict]:
    return [{"location_code": "S1", "sku": "BREAD", "date": dt.date(2026, 1, day), "quantity": quantity,
             "revenue": quantity * 10}]


@pytest.fixture
def cached():
    with override_settings(API_CACHE_SECONDS=60):
        yield


def test_a_repeated_read_is_served_from_the_cache(cached, client_for):
    ingest_daily_sales(sales(3), create_missing=True)
    viewer = client_for("viewer")
    first = viewer.get(SUMMARY)
    second = viewer.get(SUMMARY)
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.json() == second.json()
    assert viewer.get(SUMMARY.replace("01-31", "01-30"))["X-Cache"] == "miss"  # another query is another entry


def test_a_committed_model_write_invalidates(cached, client_for, django_capture_on_commit_callbacks):
    # Each write is "committed" as it would be outside the test's transaction: its on-commit callbacks run.
    with django_capture_on_commit_callbacks(execute=True):
        ingest_daily_sales(sales(3), create_missing=True)
    viewer = client_for("viewer")
    assert viewer.get(SUMMARY).json()["current"]["units"] == 3.0
    with django_capture_on_commit_callbacks(execute=True):
        DailySale.objects.create(location=Location.objects.get(code="S1"), product=Product.objects.get(sku="BREAD"),
                                 date=dt.date(2026, 1, 6), quantity=Decimal(4), revenue=Decimal(40))
    fresh = viewer.get(SUMMARY)
    assert fresh["X-Cache"] == "miss" and fresh.json()["current"]["units"] == 7.0


def test_a_bulk_ingest_invalidates_although_it_saves_no_model_row(cached, client_for,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_daily_sales(sales(3), create_missing=True)
    viewer = client_for("viewer")
    viewer.get(SUMMARY)
    with django_capture_on_commit_callbacks(execute=True):
        ingest_daily_sales(sales(5, day=7))
    assert viewer.get(SUMMARY).json()["current"]["units"] == 8.0


def test_permissions_and_validation_run_before_the_cache(cached, client_for):
    assert client_for("viewer").get(SUMMARY).status_code == 200  # now cached
    assert client_for("anonymous").get(SUMMARY).status_code == 401
    bad = client_for("viewer").get("/api/v1/analytics/summary/?date_from=2026-02-01&date_to=2026-01-01")
    assert bad.status_code == 400


def test_planning_health_is_cached_and_answers_on_an_empty_database(cached, client_for):
    planner = client_for("planner")
    assert [planner.get(HEALTH)["X-Cache"], planner.get(HEALTH)["X-Cache"]] == ["miss", "hit"]


def test_switched_off_nothing_is_cached(client_for):
    viewer = client_for("viewer")
    assert "X-Cache" not in viewer.get(SUMMARY)


def test_a_rolled_back_transaction_does_not_stop_later_invalidation(cached, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        location = Location.objects.create(name="Shop", code="S9")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                location.save()
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            location.save()
    assert data_version() != before


@pytest.mark.django_db(transaction=True)
def test_the_migration_creates_the_configured_database_cache_table_and_reverses():
    dbcache = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sf_cache"}}
    with override_settings(CACHES=dbcache):
        call_command("migrate", "core", "0001", verbosity=0)
        assert "sf_cache" not in connection.introspection.table_names()
        call_command("migrate", "core", verbosity=0)
        assert "sf_cache" in connection.introspection.table_names()
        try:
            caches["default"].set(VERSION_KEY, "v1")
            assert caches["default"].get(VERSION_KEY) == "v1"  # shared: any process reading this table sees it
        finally:
            caches["default"].clear()


DAILY = "/api/v1/daily-sales/?page_size=1&date_from=2026-01-01&date_to=2026-01-31"


def test_the_daily_sales_total_is_cached_until_the_next_write_and_the_rows_are_always_fresh(
    cached, client_for, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_daily_sales(sales(3) + sales(4, day=6), create_missing=True)
    viewer = client_for("viewer")
    first = viewer.get(DAILY)
    assert first.status_code == 200 and first.json()["count"] == 2
    with django_assert_num_queries(1):  # the page's rows only: the total comes from the cache
        again = viewer.get(DAILY + "&page=2")
    assert again.json()["count"] == 2 and again.json()["results"][0]["date"] == "2026-01-05"
    assert viewer.get(DAILY.replace("01-31", "01-05")).json()["count"] == 1  # another filter, another total
    with django_capture_on_commit_callbacks(execute=True):
        ingest_daily_sales(sales(5, day=7))
    assert viewer.get(DAILY).json()["count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        DailySale.objects.filter(date=dt.date(2026, 1, 7)).get().delete()
    assert viewer.get(DAILY).json()["count"] == 2


@override_settings(API_CACHE_SECONDS=0)
def test_without_the_read_cache_the_total_is_counted_each_time(client_for, django_assert_num_queries):
    ingest_daily_sales(sales(3), create_missing=True)
    viewer = client_for("viewer")
    viewer.get(DAILY)
    with django_assert_num_queries(2):
        assert viewer.get(DAILY).json()["count"] == 1
