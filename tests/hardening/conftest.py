"""Shared pieces of the hardening tests: the API's operations (from the generated schema) and one small data set
holding a row of every model the API serves, so detail endpoints are really exercised.

The data set is built once per module inside a transaction that is rolled back at the end of the module; every
test then runs in a savepoint of it (pytest-django's `db`), so a DELETE or an approve in one test is gone before
the next one starts.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from core.roles import ROLES, sync_role_permissions

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
D = Decimal


@dataclass(frozen=True)
class Operation:
    """One operation of the OpenAPI schema: method, path template and what its request body accepts."""

    method: str
    path: str
    body_types: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@functools.cache
def api_schema() -> dict[str, Any]:
    """The public OpenAPI document as clients see it (rendered to JSON and back: plain types only)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@functools.cache
def api_operations() -> tuple[Operation, ...]:
    """Every operation of the schema, in path order: a new endpoint shows up here without any test change."""
    operations = []
    for path, item in sorted(api_schema()["paths"].items()):
        for method in HTTP_METHODS:
            if method in item:
                content = (item[method].get("requestBody") or {}).get("content") or {}
                operations.append(Operation(method.upper(), path, tuple(content)))
    return tuple(operations)


# Collections whose list does not page through `{"results": [{"id": …}]}`: which data-set row names their {id}.
ID_FROM_DATASET = {"/api/v1/ppic/kanban/": "task"}
PATH_VALUES = {"{kind}": "products"}  # import/export kinds: products is the simplest


@dataclass
class DataSet:
    """A row of every model the API and the admin serve, plus one user per role."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def build_dataset(*, secret_marker: str = "") -> DataSet:
    """Create the data set through the services where they exist (ledger, purchasing, production, snapshot)."""
    from branches.models import Location
    from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
    from integrations.models import IntegrationAccount, SyncCursor, SyncRun
    from integrations.services.credentials import set_credentials
    from monitoring.models import AlertEvent, AlertRule
    from monitoring.services.snapshots import build_and_persist_snapshot
    from planning.choices import MovementKind
    from planning.models import (
        BillOfMaterials,
        BomLine,
        OrderProposal,
        PlanningSettings,
        ProposalRun,
        ReplayItem,
        ReplayRun,
        Supplier,
    )
    from planning.services import production, purchasing
    from planning.services.ledger import MovementSpec, post_movements
    from sales.models import (
        Customer,
        DailySale,
        DemandDriver,
        ImportJob,
        Order,
        OrderLine,
        Product,
        ProductBarcode,
        ProductCategory,
        ProductSourceRef,
        StockLevel,
    )
    from shopfloor.models import EmbroideryDesign, EmbroideryStep
    from shopfloor.services import embroidery, scan

    data = DataSet()
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    sync_role_permissions()
    user_model = get_user_model()
    for role in ROLES:
        user = user_model.objects.create_user(f"hardening-{role}", email=f"{role}@example.com",
                                              password="Hardening-Passw0rd-1", is_staff=role == "admin")
        user.groups.add(Group.objects.get(name=role))
        data.users[role] = user
    data.users["superuser"] = user_model.objects.create_superuser("hardening-root", "root@example.com",
                                                                  "Hardening-Passw0rd-1")
    now = timezone.now()
    today = timezone.localdate()
    o = data.objects

    o["account"] = IntegrationAccount.objects.create(kind="onec", name="Hardening 1C",
                                                     base_url="http://127.0.0.1:9/exchange")
    if secret_marker:
        set_credentials(o["account"], {"api_key": f"{secret_marker}-api-key"})
    o["sync_run"] = SyncRun.objects.create(account=o["account"], stream="org", status="failed", started_at=now,
                                           finished_at=now, error="Hardening 1C: upstream failed")
    o["cursor"] = SyncCursor.objects.create(account=o["account"], stream="org", value={"since": "2026-01-01"})

    o["root"] = Location.objects.create(code="HQ", name="Head office")
    o["location"] = Location.objects.create(code="SHOP1", name="Shop 1", parent=o["root"])
    o["department"] = Location.objects.create(code="KITCHEN", name="Kitchen", parent=o["root"], type="DEPARTMENT")
    o["category"] = ProductCategory.objects.create(code="FOOD", name="Food")
    o["product"] = Product.objects.create(sku="HARD-1", name="Soup", category=o["category"], list_price=D("9.50"))
    o["component"] = Product.objects.create(sku="HARD-2", name="Water", category=o["category"])
    ProductBarcode.objects.create(product=o["product"], barcode="4600000000017")
    ProductSourceRef.objects.create(account=o["account"], external_id="ext-1", product=o["product"])
    for offset in range(14):
        DailySale.objects.create(location=o["location"], product=o["product"], date=today - timedelta(days=offset),
                                 quantity=D(3 + offset % 3), revenue=D("28.50"))
    o["stock_level"] = StockLevel.objects.create(location=o["location"], product=o["product"], as_of=now,
                                                 on_hand=D(5))
    o["customer"] = Customer.objects.create(external_id="C-1", name="Jane")
    o["order"] = Order.objects.create(external_id="ORD-1", location=o["location"], customer=o["customer"],
                                      ordered_at=now, business_date=today, total=D("19.00"))
    OrderLine.objects.create(order=o["order"], line_no=1, product=o["product"], quantity=D(2), price=D("9.50"),
                             amount=D("19.00"))
    o["driver"] = DemandDriver.objects.create(location=o["location"], product=o["product"], date=today)
    job = ImportJob(kind="products", original_name="products.csv", size_bytes=20, status="succeeded")
    job.file.save("products.csv", ContentFile(b"sku,name\nHARD-9,Tea\n"), save=False)
    job.save()
    o["import_job"] = job

    run = ModelRun.objects.create(status="succeeded", started_at=now, finished_at=now, horizon=7,
                                  forecast_start=today + timedelta(days=1), forecast_end=today + timedelta(days=7),
                                  forecast_count=7, data_start=today - timedelta(days=13), data_end=today)
    Forecast.objects.bulk_create(
        Forecast(run=run, location=o["location"], product=o["product"], date=today + timedelta(days=i),
                 yhat=4.0, p10=2.0, p50=4.0, p90=6.0)
        for i in range(1, 8)
    )
    ForecastAccuracyLog.objects.create(run=run, location=o["location"], product=o["product"], date=today,
                                       horizon_day=1, forecast=4.0, actual=3.0, error=1.0, abs_error=1.0)
    o["model_run"] = run
    from forecasting.models import ForecastBatch, ForecastScope

    o["forecast_scope"] = ForecastScope.objects.create(name="Hardening scope", location=o["location"])
    o["forecast_batch"] = ForecastBatch.objects.create(status="succeeded", started_at=now, finished_at=now,
                                                       scopes_total=1, scopes_succeeded=1,
                                                       outcome={"everything": {"run": run.pk, "status": "succeeded",
                                                                               "error": ""}})

    o["supplier"] = Supplier.objects.create(code="SUP1", name="Supplier 1")
    o["settings"] = PlanningSettings.objects.create(lead_time_days=2)
    post_movements([MovementSpec(o["location"].pk, o["component"].pk, MovementKind.RECEIPT, D(50),
                                 reason="opening stock")])
    o["bom"] = BillOfMaterials.objects.create(product=o["product"], is_default=True)
    BomLine.objects.create(bom=o["bom"], line_no=1, component=o["component"], quantity=D(1),
                           unit=o["component"].unit)
    order = purchasing.create_purchase_order(
        location_id=o["location"].pk, supplier_id=o["supplier"].pk,
        lines=[purchasing.LineInput(o["component"].pk, D(10))], expected_date=today + timedelta(days=2))
    purchasing.send_purchase_order(order.pk)
    o["receipt"] = purchasing.receive_purchase_order(order.pk)
    o["purchase_order"] = purchasing.create_purchase_order(
        location_id=o["location"].pk, supplier_id=o["supplier"].pk,
        lines=[purchasing.LineInput(o["component"].pk, D(5))])
    o["task"] = production.create_task(product_id=o["product"].pk, quantity=D(2), location_id=o["location"].pk,
                                       due_date=today + timedelta(days=3))
    o["design"] = EmbroideryDesign.objects.create(code="HARD-LOGO", name="Logo", stitch_count=1200,
                                                  colours=["navy"])
    o["embroidery_room"] = Location.objects.create(code="EMB", name="Embroidery room", parent=o["root"])
    o["embroidery_step"] = EmbroideryStep.objects.create(bom=o["bom"], design=o["design"], part=o["component"])
    o["embroidery_job"] = embroidery.create_job(embroidery.JobInput(
        production_task_id=o["task"].pk, design_id=o["design"].pk, part_id=o["component"].pk, quantity=D(2),
        embroidery_location_id=o["embroidery_room"].pk, planned_date=today, machine="Tajima 1"))
    o["scan"] = scan.scan(f"P:{o['product'].sku}", user=data.users["planner"])
    _add_quality_rows(o)
    o["proposal_run"] = ProposalRun.objects.create(status="succeeded", forecast_run=run, planning_date=today,
                                                   finished_at=now)
    zero = D(0)
    o["proposal"] = OrderProposal.objects.create(
        proposal_run=o["proposal_run"], forecast_run=run, location=o["location"], product=o["product"], kind="buy",
        quantity=D(5), planning_date=today, order_date=today, expected_arrival=today + timedelta(days=2),
        protection_days=9, forecast_demand=zero, demand=zero, safety_stock=zero, on_hand=zero, open_supply=zero,
        reserved=zero, inventory_position=zero, target_level=zero, raw_need=zero, service_level=D("0.95"),
        explanation="hardening data set")

    o["replay"] = ReplayRun.objects.create(status="succeeded", date_from=today - timedelta(days=14),
                                           date_to=today - timedelta(days=1), finished_at=now, series_count=1)
    ReplayItem.objects.create(run=o["replay"], location=o["location"], product=o["product"], demand=[1.0] * 14,
                              outcomes={}, trajectories={})
    # A webhook endpoint (its secret is write-only, like the credentials) and one logged delivery.
    from webhooks.services import create_endpoint, send_test_event
    o["webhook_endpoint"] = create_endpoint(name="ops hook", url="https://hooks.example.com/sf",
                                            secret=f"{secret_marker or 'hardening'}-webhook-secret")
    o["webhook_delivery"] = send_test_event(o["webhook_endpoint"])

    o["alert_rule"] = AlertRule.objects.create(name="Stock-outs", metric="integrations.accounts_total",
                                               threshold=-1, comparator="gt")
    build_and_persist_snapshot()
    o["alert_event"] = AlertEvent.objects.filter(rule=o["alert_rule"]).first() or AlertEvent.objects.create(
        rule=o["alert_rule"], severity="warning", metric=o["alert_rule"].metric, comparator="gt", threshold=-1,
        opened_at=now, value_at_open=0)
    return data


def _add_quality_rows(o: dict[str, Any]) -> None:
    """A lot-tracked, inspected toy made and in quarantine, an open inspection of it, a defect code, a lab
    method with a specification and an open lab test on the toy's lot."""
    from planning.models import BillOfMaterials, BomLine, StockLot
    from planning.services import production
    from planning.services.lots import create_lot
    from quality.models import DefectCode, Specification, TestMethod
    from quality.services import inspections, lab
    from quality.services.lots import decide_lot
    from sales.models import Product

    toy = Product.objects.create(sku="HARD-3", name="Teddy", category=o["category"], lot_tracked=True,
                                 requires_inspection=True)
    bom = BillOfMaterials.objects.create(product=toy, is_default=True)
    BomLine.objects.create(bom=bom, line_no=1, component=o["component"], quantity=D(1), unit=o["component"].unit)
    task = production.create_task(product_id=toy.pk, quantity=D(4), location_id=o["location"].pk,
                                  due_date=timezone.localdate())
    for action in ("approve", "start", "complete"):
        production.apply_action(task.pk, action)
    o["lot"] = StockLot.objects.get(production_task=task)
    o["defect_code"] = DefectCode.objects.create(code="open-seam", name="Open seam")
    o["inspection"] = inspections.create_inspection(production_task_id=task.pk, inspected_quantity=D(2),
                                                    passed_quantity=D(2))
    o["test_method"] = TestMethod.objects.create(name="Seam strength", unit="N", min_value=D(50))
    o["specification"] = Specification.objects.create(method=o["test_method"], product=toy, min_value=D(60))
    o["lab_test"] = lab.create_lab_test(lot_id=o["lot"].pk)
    held = create_lot(o["component"], number="HARD-HELD")
    o["lot_decision"] = decide_lot(held.pk, "block", note="hardening data set")


@pytest.fixture(scope="module")
def module_dataset(django_db_setup, django_db_blocker) -> Iterator[DataSet]:
    """The data set, built once for the module and rolled back after it (tests run in savepoints of it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_dataset()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def client_as(role: str, dataset: DataSet) -> APIClient:
    """An API client of the data set's user of that role ('anonymous': no credentials)."""
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(dataset.users[role])
    return client


def collection_ids(collection: str, dataset: DataSet) -> list[int]:
    """Ids of the rows a collection really holds (looked up once per module through the API as admin)."""
    known = dataset.objects.setdefault("_ids", {})
    if collection not in known:
        if collection in ID_FROM_DATASET:
            known[collection] = [dataset.objects[ID_FROM_DATASET[collection]].pk]
        else:
            response = client_as("admin", dataset).get(collection, {"page_size": 1000})
            body = response.json() if response.status_code == 200 else {}
            rows = body.get("results") if isinstance(body, dict) else body
            if not rows or "id" not in rows[0]:
                pytest.fail(f"No row to exercise {collection}{{id}}/ with (GET {collection} as admin answered "
                            f"{response.status_code}): add one to build_dataset() in tests/hardening/conftest.py, "
                            "or name its data-set row in ID_FROM_DATASET.")
            known[collection] = [row["id"] for row in rows]
    return known[collection]


def concrete_path(operation: Operation, dataset: DataSet, object_id: int | None = None) -> str:
    """The operation's path with its parameters filled from the data set (the collection's first row by default)."""
    path = operation.path
    if "{id}" in path:
        collection = path.split("{id}")[0]
        path = path.replace("{id}", str(object_id if object_id is not None else collection_ids(collection, dataset)[0]))
    values = {**PATH_VALUES, "{product}": dataset.objects["product"].sku}
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    if "{" in path:
        pytest.fail(f"{operation}: no value for a path parameter; add it to PATH_VALUES in "
                    "tests/hardening/conftest.py.")
    return path


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
