"""The monitoring API: empty database, permissions per role, snapshot/persist, history and timeseries checks,
alert rule CRUD and events."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.metrics import METRIC_PATHS
from monitoring.models import AlertEvent, AlertRule, MonitoringSnapshot
from monitoring.services.snapshots import build_and_persist_snapshot
from tests.monitoring.conftest import away_from_slot_boundary

pytestmark = pytest.mark.django_db
BASE = "/api/v1/planning/monitoring/"
READ_ENDPOINTS = [
    "bootstrap/", "status/", "history/", "timeseries/?metrics=planning.stockout_risk.count",
    "alert-rules/", "alert-events/",
]


@pytest.mark.parametrize("endpoint", READ_ENDPOINTS + ["snapshot/"])
def test_every_endpoint_answers_200_with_json_on_an_empty_database(client_for, endpoint):
    response = client_for("admin").get(BASE + endpoint)
    assert response.status_code == 200, response.content
    assert isinstance(json.loads(response.content), dict)


def test_empty_database_status_says_missing(client_for):
    body = client_for("viewer").get(BASE + "status/").json()
    assert body["snapshot"] is None and body["freshness"]["state"] == "missing"
    boot = client_for("viewer").get(BASE + "bootstrap/").json()
    assert boot["snapshot"] is None and boot["open_alerts"] == [] and boot["open_alerts_count"] == 0
    assert [m["path"] for m in boot["metrics"]] == list(METRIC_PATHS)
    assert boot["permissions"] == {"can_build_snapshot": False, "can_manage_alert_rules": False}
    assert boot["endpoints"]["timeseries"].endswith(BASE + "timeseries")


@pytest.mark.parametrize("role", ["viewer", "planner", "integrator"])
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_every_role_reads(client_for, role, endpoint):
    assert client_for(role).get(BASE + endpoint).status_code == 200


@pytest.mark.parametrize("endpoint", READ_ENDPOINTS + ["snapshot/"])
def test_anonymous_is_refused(client_for, endpoint):
    assert client_for("anonymous").get(BASE + endpoint).status_code == 401


@pytest.mark.parametrize("role", ["viewer", "planner", "integrator"])
def test_only_admins_build_snapshots_and_edit_rules(client_for, role):
    client = client_for(role)
    assert client.get(BASE + "snapshot/").status_code == 403
    assert client.post(BASE + "snapshot/?persist=true").status_code == 403
    rule = {"name": "x", "metric": "planning.overstock.count", "comparator": "gt", "threshold": 1}
    assert client.post(BASE + "alert-rules/", rule, format="json").status_code == 403
    assert MonitoringSnapshot.objects.count() == 0 and AlertRule.objects.count() == 0


def test_admin_bootstrap_permissions(client_for):
    boot = client_for("admin").get(BASE + "bootstrap/").json()
    assert boot["permissions"] == {"can_build_snapshot": True, "can_manage_alert_rules": True}


def test_snapshot_get_builds_without_storing_and_post_persist_stores_once(client_for):
    admin = client_for("admin")
    built = admin.get(BASE + "snapshot/").json()
    assert built["persisted"] is False and built["status"] == "built" and built["snapshot"]["id"] is None
    assert built["snapshot"]["payload"]["planning"]["stockout_risk"]["count"] == 0
    assert set(built["snapshot"]["metrics"]) == set(METRIC_PATHS)
    assert admin.post(BASE + "snapshot/").json()["persisted"] is False
    assert MonitoringSnapshot.objects.count() == 0

    refused = admin.get(BASE + "snapshot/?persist=true")
    assert refused.status_code == 400 and "POST" in refused.json()["persist"][0]
    assert admin.post(BASE + "snapshot/?persist=perhaps").status_code == 400

    away_from_slot_boundary()
    stored = admin.post(BASE + "snapshot/?persist=true")
    assert stored.status_code == 201, stored.content
    assert stored.json()["persisted"] is True and stored.json()["snapshot"]["id"] == MonitoringSnapshot.objects.get().pk
    assert MonitoringSnapshot.objects.get().trigger == "api"
    again = admin.post(BASE + "snapshot/?persist=true")
    assert again.status_code == 409 and "already has snapshot" in again.json()["detail"]

    status = admin.get(BASE + "status/").json()
    assert status["freshness"]["state"] == "fresh" and status["snapshot"]["id"] == stored.json()["snapshot"]["id"]
    assert "payload" in status["snapshot"]


def test_status_turns_stale_when_slots_are_missed(client_for):
    build_and_persist_snapshot(timezone.now() - timedelta(hours=1))
    body = client_for("viewer").get(BASE + "status/").json()
    assert body["freshness"]["state"] == "stale" and body["freshness"]["slots_behind"] >= 4


def test_history_is_newest_first_and_bounded(client_for, settings):
    start = timezone.now() - timedelta(hours=2)
    ids = [build_and_persist_snapshot(start + timedelta(minutes=15 * k)).snapshot.pk for k in range(3)]
    viewer = client_for("viewer")
    body = viewer.get(BASE + "history/", {"limit": 2}).json()
    assert body["limit"] == 2 and [r["id"] for r in body["results"]] == ids[::-1][:2]
    assert "payload" not in body["results"][0] and "planning.overstock.count" in body["results"][0]["metrics"]
    assert viewer.get(BASE + "history/").json()["count"] == 3
    for bad in ("1001", "0", "-1", "many"):
        response = viewer.get(BASE + "history/", {"limit": bad})
        assert response.status_code == 400 and "limit" in response.json(), bad
    assert viewer.get(BASE + "history/", {"limit": 1000}).status_code == 200
    settings.MONITORING_HISTORY_MAX_LIMIT = 2
    assert "2" in viewer.get(BASE + "history/", {"limit": 3}).json()["limit"][0]


def test_timeseries_returns_values_per_snapshot(client_for, world):
    from tests.monitoring.conftest import day

    start = timezone.now() - timedelta(hours=1)
    first = build_and_persist_snapshot(start).snapshot
    world.task(world.location(), world.product(), 1, due=day(-400))
    second = build_and_persist_snapshot(start + timedelta(minutes=15)).snapshot
    body = client_for("viewer").get(BASE + "timeseries/", {
        "metrics": "planning.overdue_production_tasks.count, integrations.accounts_total",
        "from": (start - timedelta(minutes=20)).isoformat(), "to": timezone.now().isoformat(),
    }).json()
    assert [m["path"] for m in body["metrics"]] == [
        "planning.overdue_production_tasks.count", "integrations.accounts_total"
    ]
    assert [p["snapshot_id"] for p in body["points"]] == [first.pk, second.pk]
    assert [p["values"]["planning.overdue_production_tasks.count"] for p in body["points"]] == [0, 1]
    assert body["points"][1]["values"]["integrations.accounts_total"] == 0
    assert set(body) == {"from", "to", "metrics", "points"}


def test_timeseries_default_window_and_date_only_bounds(client_for):
    now = timezone.now()
    inside = build_and_persist_snapshot(now - timedelta(hours=2)).snapshot
    build_and_persist_snapshot(now - timedelta(days=3))
    viewer = client_for("viewer")
    recent = viewer.get(BASE + "timeseries/", {"metrics": "planning.overstock.count"}).json()
    assert [p["snapshot_id"] for p in recent["points"]] == [inside.pk]  # default: the last 24 hours
    day_only = viewer.get(BASE + "timeseries/", {
        "metrics": "planning.overstock.count", "from": (now - timedelta(days=3)).date().isoformat(),
        "to": now.date().isoformat(),
    }).json()
    assert len(day_only["points"]) == 2


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"metrics": "planning.nope"}, "metrics", "Unknown metric(s): planning.nope"),
    ({"metrics": "planning.nope,integrations.accounts_total"}, "metrics", "Valid metrics: integrations.accounts_total"),
    ({}, "metrics", "required"),
    ({"metrics": " , "}, "metrics", "required"),
    ({"metrics": "planning.overstock.count", "from": "yesterday"}, "from", "ISO date"),
    ({"metrics": "planning.overstock.count", "to": "2025-13-45"}, "to", "ISO date"),
    ({"metrics": "planning.overstock.count", "from": "2025-03-02", "to": "2025-03-01"}, "from", "must not be after"),
    ({"metrics": "planning.overstock.count", "from": "2024-01-01", "to": "2025-03-01"}, "from", "at most 92 days"),
])
def test_timeseries_validation(client_for, params, field, words):
    response = client_for("viewer").get(BASE + "timeseries/", params)
    assert response.status_code == 400
    body = response.json()
    assert words in body[field][0]
    if field == "metrics":
        assert body["valid_metrics"] == list(METRIC_PATHS)


def test_alert_rule_crud_and_validation(client_for):
    admin = client_for("admin")
    rule = {"name": "Stale sales", "metric": "data.sales.stale_locations.count", "comparator": "gte", "threshold": 1,
            "for_snapshots": 4, "severity": "warning", "recipients": "ops@example.com; a@example.com"}
    created = admin.post(BASE + "alert-rules/", rule, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["condition"] == "data.sales.stale_locations.count ≥ 1" and body["open_event_id"] is None
    url = f"{BASE}alert-rules/{body['id']}/"
    assert admin.patch(url, {"threshold": 3, "enabled": False}, format="json").json()["threshold"] == 3
    listed = client_for("viewer").get(BASE + "alert-rules/", {"enabled": "false"}).json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "Stale sales"

    bad_metric = admin.post(BASE + "alert-rules/", rule | {"name": "b", "metric": "data.nope"}, format="json")
    assert bad_metric.status_code == 400
    assert "not a known metric" in bad_metric.json()["metric"][0]
    assert "planning.overstock.count" in bad_metric.json()["metric"][0]
    bad_mail = admin.post(BASE + "alert-rules/", rule | {"name": "c", "recipients": "ops@, x"}, format="json")
    assert bad_mail.status_code == 400 and "recipients" in bad_mail.json()
    for count in (0, 97):
        bad_count = admin.post(BASE + "alert-rules/", rule | {"name": "d", "for_snapshots": count}, format="json")
        assert bad_count.status_code == 400 and "for_snapshots" in bad_count.json()
    assert admin.post(BASE + "alert-rules/", rule, format="json").status_code == 400  # name is unique

    assert admin.delete(url).status_code == 204 and AlertRule.objects.count() == 0


def test_alert_events_are_listed_filtered_and_read_only(client_for, world):
    from tests.monitoring.conftest import day

    rule = AlertRule.objects.create(name="Overdue", metric="planning.overdue_production_tasks.count",
                                    comparator="gt", threshold=0, recipients="ops@example.com")
    world.task(world.location(), world.product(), 1, due=day(-400))
    build_and_persist_snapshot(timezone.now())
    event = AlertEvent.objects.get()
    viewer = client_for("viewer")
    listed = viewer.get(BASE + "alert-events/", {"status": "open"}).json()
    assert listed["count"] == 1 and listed["results"][0]["rule_name"] == "Overdue"
    assert viewer.get(BASE + "alert-events/", {"status": "resolved"}).json()["count"] == 0
    assert viewer.get(f"{BASE}alert-rules/{rule.pk}/").json()["open_event_id"] == event.pk
    boot = viewer.get(BASE + "bootstrap/").json()
    assert boot["open_alerts_count"] == 1 and boot["open_alerts"][0]["id"] == event.pk
    assert client_for("admin").post(BASE + "alert-events/", {}, format="json").status_code == 405
    assert client_for("admin").delete(f"{BASE}alert-events/{event.pk}/").status_code == 405


@pytest.mark.parametrize("endpoint", ["bootstrap", "status", "history", "snapshot", "alert-rules", "alert-events"])
def test_routes_answer_without_the_trailing_slash_too(client_for, endpoint):
    assert client_for("admin").get(BASE + endpoint).status_code == 200


def test_post_without_trailing_slash_is_not_redirected(client_for):
    admin = client_for("admin")
    assert admin.post(BASE + "snapshot").status_code == 200
    rule = {"name": "x", "metric": "planning.overstock.count", "comparator": "gt", "threshold": 1}
    assert admin.post(BASE + "alert-rules", rule, format="json").status_code == 201
