"""Forecast scopes as units of work: configuration, runs side by side on disjoint scopes, refusals with the
reason on overlapping ones, and each scope's forecast of record read by planning, charts and exports."""

import io

import pytest
from django.db import IntegrityError, connection, transaction

from core.errors import Conflict
from forecasting.choices import RunStatus
from forecasting.models import ForecastScope, ModelRun
from forecasting.services import (
    InvalidParameter,
    NoHistory,
    RunInProgress,
    chart_data,
    export_forecasts,
    train_and_forecast,
)
from forecasting.services.records import forecast_of_record_bulk, forecast_of_record_for, record_forecasts
from forecasting.services.runs import queue_training_run
from forecasting.services.scopes import delete_scope, save_scope, scopes_overlap
from forecasting.tasks import run_training
from planning.services.proposals import series_runs
from sales.models import DailySale
from tests.forecasting.conftest import FAST, make_run

pytestmark = pytest.mark.django_db

SCOPES = "/api/v1/forecasting/scopes/"
RUNS = "/api/v1/forecasting/runs/"


@pytest.fixture
def scopes(world):
    """Store A and store B as two disjoint active scopes; the warehouse stays with "everything"."""
    return (
        save_scope(name="Store A", location=world.store_a),
        save_scope(name="Store B", location=world.store_b),
    )


def test_overlap_is_location_subtree_times_category_subtree(world):
    a = ForecastScope(name="a", location=world.store_a)
    region_food = ForecastScope(name="rf", location=world.region, category=world.food)
    region_drinks = ForecastScope(name="rd", location=world.region, category=world.drinks)
    bakery = ForecastScope(name="b", category=world.bakery)
    warehouse = ForecastScope(name="w", location=world.warehouse)
    assert scopes_overlap(a, region_food) and scopes_overlap(region_food, bakery)  # nested subtrees
    assert not scopes_overlap(region_food, region_drinks)  # same places, disjoint categories
    assert not scopes_overlap(a, warehouse) and not scopes_overlap(bakery, region_drinks)
    assert scopes_overlap(None, warehouse)  # "everything" overlaps every scope


def test_active_scopes_must_be_disjoint_and_restrict_something(world, scopes):
    with pytest.raises(InvalidParameter, match="overlaps active scope 'Store A'") as caught:
        save_scope(name="Region", location=world.region)
    assert caught.value.field == "location"
    inactive = save_scope(name="Region", location=world.region, active=False)  # allowed while inactive
    with pytest.raises(InvalidParameter, match="overlaps active scope"):
        save_scope(name="Region", location=world.region, active=True, instance=inactive)
    with pytest.raises(InvalidParameter) as caught:
        save_scope(name="All")
    assert caught.value.field == "location"
    with pytest.raises(InvalidParameter, match="already called"):
        save_scope(name="Store A", location=world.warehouse)
    save_scope(name="Warehouse food", location=world.warehouse, category=world.food)
    save_scope(name="Warehouse drinks", location=world.warehouse, category=world.drinks)  # disjoint by category


def test_scopes_api_lists_validates_and_refuses_with_the_field(client_for, world):
    planner, viewer = client_for("planner"), client_for("viewer")
    assert viewer.get(SCOPES).status_code == 200 and viewer.get(SCOPES).json()["count"] == 0
    created = planner.post(SCOPES, {"name": "North", "location": world.region.pk}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["location_code"] == "NORTH" and body["record_run"] is None and body["active_run"] is None
    overlapping = planner.post(SCOPES, {"name": "A", "location": world.store_a.pk}, format="json")
    assert overlapping.status_code == 400 and "overlaps active scope 'North'" in overlapping.json()["location"][0]
    assert planner.post(SCOPES, {"name": "X", "location": 999_999}, format="json").status_code == 400
    assert "location" in planner.post(SCOPES, {"name": "Nothing"}, format="json").json()
    assert "name" in planner.post(SCOPES, {"name": "North", "location": world.warehouse.pk}, format="json").json()
    assert viewer.post(SCOPES, {"name": "V", "location": world.warehouse.pk}, format="json").status_code == 403
    patched = planner.patch(f"{SCOPES}{body['id']}/", {"active": False}, format="json")
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert planner.get(f"{SCOPES}999999/").status_code == 404


def test_two_disjoint_scopes_run_side_by_side_and_an_overlapping_one_is_refused(
    client_for, world, scopes, django_capture_on_commit_callbacks
):
    world.standard()
    store_a, store_b = scopes
    planner = client_for("planner")
    with django_capture_on_commit_callbacks(execute=False):  # both stay queued: "two workers took them"
        first = planner.post(f"{SCOPES}{store_a.pk}/run/", {"horizon": 7, "parameters": FAST}, format="json")
        second = planner.post(f"{SCOPES}{store_b.pk}/run/", {"horizon": 7, "parameters": FAST}, format="json")
    assert first.status_code == 202 and second.status_code == 202, (first.json(), second.json())
    assert ModelRun.objects.filter(status=RunStatus.QUEUED).count() == 2

    # The same scope again, and "everything" (which overlaps both): 409 naming the run and its scope.
    again = planner.post(f"{SCOPES}{store_a.pk}/run/", {"horizon": 7}, format="json")
    assert again.status_code == 409 and again.json()["scope"] == "Store A"
    assert f"run #{first.json()['id']} is queued" in again.json()["detail"]
    everything = planner.post(RUNS, {"horizon": 7}, format="json")
    assert everything.status_code == 409 and "which overlaps scope 'everything'" in everything.json()["detail"]
    region = save_scope(name="Region", location=world.region, active=False)
    with pytest.raises(RunInProgress, match="scope 'Store A', which overlaps scope 'Region'"):
        queue_training_run(forecast_scope=region, horizon=7)
    # A scope elsewhere still runs at the same time.
    warehouse = save_scope(name="Warehouse", location=world.warehouse)
    assert train_and_forecast(forecast_scope=warehouse, horizon=7, parameters=FAST).status == RunStatus.SUCCEEDED

    run_training(first.json()["id"])
    run_training(second.json()["id"])
    done_a, done_b = (ModelRun.objects.get(pk=r.json()["id"]) for r in (first, second))
    assert done_a.status == done_b.status == RunStatus.SUCCEEDED
    assert set(done_a.forecasts.values_list("location_id", flat=True)) == {world.store_a.pk}
    assert set(done_b.forecasts.values_list("location_id", flat=True)) == {world.store_b.pk}
    assert done_a.scope == {"location": [world.store_a.pk]} and done_a.forecast_scope == store_a
    listed = {s["name"]: s for s in planner.get(SCOPES).json()["results"]}
    assert listed["Store A"]["record_run"] == done_a.pk and listed["Store A"]["active_run"] is None


def test_the_database_allows_one_active_run_per_scope_and_one_for_everything(world, scopes):
    ModelRun.objects.create(status=RunStatus.RUNNING, forecast_scope=scopes[0])
    ModelRun.objects.create(status=RunStatus.RUNNING, forecast_scope=scopes[1])  # another scope: fine
    ModelRun.objects.create(status=RunStatus.QUEUED)  # everything: one
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelRun.objects.create(status=RunStatus.QUEUED, forecast_scope=scopes[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelRun.objects.create(status=RunStatus.RUNNING)
    ModelRun.objects.create(status=RunStatus.SUCCEEDED, forecast_scope=scopes[0])  # finished runs: any number


def test_each_series_reads_its_scopes_forecast_of_record(world, scopes):
    store_a, store_b = scopes
    a_bread, a_milk, b_bread, wh_cola = (
        (world.store_a, world.bread),
        (world.store_a, world.milk),
        (world.store_b, world.bread),
        (world.warehouse, world.cola),
    )
    everything = make_run([a_bread, a_milk, b_bread, wh_cola], yhat=1.0)
    old_a = make_run([a_bread, a_milk], yhat=2.0, forecast_scope=store_a)
    new_a = make_run([a_bread, a_milk], yhat=3.0, forecast_scope=store_a)
    make_run([b_bread], yhat=4.0, forecast_scope=store_b, status=RunStatus.FAILED)  # a failed run is no record
    newer_everything = make_run([a_bread, a_milk, b_bread, wh_cola], yhat=5.0)  # newest, but scopes come first
    expected = {
        (world.store_a.pk, world.bread.pk): new_a.pk,
        (world.store_a.pk, world.milk.pk): new_a.pk,
        (world.store_b.pk, world.bread.pk): newer_everything.pk,  # Store B has no succeeded run yet
        (world.warehouse.pk, world.cola.pk): newer_everything.pk,  # no scope covers the warehouse
    }
    assert forecast_of_record_bulk() == expected
    assert forecast_of_record_for(world.store_a, world.bread) == new_a
    assert forecast_of_record_for(world.store_b.pk, world.bread.pk) == newer_everything
    assert series_runs([world.store_a.pk, world.store_b.pk, world.warehouse.pk]) == expected  # planning
    assert old_a.pk not in expected.values() and everything.pk not in expected.values()

    b_run = make_run([b_bread], yhat=6.0, forecast_scope=store_b)
    assert series_runs([world.store_b.pk])[(world.store_b.pk, world.bread.pk)] == b_run.pk
    assert chart_data(location=world.store_b, product=world.bread)["run"]["id"] == b_run.pk
    rows = {(f.location_id, f.product_id): f.yhat for f in record_forecasts()}
    assert rows == {
        (world.store_a.pk, world.bread.pk): 3.0,
        (world.store_a.pk, world.milk.pk): 3.0,
        (world.store_b.pk, world.bread.pk): 6.0,
        (world.warehouse.pk, world.cola.pk): 5.0,
    }
    out = io.BytesIO()
    assert export_forecasts(None, out) == 4 * 7  # the export of record: one run's worth per series

    # A deactivated scope's runs stop being the record: its series fall back to "everything".
    save_scope(name="Store A", location=world.store_a, active=False, instance=store_a)
    assert forecast_of_record_for(world.store_a, world.bread) == newer_everything


def test_forecasts_api_and_planning_use_the_record(client_for, world, scopes):
    store_a, _ = scopes
    full = make_run([(world.store_a, world.bread), (world.warehouse, world.cola)], yhat=1.0)
    scoped = make_run([(world.store_a, world.bread)], yhat=2.0, forecast_scope=store_a)
    make_run([(world.store_a, world.bread), (world.warehouse, world.cola)], yhat=9.0, status=RunStatus.FAILED)
    rows = client_for("viewer").get("/api/v1/forecasting/forecasts/?page_size=100").json()["results"]
    assert {(r["location"], r["run"]) for r in rows} == {(world.store_a.pk, scoped.pk), (world.warehouse.pk, full.pk)}
    runs = client_for("viewer").get(f"{RUNS}?forecast_scope=Store A").json()["results"]
    assert [r["id"] for r in runs] == [scoped.pk]
    assert client_for("viewer").get(f"{RUNS}?forecast_scope=nowhere").status_code == 400


def test_a_failed_scope_run_leaves_the_record_intact(world, scopes):
    world.standard()
    store_a, _ = scopes
    good = train_and_forecast(forecast_scope=store_a, horizon=7, parameters=FAST)
    DailySale.objects.filter(location=world.store_a).delete()  # the next night finds nothing to train on
    with pytest.raises(NoHistory):
        train_and_forecast(forecast_scope=store_a, horizon=7, parameters=FAST)
    assert ModelRun.objects.filter(forecast_scope=store_a, status=RunStatus.FAILED).count() == 1
    assert forecast_of_record_for(world.store_a, world.bread) == good


def test_a_scope_with_runs_is_deactivated_not_deleted(client_for, world, scopes):
    store_a, store_b = scopes
    make_run([(world.store_a, world.bread)], forecast_scope=store_a)
    with pytest.raises(Conflict, match="deactivate it instead"):
        delete_scope(store_a)
    planner = client_for("planner")
    assert planner.delete(f"{SCOPES}{store_a.pk}/").status_code == 409
    assert planner.delete(f"{SCOPES}{store_b.pk}/").status_code == 204


def test_admin_form_shows_the_overlap_on_its_field(admin_client, world, scopes):
    response = admin_client.post(
        "/admin/forecasting/forecastscope/add/", {"name": "Region", "location": world.region.pk, "active": "on"}
    )
    assert response.status_code == 200 and "overlaps active scope" in response.content.decode()
    response = admin_client.post(
        "/admin/forecasting/forecastscope/add/", {"name": "Region", "location": world.region.pk, "active": ""}
    )
    assert response.status_code == 302 and ForecastScope.objects.get(name="Region").active is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_overlapping_scopes_at_once_get_one_run(world):
    """The overlap check runs under the claim lock: two claims at the same instant cannot both pass it."""
    import threading

    from django.db import connections

    from forecasting.services.runs import create_run

    store_a = save_scope(name="Store A", location=world.store_a)
    region = save_scope(name="Region", location=world.region, active=False)
    for _ in range(5):
        barrier, outcomes = threading.Barrier(2), []

        def claim(scope, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                outcomes.append(create_run(forecast_scope=scope, horizon=7).pk)
            except RunInProgress as exc:
                outcomes.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=claim, args=(s,)) for s in (store_a, region)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
        assert sum(isinstance(o, RunInProgress) for o in outcomes) == 1
        ModelRun.objects.update(status=RunStatus.SUCCEEDED)
