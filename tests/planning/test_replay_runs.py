"""Policy replay runs on the database: service, command, API, charts and workbook."""

import datetime as dt
import io
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from branches.models import Location
from core.errors import DomainError
from planning.models import PlanningSettings, ReplayItem, ReplayRun
from planning.services.replay.forecasts import HistoryCut, baseline_source, model_source
from planning.services.replay.runs import run_replay, validate_request
from sales.models import DailySale, Product, ProductCategory, StockLevel

END = dt.date(2026, 3, 31)
FAST_ENGINE = {"num_rounds": 20, "num_leaves": 7, "min_data_in_leaf": 5}


@pytest.fixture
def shop(db):
    """Two stores × two products, 200 days of Poisson demand with a weekly pattern; one category left empty."""
    north = Location.objects.create(code="N", name="North")
    stores = [Location.objects.create(code=c, name=f"Store {c}", parent=north) for c in ("S1", "S2")]
    food = ProductCategory.objects.create(code="FOOD", name="Food")
    ProductCategory.objects.create(code="EMPTY", name="Nothing in it")
    products = [Product.objects.create(sku=s, name=f"Product {s}", category=food, list_price=Decimal(p))
                for s, p in (("BREAD", "2.50"), ("MILK", "1.20"))]
    rng = np.random.default_rng(11)
    rows = []
    for li, loc in enumerate(stores):
        for pi, prod in enumerate(products):
            for k in range(200):
                day = END - dt.timedelta(days=199 - k)
                level = (6 + 4 * li + 3 * pi) * (1.4 if day.weekday() >= 5 else 1.0)
                rows.append(DailySale(location=loc, product=prod, date=day, quantity=Decimal(int(rng.poisson(level)))))
    DailySale.objects.bulk_create(rows)
    PlanningSettings.objects.create(review_period_days=7, lead_time_days=2, pack_size=Decimal("6"))
    return {"stores": stores, "products": products}


@pytest.fixture(autouse=True)
def _fast_engine(monkeypatch):
    """Few boosting rounds: the code paths are the product's, only the model is smaller."""
    from planning.services.replay import runs

    monkeypatch.setattr(runs, "REPLAY_ENGINE", FAST_ENGINE)


def request(**extra):
    params = {"date_from": "2026-02-02", "date_to": "2026-03-31", "service_levels": ["0.9", "0.95"],
              "retrain_every_days": 28, **extra}
    return validate_request(**params)


def test_replay_stores_contenders_items_and_notes(shop):
    run = run_replay(request())
    assert run.status == "succeeded" and run.series_count == 4
    keys = [c["key"] for c in run.contenders]
    assert keys == ["model@0.90", "model@0.95", "seasonal_naive@0.90", "seasonal_naive@0.95", "min_max"]
    for c in run.contenders:
        assert 0.0 <= c["fill_rate"] <= 1.0 and c["avg_stock_value"] > 0 and c["orders"] > 0
    by_key = {c["key"]: c for c in run.contenders}
    assert by_key["model@0.95"]["avg_stock_units"] > by_key["model@0.90"]["avg_stock_units"]
    assert run.initial_stock == "target" and any("target level" in note for note in run.notes)
    assert any("re-trained 3 times" in note for note in run.notes)
    item = ReplayItem.objects.filter(run=run).first()
    assert set(item.outcomes) == set(keys)
    assert set(item.trajectories) == {"model@0.95", "seasonal_naive@0.95", "min_max"}
    assert len(item.demand) == len(item.trajectories["min_max"]) == 58
    # Pack rounding of the settings shows in every order: units ordered are whole packs of 6.
    assert all(o["units_ordered"] % 6 == 0 for i in ReplayItem.objects.filter(run=run) for o in i.outcomes.values())


def test_recorded_stock_starts_the_replay_and_adds_what_actually_happened(shop):
    store, product = shop["stores"][0], shop["products"][0]
    for k, on_hand in enumerate([40, 31, 22, 0, 50]):
        at = timezone.make_aware(dt.datetime.combine(dt.date(2026, 2, 1) + dt.timedelta(days=k * 7),
                                                     dt.time(21)))
        StockLevel.objects.create(location=store, product=product, as_of=at, on_hand=Decimal(on_hand))
    run = run_replay(request())
    assert run.initial_stock == "mixed"
    actual = next(c for c in run.contenders if c["key"] == "actual")
    assert actual["fill_rate"] is None and actual["series"] == 4 and actual["stockout_days"] >= 7
    item = ReplayItem.objects.get(run=run, location=store, product=product)
    assert item.outcomes["model@0.95"]["initial_stock"] == 40.0
    assert "actual" in item.trajectories and "actual" not in ReplayItem.objects.exclude(pk=item.pk).first().outcomes


def test_an_empty_scope_is_an_empty_result_not_an_error(shop):
    run = run_replay(request(category=["EMPTY"]))
    assert run.status == "succeeded" and run.series_count == 0 and run.contenders == []
    assert run.notes


def test_requests_are_checked_and_name_the_field(shop):
    cases = [({"date_from": "2026-04-01"}, "date_from"), ({"date_to": "2999-01-01"}, "date_to"),
             ({"service_levels": ["1.5"]}, "service_levels"), ({"location": ["NOPE"]}, "location"),
             ({"retrain_every_days": 0}, "retrain_every_days"), ({"date_from": "yesterday"}, "date_from")]
    for extra, field in cases:
        with pytest.raises(DomainError) as err:
            request(**extra)
        assert err.value.field == field, extra


def _frame(shop_rows=120, series=3, seed=5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-01-01", periods=shop_rows, freq="D")
    parts = []
    for s in range(series):
        parts.append(pd.DataFrame({"location": str(s + 1), "product": "7", "date": days,
                                   "y": rng.poisson(5 + 3 * s, size=len(days)).astype("float32"),
                                   "promo": (np.arange(len(days)) % 9 == 0).astype("float32")}))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("kind", ["model", "seasonal_naive"])
def test_forecast_sources_do_not_see_the_days_they_forecast(kind):
    """Forecasts made on day 80 are the same whether or not the frame holds the sales of day 80 onwards."""
    frame = _frame()
    series = [(str(s + 1), "7") for s in range(3)]
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=k) for k in range(40)]  # window starts on frame day 59
    full, cut_frame = HistoryCut(frame, series, days), None
    future_changed = frame.copy()
    future_changed.loc[future_changed["date"] >= pd.Timestamp(days[21]), "y"] *= 50  # demand after the origin
    cut_frame = HistoryCut(future_changed, series, days)

    def source(cut):
        if kind == "model":
            return model_source(cut, retrain_every_days=28, overrides=FAST_ENGINE)
        return baseline_source(cut, "seasonal_naive")

    a, b = source(full)(21, 9), source(cut_frame)(21, 9)
    assert a.origin == b.origin == 21
    np.testing.assert_allclose(a.p50, b.p50)
    np.testing.assert_allclose(a.p90, b.p90)
    assert a.p50.shape == (3, 9) and (a.p50 > 0).all()


def test_command_prints_the_contenders_side_by_side(shop, capsys):
    call_command("replay_policy", "--from", "2026-03-02", "--to", "2026-03-31", "--service-levels", "0.95",
                 "--retrain-every", "60", "--no-progress")
    out = capsys.readouterr().out
    assert "Replay #" in out and "fill rate" in out and "Min–max rule" in out and "note:" in out
    assert ReplayRun.objects.count() == 1


def test_api_starts_reads_charts_and_exports_a_replay(shop, client_for, settings, django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    planner = client_for("planner")
    body = {"date_from": "2026-03-02", "date_to": "2026-03-31", "service_levels": ["0.9"], "retrain_every_days": 30}
    with django_capture_on_commit_callbacks(execute=True):
        answer = planner.post("/api/v1/planning/replays/", body, format="json")
    assert answer.status_code == 202, answer.content
    run_id = answer.json()["id"]
    detail = planner.get(f"/api/v1/planning/replays/{run_id}/").json()
    assert detail["status"] == "succeeded" and detail["series_count"] == 4
    assert [c["key"] for c in detail["contenders"]] == ["model@0.90", "seasonal_naive@0.90", "min_max"]
    items = planner.get(f"/api/v1/planning/replays/{run_id}/items/?page_size=2").json()
    assert items["count"] == 4 and len(items["results"]) == 2
    chart = planner.get(f"/api/v1/planning/replays/{run_id}/chart/")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    item_chart = planner.get(f"/api/v1/planning/replays/{run_id}/chart/?item={items['results'][0]['id']}")
    assert item_chart.status_code == 200 and item_chart.content[:4] == b"\x89PNG"
    assert planner.get(f"/api/v1/planning/replays/{run_id}/chart/?item=999999").status_code == 404
    workbook = planner.get(f"/api/v1/planning/replays/{run_id}/export/")
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == ["Contenders", "Items"] and book["Items"].max_row == 1 + 4 * 3


def test_api_refuses_bad_requests_and_readers(shop, client_for):
    planner = client_for("planner")
    answer = planner.post("/api/v1/planning/replays/", {"date_from": "2026-03-31", "date_to": "2026-03-01"},
                          format="json")
    assert answer.status_code == 400 and "date_from" in answer.json()
    answer = planner.post("/api/v1/planning/replays/", {"service_levels": ["abc"]}, format="json")
    assert answer.status_code == 400 and "service_levels" in answer.json()
    assert client_for("viewer").post("/api/v1/planning/replays/", {}, format="json").status_code == 403
    assert client_for("viewer").get("/api/v1/planning/replays/").status_code == 200


def test_lists_answer_on_an_empty_database(client_for):
    viewer = client_for("viewer")
    answer = viewer.get("/api/v1/planning/replays/")
    assert answer.status_code == 200 and answer.json()["count"] == 0


def test_admin_starts_a_replay_and_shows_its_result(shop, client, django_user_model, settings,
                                                    django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    admin_user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-Boss-12345")
    client.force_login(admin_user)
    assert client.get("/admin/planning/replayrun/").status_code == 200
    form = client.get("/admin/planning/replayrun/add/")
    assert form.status_code == 200 and b"Start the replay" in form.content
    refused = client.post("/admin/planning/replayrun/add/", {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert refused.status_code == 200 and b"is after date_to" in refused.content
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/admin/planning/replayrun/add/", {
            "date_from": "2026-03-16", "date_to": "2026-03-31", "service_levels": "0.95", "retrain_every_days": 30})
    assert started.status_code == 302
    run = ReplayRun.objects.get()
    page = client.get(started["Location"])
    assert page.status_code == 200 and "Min–max rule".encode() in page.content
    assert b"stock &amp; demand chart" in page.content
    chart = client.get(f"/admin/planning/replayrun/{run.pk}/chart.png")
    assert chart.status_code == 200 and chart.content[:4] == b"\x89PNG"
    item = run.items.first()
    assert client.get(f"/admin/planning/replayrun/{run.pk}/items/{item.pk}/chart.png").content[:4] == b"\x89PNG"
    assert client.get(f"/admin/planning/replayrun/{run.pk}/export.xlsx").status_code == 200
    assert client.get("/admin/planning/replayrun/999999/change/").status_code == 404


def test_a_replay_left_running_by_a_dead_worker_is_swept(db):
    from datetime import timedelta

    from core.jobs import sweep_stale_runs, worker_time_limit

    old = timezone.now() - worker_time_limit() - timedelta(minutes=1)
    run = ReplayRun.objects.create(status="running", date_from="2026-01-01", date_to="2026-01-31")
    ReplayRun.objects.filter(pk=run.pk).update(started_at=old, heartbeat_at=old, created_at=old)
    counts = sweep_stale_runs()
    run.refresh_from_db()
    assert run.status == "failed" and counts["planning.ReplayRun"] == 1
