"""Forecasting API: runs (list/detail/start), forecasts, accuracy, chart; roles, bad input, empty database."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django_q.models import OrmQ

from forecasting import tasks
from forecasting.choices import RunStatus
from forecasting.models import ModelRun
from forecasting.services import update_accuracy
from sales.models import DailySale
from tests.forecasting.conftest import END, FAST, make_run, scoped_accuracy

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/forecasting/runs/"
FORECASTS = "/api/v1/forecasting/forecasts/"
ACCURACY = "/api/v1/forecasting/accuracy/"
CHART = "/api/v1/forecasting/chart/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("url", [RUNS, FORECASTS, ACCURACY, ACCURACY + "?group_by=horizon_day"])
def test_empty_database_answers_200_with_an_empty_page(client_for, url):
    response = client_for("viewer").get(url)
    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["results"] == []


@pytest.mark.parametrize(
    ("role", "read", "start"),
    [("anonymous", 401, 401), ("viewer", 200, 403), ("integrator", 200, 403), ("planner", 200, 202),
     ("admin", 200, 202)],
)
def test_permissions_per_role(client_for, world, role, read, start):
    world.standard(days=30)
    client = client_for(role)
    for url in (RUNS, FORECASTS, ACCURACY, f"{CHART}?location={world.store_a.pk}&product={world.bread.pk}"):
        assert client.get(url).status_code == read, url
    assert client.post(RUNS, {"horizon": 7}, format="json").status_code == start


def test_start_a_run_then_the_worker_executes_it(client_for, world, django_capture_on_commit_callbacks):
    world.standard(days=60)
    client = client_for("planner")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            RUNS, {"horizon": 5, "backtest_folds": 1, "location": [world.region.pk], "parameters": FAST},
            format="json",
        )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["horizon"] == 5 and body["scope"] == {"location": [world.region.pk]}
    assert response["Location"] == f"{RUNS}{body['id']}/"
    # The work went to django-q2 once the request's transaction committed.
    (queued,) = OrmQ.objects.all()
    assert queued.task["func"] == "forecasting.tasks.run_training" and tuple(queued.task["args"]) == (body["id"],)
    run = ModelRun.objects.get(pk=body["id"])
    assert run.task_id and run.created_by == client.user
    # What the worker would do:
    tasks.run_training(run.pk)
    detail = client.get(f"{RUNS}{run.pk}/").json()
    assert detail["status"] == "succeeded" and detail["forecast_count"] == 3 * 5 and detail["progress"] == 100.0
    assert detail["metrics"]["models"]["lightgbm"]["wape"] is not None and detail["wape"] is not None
    shares = [item["share"] for item in detail["feature_importance"]]
    assert shares and shares == sorted(shares, reverse=True) and detail["has_model"] is True
    listed = client.get(RUNS).json()["results"][0]
    assert listed["id"] == run.pk and "feature_importance" not in listed


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": "soon"}, "horizon"),
        ({"backtest_folds": 50}, "backtest_folds"),
        ({"location": [987654]}, "location"),
        ({"product": ["abc"]}, "product"),
        ({"category": [987654]}, "category"),
        ({"parameters": {"num_leaves": 0}}, "parameters"),
        ({"parameters": {"missing_policy": "unknown"}}, "parameters"),
        ({"parameters": "fast"}, "parameters"),
    ],
)
def test_bad_run_parameters_are_400_naming_the_field(client_for, world, payload, field):
    world.standard(days=30)
    response = client_for("planner").post(RUNS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not ModelRun.objects.exists()


def test_start_on_empty_database_is_422(client_for):
    response = client_for("planner").post(RUNS, {}, format="json")
    assert response.status_code == 422 and "no daily sales" in response.json()["detail"]


def test_second_run_while_one_is_active_is_409(client_for, world):
    world.standard(days=30)
    busy = ModelRun.objects.create(status=RunStatus.RUNNING, stage="train")
    response = client_for("planner").post(RUNS, {}, format="json")
    assert response.status_code == 409
    assert f"run #{busy.pk} is running" in response.json()["detail"]


def test_runs_filters_and_ordering(client_for, world):
    make_run([(world.store_a, world.bread)])
    failed = ModelRun.objects.create(status=RunStatus.FAILED, error="history: not enough history")
    client = client_for("viewer")
    assert [r["id"] for r in client.get(RUNS + "?status=failed").json()["results"]] == [failed.pk]
    assert client.get(RUNS + "?status=exploded").status_code == 400
    assert client.get(RUNS + "?search=enough").json()["count"] == 1
    assert client.get(RUNS + "?ordering=forecast_count").json()["results"][0]["id"] == failed.pk
    assert client.get(RUNS + "?page_size=5000").status_code == 400


def test_forecasts_default_to_the_latest_run_and_filter(client_for, world, django_assert_max_num_queries):
    series = [(world.store_a, world.bread), (world.store_a, world.milk), (world.store_b, world.bread),
              (world.warehouse, world.cola)]
    old = make_run(series, yhat=1.0)
    new = make_run(series, yhat=2.0)
    only_wh = make_run([(world.warehouse, world.cola)], yhat=3.0)  # a scoped run, the newest of all
    client = client_for("viewer")
    with django_assert_max_num_queries(12):
        body = client.get(FORECASTS + "?page_size=100").json()
    assert body["count"] == 7 and {r["run"] for r in body["results"]} == {only_wh.pk}
    # Asking for the region: the newest run that covers it.
    region = client.get(FORECASTS + f"?location={world.region.pk}&page_size=100").json()
    assert region["count"] == 3 * 7 and {r["run"] for r in region["results"]} == {new.pk}
    assert {(r["location_code"], r["sku"]) for r in region["results"]} == {("A01", "BREAD"), ("A01", "MILK"),
                                                                         ("B02", "BREAD")}
    pinned = client.get(FORECASTS + f"?run={old.pk}&category={world.food.pk}&page_size=100").json()
    assert pinned["count"] == 3 * 7 and {r["yhat"] for r in pinned["results"]} == {1.0}
    window = client.get(
        FORECASTS + f"?run={new.pk}&sku=BREAD&date_after={END + dt.timedelta(days=2)}"
                    f"&date_before={END + dt.timedelta(days=3)}"
    ).json()
    assert window["count"] == 2 * 2
    assert client.get(FORECASTS + "?run=latest&product=" + str(world.milk.pk)).json()["results"][0]["run"] == new.pk


def test_the_latest_run_covering_a_store_is_found_behind_many_newer_scoped_runs(client_for, world):
    """More newer runs than one chunk of candidates (RUN_CHUNK) cover only the warehouse."""
    from forecasting.services.queries import RUN_CHUNK

    covering = make_run([(world.store_a, world.bread)], yhat=1.0)
    for _ in range(RUN_CHUNK + 3):
        make_run([(world.warehouse, world.cola)], yhat=3.0)
    body = client_for("viewer").get(FORECASTS + f"?location={world.store_a.pk}&page_size=100").json()
    assert body["count"] == 7 and {r["run"] for r in body["results"]} == {covering.pk}
    assert client_for("viewer").get(FORECASTS + f"?location={world.store_b.pk}").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [("run=abc", "run"), ("run=999999", "run"), ("location=999999", "location"), ("product=x", "product"),
     ("date_after=yesterday", "date")],
)
def test_forecasts_bad_filters_are_400(client_for, world, query, field):
    response = client_for("viewer").get(FORECASTS + "?" + query)
    assert response.status_code == 400 and field in json.dumps(response.json())


def test_accuracy_grouped(client_for, world):
    run = make_run([(world.store_a, world.bread), (world.store_b, world.bread)], yhat=5.0, band=2.0)
    for location, qty in [(world.store_a, 4), (world.store_b, 8)]:
        DailySale.objects.create(location=location, product=world.bread, date=END + dt.timedelta(days=1),
                                 quantity=Decimal(qty))
    update_accuracy()
    client = client_for("viewer")
    (by_run,) = client.get(ACCURACY).json()["results"]
    assert by_run["key"] == run.pk and by_run["count"] == 2
    assert by_run["wape"] == pytest.approx(4 / 12) and by_run["coverage"] == pytest.approx(0.5)
    assert set(by_run) == {"group_by", "key", "label", "count", "wape", "mae", "bias", "coverage", "actual",
                           "forecast"}
    by_location = client.get(ACCURACY + f"?group_by=location&location={world.region.pk}").json()["results"]
    assert [row["key"] for row in by_location] == sorted([world.store_a.pk, world.store_b.pk])
    assert client.get(ACCURACY + "?group_by=horizon_day").json()["results"][0]["key"] == 1
    bad = client.get(ACCURACY + "?group_by=week")
    assert bad.status_code == 400 and "group_by" in bad.json()


def test_accuracy_by_forecast_scope_and_filtered_to_one(client_for, world):
    scope, scoped = scoped_accuracy(world, "Store A")
    client = client_for("viewer")
    rows = client.get(ACCURACY + "?group_by=forecast_scope").json()["results"]
    assert [(row["key"], row["label"], row["count"]) for row in rows] == [
        (None, "Everything (runs without a scope)", 1), (scope.pk, "Store A", 1),
    ]
    (only,) = client.get(ACCURACY + "?group_by=forecast_scope&forecast_scope=Store A").json()["results"]
    assert only["key"] == scope.pk and only["wape"] == pytest.approx(1 / 4)
    (run_row,) = client.get(ACCURACY + f"?forecast_scope={scope.pk}").json()["results"]
    assert run_row["key"] == scoped.pk
    russian = client.get(ACCURACY + "?group_by=forecast_scope", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert russian[0]["label"] != "Everything (runs without a scope)"


def test_chart_png_and_json(client_for, world):
    world.sales(world.store_a, world.bread, days=40)
    make_run([(world.store_a, world.bread)], yhat=9.0, band=3.0)
    DailySale.objects.create(location=world.store_a, product=world.bread, date=END + dt.timedelta(days=1),
                             quantity=Decimal(11))
    client = client_for("viewer")
    query = f"?location={world.store_a.pk}&product={world.bread.pk}"
    png = client.get(CHART + query + "&format=png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(PNG_MAGIC) and len(png.content) > 10_000
    data = client.get(CHART + query + "&format=json").json()
    assert set(data) == {"location", "product", "run", "missing_day_policy", "history", "forecast", "actuals"}
    assert data["location"]["code"] == "A01" and data["product"]["sku"] == "BREAD"
    assert len(data["history"]) == 40 and data["history"][-1]["date"] == str(END)
    assert len(data["forecast"]) == 7
    assert set(data["forecast"][0]) == {"date", "yhat", "p10", "p50", "p90"}
    assert data["actuals"] == [{"date": str(END + dt.timedelta(days=1)), "actual": 11.0}]
    assert client.get(CHART + query, HTTP_ACCEPT="image/png").content.startswith(PNG_MAGIC)


def test_chart_without_any_data_still_draws(client_for, world):
    client = client_for("viewer")
    query = f"?location={world.store_a.pk}&product={world.bread.pk}"
    data = client.get(CHART + query).json()
    assert data["run"] is None and data["history"] == [] and data["forecast"] == []
    assert client.get(CHART + query + "&format=png").content.startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "location"), ("location=1", "product"), ("location=abc&product=1", "location"),
     ("location=999999&product={product}", "location"), ("location={location}&product=999999", "product"),
     ("location={location}&product={product}&run=xyz", "run"),
     ("location={location}&product={product}&history_days=0", "history_days"),
     ("location={location}&product={product}&format=gif", "format")],
)
def test_chart_bad_parameters_are_400(client_for, world, query, field):
    query = query.format(location=world.store_a.pk, product=world.bread.pk)
    response = client_for("viewer").get(CHART + "?" + query)
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_chart_error_asked_as_png_comes_back_as_json(client_for, world):
    response = client_for("viewer").get(CHART + f"?location={world.store_a.pk}&format=png")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "product" in response.json()


def test_an_engine_refusal_reaches_the_api_as_422_json_not_500(rf):
    """EngineError is a DomainError: the one exception handler answers it, no view translates it by hand.

    A view that does nothing but call the engine (no try/except) stands for every view whose service lets an
    engine refusal through.
    """
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from forecasting import engine

    class EngineOnlyView(APIView):
        authentication_classes: list = []
        permission_classes: list = []

        def get(self, request):
            return Response(engine.make_config({"learning_rate": 5}).__dict__)

    response = EngineOnlyView.as_view()(rf.get("/engine-only/"))
    response.render()
    assert response.status_code == 422
    body = json.loads(response.content)
    assert body["code"] == "engine_error"
    assert body["learning_rate"] == ["learning_rate: must be in (0, 1]"]
    assert body["hint"]
