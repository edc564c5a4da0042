"""What makes every workbench screen show something on the demo: alert rules, purchase orders in several states
and production tasks in every column of the board — all made through the services, from the demo's own
proposals, as a planner would. Re-runnable: each part is skipped when its rows already exist."""

from __future__ import annotations

import logging
from decimal import Decimal

from monitoring.models import AlertRule
from planning.choices import ProposalKind, ProposalStatus
from planning.models import OrderProposal, ProductionTask, PurchaseOrder, Supplier
from planning.services import production, purchasing
from planning.services.ledger import InsufficientStock
from planning.services.proposals import ProposalConflict, approve_proposal

logger = logging.getLogger("demo")

ALERT_RULES = [
    ("Stock-out risks", "planning.stockout_risk.count", "gt", 0, "warning",
     "Items may run out within their lead time: review the proposals of the items listed in the snapshot."),
    ("A data source is failing", "integrations.streams_failing.count", "gt", 0, "critical",
     "Open Accounts and syncs: the failing stream says what went wrong and what to check."),
    ("Forecast older than two days", "forecasting.latest_run.age_seconds", "gt", 2 * 86400, "warning",
     "The nightly forecast did not run: check the worker and the forecast runs."),
    ("Overdue purchase orders", "planning.overdue_purchase_orders.count", "gt", 0, "info",
     "Call the suppliers of the orders past their expected date."),
]


def _alert_rules() -> str:
    created = 0
    for name, metric, comparator, threshold, severity, description in ALERT_RULES:
        _rule, made = AlertRule.objects.get_or_create(name=name, defaults={
            "metric": metric, "comparator": comparator, "threshold": threshold, "severity": severity,
            "description": description})
        created += made
    return f"alert rules: {created} new, {len(ALERT_RULES) - created} kept"


DEMO_SUPPLIERS = [("DEMO-ALM", "Almaty Foods LLP"), ("DEMO-IST", "İstanbul Gıda A.Ş."), ("DEMO-MOW", "Поставка ООО")]


def _purchase_orders() -> str:
    if PurchaseOrder.objects.exists():
        return "purchase orders: kept (some exist)"
    candidates = list(OrderProposal.objects.filter(status=ProposalStatus.PROPOSED, kind=ProposalKind.BUY,
                                                   quantity__gt=0).order_by("-quantity", "id")[:200])
    # The data set configures no suppliers: the planner picks one in the queue; the demo picks in turn.
    suppliers = [Supplier.objects.get_or_create(code=code, defaults={"name": name})[0].pk
                 for code, name in DEMO_SUPPLIERS]
    seen: set[tuple[int, int]] = set()
    orders: list[PurchaseOrder] = []
    for index, proposal in enumerate(candidates):
        supplier_id = proposal.supplier_id or suppliers[index % len(suppliers)]
        pair = (supplier_id, proposal.location_id)
        if pair in seen:
            continue
        seen.add(pair)
        try:
            approved = approve_proposal(proposal.pk, note="approved by the demo", supplier_id=supplier_id)
        except ProposalConflict:
            continue
        orders.append(approved.purchase_order_line.order)
        if len(orders) == 4:
            break
    states = []
    if len(orders) >= 2:
        purchasing.send_purchase_order(orders[1].pk)
        states.append("sent")
    if len(orders) >= 3:
        purchasing.send_purchase_order(orders[2].pk)
        line = orders[2].lines.order_by("pk").first()
        half = (line.quantity / 2).quantize(Decimal("1")) or line.quantity
        purchasing.receive_purchase_order(orders[2].pk, lines=[purchasing.ReceiveInput(line.pk, half)],
                                          reference="demo delivery note 1")
        states.append("partially received")
    if len(orders) >= 4:
        purchasing.send_purchase_order(orders[3].pk)
        purchasing.cancel_purchase_order(orders[3].pk, reason="supplier out of stock (demo)")
        states.append("cancelled")
    return f"purchase orders: {len(orders)} from approved proposals (draft, {', '.join(states) or 'no others'})"


def _production_tasks() -> str:
    if ProductionTask.objects.exists():
        return "production tasks: kept (some exist)"
    tasks = []
    for proposal in OrderProposal.objects.filter(status=ProposalStatus.PROPOSED, kind=ProposalKind.MAKE,
                                                 quantity__gt=0).order_by("expected_arrival", "id")[:30]:
        try:
            approve_proposal(proposal.pk, note="approved by the demo")
        except ProposalConflict:
            continue
        tasks.append(ProductionTask.objects.get(proposal_id=proposal.pk))
        if len(tasks) == 6:
            break
    plan = [("approve",), ("approve", "start"), ("approve", "start", "complete"), ("cancel",), ("approve",)]
    for task, actions in zip(tasks[1:], plan, strict=False):
        for action in actions:
            try:
                production.apply_action(task.pk, action, reason="demo")
            except (production.TaskError, InsufficientStock) as exc:
                logger.info("demo task left where it is", extra={"task": task.pk, "reason": str(exc)})
                break
    return f"production tasks: {len(tasks)} from approved make proposals, across the board's columns"


def load_workbench_examples() -> list[str]:
    """Alert rules, purchase orders and production tasks for the demo; one summary line each."""
    return [_alert_rules(), _purchase_orders(), _production_tasks()]
