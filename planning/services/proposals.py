"""Batch order proposals (with one-bucket MRP) and the planner's approve/reject decisions.

`propose_orders()` plans every active location × product that the chosen forecast run covers:

1. settings are resolved per item (planning.services.settings), stock is the ledger balance, falling back to
   the newest source snapshot (sales.StockLevel) for items the ledger has never seen;
2. open supply = outstanding purchase-order lines (drafts included) + open production tasks + what the
   source reports in transit; the policy counts only what is due before the end of the protection period;
3. items are evaluated in BOM low-level-code order (finished goods first). A *make* proposal with a
   quantity explodes one level into its components' requirements at the same location; so do open
   production tasks. Those requirements are the components' dependent demand, netted against the
   components' own stock and open orders by the same policy (so a component proposal appears even when
   nobody sells the component). This is single-bucket MRP over the protection period: it answers "how much
   to order now", not a day-by-day schedule;
4. proposals are written in one transaction that first deletes the open (proposed) proposals of the planned
   locations; approved and rejected proposals are history and are never touched.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext

from branches.models import Location
from core.errors import DomainError
from core.jobs import RunProgress, enqueue_after_commit, mark_running
from forecasting.choices import RunStatus
from forecasting.models import Forecast, ModelRun
from forecasting.services.queries import succeeded_runs
from forecasting.services.records import forecast_of_record_bulk
from planning.choices import (
    OPEN_PURCHASE_ORDER_STATUSES,
    OPEN_TASK_STATUSES,
    MakeOrBuy,
    ProposalKind,
    ProposalRunStatus,
    ProposalStatus,
)
from planning.models import (
    BomLine,
    OrderProposal,
    ProductionTask,
    ProposalRun,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from planning.services.bom import BomGraph, line_requirement
from planning.services.events import emit_proposals_ready
from planning.services.lead_time import extra_make_lead_times
from planning.services.ledger import available_map, latest_snapshot_map
from planning.services.policy import (
    DemandDay,
    OpenSupply,
    PolicyInput,
    PolicySettings,
    compute_order_proposal,
    to_decimal,
)
from planning.services.production import TaskConflict, create_task
from planning.services.settings import EffectiveSettings, SettingsResolver
from sales.choices import ProductKind
from sales.models import Product

logger = logging.getLogger("planning")
ZERO = Decimal("0")
EXTRA_TERMS = ("demand_days", "sigma_protection", "z", "open_supply_ignored", "rounding", "capped",
               "next_review_date")
PROGRESS_STAGE = "order proposals"
Progress = Callable[[str, int, int | None], None]
STALE_RUN_DAYS = 2


class ProposalError(DomainError):
    """The forecast run asked for cannot be planned from (400, pointing at ``run``)."""

    field = "run"


class ProposalConflict(DomainError):
    """409: the proposal is not open, or approving it cannot be carried out as asked."""

    status = 409
    code = "illegal_transition"

    def __init__(self, message: str, current: str | None = None) -> None:
        super().__init__(message, extra={"current_status": current})
        self.current = current


@dataclass
class ProposalSummary:
    proposal_run_id: int | None
    forecast_run_id: int | None
    planning_date: date | None
    locations: int = 0
    items_evaluated: int = 0
    proposals_created: int = 0
    with_quantity: int = 0
    buy: int = 0
    make: int = 0
    component_proposals: int = 0
    replaced: int = 0
    forecast_runs: dict[int, int] = field(default_factory=dict)  # run id → items planned from it
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["planning_date"] = self.planning_date.isoformat() if self.planning_date else None
        data["forecast_runs"] = {str(k): v for k, v in self.forecast_runs.items()}
        return data

    def __str__(self) -> str:
        if self.forecast_run_id is None:
            return "no succeeded forecast run: nothing planned"
        runs = ", ".join(f"#{k}" for k in self.forecast_runs) or f"#{self.forecast_run_id}"
        return (
            f"proposal run #{self.proposal_run_id} from forecast run(s) {runs} as of {self.planning_date}: "
            f"{self.items_evaluated} items at {self.locations} locations, {self.with_quantity} to order "
            f"({self.buy} buy, {self.make} make, {self.component_proposals} for components), "
            f"{self.replaced} open proposals replaced"
        )


def latest_succeeded_run() -> ModelRun | None:
    """The newest succeeded run with forecasts (forecasting's own definition of "latest")."""
    return succeeded_runs().first()


def _resolve_run(run: ModelRun | int | None) -> ModelRun | None:
    if run is None:
        return None
    if not isinstance(run, ModelRun):
        try:
            run = ModelRun.objects.get(pk=run)
        except (ModelRun.DoesNotExist, ValueError, TypeError):
            raise ProposalError(gettext("Forecast run %(run)s does not exist.") % {"run": run}) from None
    if run.status != RunStatus.SUCCEEDED:
        raise ProposalError(gettext("Forecast run %(run_id)s is %(status)s; only a succeeded run can be "
                                    "planned from.") % {"run_id": run.pk, "status": run.status})
    return run


def series_runs(location_ids: list[int], run: ModelRun | None = None) -> dict[tuple[int, int], int]:
    """Which forecast run each active (location, product) is planned from.

    With `run`, that run alone. Otherwise each series' forecast of record (forecasting's rule): the newest
    succeeded run of the most specific active forecast scope covering it, else the newest run without a scope
    that forecast it.
    """
    forecasts = Forecast.objects.filter(product__is_active=True).exclude(product__kind=ProductKind.SERVICE)
    if run is not None:
        forecasts = forecasts.filter(run_id=run.pk)
        pairs = forecasts.filter(location_id__in=location_ids).values_list("location_id", "product_id").distinct()
        return {pair: run.pk for pair in pairs}
    return forecast_of_record_bulk(location_ids, forecasts=forecasts)


def default_planning_date(run: ModelRun, protection_days: int = 1,
                          today: date | None = None) -> tuple[date, str | None]:
    """The review day to plan as of: normally today; the run's first forecast day for a historical run.

    Today when the run is fresh (it starts at most STALE_RUN_DAYS before today: the nightly case, or a night
    whose forecast failed) or when it still covers a whole protection period from today. Otherwise the data
    stopped long ago (a demo or an imported history): planning "today" would use the tail of the forecast
    and a stale stock snapshot, so it plans as of the day the forecast starts, and says so.
    """
    today = today or timezone.localdate()
    first, last = run.forecast_start, run.forecast_end
    if first is None or last is None:
        span = Forecast.objects.filter(run=run).aggregate(first=Min("date"), last=Max("date"))
        first, last = span["first"], span["last"]
    if first is None or first >= today - timedelta(days=STALE_RUN_DAYS):
        return today, None
    if last >= today + timedelta(days=protection_days - 1):
        return today, None
    return first, (
        f"forecast run {run.pk} covers {first}..{last}, which does not reach {protection_days} days past today "
        f"({today}); planning as of its first day {first}"
    )


@dataclass
class _Item:
    location_id: int
    product_id: int
    has_forecast: bool = False
    dependent: list[tuple[date | None, Decimal, str]] = field(default_factory=list)  # (due, qty, from what)


def propose_orders(
    run: ModelRun | int | None = None,
    location_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    *,
    planning_date: date | None = None,
    user=None,
    trigger: str = "manual",
    proposal_run: ProposalRun | None = None,
) -> ProposalSummary:
    """Compute and store order proposals for every active location × product of a forecast run.

    run: a succeeded ModelRun or its id; None = the latest succeeded run. location_ids: restrict to these
    locations (None = all active). progress(stage, done, total) is called as items are evaluated (the
    project's progress protocol, e.g. core.progress.TqdmProgress). Re-running
    replaces the open proposals of the planned locations and never touches approved or rejected ones.
    `proposal_run` executes a run recorded by queue_proposal_run() instead of recording a new one.
    """
    run = _resolve_run(run)
    scope_ids = sorted(set(location_ids)) if location_ids is not None else None
    if proposal_run is None:
        now = timezone.now()
        proposal_run = ProposalRun.objects.create(
            forecast_run=run, scope={"location_ids": scope_ids} if scope_ids is not None else {}, trigger=trigger,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            status=ProposalRunStatus.RUNNING, started_at=now, heartbeat_at=now,
        )
    elif not mark_running(proposal_run):
        raise ProposalConflict(gettext("Proposal run %(proposal_run_id)s is no longer queued; not run again.") % {
                                   "proposal_run_id": proposal_run.pk,
                               },
                               current=ProposalRun.objects.get(pk=proposal_run.pk).status)
    # The run's row follows progress (and its heartbeat tells the stale sweep the worker is alive).
    progress = RunProgress(proposal_run, listener=progress)
    summary = ProposalSummary(proposal_run.pk, run.pk if run else None, None)
    try:
        if run is None and latest_succeeded_run() is None:
            summary.warnings.append("no succeeded forecast run: nothing planned, open proposals left as they were")
        else:
            _plan(run, scope_ids, progress, planning_date, proposal_run, summary)
    except Exception as exc:
        ProposalRun.objects.filter(pk=proposal_run.pk).update(
            status=ProposalRunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000], finished_at=timezone.now(),
            warnings=summary.warnings,
        )
        logger.exception("propose_orders failed", extra={"proposal_run": proposal_run.pk})
        raise
    counts = {k: v for k, v in summary.as_dict().items() if type(v) is int and k not in (
        "proposal_run_id", "forecast_run_id")}
    ProposalRun.objects.filter(pk=proposal_run.pk).update(
        status=ProposalRunStatus.SUCCEEDED, finished_at=timezone.now(), counts=counts,
        warnings=summary.warnings[:200], planning_date=summary.planning_date, forecast_run_id=summary.forecast_run_id,
        scope={**proposal_run.scope, "forecast_runs": {str(k): v for k, v in summary.forecast_runs.items()}},
    )
    logger.info("order proposals stored", extra={"proposal_run": proposal_run.pk, **counts})
    emit_proposals_ready(proposal_run_id=proposal_run.pk, forecast_run_id=summary.forecast_run_id,
                         planning_date=summary.planning_date, counts=counts, warnings=summary.warnings)
    return summary


def _plan(run: ModelRun | None, scope_ids: list[int] | None, progress, planning_date: date | None,
          proposal_run: ProposalRun, summary: ProposalSummary) -> None:
    locations = Location.objects.active()
    if scope_ids is not None:
        locations = locations.filter(pk__in=scope_ids)
    locations_by_id = {loc.pk: loc for loc in locations}
    summary.locations = len(locations_by_id)
    loc_ids = list(locations_by_id)

    run_of = series_runs(loc_ids, run)
    forecast_pairs = set(run_of)
    used = sorted(set(run_of.values()), reverse=True)
    summary.forecast_runs = {rid: sum(1 for v in run_of.values() if v == rid) for rid in used}
    runs_used = {r.pk: r for r in ModelRun.objects.filter(pk__in=used)}
    newest = run or max(runs_used.values(), key=lambda r: (r.finished_at or r.created_at, r.pk), default=None)
    summary.forecast_run_id = newest.pk if newest else None
    resolver = SettingsResolver.load()
    graph = BomGraph.load()
    products: dict[int, Product] = {
        p.pk: p for p in Product.objects.filter(pk__in={p for _, p in forecast_pairs} | set(graph.products))
    }

    def product(pk: int) -> Product:
        if pk not in products:
            products.update({p.pk: p for p in Product.objects.filter(pk__in=[pk])})
        return products[pk]

    settings_cache: dict[tuple[int, int], EffectiveSettings] = {}
    # Steps of a BOM outside planning (embroidery…) lengthen a make item's lead time (planning.services.lead_time).
    make_extras = extra_make_lead_times(graph.default_bom_id)

    def settings_of(loc_id: int, prod_id: int) -> EffectiveSettings:
        key = (loc_id, prod_id)
        if key not in settings_cache:
            effective = resolver.resolve(locations_by_id[loc_id], product(prod_id))
            extras = make_extras.get(prod_id) if effective.make_or_buy == MakeOrBuy.MAKE else None
            if extras:
                effective = replace(
                    effective,
                    lead_time_days=effective.lead_time_days + sum(e.days for e in extras),
                    sources={**effective.sources, "lead_time_days": " + ".join(
                        [effective.sources.get("lead_time_days", "settings"), *(e.reason for e in extras)])},
                )
            settings_cache[key] = effective
        return settings_cache[key]

    max_p = max((settings_of(*pair).protection_days for pair in forecast_pairs), default=1)
    if planning_date is None:
        planning_date, note = default_planning_date(newest, max_p) if newest else (timezone.localdate(), None)
        if note:
            summary.warnings.append(note)
    summary.planning_date = planning_date
    demand: dict[tuple[int, int], list[DemandDay]] = defaultdict(list)
    for run_id in used:
        group_locations = sorted({loc for (loc, _), rid in run_of.items() if rid == run_id})
        rows = Forecast.objects.filter(
            run_id=run_id, location_id__in=group_locations, date__gte=planning_date,
            date__lt=planning_date + timedelta(days=max_p),
        ).values_list("location_id", "product_id", "date", "p10", "p50", "p90")
        for loc_id, prod_id, day, p10, p50, p90 in rows.iterator(chunk_size=5000):
            if run_of.get((loc_id, prod_id)) == run_id:
                demand[(loc_id, prod_id)].append(_demand_day(day, p10, p50, p90))

    ledger = available_map(loc_ids)
    snapshots = latest_snapshot_map(loc_ids)
    supply = _open_supply(loc_ids, planning_date)
    items: dict[tuple[int, int], _Item] = {pair: _Item(*pair, has_forecast=True) for pair in forecast_pairs}
    _add_open_task_requirements(loc_ids, graph, items)

    llc = graph.low_level_codes()
    proposals: list[OrderProposal] = []
    done = 0
    processed: set[tuple[int, int]] = set()
    level = 0
    max_level = max(llc.values(), default=0)
    while level <= max_level:
        batch = sorted(key for key in items if llc.get(key[1], 0) == level and key not in processed)
        for key in batch:
            processed.add(key)
            item = items[key]
            prod = product(item.product_id)
            if prod.kind == ProductKind.SERVICE:
                continue
            effective = settings_of(*key)
            proposal = _evaluate(item, prod, effective, planning_date, demand.get(key, []), ledger, snapshots,
                                 supply.get(key, []), run_of.get(key), proposal_run)
            proposals.append(proposal)
            if proposal.kind == ProposalKind.MAKE and proposal.quantity > 0:
                warning = _explode_into(items, graph, key, proposal.quantity, proposal.expected_arrival,
                                        f"proposal for {prod.sku}", llc, processed, locations_by_id)
                if warning:
                    proposal.terms.setdefault("warnings", []).append(warning)
            done += 1
            total = len(items)
            if progress is not None:
                progress(PROGRESS_STAGE, done, total)
        level += 1
        max_level = max([max_level, *(llc.get(k[1], 0) for k in items)])

    summary.items_evaluated = done
    with transaction.atomic():
        stale = OrderProposal.objects.filter(status=ProposalStatus.PROPOSED)
        if scope_ids is not None:
            stale = stale.filter(location_id__in=loc_ids)
        summary.replaced = _delete_open(stale)
        OrderProposal.objects.bulk_create(proposals, batch_size=1000)
    ProposalRun.objects.filter(pk=proposal_run.pk).update(progress_done=done, progress_total=done)
    summary.proposals_created = len(proposals)
    summary.with_quantity = sum(1 for p in proposals if p.quantity > 0)
    summary.buy = sum(1 for p in proposals if p.quantity > 0 and p.kind == ProposalKind.BUY)
    summary.make = sum(1 for p in proposals if p.quantity > 0 and p.kind == ProposalKind.MAKE)
    summary.component_proposals = sum(1 for p in proposals if p.quantity > 0 and p.dependent_demand > 0)


def _demand_day(day: date, p10: float | None, p50: float | None, p90: float | None) -> DemandDay:
    """A forecast row as policy input: negative or missing medians count as 0, a broken band as none."""
    median = p50 if p50 is not None and math.isfinite(p50) else 0.0
    band_ok = all(v is not None and math.isfinite(v) for v in (p10, p90))
    return DemandDay(day, to_decimal(max(median, 0.0)), to_decimal(p10) if band_ok else None,
                     to_decimal(p90) if band_ok else None)


def _delete_open(stale) -> int:
    """Delete open proposals in one statement.

    QuerySet.delete() would load every row to apply the SET_NULL of purchase-order lines and tasks that
    point at a proposal (seconds for tens of thousands of rows). Only approved proposals are ever linked, so
    the links are cleared explicitly (normally a no-op) and the rows are deleted with a single DELETE.
    """
    PurchaseOrderLine.objects.filter(proposal__in=stale).update(proposal=None)
    ProductionTask.objects.filter(proposal__in=stale).update(proposal=None)
    return stale._raw_delete(stale.db)


def _evaluate(item: _Item, prod: Product, effective: EffectiveSettings, planning_date: date,
              demand_days: list[DemandDay], ledger: dict, snapshots: dict, open_supply: list[OpenSupply],
              forecast_run_id: int | None, proposal_run: ProposalRun) -> OrderProposal:
    key = (item.location_id, item.product_id)
    held_quarantine = held_blocked = ZERO
    if key in ledger:
        # Only available stock: quarantined and blocked quantities can be neither sold nor consumed.
        on_hand, reserved, in_transit, held_quarantine, held_blocked = ledger[key]
        stock_source = "ledger"
    elif key in snapshots:
        on_hand, reserved, in_transit = snapshots[key]
        stock_source = "snapshot"
    else:
        on_hand = reserved = in_transit = ZERO
        stock_source = "none"
    supply = list(open_supply)
    if in_transit > 0:
        supply.append(OpenSupply(in_transit, planning_date, "in transit (source system)"))
    end = planning_date + timedelta(days=effective.protection_days)
    dependent = [(due, qty, what) for due, qty, what in item.dependent if due is None or due < end]
    dependent_total = sum((qty for _, qty, _ in dependent), ZERO)
    result = compute_order_proposal(
        PolicyInput(
            planning_date=planning_date,
            settings=PolicySettings(
                service_level=effective.service_level,
                review_period_days=effective.review_period_days,
                lead_time_days=effective.lead_time_days,
                moq=effective.moq,
                pack_size=effective.pack_size,
                max_stock=effective.max_stock,
            ),
            demand=demand_days if item.has_forecast else [],
            on_hand=on_hand,
            reserved=max(ZERO, reserved),
            open_supply=supply,
            dependent_demand=dependent_total,
            unit=prod.unit,
        )
    )
    warnings = list(result.warnings)
    if not item.has_forecast:
        # A pure component: "demand covers 0 of P days" is expected, not a problem.
        warnings = [w for w in warnings if not w.startswith("demand covers")]
    if stock_source == "none":
        warnings.append("no stock known (no ledger balance, no source snapshot): on hand taken as 0")
    # The terms that have no column of their own (the rest are fields of OrderProposal).
    terms = {key: value for key, value in result.as_dict().items() if key in EXTRA_TERMS}
    terms["warnings"] = warnings
    terms["settings"] = effective.as_dict()
    terms["stock_source"] = stock_source
    terms["not_available"] = {"quarantine": str(held_quarantine), "blocked": str(held_blocked)}
    explanation = result.explanation
    if held_quarantine > 0 or held_blocked > 0:
        held = [f"{q.normalize():f} in quarantine" for q in [held_quarantine] if q > 0]
        held += [f"{b.normalize():f} blocked" for b in [held_blocked] if b > 0]
        explanation += (f" On hand counts available stock only: {' and '.join(held)} "
                        "is not counted until quality releases it.")
    terms["open_supply"] = [
        {"quantity": str(o.quantity), "due_date": o.due_date.isoformat(), "reference": o.reference,
         "counted": o.due_date < end}
        for o in supply
    ]
    terms["dependent_demand_sources"] = [
        {"quantity": str(qty), "due_date": due.isoformat() if due else None, "from": what}
        for due, qty, what in dependent
    ]
    kind = ProposalKind.MAKE if effective.make_or_buy == MakeOrBuy.MAKE else ProposalKind.BUY
    return OrderProposal(
        proposal_run=proposal_run,
        forecast_run_id=forecast_run_id,
        location_id=item.location_id,
        product_id=item.product_id,
        kind=kind,
        status=ProposalStatus.PROPOSED,
        quantity=result.quantity,
        supplier_id=effective.supplier_id if kind == ProposalKind.BUY else None,
        planning_date=planning_date,
        order_date=result.order_date,
        expected_arrival=result.expected_arrival,
        protection_days=result.protection_days,
        forecast_demand=result.forecast_demand,
        dependent_demand=result.dependent_demand,
        demand=result.demand,
        safety_stock=result.safety_stock,
        on_hand=result.on_hand,
        open_supply=result.open_supply_within,
        reserved=result.reserved,
        inventory_position=result.inventory_position,
        target_level=result.target_level,
        raw_need=result.raw_need,
        service_level=result.service_level,
        terms=terms,
        explanation=explanation,
        stock_source=stock_source,
    )


def _explode_into(items: dict[tuple[int, int], _Item], graph: BomGraph, key: tuple[int, int], quantity: Decimal,
                  due: date | None, what: str, llc: dict[int, int], processed: set[tuple[int, int]],
                  locations_by_id: dict[int, Location]) -> str | None:
    location_id, product_id = key
    if product_id not in graph.default_lines:
        return f"no active default BOM for product {product_id}: its components are not planned"
    for component_id, need in graph.one_level(product_id, quantity).items():
        component_key = (location_id, component_id)
        if component_key in processed:
            return f"component {component_id} was planned before its parent (a BOM cycle?): requirement ignored"
        items.setdefault(component_key, _Item(location_id, component_id)).dependent.append((due, need, what))
        llc.setdefault(component_id, llc.get(product_id, 0) + 1)
    return None


def _add_open_task_requirements(loc_ids: list[int], graph: BomGraph, items: dict[tuple[int, int], _Item]) -> None:
    """Open production tasks will consume their BOM's components: dependent demand on those components."""
    tasks = list(
        ProductionTask.objects.filter(location_id__in=loc_ids, status__in=OPEN_TASK_STATUSES)
        .select_related("bom", "product")
    )
    if not tasks:
        return
    lines_by_bom: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for bom_id, component_id, quantity, scrap in BomLine.objects.filter(
        bom_id__in={t.bom_id for t in tasks}
    ).values_list("bom_id", "component_id", "quantity", "scrap_percent"):
        lines_by_bom[bom_id].append((component_id, quantity, scrap))
    for task in tasks:
        for component_id, quantity, scrap in lines_by_bom[task.bom_id]:
            need = line_requirement(task.quantity, task.bom.output_quantity, quantity, scrap)
            key = (task.location_id, component_id)
            items.setdefault(key, _Item(*key)).dependent.append(
                (task.due_date, need, f"production task {task.pk} ({task.product.sku})")
            )


def _open_supply(loc_ids: list[int], planning_date: date) -> dict[tuple[int, int], list[OpenSupply]]:
    supply: dict[tuple[int, int], list[OpenSupply]] = defaultdict(list)
    lines = PurchaseOrderLine.objects.filter(
        order__location_id__in=loc_ids, order__status__in=OPEN_PURCHASE_ORDER_STATUSES
    ).values_list("order_id", "order__location_id", "product_id", "quantity", "received_quantity", "expected_date",
                  "order__expected_date", "order__status")
    for order_id, loc_id, prod_id, qty, received, line_date, order_date, status in lines:
        outstanding = qty - received
        if outstanding > 0:
            due = line_date or order_date or planning_date
            supply[(loc_id, prod_id)].append(OpenSupply(outstanding, due, f"PO {order_id} ({status})"))
    tasks = ProductionTask.objects.filter(location_id__in=loc_ids, status__in=OPEN_TASK_STATUSES).values_list(
        "pk", "location_id", "product_id", "quantity", "due_date", "status"
    )
    for task_id, loc_id, prod_id, qty, due, status in tasks:
        supply[(loc_id, prod_id)].append(OpenSupply(qty, due, f"production task {task_id} ({status})"))
    return supply


def queue_proposal_run(
    *,
    run: ModelRun | int | None = None,
    location_ids: Iterable[int] | None = None,
    planning_date: date | None = None,
    user=None,
) -> ProposalRun:
    """Record a queued proposal run and hand it to the worker once the transaction commits.

    The run is checked now (a failed or unknown forecast run is refused here, not in the worker). Two runs
    may overlap: each replaces open proposals in one transaction, so the one that finishes last wins.
    """
    run = _resolve_run(run)
    scope_ids = sorted(set(location_ids)) if location_ids is not None else None
    scope: dict = {"location_ids": scope_ids} if scope_ids is not None else {}
    proposal_run = ProposalRun.objects.create(
        status=ProposalRunStatus.QUEUED, forecast_run=run, planning_date=planning_date, scope=scope,
        trigger="api", created_by=_user(user),
    )
    enqueue_after_commit("planning.tasks.execute_queued_proposal_run", proposal_run.pk, run=proposal_run,
                         task_name=f"proposal-run-{proposal_run.pk}", group="planning")
    return proposal_run


def execute_proposal_run(proposal_run_id: int) -> ProposalSummary:
    """Run a queued proposal run with the parameters it recorded."""
    proposal_run = ProposalRun.objects.get(pk=proposal_run_id)
    if proposal_run.status != ProposalRunStatus.QUEUED:
        raise ProposalConflict(gettext("Proposal run %(proposal_run_id)s is %(status)s, not queued.") % {
                                   "proposal_run_id": proposal_run.pk,
                                   "status": proposal_run.status,
                               },
                               current=proposal_run.status)
    return propose_orders(
        run=proposal_run.forecast_run, location_ids=proposal_run.scope.get("location_ids"),
        planning_date=proposal_run.planning_date, user=proposal_run.created_by, trigger=proposal_run.trigger,
        proposal_run=proposal_run,
    )


# --- decisions ------------------------------------------------------------------------------------------


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _lock_open(proposal_id: int) -> OrderProposal:
    proposal = OrderProposal.objects.select_for_update().get(pk=proposal_id)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ProposalConflict(
            gettext("Proposal %(proposal_id)s is %(status)s; only a proposed one can be approved or rejected.") % {
                "proposal_id": proposal.pk,
                "status": proposal.status,
            },
            current=proposal.status,
        )
    return proposal


@transaction.atomic
def approve_proposal(proposal_id: int, *, user=None, quantity: Decimal | None = None, note: str = "",
                     supplier_id: int | None = None) -> OrderProposal:
    """Approve: a buy becomes a line on the draft purchase order of its supplier and location (created
    when there is none); a make becomes a draft production task with the product's default BOM.

    ``supplier_id`` sets the supplier of a buy proposal first (a proposal without one, from the review queue)."""
    proposal = _lock_open(proposal_id)
    if supplier_id is not None and proposal.kind == ProposalKind.BUY:
        if not Supplier.objects.filter(pk=supplier_id).exists():
            raise ProposalConflict(gettext("Supplier %(supplier_id)s does not exist; choose another supplier.") % {
                                       "supplier_id": supplier_id,
                                   },
                                   current=proposal.status)
        proposal.supplier_id = supplier_id
    quantity = proposal.quantity if quantity is None else quantity
    if quantity <= 0:
        raise ProposalConflict(
            gettext("Proposal %(proposal_id)s has nothing to order (quantity %(quantity)s); approve with a "
                    "quantity or reject it.") % {"proposal_id": proposal.pk, "quantity": format(quantity, "f")},
            current=proposal.status,
        )
    if proposal.kind == ProposalKind.BUY:
        order = _draft_order_for(proposal.supplier_id, proposal.location_id, user)
        PurchaseOrderLine.objects.create(
            order=order, product_id=proposal.product_id, quantity=quantity,
            expected_date=proposal.expected_arrival, proposal=proposal,
            notes=f"from order proposal {proposal.pk}",
        )
        if order.expected_date is None or proposal.expected_arrival < order.expected_date:
            order.expected_date = proposal.expected_arrival
            order.save(update_fields=["expected_date", "updated_at"])
    else:
        try:
            create_task(
                product_id=proposal.product_id, quantity=quantity, location_id=proposal.location_id,
                due_date=proposal.expected_arrival, user=user, proposal=proposal,
                notes=f"from order proposal {proposal.pk}",
            )
        except TaskConflict as exc:
            raise ProposalConflict(str(exc), current=proposal.status) from exc
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by, proposal.decided_at = _user(user), timezone.now()
    proposal.decided_quantity = quantity
    proposal.decision_note = note[:500]
    proposal.save()
    return proposal


def _draft_order_for(supplier_id: int | None, location_id: int, user) -> PurchaseOrder:
    """The draft PO collecting approved proposals of one supplier for one location (one per pair).

    The supplier row (or, without a supplier, the location row) is locked first so two planners approving
    at the same moment add to the same draft instead of creating two.
    """
    if supplier_id is not None:
        Supplier.objects.select_for_update().filter(pk=supplier_id).first()
    else:
        Location.objects.select_for_update().filter(pk=location_id).first()
    order = (
        PurchaseOrder.objects.filter(supplier_id=supplier_id, location_id=location_id, status="draft")
        .order_by("created_at", "id")
        .first()
    )
    if order is None:
        order = PurchaseOrder.objects.create(
            supplier_id=supplier_id, location_id=location_id, created_by=_user(user),
            notes="Collects approved order proposals.",
        )
    return order


@transaction.atomic
def reject_proposal(proposal_id: int, *, user=None, note: str = "") -> OrderProposal:
    proposal = _lock_open(proposal_id)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_at = _user(user), timezone.now()
    proposal.decision_note = note[:500]
    proposal.save()
    return proposal
