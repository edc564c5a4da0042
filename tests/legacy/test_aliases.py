"""Each deprecated alias answers in the old ERP's shape, through today's services, for logged-in users only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from branches.models import Location
from integrations.choices import SyncStatus
from integrations.models import SyncRun
from tests.integrations.loopback import deep_onec_tree

pytestmark = pytest.mark.django_db

ALIASES = [
    ("get", "/api/branches/"), ("post", "/api/branches/sync"), ("get", "/api/sync/status"),
    ("post", "/api/sync/trigger/full"), ("post", "/api/sync/trigger/live"), ("post", "/api/data/sync-products"),
    ("post", "/api/data/fetch-sales"), ("get", "/kanban/tasks"), ("get", "/import-export/templates"),
]
RUN_KEYS = {"run_id", "account", "stream", "mode", "status", "created"}


@pytest.mark.parametrize(("method", "path"), ALIASES)
def test_every_alias_needs_a_login(api_client, method, path):
    assert getattr(api_client, method)(path).status_code == 401


def test_every_alias_is_deprecated_in_the_schema(client_for):
    paths = client_for("viewer").get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for method, path in ALIASES:
        assert paths[path][method]["deprecated"] is True, f"{method} {path}"


def test_branches_old_shape(client_for):
    root = Location.objects.create(code="HQ", name="Head office", external_id="g-1", taxpayer_id_number="7701")
    Location.objects.create(code="S1", name="Shop 1", parent=root)
    Location.objects.create(code="S2", name="Shop 2", parent=root, is_active=False)
    client = client_for("viewer")
    body = client.get("/api/branches/").json()
    assert isinstance(body, list) and [row["code"] for row in body] == ["HQ", "S1", "S2"]
    assert body[0] == {"id": root.pk, "code": "HQ", "name": "Head office", "parent_id": None, "type": "BRANCH",
                       "external_id": "g-1", "inn": "7701", "is_active": True}
    assert body[1]["parent_id"] == root.pk
    assert [r["code"] for r in client.get("/api/branches/", {"skip": 1, "limit": 1}).json()] == ["S1"]
    assert len(client.get("/api/branches/", {"active_only": "true"}).json()) == 2
    assert client.get("/api/branches/", {"limit": 5000}).status_code == 400
    assert client.get("/api/branches/").status_code == 200


def test_branches_sync_runs_the_1c_org_sync(client_for, onec_account, onec_server, settings,
                                            django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    onec_server.items = deep_onec_tree(5, depth=2)
    client = client_for("integrator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/branches/sync")
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"status", "message", "runs", "task_id"} and body["status"] == "started"
    assert set(body["runs"][0]) == RUN_KEYS and body["runs"][0]["stream"] == "org"
    run = SyncRun.objects.get(pk=body["task_id"])
    assert run.status == SyncStatus.SUCCEEDED and run.rows_created == 5
    assert len(client.get("/api/branches/").json()) == 5


def test_branches_sync_refuses_without_or_with_several_1c_accounts(client_for, make_account):
    client = client_for("integrator")
    none = client.post("/api/branches/sync")
    assert none.status_code == 409 and none.json()["code"] == "no_account"
    make_account("onec", "http://127.0.0.1:9/a", name="1C north")
    make_account("onec", "http://127.0.0.1:9/b", name="1C south")
    several = client.post("/api/branches/sync")
    assert several.status_code == 409 and "1C north" in several.json()["detail"]
    chosen = client.post("/api/branches/sync?account=1C%20south")
    assert chosen.status_code == 202 and chosen.json()["runs"][0]["account"] == "1C south"
    again = client.post("/api/branches/sync?account=1C%20south")
    assert again.json()["status"] == "already_running" and again.json()["task_id"] == chosen.json()["task_id"]
    assert client_for("viewer").post("/api/branches/sync?account=1C%20south").status_code == 403


def test_sync_status_old_shape(client_for, make_account):
    client = client_for("viewer")
    assert client.get("/api/sync/status").json() == {
        "is_running": False, "last_full_sync": None, "last_live_sync": None, "full_sync_time": None,
        "live_sync_interval_minutes": None}
    account = make_account("onec", "http://127.0.0.1:9/", name="1C", full_sync_at=dt.time(3, 30),
                           live_sync_every_minutes=15)
    make_account("iiko", "http://127.0.0.1:9/", name="iiko", live_sync_every_minutes=5, full_sync_at=dt.time(4, 0))
    finished = timezone.now() - dt.timedelta(hours=1)
    SyncRun.objects.create(account=account, stream="org", mode="full", status="succeeded", started_at=finished,
                           finished_at=finished)
    SyncRun.objects.create(account=account, stream="org", mode="incremental", status="running",
                           started_at=timezone.now())
    body = client.get("/api/sync/status").json()
    assert body["is_running"] is True and body["last_live_sync"] is None
    assert body["last_full_sync"].startswith(finished.strftime("%Y-%m-%dT%H:%M"))
    assert body["full_sync_time"] == "03:30" and body["live_sync_interval_minutes"] == 5


@pytest.mark.parametrize("mode", ["full", "live"])
def test_sync_trigger_queues_every_enabled_account(client_for, make_account, mode):
    make_account("onec", "http://127.0.0.1:9/", name="1C")
    make_account("onec", "http://127.0.0.1:9/x", name="1C off", enabled=False)
    response = client_for("integrator").post(f"/api/sync/trigger/{mode}")
    assert response.status_code == 202
    body = response.json()
    assert body["mode"] == mode and body["status"] == "started"
    assert {r["account"] for r in body["runs"]} == {"1C"}
    assert {r["mode"] for r in body["runs"]} == {"full" if mode == "full" else "incremental"}
    assert all(set(r) == RUN_KEYS for r in body["runs"])


def test_sync_products_and_fetch_sales(client_for, make_account):
    make_account("sentos", "http://127.0.0.1:9/", name="Sentos")
    make_account("iiko", "http://127.0.0.1:9/", name="iiko")
    client = client_for("integrator")
    products = client.post("/api/data/sync-products").json()
    assert {(r["account"], r["stream"]) for r in products["runs"]} == {("Sentos", "products"), ("iiko", "products")}
    response = client.post("/api/data/fetch-sales", {"start_date": "2026-03-01", "end_date": "2026-03-07",
                                                     "max_pages": 3}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["start_date"] == "2026-03-01" and body["end_date"] == "2026-03-07"
    assert {(r["account"], r["stream"]) for r in body["runs"]} == {("Sentos", "orders"), ("iiko", "sales")}
    run = SyncRun.objects.get(pk=body["runs"][0]["run_id"])
    assert run.params == {"date_from": "2026-03-01", "date_to": "2026-03-07", "max_pages": 3}
    bad = client.post("/api/data/fetch-sales", {"start_date": "2026-03-07", "end_date": "2026-03-01"},
                      format="json")
    assert bad.status_code == 400 and "start_date" in bad.json()
    assert client.post("/api/data/fetch-sales", {}, format="json").status_code == 400


def test_kanban_tasks_old_shape(client_for):
    from planning.models import BillOfMaterials
    from planning.services import production
    from sales.models import Product

    shop = Location.objects.create(code="S1", name="Shop 1")
    soup = Product.objects.create(sku="SOUP", name="Soup", unit="l")
    water = Product.objects.create(sku="WATER", name="Water")
    bom = BillOfMaterials.objects.create(product=soup, is_default=True)
    bom.lines.create(line_no=1, component=water, quantity=Decimal(1), unit=water.unit)
    due = timezone.localdate() + dt.timedelta(days=2)
    first = production.create_task(product_id=soup.pk, quantity=Decimal("2.5"), location_id=shop.pk, due_date=due)
    second = production.create_task(product_id=soup.pk, quantity=Decimal(1), location_id=shop.pk, due_date=due)
    production.apply_action(second.pk, "approve")
    client = client_for("viewer")
    body = client.get("/kanban/tasks").json()
    assert [row["id"] for row in body] == [first.pk, second.pk]  # board order: draft column, then approved
    assert body[0]["title"] == "Soup × 2.5 l" and body[0]["status"] == "draft" and body[0]["product_sku"] == "SOUP"
    assert body[0]["location_name"] == "Shop 1" and body[0]["due_date"] == due.isoformat()
    assert [r["id"] for r in client.get("/kanban/tasks", {"status": "approved"}).json()] == [second.pk]
    assert client.get("/kanban/tasks", {"status": "lost"}).status_code == 400


def test_import_templates_old_shape(client_for):
    client = client_for("viewer")
    body = client.get("/import-export/templates").json()
    kinds = {row["kind"]: row for row in body}
    assert set(kinds) == {"branches", "products", "sales", "stock"}
    products = kinds["products"]
    assert {"name", "type", "required", "example", "description"} == set(products["columns"][0])
    assert any(c["name"] == "sku" and c["required"] for c in products["columns"])
    url = products["download_url"]["csv"]
    assert url.endswith("/api/v1/import-export/templates/products/?format=csv")
    download = client.get(url.split("testserver", 1)[1])
    assert download.status_code == 200 and download.content.lstrip(b"\xef\xbb\xbf").startswith(b"sku")
