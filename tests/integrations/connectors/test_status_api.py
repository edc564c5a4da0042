"""GET /integrations/status/, GET /integrations/accounts/{id}/history/, POST …/sync/ with mode=live."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.schedules import register_schedules
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import set_credentials
from integrations.services.runs import start_sync

pytestmark = pytest.mark.django_db
STATUS = "/api/v1/integrations/status/"


def test_status_on_an_empty_database(client_for):
    response = client_for("viewer").get(STATUS)
    assert response.status_code == 200 and response.json()["accounts"] == []
    assert client_for("anonymous").get(STATUS).status_code == 401


def test_status_per_account_and_stream(client_for, sentos_account, sync):
    full = sync(sentos_account, "orders")
    set_credentials(sentos_account, {"api_key": "x-key", "api_secret": "wrong-secret"})
    for _ in range(2):
        assert sync(sentos_account, "orders", "incremental").status == "failed"
    run, _ = start_sync(sentos_account, "products", "full", "api")
    SyncRun.objects.filter(pk=run.pk).update(status="running", progress_done=3, progress_total=12,
                                             details={"phase": "Read products page 3/12"})
    register_schedules()

    body = client_for("viewer").get(STATUS).json()
    (account,) = body["accounts"]
    assert account["name"] == "Sentos demo" and account["kind"] == "sentos"
    assert account["schedule"]["full"]["cron"] == "0 2 * * *" and account["schedule"]["full"]["next_run"]
    assert account["schedule"]["live"]["streams"] == ["orders"]
    streams = {s["stream"]: s for s in account["streams"]}
    assert list(streams) == ["org", "products", "orders"]
    orders = streams["orders"]
    assert orders["running"] is False and orders["active_run"] is None
    assert orders["last_full"]["run_id"] == full.pk and orders["last_full"]["status"] == "succeeded"
    assert orders["last_full"]["created"] == full.rows_created > 0
    assert orders["last_live"]["status"] == "failed" and "401" in orders["last_live"]["error"]
    assert orders["consecutive_failures"] == 2
    assert orders["next_run"] is not None and orders["cursor"]["next_from"]
    products = streams["products"]
    assert products["running"] is True and products["active_run"]["progress_percent"] == 25.0
    assert products["active_run"]["phase"] == "Read products page 3/12"
    assert products["last_full"] is None and products["consecutive_failures"] == 0
    assert streams["org"]["next_run_mode"] == "full"


def test_status_query_count_does_not_grow_with_accounts(client_for, sentos_account, make_account):
    client = client_for("viewer")
    client.get(STATUS)  # warm the user's permission cache
    with CaptureQueriesContext(connection) as one:
        client.get(STATUS)
    for number in range(4):
        other = make_account("wildberries", "http://127.0.0.1:1", name=f"WB {number}")
        SyncRun.objects.create(account=other, stream="orders", status="failed", error="boom")
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(STATUS).json()["accounts"]) == 5
    assert len(five) == len(one)


def test_sync_endpoint_maps_live_to_incremental_and_checks_the_stream(client_for, sentos_account):
    client = client_for("integrator")
    url = f"/api/v1/integrations/accounts/{sentos_account.pk}/sync/"
    response = client.post(f"{url}?stream=orders&mode=live&date_from=2026-03-01&date_to=2026-03-05")
    assert response.status_code == 202, response.content
    run = SyncRun.objects.get(pk=response.json()["run_id"])
    assert (run.stream, run.mode, run.params) == ("orders", "incremental",
                                                  {"date_from": "2026-03-01", "date_to": "2026-03-05"})
    wrong = client.post(f"{url}?stream=sales&mode=full")
    assert wrong.status_code == 400
    assert "'sales' is not a stream account 'Sentos demo' (sentos) can sync" in wrong.json()["stream"][0]
    assert client.post(f"{url}?stream=orders&mode=sometimes").status_code == 400
    backwards = client.post(f"{url}?stream=products&date_from=2026-03-05&date_to=2026-03-01")
    assert backwards.status_code == 400 and "date_to" in str(backwards.json())
    assert client_for("viewer").post(f"{url}?stream=orders").status_code == 403


def test_history_lists_the_last_runs_with_counts_and_errors(client_for, sentos_account, sync):
    ok = sync(sentos_account, "org")
    set_credentials(sentos_account, {"api_key": "x-key", "api_secret": "wrong-secret"})
    bad = sync(sentos_account, "orders")
    url = f"/api/v1/integrations/accounts/{sentos_account.pk}/history/"
    client = client_for("viewer")
    body = client.get(url, {"page_size": 1}).json()
    assert body["count"] == 2 and [r["id"] for r in body["results"]] == [bad.pk]
    assert body["results"][0]["status"] == "failed" and "401" in body["results"][0]["error"]
    only_org = client.get(url, {"stream": "org"}).json()["results"]
    assert [(r["id"], r["rows_created"]) for r in only_org] == [(ok.pk, ok.rows_created)]
    assert client.get(url, {"status": "nope"}).status_code == 400
    other = IntegrationAccount.objects.create(kind="onec", name="1C", base_url="http://127.0.0.1:1")
    assert client.get(f"/api/v1/integrations/accounts/{other.pk}/history/").json()["results"] == []
    assert client_for("anonymous").get(url).status_code == 401
