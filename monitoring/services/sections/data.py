"""Data freshness: the last sales day per active location, the stale ones, and the age of stock data.

The last sales day per location would be a scan of every sales row; only the recent ones matter, so it is
computed over the last MONITORING_SALES_LOOKBACK_DAYS (an indexed date range), and only the locations with no
sales in that window get their older last day looked up — each over its own rows of the
(location, product, date) index. Non-selling nodes of the tree (regions, legal entities) find no rows.

Queries (4): recent sales per location; the last sales day of the other active locations; the newest source
stock snapshot (indexed max); the newest stock ledger movement and reconciliation.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Max, OuterRef, Subquery

from branches.models import Location
from monitoring import conf
from monitoring.services.context import BuildContext, iso
from planning.models import StockBalance
from sales.models import DailySale, StockLevel


def last_sales_day_per_location(ctx: BuildContext) -> list[dict]:
    """[{location_id, location__code, location__name, last_sales_date}] of active locations with sales, stalest
    first."""
    lookback = max(int(conf.get("MONITORING_SALES_LOOKBACK_DAYS")), ctx.stale_sales_days + 1)
    recent = list(
        DailySale.objects.filter(location__is_active=True, date__gte=ctx.today - timedelta(days=lookback))
        .values("location_id", "location__code", "location__name")
        .annotate(last_sales_date=Max("date"))
        .order_by()
    )
    last_day = DailySale.objects.filter(location_id=OuterRef("pk")).values("location_id").annotate(
        last=Max("date")
    ).values("last")[:1]
    older = list(
        Location.objects.filter(is_active=True)
        .exclude(pk__in=[row["location_id"] for row in recent])
        .annotate(last_sales_date=Subquery(last_day))
        .filter(last_sales_date__isnull=False)
        .values(
            "last_sales_date", location_id=F("pk"), location__code=F("code"), location__name=F("name")
        )
    )
    return sorted(recent + older, key=lambda row: (row["last_sales_date"], row["location_id"]))


def collect(ctx: BuildContext) -> dict:
    per_location = last_sales_day_per_location(ctx)
    stale_before = ctx.today - timedelta(days=ctx.stale_sales_days)
    stale = [row for row in per_location if row["last_sales_date"] < stale_before]
    newest = max((row["last_sales_date"] for row in per_location), default=None)

    stock = StockLevel.objects.aggregate(last_as_of=Max("as_of"))
    ledger = StockBalance.objects.aggregate(
        last_movement_at=Max("last_movement_at"), last_synced_as_of=Max("last_synced_as_of"), items=Count("id")
    )
    return {
        "sales": {
            "last_sales_date": iso(newest),
            "lag_days": (ctx.today - newest).days if newest else None,
            "locations_with_sales": len(per_location),
            "per_location": [_location_row(ctx, row) for row in per_location[: ctx.list_cap]],
            "per_location_truncated": len(per_location) > ctx.list_cap,
            "stale_locations": {
                "count": len(stale),
                "threshold_days": ctx.stale_sales_days,
                "last_sales_before": iso(stale_before),
                "ids": [row["location_id"] for row in stale[: ctx.list_cap]],
                "truncated": len(stale) > ctx.list_cap,
            },
        },
        "stock": {
            "last_snapshot_at": iso(stock["last_as_of"]),
            "snapshot_age_seconds": ctx.age_seconds(stock["last_as_of"]),
            "ledger_items": ledger["items"],
            "ledger_last_movement_at": iso(ledger["last_movement_at"]),
            "ledger_age_seconds": ctx.age_seconds(ledger["last_movement_at"]),
            "ledger_last_reconciled_snapshot_at": iso(ledger["last_synced_as_of"]),
        },
    }


def _location_row(ctx: BuildContext, row: dict) -> dict:
    return {
        "location_id": row["location_id"],
        "code": row["location__code"],
        "name": row["location__name"],
        "last_sales_date": iso(row["last_sales_date"]),
        "days_since": (ctx.today - row["last_sales_date"]).days,
    }
