"""The newest sales day per location, read through the recent days and the per-location index, is the same as
the full `MAX(date) GROUP BY location` aggregate: for fresh, stale and silent locations."""

import datetime as dt

import pytest
from django.db.models import Max

from branches.models import Location
from sales.models import DailySale
from sales.services.freshness import RECENT_DAYS, last_sale_day_by_location
from sales.services.ingest import ingest_daily_sales
from sales.services.lookups import create_manual_location

pytestmark = pytest.mark.django_db

NEWEST = dt.date(2026, 3, 31)


def test_matches_the_full_aggregate_for_fresh_stale_and_silent_locations():
    rows = []
    for code, last in (
        ("FRESH", NEWEST),
        ("LAGGING", NEWEST - dt.timedelta(days=2)),
        ("STALE", NEWEST - dt.timedelta(days=RECENT_DAYS + 30)),
    ):
        for back in range(3):
            rows.append(
                {
                    "location_code": code,
                    "sku": "BREAD",
                    "date": last - dt.timedelta(days=back),
                    "quantity": 2,
                    "revenue": 20,
                }
            )
    ingest_daily_sales(rows, create_missing=True)
    silent = create_manual_location("SILENT")
    ids = list(Location.objects.values_list("pk", flat=True))
    expected = dict(DailySale.objects.values("location_id").annotate(m=Max("date")).values_list("location_id", "m"))

    assert last_sale_day_by_location(ids) == expected
    assert silent.pk not in expected and len(expected) == 3
    stale = Location.objects.get(code="STALE").pk
    assert last_sale_day_by_location([stale, silent.pk]) == {stale: NEWEST - dt.timedelta(days=RECENT_DAYS + 30)}
    assert last_sale_day_by_location([]) == {}


def test_an_empty_table_answers_nothing():
    assert last_sale_day_by_location([create_manual_location("X").pk]) == {}
