"""Each snapshot metric against a value computed independently from the rows the scenario created."""

from __future__ import annotations

from datetime import timedelta

import pytest

from monitoring.metrics import METRIC_PATHS, resolve_path
from monitoring.services.snapshots import build_snapshot, slot_start
from planning.services.settings import SettingsResolver
from tests.monitoring.conftest import NOW, TODAY, day

pytestmark = pytest.mark.django_db


def test_empty_database_has_every_section_with_zeros_and_nulls():
    payload = build_snapshot(NOW).payload
    assert {"integrations", "data", "forecasting", "planning"} <= set(payload)
    assert payload["slot"] == "2025-03-10T12:00:00+00:00" and payload["as_of_date"] == "2025-03-10"
    for path in METRIC_PATHS:  # every catalogued metric exists in the payload, as a number or null
        parent, _, key = path.rpartition(".")
        assert key in resolve_path(payload, parent), path
    assert payload["integrations"]["accounts_total"] == 0
    assert payload["integrations"]["streams"] == []
    assert payload["data"]["sales"]["stale_locations"] == {
        "count": 0, "threshold_days": 2, "last_sales_before": "2025-03-08", "ids": [], "truncated": False
    }
    assert payload["forecasting"]["latest_run"]["id"] is None
    assert payload["forecasting"]["accuracy_28d"]["wape"] is None
    assert payload["planning"]["stockout_risk"] == {"count": 0, "items": [], "truncated": False}
    assert payload["planning"]["overdue_production_tasks"] == {"count": 0, "ids": [], "truncated": False}


def test_slot_is_the_start_of_the_quarter_hour_in_utc():
    assert slot_start(NOW).isoformat() == "2025-03-10T12:00:00+00:00"
    assert slot_start(NOW + timedelta(minutes=8)).isoformat() == "2025-03-10T12:15:00+00:00"


def test_integrations_last_success_streaks_and_running_runs(world):
    acme = world.account("acme")
    off = world.account("off", enabled=False)
    hour = timedelta(hours=1)
    ok = world.sync_run(acme, "sales", "succeeded", NOW - 3 * hour)
    fail_1 = world.sync_run(acme, "sales", "failed", NOW - 2 * hour)
    fail_2 = world.sync_run(acme, "sales", "failed", NOW - hour)
    world.sync_run(acme, "stock", "succeeded", NOW - 24 * hour)
    running = world.sync_run(acme, "stock", "running", NOW - timedelta(minutes=5), finished=False)
    world.sync_run(acme, "products", "failed", NOW - 4 * hour)
    partial = world.sync_run(acme, "products", "partial", NOW - 3 * hour)  # a partial run ends a streak
    never_1 = world.sync_run(off, "org", "failed", NOW - 5 * hour)
    never_2 = world.sync_run(off, "org", "failed", NOW - 4 * hour)

    section = build_snapshot(NOW).payload["integrations"]
    streams = {(s["account_id"], s["stream"]): s for s in section["streams"]}
    assert section["accounts_total"] == 2 and section["accounts_enabled"] == 1
    assert section["disabled_account_ids"] == [off.pk]
    sales = streams[(acme.pk, "sales")]
    assert sales["consecutive_failures"] == 2 and sales["failed_run_ids"] == [fail_2.pk, fail_1.pk]
    assert sales["last_success_run_id"] == ok.pk
    assert sales["last_success_age_seconds"] == (NOW - ok.finished_at).total_seconds()
    assert sales["last_run_status"] == "failed" and sales["last_run_id"] == fail_2.pk
    assert streams[(acme.pk, "products")]["consecutive_failures"] == 0
    assert streams[(acme.pk, "products")]["last_success_run_id"] == partial.pk
    stock = streams[(acme.pk, "stock")]
    assert stock["running_now"] is True and stock["running_run_id"] == running.pk
    org = streams[(off.pk, "org")]
    assert org["consecutive_failures"] == 2 and org["last_success_at"] is None
    assert org["failed_run_ids"] == [never_2.pk, never_1.pk]

    assert section["streams_failing"]["count"] == 2
    assert {(i["account_id"], i["stream"]) for i in section["streams_failing"]["items"]} == {
        (acme.pk, "sales"), (off.pk, "org")
    }
    assert section["never_succeeded"]["items"] == [{"account_id": off.pk, "stream": "org"}]
    assert section["max_consecutive_failures"] == 2
    assert section["running_now"]["count"] == 1 and section["running_now"]["run_ids"] == [running.pk]
    # Oldest last success among enabled accounts: the stock stream, succeeded a day ago.
    expected_oldest = max(
        (NOW - run.finished_at).total_seconds() for run in [ok, partial]
        + [r for r in acme.runs.filter(stream="stock", status="succeeded")]
    )
    assert section["oldest_success_age_seconds"] == expected_oldest


def test_data_freshness_per_location_and_stock_ages(world):
    fresh, stale, closed, silent = world.location(), world.location(), world.location(active=False), world.location()
    long_gone = world.location()
    product, other = world.product(), world.product()
    for offset in (-3, -2, -1):
        world.sale(fresh, product, day(offset))
    world.sale(stale, product, day(-5))
    world.sale(long_gone, product, day(-60))  # older than the 14-day lookback: found by its own lookup
    world.sale(long_gone, other, day(-45))
    world.sale(closed, product, day(-30))  # inactive locations are not monitored
    world.stock_level(fresh, product, NOW - timedelta(hours=30))
    newest_stock = world.stock_level(stale, product, NOW - timedelta(hours=2))
    world.balance(fresh, product, 3, last_movement_at=NOW - timedelta(minutes=10))

    section = build_snapshot(NOW).payload["data"]
    sales = section["sales"]
    assert sales["locations_with_sales"] == 3
    assert sales["last_sales_date"] == day(-1).isoformat() and sales["lag_days"] == 1
    assert [row["location_id"] for row in sales["per_location"]] == [long_gone.pk, stale.pk, fresh.pk]  # stalest first
    assert sales["per_location"][0]["last_sales_date"] == day(-45).isoformat()
    assert sales["per_location"][1] == {
        "location_id": stale.pk, "code": stale.code, "name": stale.name,
        "last_sales_date": day(-5).isoformat(), "days_since": 5,
    }
    assert sales["stale_locations"]["count"] == 2 and sales["stale_locations"]["ids"] == [long_gone.pk, stale.pk]
    assert silent.pk not in sales["stale_locations"]["ids"]
    assert section["stock"]["last_snapshot_at"] == newest_stock.as_of.isoformat()
    assert section["stock"]["snapshot_age_seconds"] == 7200
    assert section["stock"]["ledger_age_seconds"] == 600 and section["stock"]["ledger_items"] == 1


def test_stale_threshold_follows_the_setting(world, settings):
    location, product = world.location(), world.product()
    world.sale(location, product, day(-2))
    assert build_snapshot(NOW).payload["data"]["sales"]["stale_locations"]["count"] == 0
    settings.MONITORING_STALE_SALES_DAYS = 1
    assert build_snapshot(NOW).payload["data"]["sales"]["stale_locations"]["ids"] == [location.pk]


def test_forecasting_latest_run_rolling_accuracy_and_drift(world):
    location, product = world.location(), world.product()
    world.model_run(NOW - timedelta(days=2), wape=0.5)
    latest = world.model_run(NOW - timedelta(hours=1), wape=0.2)
    world.model_run(NOW - timedelta(minutes=10), wape=None, status="failed", forecasts=0)
    points = [  # (day offset, forecast, actual)
        (-1, 10, 8), (-5, 5, 10), (-10, 0, 4), (-28, 3, 1), (-29, 50, 1), (0, 99, 1),
    ]
    for offset, forecast, actual in points:
        world.accuracy(latest, location, product, day(offset), forecast, actual)

    def wape(days: int) -> float:
        window = [(f, a) for offset, f, a in points if -days <= offset <= -1]
        return sum(abs(f - a) for f, a in window) / sum(abs(a) for _f, a in window)

    section = build_snapshot(NOW).payload["forecasting"]
    assert section["latest_run"]["id"] == latest.pk
    assert section["latest_run"]["age_seconds"] == 3600
    assert section["latest_run"]["backtest_wape"] == 0.2
    assert section["latest_run"]["backtest_wape_source"] == "models.lightgbm.wape"
    assert section["newest_run"]["status"] == "failed"
    assert section["accuracy_7d"]["points"] == 2 and section["accuracy_28d"]["points"] == 4
    assert section["accuracy_7d"]["wape"] == pytest.approx(wape(7), abs=1e-6)
    assert section["accuracy_28d"]["wape"] == pytest.approx(wape(28), abs=1e-6)
    assert section["accuracy_28d"]["bias"] == pytest.approx((2 - 5 - 4 + 2) / 23, abs=1e-6)
    assert section["drift"]["ratio_7d"] == pytest.approx(wape(7) / 0.2, abs=1e-5)
    assert section["drift"]["ratio_28d"] == pytest.approx(wape(28) / 0.2, abs=1e-5)
    assert section["drift"]["is_drifting"] is True


def test_latest_run_is_the_newest_with_forecasts_and_a_reused_model_brings_its_backtest(world):
    trained = world.model_run(NOW - timedelta(days=1), wape=0.25)
    reused = world.model_run(NOW - timedelta(hours=3), wape=None, kind="forecast", source_run=trained)
    world.model_run(NOW - timedelta(hours=1), wape=0.1, forecasts=0)  # succeeded but forecast nothing
    latest = build_snapshot(NOW).payload["forecasting"]["latest_run"]
    assert latest["id"] == reused.pk and latest["kind"] == "forecast" and latest["source_run_id"] == trained.pk
    assert latest["backtest_wape"] == 0.25
    assert latest["backtest_wape_source"] == "source_run.models.lightgbm.wape"
    assert latest["age_seconds"] == 3 * 3600


def test_backtest_wape_is_found_where_the_run_keeps_it(world):
    from monitoring.services.sections.forecasting import backtest_wape

    assert backtest_wape({"models": {"lightgbm": {"wape": 0.31}}}, "lightgbm") == (0.31, "models.lightgbm.wape")
    assert backtest_wape({"models": {"seasonal_naive": {"wape": 0.4}, "lightgbm": {"wape": 0.3}}},
                         "seasonal_naive") == (0.4, "models.seasonal_naive.wape")
    assert backtest_wape({"backtest": {"models": {"lightgbm": {"wape": 0.2}}}}, "lightgbm")[0] == 0.2
    assert backtest_wape({"wape": 0.25}, "lightgbm") == (0.25, "wape")
    assert backtest_wape({}, "lightgbm") == (None, None)


def _expected_risks(world_items, run_id, resolver):
    """Risk and overstock computed in Python straight from the rows, with planning's own settings resolver."""
    from forecasting.models import Forecast
    from planning.models import ProductionTask, PurchaseOrderLine, StockBalance

    risk, over = {}, {}
    for location, product in world_items:
        lead = resolver.resolve(location, product).lead_time_days
        cutoff = TODAY + timedelta(days=lead)
        rows = Forecast.objects.filter(run_id=run_id, location=location, product=product, date__gte=TODAY)
        demand = sum(f.p50 for f in rows if f.date < cutoff)
        horizon = sum(f.p50 for f in rows)
        balance = StockBalance.objects.filter(location=location, product=product).first()
        on_hand = float(balance.on_hand) if balance else 0.0
        on_order = 0.0
        for line in PurchaseOrderLine.objects.filter(order__location=location, product=product):
            expected = line.expected_date or line.order.expected_date
            if line.order.status in ("draft", "sent", "partially_received") and (expected is None or expected < cutoff):
                on_order += float(line.quantity - line.received_quantity)
        for task in ProductionTask.objects.filter(location=location, product=product):
            if task.status in ("draft", "approved", "in_progress") and task.due_date < cutoff:
                on_order += float(task.quantity)
        if on_hand + on_order < demand:
            risk[(location.pk, product.pk)] = (lead, demand, on_hand, on_order)
        if on_hand > 0 and on_hand > horizon:
            over[(location.pk, product.pk)] = (on_hand, horizon)
    return risk, over


def test_stockout_risk_and_overstock_against_an_independent_computation(world):
    region = world.location("Region")
    store, other = world.location("Store", parent=region), world.location("Other")
    food = world.category("food")
    a, b, c, d, e = (world.product(sku, category=food if sku in "ab" else None) for sku in "abcde")
    world.settings(3)  # global lead time
    world.settings(1, product=c)  # c is delivered next day
    world.settings(5, category=food, location=other)  # not the store's subtree: no effect on a, b at the store
    old_run = world.model_run(NOW - timedelta(days=3))
    run = world.model_run(NOW - timedelta(hours=2))
    for product, daily in ((a, 4), (b, 4), (c, 4), (d, 1)):
        world.forecast_days(run, store, product, [daily] * 10)
        world.forecast(run, store, product, day(-1), 1000)  # past days do not count
    world.forecast_days(old_run, store, e, [50] * 10)  # not in the latest run: not evaluated
    world.balance(store, a, 5)
    world.purchase_order(store, "sent", day(1), [(a, 4, 1, None), (a, 100, 0, day(5))])  # 3 in time, 100 too late
    world.purchase_order(store, "cancelled", day(1), [(a, 50, 0, None)])
    world.balance(store, b, 10)
    world.task(store, b, 5, due=day(2))
    world.balance(store, c, 4.5)
    world.balance(store, d, 100)
    world.balance(store, e, 1)

    section = build_snapshot(NOW).payload["planning"]
    items = [(store, p) for p in (a, b, c, d)]
    risk, over = _expected_risks(items, run.pk, SettingsResolver.load())
    assert set(risk) == {(store.pk, a.pk)} and set(over) == {(store.pk, d.pk)}  # the scenario means what it says

    assert section["forecast_run_id"] == run.pk
    assert section["items_evaluated"] == 4
    assert section["stockout_risk"]["count"] == len(risk)
    lead, demand, on_hand, on_order = risk[(store.pk, a.pk)]
    assert section["stockout_risk"]["items"] == [{
        "location_id": store.pk, "product_id": a.pk, "lead_time_days": lead, "lead_time_demand": demand,
        "on_hand": on_hand, "on_order": on_order, "shortfall": demand - on_hand - on_order,
    }]
    assert (lead, demand, on_hand, on_order) == (3, 12, 5, 3)
    assert section["overstock"]["count"] == 1
    assert section["overstock"]["items"] == [
        {"location_id": store.pk, "product_id": d.pk, "on_hand": 100, "horizon_demand": 10, "excess": 90}
    ]
    assert section["lead_time_days_in_use"] == [1, 3, 5]  # the global row replaces the default


def test_proposals_and_overdue_orders_and_tasks(world):
    store, product = world.location(), world.product()
    first = world.proposal(store, product, created_at=NOW - timedelta(days=2))
    second = world.proposal(store, product, created_at=NOW - timedelta(hours=1))
    world.proposal(store, product, status="approved")
    late = world.purchase_order(store, "sent", day(-2), [(product, 10, 0, None)])
    world.purchase_order(store, "sent", day(-2), [(product, 10, 10, None)])  # fully received
    world.purchase_order(store, "cancelled", day(-9), [(product, 10, 0, None)])
    late_draft_line = world.purchase_order(store, "draft", None, [(product, 4, 0, day(-1))])
    world.purchase_order(store, "partially_received", day(3), [(product, 10, 4, None)])
    world.purchase_order(store, "sent", day(-3), [(product, 10, 0, day(2))])  # the line's own date wins
    overdue_task = world.task(store, product, 5, due=day(-1), status="approved")
    world.task(store, product, 5, due=day(-1), status="completed")
    world.task(store, product, 5, due=day(0), status="in_progress")

    section = build_snapshot(NOW).payload["planning"]
    proposals = section["proposals_awaiting_approval"]
    assert proposals["count"] == 2 and proposals["ids"] == [first.pk, second.pk]
    assert proposals["oldest_created_at"] == (NOW - timedelta(days=2)).isoformat()
    assert section["overdue_purchase_orders"]["count"] == 2
    assert set(section["overdue_purchase_orders"]["ids"]) == {late.pk, late_draft_line.pk}
    assert section["overdue_production_tasks"] == {"count": 1, "ids": [overdue_task.pk], "truncated": False}


def test_id_lists_are_capped_but_counts_stay_exact(world, settings):
    settings.MONITORING_LIST_CAP = 2
    store, product = world.location(), world.product()
    tasks = [world.task(store, product, 1, due=day(-i)) for i in range(1, 6)]
    section = build_snapshot(NOW).payload["planning"]["overdue_production_tasks"]
    assert section["count"] == 5 and section["truncated"] is True
    assert section["ids"] == [tasks[4].pk, tasks[3].pk]  # oldest due date first


def test_risk_lists_are_capped_largest_shortfall_first(world, settings):
    settings.MONITORING_LIST_CAP = 1
    store = world.location()
    small_gap, big_gap, fine = world.product(), world.product(), world.product()
    run = world.model_run(NOW - timedelta(hours=1))
    for product, daily in ((small_gap, 1), (big_gap, 10), (fine, 1)):
        world.forecast_days(run, store, product, [daily] * 5)
    world.balance(store, fine, 50)
    section = build_snapshot(NOW).payload["planning"]
    assert section["items_evaluated"] == 3
    risk = section["stockout_risk"]
    assert risk["count"] == 2 and risk["truncated"] is True
    assert [(i["product_id"], i["shortfall"]) for i in risk["items"]] == [(big_gap.pk, 20)]  # 2 days × 10
    assert section["overstock"]["count"] == 1 and section["overstock"]["items"][0]["product_id"] == fine.pk
