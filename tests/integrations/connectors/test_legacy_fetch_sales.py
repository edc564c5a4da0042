"""The old ERP's `POST /api/data/fetch-sales` really reads the asked days from the source (loopback Sentos fake)."""

from __future__ import annotations

import datetime as dt

import pytest

from integrations.models import SyncRun
from sales.models import Order
from tests.integrations.connectors.test_sentos import CraftedOrders, crafted_order

pytestmark = pytest.mark.django_db


def test_fetch_sales_reads_exactly_the_asked_days(account_for, client_for, settings,
                                                  django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    today = dt.datetime.now(dt.UTC).date()
    asked, outside = today - dt.timedelta(days=10), today - dt.timedelta(days=3)
    fake = CraftedOrders({asked: [crafted_order(1, f"{asked} 12:00:00")],
                          outside: [crafted_order(2, f"{outside} 12:00:00")]})
    account = account_for("sentos", fake)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("integrator").post("/api/data/fetch-sales", {
            "start_date": asked.isoformat(), "end_date": asked.isoformat(), "max_pages": 2}, format="json")
    assert response.status_code == 202, response.content
    run = SyncRun.objects.get(pk=response.json()["runs"][0]["run_id"])
    assert run.status == "succeeded", run.error
    assert list(Order.objects.filter(account=account).values_list("external_id", flat=True)) == ["1"]
    asked_days = {(r.arg("start_date"), r.arg("end_date")) for r in fake.requests_to("/api/orders")}
    assert asked_days == {(asked.isoformat(), asked.isoformat())}
