"""Is planning fed? Data freshness per location, forecast/settings coverage, and warnings.

A constant number of grouped queries whatever the number of locations; answers on an empty database.
"Active items" are the location × product pairs (active both, not a service) that sold something in the
`ACTIVE_WINDOW_DAYS` up to the newest sales day in the database (not "today", so a historical or demo data
set is judged against its own end).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from branches.models import Location
from forecasting.models import Forecast, ModelRun
from planning.choices import ProposalRunStatus, ProposalStatus
from planning.models import OrderProposal, ProposalRun, StockBalance, StockMovement
from planning.services.proposals import latest_succeeded_run, series_runs
from planning.services.settings import SettingsResolver
from sales.choices import ProductKind
from sales.models import DailySale, Product, StockLevel
from sales.services.freshness import last_sale_day_by_location

ACTIVE_WINDOW_DAYS = 28
STALE_SALES_DAYS = 3
STALE_SNAPSHOT_DAYS = 2
STALE_FORECAST_DAYS = 2


def _age_days(moment: datetime | date | None, today: date) -> int | None:
    if moment is None:
        return None
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return (today - day).days


def _share(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def planning_health(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    warnings: list[str] = []
    run = latest_succeeded_run()
    run_info = _run_info(run, today, warnings)

    locations = list(Location.objects.active().order_by("tree_path", "name"))
    last_sale = last_sale_day_by_location(loc.pk for loc in locations)
    last_snapshot = dict(
        StockLevel.objects.values("location_id").annotate(m=Max("as_of")).values_list("location_id", "m")
    )
    last_movement = dict(
        StockMovement.objects.values("location_id").annotate(m=Max("occurred_at")).values_list("location_id", "m")
    )
    # Per location, the forecasts planning would use: the newest run covering each series.
    run_of = series_runs([loc.pk for loc in locations]) if run is not None else {}
    forecast_items: dict[int, int] = defaultdict(int)
    newest_run_of_location: dict[int, int] = {}
    for (loc_id, _product_id), run_id in run_of.items():
        forecast_items[loc_id] += 1
        newest_run_of_location[loc_id] = max(run_id, newest_run_of_location.get(loc_id, 0))
    run_finished = {
        pk: finished or created
        for pk, finished, created in ModelRun.objects.filter(pk__in=set(run_of.values())).values_list(
            "pk", "finished_at", "created_at"
        )
    }
    negative = dict(
        StockBalance.objects.filter(on_hand__lt=0)
        .values("location_id")
        .annotate(n=Count("id"))
        .values_list("location_id", "n")
    )

    rows = []
    for loc in locations:
        loc_warnings = []
        sales_day = last_sale.get(loc.pk)
        snapshot_at = last_snapshot.get(loc.pk)
        sales_age = _age_days(sales_day, today)
        snapshot_age = _age_days(snapshot_at, today)
        if sales_day is not None and sales_age is not None and sales_age > STALE_SALES_DAYS:
            loc_warnings.append(f"last sales day {sales_day} is {sales_age} days old")
        if snapshot_at is not None and snapshot_age is not None and snapshot_age > STALE_SNAPSHOT_DAYS:
            loc_warnings.append(f"last stock snapshot is {snapshot_age} days old")
        if run is not None and sales_day is not None and loc.pk not in forecast_items:
            loc_warnings.append("has sales but no succeeded forecast run covers it")
        if negative.get(loc.pk):
            loc_warnings.append(f"{negative[loc.pk]} items with negative on-hand in the ledger")
        if sales_day is None and snapshot_at is None and loc.pk not in forecast_items:
            continue  # an org node without data (legal entity, group): not worth a row
        rows.append({
            "location": loc.pk,
            "code": loc.code,
            "name": loc.name,
            "last_sales_day": sales_day,
            "sales_age_days": sales_age,
            "last_stock_snapshot": snapshot_at,
            "snapshot_age_days": snapshot_age,
            "last_stock_movement": last_movement.get(loc.pk),
            "forecast_items": forecast_items.get(loc.pk, 0),
            "forecast_run": newest_run_of_location.get(loc.pk),
            "forecast_age_days": _age_days(run_finished.get(newest_run_of_location.get(loc.pk)), today),
            "warnings": loc_warnings,
        })
    stale = sum(1 for r in rows if r["warnings"])
    if stale:
        warnings.append(f"{stale} locations have freshness warnings")

    coverage = _coverage(set(run_of), locations)
    forecast_share = coverage["with_forecast_share"]
    if coverage["active_items"] and forecast_share is not None and forecast_share < 0.9:
        warnings.append(f"only {coverage['with_forecast_share']:.0%} of active items have a forecast")
    if coverage["active_items"] and coverage["with_settings"] == 0:
        warnings.append("no planning settings row applies to any active item: built-in defaults are in use")

    last_proposal_run = ProposalRun.objects.order_by("-started_at", "-id").first()
    if last_proposal_run is not None and last_proposal_run.status == ProposalRunStatus.FAILED:
        warnings.append(f"the last proposal run {last_proposal_run.pk} failed: {last_proposal_run.error[:200]}")
    return {
        "generated_at": timezone.now(),
        "today": today,
        "forecast_run": run_info,
        "locations": rows,
        "coverage": coverage,
        "proposals": {
            "open": OrderProposal.objects.filter(status=ProposalStatus.PROPOSED).count(),
            "open_with_quantity": OrderProposal.objects.filter(status=ProposalStatus.PROPOSED, quantity__gt=0).count(),
            "last_run": None if last_proposal_run is None else {
                "id": last_proposal_run.pk,
                "status": last_proposal_run.status,
                "started_at": last_proposal_run.started_at,
                "finished_at": last_proposal_run.finished_at,
            },
        },
        "warnings": warnings,
    }


def _run_info(run: ModelRun | None, today: date, warnings: list[str]) -> dict:
    if run is None:
        warnings.append("no succeeded forecast run: nothing can be planned")
        return {"id": None, "finished_at": None, "age_days": None, "first_day": None, "last_day": None}
    span = {"first": run.forecast_start, "last": run.forecast_end}
    if span["first"] is None:
        span = Forecast.objects.filter(run=run).aggregate(first=Min("date"), last=Max("date"))
    first = span["first"]
    finished = run.finished_at or run.created_at
    age = _age_days(finished, today)
    if age is not None and age > STALE_FORECAST_DAYS:
        warnings.append(f"the latest succeeded forecast run {run.pk} is {age} days old")
    if span["last"] is not None and span["last"] < today:
        warnings.append(f"forecast run {run.pk} ends {span['last']}, before today: proposals plan from its first day")
    return {"id": run.pk, "finished_at": finished, "age_days": age, "first_day": first, "last_day": span["last"]}


def _coverage(forecasted: set[tuple[int, int]], locations: list[Location]) -> dict:
    by_id = {loc.pk: loc for loc in locations}
    newest = DailySale.objects.aggregate(m=Max("date"))["m"]
    result = {
        "window_days": ACTIVE_WINDOW_DAYS,
        "window_end": newest,
        "active_items": 0,
        "with_forecast": 0,
        "with_settings": 0,
        "with_both": 0,
        "with_forecast_share": None,
        "with_settings_share": None,
        "with_both_share": None,
    }
    if newest is None or not by_id:
        return result
    pairs = set(
        DailySale.objects.filter(
            date__gt=newest - timedelta(days=ACTIVE_WINDOW_DAYS),
            quantity__gt=0,
            location_id__in=list(by_id),
            product__is_active=True,
        )
        .exclude(product__kind=ProductKind.SERVICE)
        .values_list("location_id", "product_id")
        .distinct()
    )
    resolver = SettingsResolver.load()
    products = {p.pk: p for p in Product.objects.filter(pk__in={p for _, p in pairs})}
    with_settings = {
        pair for pair in pairs if resolver.resolve(by_id[pair[0]], products[pair[1]]).has_explicit_settings
    }
    with_forecast = pairs & forecasted
    total = len(pairs)
    result.update(
        active_items=total,
        with_forecast=len(with_forecast),
        with_settings=len(with_settings),
        with_both=len(with_forecast & with_settings),
        with_forecast_share=_share(len(with_forecast), total),
        with_settings_share=_share(len(with_settings), total),
        with_both_share=_share(len(with_forecast & with_settings), total),
    )
    return result
