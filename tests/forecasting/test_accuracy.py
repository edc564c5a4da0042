"""The accuracy log fills as actuals arrive (zero/unknown policies), stays idempotent, and aggregates right."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.choices import MissingDayPolicy
from forecasting.models import ForecastAccuracyLog, LocationForecastPolicy
from forecasting.services import InvalidParameter, accuracy_summary, train_and_forecast, update_accuracy
from forecasting.services.scope import resolve_scope
from sales.models import DailySale
from tests.forecasting.conftest import END, FAST, make_run

pytestmark = pytest.mark.django_db
DAY1, DAY2, DAY3 = (END + dt.timedelta(days=i) for i in (1, 2, 3))


def sell(location, product, day, qty):
    return DailySale.objects.create(location=location, product=product, date=day, quantity=Decimal(qty))


def logs(**filters) -> dict:
    return {
        (log.location_id, log.product_id, log.date): log
        for log in ForecastAccuracyLog.objects.filter(**filters)
    }


def test_accuracy_log_after_actuals_arrive(world):
    run = make_run([(world.store_a, world.bread), (world.store_a, world.milk), (world.store_b, world.bread),
                    (world.warehouse, world.cola)], yhat=5.0, band=2.0)
    LocationForecastPolicy.objects.create(location=world.warehouse, missing_day_policy=MissingDayPolicy.UNKNOWN)
    assert update_accuracy() == 0  # no actuals yet: forecasts start after the last sales day
    sell(world.store_a, world.bread, DAY1, 4)
    sell(world.store_a, world.bread, DAY2, 9)
    sell(world.store_a, world.milk, DAY1, 5)  # no milk row on DAY2: under "zero" that is a real 0
    sell(world.warehouse, world.cola, DAY1, 6)  # warehouse has data through DAY1 only, policy "unknown"
    sell(world.store_a, world.tea, DAY2, 1)  # tea was not forecast: ignored
    # store B has no sales after END: its points stay unscored until its data arrives.
    written = update_accuracy()
    got = logs(run=run)
    assert written == 5 == len(got)
    bread1 = got[(world.store_a.pk, world.bread.pk, DAY1)]
    assert (bread1.horizon_day, bread1.forecast, bread1.actual) == (1, 5.0, 4.0)
    assert (bread1.error, bread1.abs_error) == (1.0, 1.0)
    assert (bread1.p10, bread1.p90) == (3.0, 7.0)
    bread2 = got[(world.store_a.pk, world.bread.pk, DAY2)]
    assert (bread2.horizon_day, bread2.actual, bread2.error) == (2, 9.0, -4.0)
    milk2 = got[(world.store_a.pk, world.milk.pk, DAY2)]
    assert (milk2.actual, milk2.error) == (0.0, 5.0)
    assert (world.warehouse.pk, world.cola.pk, DAY1) in got
    assert not any(loc == world.store_b.pk for loc, _, _ in got)
    run.refresh_from_db()
    assert run.accuracy_through == DAY2 and run.accuracy_checked_at is not None

    # Idempotent: nothing new, nothing written.
    assert update_accuracy() == 0
    # A late correction and a late-arriving location are picked up, and only those.
    corrected = DailySale.objects.get(location=world.store_a, product=world.bread, date=DAY2)
    corrected.quantity = Decimal(7)
    corrected.save()
    sell(world.store_b, world.bread, DAY1, 5)
    assert update_accuracy() == 2
    got = logs(run=run)
    assert got[(world.store_a.pk, world.bread.pk, DAY2)].actual == 7.0
    assert got[(world.store_b.pk, world.bread.pk, DAY1)].abs_error == 0.0
    assert update_accuracy() == 0


def test_unknown_policy_leaves_missing_days_unscored(world):
    make_run([(world.warehouse, world.cola), (world.warehouse, world.tea)], yhat=3.0)
    LocationForecastPolicy.objects.create(location=world.warehouse, missing_day_policy=MissingDayPolicy.UNKNOWN)
    sell(world.warehouse, world.cola, DAY1, 2)
    sell(world.warehouse, world.cola, DAY3, 2)
    update_accuracy()
    assert sorted(logs()) == [(world.warehouse.pk, world.cola.pk, DAY1), (world.warehouse.pk, world.cola.pk, DAY3)]


def test_failed_runs_are_not_scored(world):
    make_run([(world.store_a, world.bread)], status="failed")
    sell(world.store_a, world.bread, DAY1, 2)
    assert update_accuracy() == 0 and not ForecastAccuracyLog.objects.exists()


def test_accuracy_summary_groups_and_hand_computed_metrics(world):
    run = make_run([(world.store_a, world.bread), (world.store_b, world.bread)], yhat=5.0, band=2.0)
    sell(world.store_a, world.bread, DAY1, 4)  # error +1, inside [3, 7]
    sell(world.store_a, world.bread, DAY2, 10)  # error -5, outside
    sell(world.store_b, world.bread, DAY1, 5)  # error 0, inside
    sell(world.store_b, world.bread, DAY2, 3)  # error +2, inside
    assert update_accuracy() == 4
    (by_run,) = accuracy_summary("run")
    assert by_run["key"] == run.pk and by_run["count"] == 4
    assert by_run["wape"] == pytest.approx((1 + 5 + 0 + 2) / (4 + 10 + 5 + 3))
    assert by_run["bias"] == pytest.approx((1 - 5 + 0 + 2) / 22)
    assert by_run["mae"] == pytest.approx(8 / 4)
    assert by_run["coverage"] == pytest.approx(3 / 4)
    by_location = {row["key"]: row for row in accuracy_summary("location")}
    assert by_location[world.store_a.pk]["wape"] == pytest.approx(6 / 14)
    assert by_location[world.store_a.pk]["label"] == "A01 Store A"
    by_day = {row["key"]: row for row in accuracy_summary("horizon_day")}
    assert by_day[1]["mae"] == pytest.approx(0.5) and by_day[2]["mae"] == pytest.approx(3.5)
    (bread,) = accuracy_summary("product")
    assert bread["label"].startswith("BREAD")
    only_b = accuracy_summary("run", scope=resolve_scope(location=world.store_b.pk))
    assert only_b[0]["count"] == 2
    assert accuracy_summary("run", date_from=DAY2)[0]["count"] == 2


def test_accuracy_summary_edge_cases(world):
    assert accuracy_summary("run") == []
    with pytest.raises(InvalidParameter) as info:
        accuracy_summary("week")
    assert info.value.field == "group_by"
    make_run([(world.store_a, world.bread)], yhat=1.0)
    sell(world.store_a, world.bread, DAY1, 0)  # nothing sold: WAPE and bias undefined, MAE still known
    update_accuracy()
    (row,) = accuracy_summary("run")
    assert row["wape"] is None and row["bias"] is None and row["mae"] == 1.0


def test_empty_database(db):
    assert update_accuracy() == 0
    assert accuracy_summary("product") == []


def test_real_run_then_actuals(world):
    """End to end: a trained run, then a day of actuals, then the log."""
    world.standard(days=60)
    run = train_and_forecast(horizon=3, parameters=FAST)
    for location, product in [(world.store_a, world.bread), (world.warehouse, world.cola)]:
        sell(location, product, DAY1, 8)
    progress = []
    written = update_accuracy(progress=lambda *a: progress.append(a))
    # store A: bread (sold) and milk (no row → 0); warehouse: cola. Store B has no data for DAY1 yet.
    assert written == 3
    assert progress[-1] == ("accuracy", 1, 1)
    assert {log.horizon_day for log in ForecastAccuracyLog.objects.filter(run=run)} == {1}


def test_accuracy_summary_by_forecast_scope_adds_up_each_scopes_runs(world):
    from forecasting.services.scopes import save_scope

    scope_a = save_scope(name="Store A", location=world.store_a)
    scope_b = save_scope(name="Store B", location=world.store_b)
    first_a = make_run([(world.store_a, world.bread)], yhat=5.0, forecast_scope=scope_a)
    second_a = make_run([(world.store_a, world.bread)], yhat=6.0, forecast_scope=scope_a)
    make_run([(world.store_b, world.bread)], yhat=5.0, forecast_scope=scope_b)
    make_run([(world.store_b, world.bread)], yhat=9.0)  # a run without a scope: the "everything" group
    sell(world.store_a, world.bread, DAY1, 4)
    sell(world.store_b, world.bread, DAY1, 5)
    assert update_accuracy() == 4
    rows = accuracy_summary("forecast_scope")
    assert [row["key"] for row in rows] == [None, scope_a.pk, scope_b.pk]
    everything, by_a, by_b = rows
    assert (everything["label"], by_a["label"], by_b["label"]) == (
        "Everything (runs without a scope)", "Store A", "Store B",
    )
    # scope A: both runs' points, errors +1 (5 vs 4) and +2 (6 vs 4)
    assert by_a["count"] == 2 and by_a["wape"] == pytest.approx(3 / 8) and by_a["bias"] == pytest.approx(3 / 8)
    assert by_b["count"] == 1 and by_b["wape"] == pytest.approx(0.0)
    assert everything["count"] == 1 and everything["wape"] == pytest.approx(4 / 5)
    assert sum(row["count"] for row in accuracy_summary("run")) == 4
    assert {row["key"] for row in accuracy_summary("run", queryset=ForecastAccuracyLog.objects.filter(
        run__forecast_scope=scope_a))} == {first_a.pk, second_a.pk}
