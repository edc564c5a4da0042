"""The admin screens of monitoring render, and snapshots and events cannot be edited by hand."""

import pytest
from django.test import Client

from monitoring.models import AlertEvent, AlertRule
from monitoring.services.snapshots import build_and_persist_snapshot
from tests.monitoring.conftest import NOW, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(make_user) -> Client:
    client = Client()
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    return client


def test_admin_screens_render(admin_client_, world):
    rule = AlertRule.objects.create(name="Overdue", metric="planning.overdue_production_tasks.count",
                                    comparator="gt", threshold=0)
    world.task(world.location(), world.product(), 1, due=day(-1))
    snapshot = build_and_persist_snapshot(NOW).snapshot
    event = AlertEvent.objects.get()
    pages = [
        "/admin/monitoring/monitoringsnapshot/",
        f"/admin/monitoring/monitoringsnapshot/{snapshot.pk}/change/",
        "/admin/monitoring/alertrule/",
        "/admin/monitoring/alertrule/add/",
        f"/admin/monitoring/alertrule/{rule.pk}/change/",
        "/admin/monitoring/alertevent/",
        f"/admin/monitoring/alertevent/{event.pk}/change/",
    ]
    for page in pages:
        assert admin_client_.get(page).status_code == 200, page
    detail = admin_client_.get(f"/admin/monitoring/monitoringsnapshot/{snapshot.pk}/change/").content.decode()
    assert "planning.overdue_production_tasks.count" in detail and "stockout_risk" in detail
    assert admin_client_.get("/admin/monitoring/monitoringsnapshot/add/").status_code == 403
    assert admin_client_.get("/admin/monitoring/alertevent/add/").status_code == 403


def test_admin_rule_form_offers_only_catalogued_metrics(admin_client_):
    response = admin_client_.post("/admin/monitoring/alertrule/add/", {
        "name": "bad", "metric": "data.nope", "comparator": "gt", "threshold": "1", "for_snapshots": "1",
        "severity": "warning", "enabled": "on", "recipients": "",
    })
    assert response.status_code == 200 and "data.nope is not one of the available choices" in response.content.decode()
    response = admin_client_.post("/admin/monitoring/alertrule/add/", {
        "name": "good", "metric": "data.sales.lag_days", "comparator": "gte", "threshold": "3", "for_snapshots": "2",
        "severity": "critical", "enabled": "on", "recipients": "ops@example.com",
    })
    assert response.status_code == 302 and AlertRule.objects.get().metric == "data.sales.lag_days"
