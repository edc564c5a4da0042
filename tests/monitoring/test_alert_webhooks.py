"""Alerts open and resolve with a signed webhook event each, next to the mails (a loopback receiver)."""

import json
from datetime import timedelta

import pytest

from monitoring.models import AlertEvent, AlertRule
from monitoring.services.snapshots import build_and_persist_snapshot
from planning.models import ProductionTask
from tests.monitoring.conftest import NOW, day
from webhooks import services

pytestmark = pytest.mark.django_db


def test_alert_opened_and_resolved_events(world, httpserver, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_ALLOW_LOOPBACK_HTTP = True
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    httpserver.expect_request("/alerts").respond_with_data("ok")
    services.create_endpoint(name="pager", url=httpserver.url_for("/alerts"), secret="s" * 20,
                             events=["alert.opened", "alert.resolved"])
    AlertRule.objects.create(name="Overdue production", metric="planning.overdue_production_tasks.count",
                             comparator="gt", threshold=0, for_snapshots=1, severity="critical",
                             recipients="ops@example.com")
    store, product = world.location(), world.product()
    world.task(store, product, 3, due=day(-1))

    with django_capture_on_commit_callbacks(execute=True):
        build_and_persist_snapshot(NOW)
    ProductionTask.objects.filter(due_date__lt=day(0)).update(status="completed")
    with django_capture_on_commit_callbacks(execute=True):
        build_and_persist_snapshot(NOW + timedelta(minutes=15))

    event = AlertEvent.objects.get()
    received = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert [r["event"] for r in received] == ["alert.opened", "alert.resolved"]
    opened, resolved = (r["data"] for r in received)
    assert opened["alert_id"] == resolved["alert_id"] == event.pk
    assert opened["rule"]["name"] == "Overdue production" and opened["severity"] == "critical"
    assert opened["value_at_open"] == 1 and opened["status"] == "open"
    assert resolved["status"] == "resolved" and resolved["value_at_resolve"] == 0
    assert f"/admin/monitoring/alertevent/{event.pk}/" in resolved["url"]
