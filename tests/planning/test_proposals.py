"""Batch order proposals (with MRP), re-runs, the command, the schedule, and approving/rejecting."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forecasting.choices import RunStatus
from planning import tasks
from planning.models import OrderProposal, ProductionTask, ProposalRun, PurchaseOrder, PurchaseOrderLine
from planning.services import purchasing
from planning.services.proposals import ProposalError, approve_proposal, propose_orders, reject_proposal
from sales.models import StockLevel

from .conftest import TODAY

D = Decimal
URL = "/api/v1/planning/proposals/"


@pytest.fixture
def shop(build):
    """A shop selling water (bought) and a dish (made from flour and a shared semi-finished sauce)."""
    region = build.location("REGION")
    shop = build.location("SHOP", parent=region)
    supplier = build.supplier("ACME")
    water = build.product("WATER")
    dish = build.product("PIE", kind="dish")
    dough = build.product("DOUGH", kind="semi_finished", unit="kg")
    flour = build.product("FLOUR", kind="material", unit="kg")
    build.bom(dough, [(flour, "0.6")])
    build.bom(dish, [(dough, "0.5")])
    # Everything: review 7, lead 3 → P = 10 days, service level 50 % (no safety stock) to keep numbers exact.
    build.settings(service_level=D("0.5"), review_period_days=7, lead_time_days=3, supplier=supplier)
    run = build.run({(shop, water): [10] * 28, (shop, dish): [4] * 28})
    return {"region": region, "shop": shop, "supplier": supplier, "water": water, "dish": dish, "dough": dough,
            "flour": flour, "run": run}


def proposal(location, product) -> OrderProposal:
    return OrderProposal.objects.get(location=location, product=product, status="proposed")


def test_buy_make_and_component_proposals(shop, build):
    build.stock(shop["shop"], shop["water"], 30)
    build.stock(shop["shop"], shop["dough"], 5)
    calls = []
    summary = propose_orders(planning_date=TODAY, progress=lambda stage, done, total: calls.append((stage, done)))
    assert calls[-1] == ("order proposals", 4)
    assert summary.forecast_run_id == shop["run"].pk and summary.planning_date == TODAY
    assert summary.proposals_created == 4  # water, pie, dough (MRP), flour (MRP)

    water = proposal(shop["shop"], shop["water"])
    assert (water.kind, water.demand, water.on_hand, water.quantity) == ("buy", D("100"), D("30"), D("70"))
    assert water.supplier == shop["supplier"] and water.stock_source == "ledger"
    assert water.expected_arrival == TODAY + timedelta(days=3)
    assert water.explanation.startswith("Order 70 pcs on 2026-03-02")

    pie = proposal(shop["shop"], shop["dish"])
    assert (pie.kind, pie.quantity, pie.supplier) == ("make", D("40"), None)
    dough = proposal(shop["shop"], shop["dough"])
    # 40 pies × 0.5 kg = 20 kg dependent demand, 5 kg on hand → make 15 kg
    assert (dough.kind, dough.forecast_demand, dough.dependent_demand, dough.quantity) == (
        "make", D("0"), D("20"), D("15"))
    assert dough.terms["dependent_demand_sources"][0]["from"] == "proposal for PIE"
    flour = proposal(shop["shop"], shop["flour"])
    # 15 kg dough × 0.6 = 9 kg flour, nothing on hand → buy 9 (pack size 1)
    assert (flour.kind, flour.dependent_demand, flour.quantity, flour.stock_source) == ("buy", D("9"), D("9"), "none")
    assert "for production" in flour.explanation
    assert summary.component_proposals == 2 and summary.make == 2 and summary.buy == 2

    run_row = ProposalRun.objects.get(pk=summary.proposal_run_id)
    assert run_row.status == "succeeded" and run_row.counts["with_quantity"] == 4
    assert run_row.progress_done == run_row.progress_total == 4


def test_component_requirements_are_netted_against_open_orders(shop, build):
    order = purchasing.create_purchase_order(location_id=shop["shop"].pk, supplier_id=shop["supplier"].pk,
                                             lines=[purchasing.LineInput(shop["flour"].pk, D("6"),
                                                                         expected_date=TODAY + timedelta(days=2))])
    purchasing.send_purchase_order(order.pk)
    build.stock(shop["shop"], shop["dough"], 5)
    propose_orders(planning_date=TODAY)
    flour = proposal(shop["shop"], shop["flour"])
    assert (flour.open_supply, flour.quantity) == (D("6"), D("3"))  # 9 needed − 6 on order


def test_open_production_tasks_are_supply_and_consume_components(shop, build):
    from planning.services.production import create_task

    create_task(product_id=shop["dish"].pk, quantity=D("10"), location_id=shop["shop"].pk,
                due_date=TODAY + timedelta(days=1))
    propose_orders(planning_date=TODAY)
    pie = proposal(shop["shop"], shop["dish"])
    assert (pie.open_supply, pie.quantity) == (D("10"), D("30"))
    dough = proposal(shop["shop"], shop["dough"])
    # 30 pies proposed + 10 pies in the open task = 40 × 0.5 kg
    assert dough.dependent_demand == D("20")
    assert {s["from"] for s in dough.terms["dependent_demand_sources"]} == {
        "proposal for PIE", f"production task {ProductionTask.objects.get().pk} (PIE)"}


def test_stock_falls_back_to_the_latest_source_snapshot(shop):
    StockLevel.objects.create(location=shop["shop"], product=shop["water"], as_of=timezone.now() - timedelta(days=3),
                              on_hand=D("90"))
    StockLevel.objects.create(location=shop["shop"], product=shop["water"], as_of=timezone.now(), on_hand=D("45"),
                              reserved=D("5"), in_transit=D("10"))
    propose_orders(planning_date=TODAY)
    water = proposal(shop["shop"], shop["water"])
    assert water.stock_source == "snapshot"
    assert (water.on_hand, water.reserved, water.open_supply) == (D("45"), D("5"), D("10"))
    assert water.inventory_position == D("50") and water.quantity == D("50")


def test_rerun_replaces_open_proposals_and_keeps_decided_ones(shop):
    first = propose_orders(planning_date=TODAY)
    water = proposal(shop["shop"], shop["water"])
    approve_proposal(water.pk)
    rejected = proposal(shop["shop"], shop["flour"])
    reject_proposal(rejected.pk, note="have enough")
    second = propose_orders(planning_date=TODAY)
    assert second.replaced == first.proposals_created - 2
    statuses = sorted(OrderProposal.objects.values_list("status", flat=True))
    assert statuses.count("approved") == 1 and statuses.count("rejected") == 1
    assert statuses.count("proposed") == second.proposals_created
    # The approved water is now a draft PO line, so the new water proposal nets it.
    assert proposal(shop["shop"], shop["water"]).quantity == 0


def test_location_scope_only_replaces_that_scope(shop, build):
    other = build.location("OTHER")
    build.run({(other, shop["water"]): [1] * 28})  # newer run, covers only OTHER
    propose_orders(run=shop["run"], planning_date=TODAY)
    before = OrderProposal.objects.filter(location=shop["shop"]).count()
    summary = propose_orders(location_ids=[other.pk], planning_date=TODAY)
    assert summary.locations == 1 and summary.proposals_created == 1
    assert OrderProposal.objects.filter(location=shop["shop"]).count() == before


def test_latest_succeeded_run_is_used_and_failed_runs_are_refused(shop, build):
    failed = build.run({(shop["shop"], shop["water"]): [99] * 28}, status=RunStatus.FAILED)
    assert propose_orders(planning_date=TODAY).forecast_run_id == shop["run"].pk
    with pytest.raises(ProposalError):
        propose_orders(run=failed.pk)
    with pytest.raises(ProposalError):
        propose_orders(run=987654)


def test_no_run_leaves_proposals_alone(build):
    build.location()
    summary = propose_orders()
    assert summary.proposals_created == 0 and "no succeeded forecast run" in summary.warnings[0]


def test_historical_run_plans_from_its_first_day(build):
    loc, item = build.location(), build.product()
    build.run({(loc, item): [2] * 14}, start=date(2024, 1, 1))
    summary = propose_orders()
    assert summary.planning_date == date(2024, 1, 1)
    assert any("planning as of its first day 2024-01-01" in w for w in summary.warnings)


def test_inactive_locations_products_and_services_are_skipped(shop, build):
    closed = build.location("CLOSED", is_active=False)
    service = build.product("DELIVERY", kind="service")
    old = build.product("OLD", is_active=False)
    build.run({(closed, shop["water"]): [5] * 28, (shop["shop"], service): [5] * 28, (shop["shop"], old): [1] * 28})
    summary = propose_orders(planning_date=TODAY)
    assert summary.proposals_created == 0
    propose_orders(run=shop["run"], planning_date=TODAY)
    assert not OrderProposal.objects.filter(product__in=[service, old]).exists()


def test_command_with_location_and_run(shop, capsys):
    call_command("propose_orders", "--location", "REGION", "--run", str(shop["run"].pk), "--date", "2026-03-02",
                 "--no-progress")
    out = capsys.readouterr().out
    assert f"from forecast run(s) #{shop['run'].pk} as of 2026-03-02" in out
    assert "4 to order" in out
    with pytest.raises(CommandError):
        call_command("propose_orders", "--location", "NOWHERE")
    with pytest.raises(CommandError):
        call_command("propose_orders", "--run", "987654")


def test_scheduled_jobs_are_declared_and_run(shop):
    names = {spec.full_name for spec in tasks.SCHEDULES}
    assert names == {"sf:planning-reconcile-stock", "sf:planning-proposals"}
    assert all(spec.cron for spec in tasks.SCHEDULES)
    result = tasks.propose_orders_nightly()
    assert result["forecast_run_id"] == shop["run"].pk
    assert ProposalRun.objects.get(pk=result["proposal_run_id"]).trigger == "schedule"
    assert tasks.reconcile_stock()["snapshots_seen"] == 0


# --- decisions ---------------------------------------------------------------------------------------------


def test_approving_buys_collects_them_on_one_draft_po_per_supplier(shop, build, client_for):
    sugar = build.product("SUGAR")
    build.run({(shop["shop"], shop["water"]): [10] * 28, (shop["shop"], sugar): [1] * 28})
    propose_orders(planning_date=TODAY)
    planner = client_for("planner")
    water, sugar_p = proposal(shop["shop"], shop["water"]), proposal(shop["shop"], sugar)
    first = planner.post(f"{URL}{water.pk}/approve", {"note": "ok"}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "approved" and first.json()["decided_by"] == planner.user.pk
    second = planner.post(f"{URL}{sugar_p.pk}/approve", {"quantity": "12"}, format="json")
    assert second.status_code == 200
    assert first.json()["purchase_order"] == second.json()["purchase_order"]
    order = PurchaseOrder.objects.get()
    assert (order.supplier, order.status, order.location) == (shop["supplier"], "draft", shop["shop"])
    lines = {line.product_id: line.quantity for line in order.lines.all()}
    assert lines == {shop["water"].pk: D("100"), sugar.pk: D("12")}
    assert PurchaseOrderLine.objects.get(product=sugar).proposal_id == sugar_p.pk


def test_approving_a_make_creates_a_draft_production_task(shop, client_for):
    propose_orders(planning_date=TODAY)
    pie = proposal(shop["shop"], shop["dish"])
    response = client_for("planner").post(f"{URL}{pie.pk}/approve", format="json")
    assert response.status_code == 200
    task = ProductionTask.objects.get()
    assert (task.product, task.quantity, task.status, task.due_date) == (shop["dish"], D("40"), "draft",
                                                                         pie.expected_arrival)
    assert response.json()["production_task"] == task.pk


def test_decisions_on_decided_proposals_are_409_naming_the_state(shop, client_for):
    propose_orders(planning_date=TODAY)
    planner = client_for("planner")
    water = proposal(shop["shop"], shop["water"])
    assert planner.post(f"{URL}{water.pk}/reject", {"note": "too much"}, format="json").status_code == 200
    again = planner.post(f"{URL}{water.pk}/approve", format="json")
    assert again.status_code == 409 and again.json()["current_status"] == "rejected"
    assert "is rejected" in again.json()["detail"]
    assert planner.post(f"{URL}987654/approve", format="json").status_code == 404


def test_zero_quantity_and_missing_bom_approvals_are_409(shop, build, client_for):
    build.stock(shop["shop"], shop["water"], 500)
    no_bom = build.product("SOUP", kind="dish")
    build.run({(shop["shop"], shop["water"]): [10] * 28, (shop["shop"], no_bom): [3] * 28})
    propose_orders(planning_date=TODAY)
    planner = client_for("planner")
    nothing = planner.post(f"{URL}{proposal(shop['shop'], shop['water']).pk}/approve", format="json")
    assert nothing.status_code == 409 and "nothing to order" in nothing.json()["detail"]
    soup = proposal(shop["shop"], no_bom)
    assert any("no active default BOM" in w for w in soup.terms["warnings"])
    missing = planner.post(f"{URL}{soup.pk}/approve", format="json")
    assert missing.status_code == 409 and "default BOM" in missing.json()["detail"]


def build_failed_run(shop):
    from forecasting.models import ModelRun

    return ModelRun.objects.create(status=RunStatus.FAILED)


def test_api_list_filters_and_batch_run(shop, client_for, settings, django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}  # the worker runs the task inline
    planner = client_for("planner")
    with django_capture_on_commit_callbacks(execute=True):
        ran = planner.post(f"{URL}run", {"planning_date": "2026-03-02"}, format="json")
    assert ran.status_code == 202, ran.content
    assert ran.json()["status"] == "queued"
    run_row = ProposalRun.objects.get(pk=ran.json()["id"])
    assert run_row.status == "succeeded" and run_row.counts["proposals_created"] == 4
    assert run_row.created_by == planner.user
    failed = build_failed_run(shop)
    refused = planner.post(f"{URL}run", {"run": failed.pk}, format="json")
    assert refused.status_code == 400 and "run" in refused.json()
    assert planner.get(f"{URL}?needs_order=true").json()["count"] == 4
    assert planner.get(f"{URL}?kind=make").json()["count"] == 2
    assert planner.get(f"{URL}?is_component=true").json()["count"] == 2
    assert planner.get(f"{URL}?location_tree={shop['region'].pk}").json()["count"] == 4
    detail = planner.get(f"{URL}{proposal(shop['shop'], shop['water']).pk}").json()
    assert detail["terms"]["settings"]["sources"]["service_level"].startswith("settings")
    assert client_for("viewer").post(f"{URL}run", {}, format="json").status_code == 403
    runs = planner.get("/api/v1/planning/proposal-runs/").json()
    assert runs["count"] == 1 and runs["results"][0]["trigger"] == "api"


def test_each_series_is_planned_from_the_newest_run_that_covers_it(shop, build):
    """A newer run scoped to one store is the latest only for that store (forecasting's rule)."""
    other = build.location("OTHER")
    scoped = build.run({(other, shop["water"]): [2] * 28}, scope={"location": [other.pk]})
    summary = propose_orders(planning_date=TODAY)
    assert summary.forecast_runs == {scoped.pk: 1, shop["run"].pk: 2}
    assert summary.forecast_run_id == scoped.pk
    assert proposal(shop["shop"], shop["water"]).forecast_run == shop["run"]
    assert proposal(other, shop["water"]).forecast_run == scoped
    assert proposal(other, shop["water"]).demand == D("20")
    full = build.run({(shop["shop"], shop["water"]): [1] * 28})  # a newer unscoped run hides all older ones
    summary = propose_orders(planning_date=TODAY)
    assert summary.forecast_runs == {full.pk: 1}


@pytest.mark.parametrize(
    ("start_offset", "days", "protection", "expected_offset"),
    [
        (0, 28, 10, 0),  # the nightly case: today is the first forecast day
        (-1, 28, 10, 0),  # last night's forecast failed: still today
        (-10, 28, 10, 0),  # old but still covers P from today
        (-25, 28, 10, -25),  # data stopped long ago: plan as of the forecast's first day
        (3, 28, 10, 0),  # a forecast starting in the future: today
    ],
)
def test_default_planning_date(build, start_offset, days, protection, expected_offset):
    from planning.services.proposals import default_planning_date

    today = date(2026, 3, 2)
    run = build.run({(build.location(), build.product()): [1] * days}, start=today + timedelta(days=start_offset))
    chosen, note = default_planning_date(run, protection, today=today)
    assert chosen == today + timedelta(days=expected_offset)
    assert (note is None) == (expected_offset == 0)


def test_broken_forecast_values_do_not_break_planning(build):
    from forecasting.models import Forecast
    from planning.services.proposals import _demand_day

    loc, item = build.location(), build.product()
    run = build.run({(loc, item): [(1.0, 2.0, 3.0)] * 10})
    Forecast.objects.filter(run=run, date=TODAY + timedelta(days=1)).update(p50=-4.0)
    propose_orders(planning_date=TODAY)
    assert proposal(loc, item).forecast_demand == D("16")  # P = 9 days: 8 days of 2, the negative one as 0
    nan = float("nan")  # (SQLite cannot even store NaN; PostgreSQL can)
    assert _demand_day(TODAY, nan, nan, 3.0) == _demand_day(TODAY, None, 0.0, None)
    assert _demand_day(TODAY, 1.0, float("inf"), 3.0).p50 == 0


def test_a_queued_run_executes_once(shop):
    from planning.services.proposals import ProposalConflict, execute_proposal_run, queue_proposal_run

    queued = queue_proposal_run(location_ids=[shop["shop"].pk], planning_date=TODAY)
    assert queued.status == "queued" and queued.scope == {"location_ids": [shop["shop"].pk]}
    summary = execute_proposal_run(queued.pk)
    assert summary.proposal_run_id == queued.pk and summary.proposals_created == 4
    queued.refresh_from_db()
    assert queued.status == "succeeded" and queued.planning_date == TODAY
    with pytest.raises(ProposalConflict):
        execute_proposal_run(queued.pk)
