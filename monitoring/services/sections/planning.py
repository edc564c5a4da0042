"""Planning risks: stock-out risk within lead time, overstock, proposals awaiting a decision, overdue supply.

Per item (location × product) of the latest successful forecast run, over forecast days from today on:

- lead-time demand = Σ p50 for days before today + lead time (lead time per item: monitoring.services.lead_time);
- on hand = the stock ledger balance (planning.StockBalance; no row = 0);
- on order = outstanding quantity of open purchase-order lines (draft, sent, partially received) expected before
  the same cutoff or without a date, plus open production tasks due before it;
- at risk of stock-out ⇔ on hand + on order < lead-time demand;
- overstock ⇔ on hand > 0 and on hand > Σ p50 over the rest of the horizon × MONITORING_OVERSTOCK_FACTOR.

Items without a forecast in that run are not evaluated (components consumed by production, new products).
Queries: 2 for lead-time rules, 1 over the per-item table (counts and both capped lists) and one per count
below (a window function returns the exact total with the capped ids): 6 in all, whatever the data size.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, F, FloatField, Max, Min, OuterRef, Q, Sum, Value, Window
from django.db.models.functions import Cast, Coalesce

from forecasting.models import Forecast
from monitoring.services.context import BuildContext, iso, number
from monitoring.services.lead_time import ItemFields, LeadTimeRules
from planning.choices import OPEN_PURCHASE_ORDER_STATUSES, OPEN_TASK_STATUSES, ProposalStatus
from planning.models import OrderProposal, ProductionTask, PurchaseOrder, PurchaseOrderLine, StockBalance

ZERO = Value(0.0, output_field=FloatField())


class ItemTable:
    """Queries over the per-item rows as a derived table (`SELECT … FROM (<items>) AS items`).

    The rows join three independent aggregates on (location, product) — the run's forecasts per item, open
    purchase-order lines per item, open production tasks per item — with the ledger balance, so the database
    hash-joins a few aggregates. (Correlated subqueries per item, the ORM's natural form, end up in Django's
    GROUP BY and run once per forecast row.)
    """

    COLUMNS = ("location_id", "product_id", "lead_time_days", "lead_demand", "horizon_demand", "on_hand", "on_order")
    RISK = "items.lead_demand > items.on_hand + items.on_order"
    OVER = "items.on_hand > 0 AND items.on_hand > items.horizon_demand * %s"
    ORDER = {
        "risk": "items.lead_demand - items.on_hand - items.on_order DESC",
        "over": "items.on_hand - items.horizon_demand DESC",
    }

    def __init__(self, ctx: BuildContext, run_id: int, rules: LeadTimeRules) -> None:
        cutoff = rules.cutoff_expression(ctx.today)
        # The lead-time CASE is evaluated once per forecast row (for lead_time_days); the demand over each lead
        # time in use is a plain date-filtered sum, and the outer query picks the item's own.
        lead_times = rules.distinct_days
        demand_by_lead = {
            f"demand_{days}": Coalesce(Sum("p50", filter=Q(date__lt=ctx.today + timedelta(days=days))), ZERO)
            for days in lead_times
        }
        forecast_items = (
            Forecast.objects.filter(run_id=run_id, date__gte=ctx.today)
            .values("location_id", "product_id")
            .annotate(
                horizon_demand=Coalesce(Sum("p50"), ZERO),
                lead_time_days=Max(rules.days_expression()),
                **demand_by_lead,
            )
            .order_by()
        )
        line_fields = ItemFields(
            location_id="order__location_id", location_path="order__location__tree_path",
            product_id="product_id", category_id="product__category_id",
        )
        open_lines = (
            PurchaseOrderLine.objects.filter(
                order__status__in=OPEN_PURCHASE_ORDER_STATUSES, quantity__gt=F("received_quantity")
            )
            .annotate(expected=Coalesce("expected_date", "order__expected_date"))
            .filter(Q(expected__isnull=True) | Q(expected__lt=rules.cutoff_expression(ctx.today, line_fields)))
            .values(item_location=F("order__location_id"), item_product=F("product_id"))
            .annotate(quantity=Cast(Sum(F("quantity") - F("received_quantity")), FloatField()))
            .order_by()
        )
        open_tasks = (
            ProductionTask.objects.filter(status__in=OPEN_TASK_STATUSES, due_date__lt=cutoff)
            .values(item_location=F("location_id"), item_product=F("product_id"))
            .annotate(quantity=Cast(Sum("quantity"), FloatField()))
            .order_by()
        )
        forecast_sql, forecast_params = forecast_items.query.sql_with_params()
        lines_sql, lines_params = open_lines.query.sql_with_params()
        tasks_sql, tasks_params = open_tasks.query.sql_with_params()
        balance = connection.ops.quote_name(StockBalance._meta.db_table)
        pick = " ".join(f"WHEN {int(days)} THEN f.demand_{int(days)}" for days in lead_times)
        self.sql = (
            f"SELECT f.location_id, f.product_id, f.lead_time_days, CASE f.lead_time_days {pick} END AS lead_demand, "
            "f.horizon_demand, "
            "CAST(COALESCE(b.on_hand, 0) AS DOUBLE PRECISION) AS on_hand, "
            "COALESCE(l.quantity, 0) + COALESCE(t.quantity, 0) AS on_order "
            f"FROM ({forecast_sql}) AS f "
            f"LEFT JOIN {balance} AS b ON b.location_id = f.location_id AND b.product_id = f.product_id "
            f"LEFT JOIN ({lines_sql}) AS l ON l.item_location = f.location_id AND l.item_product = f.product_id "
            f"LEFT JOIN ({tasks_sql}) AS t ON t.item_location = f.location_id AND t.item_product = f.product_id"
        )
        self.params = [*forecast_params, *lines_params, *tasks_params]
        self.overstock_factor = ctx.overstock_factor

    def summarise(self, limit: int) -> dict:
        """Items evaluated, and for stock-out risk and overstock the exact count plus the `limit` items with the
        largest shortfall / excess — one statement: the item table is a CTE computed once, each list carries
        its total as a window count."""
        columns = ", ".join(f"items.{c}" for c in self.COLUMNS)
        blanks = ", ".join(["NULL"] * len(self.COLUMNS))

        def branch(kind: str, where: str) -> str:
            return (
                f"SELECT * FROM (SELECT '{kind}' AS kind, {columns}, COUNT(*) OVER () AS total, "
                f"ROW_NUMBER() OVER (ORDER BY {self.ORDER[kind]}, items.location_id, items.product_id) AS position "
                f"FROM items WHERE {where}) AS {kind}_items WHERE position <= %s"
            )

        sql = (
            f"WITH items AS ({self.sql}) "
            f"{branch('risk', self.RISK)} UNION ALL {branch('over', self.OVER)} "
            f"UNION ALL SELECT 'all', {blanks}, COUNT(*), 0 FROM items"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, limit, self.overstock_factor, limit])
            rows = cursor.fetchall()
        result = {"evaluated": 0, "risk": (0, []), "over": (0, [])}
        for kind, *values, total, _position in sorted(rows, key=lambda row: (row[0], row[-1])):
            if kind == "all":
                result["evaluated"] = int(total)
            else:
                result[kind] = (int(total), [*result[kind][1], dict(zip(self.COLUMNS, values, strict=True))])
        return result


def collect(ctx: BuildContext, forecast_run_id: int | None) -> dict:
    rules = LeadTimeRules.load()
    section: dict = {
        "forecast_run_id": forecast_run_id,
        "lead_time_days_in_use": rules.distinct_days,
        "overstock_factor": ctx.overstock_factor,
    }
    if forecast_run_id is None:
        section["items_evaluated"] = 0
        section["stockout_risk"] = _items(0, [])
        section["overstock"] = _items(0, [])
    else:
        summary = ItemTable(ctx, forecast_run_id, rules).summarise(ctx.list_cap)
        risk_count, risk_rows = summary["risk"]
        over_count, over_rows = summary["over"]
        section["items_evaluated"] = summary["evaluated"]
        section["stockout_risk"] = _items(risk_count, [_risk_row(r) for r in risk_rows])
        section["overstock"] = _items(over_count, [_over_row(r) for r in over_rows])

    proposals = _count_and_ids(
        OrderProposal.objects.filter(status=ProposalStatus.PROPOSED), ["created_at", "id"], ctx.list_cap,
        oldest=Min("created_at"),
    )
    proposals["oldest_created_at"] = iso(proposals.pop("oldest"))

    outstanding_late = PurchaseOrderLine.objects.filter(order_id=OuterRef("pk"), quantity__gt=F("received_quantity"))
    outstanding_late = outstanding_late.annotate(expected=Coalesce("expected_date", "order__expected_date")).filter(
        expected__lt=ctx.today
    )
    overdue_orders = _count_and_ids(
        PurchaseOrder.objects.filter(status__in=OPEN_PURCHASE_ORDER_STATUSES).filter(Exists(outstanding_late)),
        ["expected_date", "id"],
        ctx.list_cap,
    )
    overdue_tasks = _count_and_ids(
        ProductionTask.objects.filter(status__in=OPEN_TASK_STATUSES, due_date__lt=ctx.today),
        ["due_date", "id"],
        ctx.list_cap,
    )
    section["proposals_awaiting_approval"] = proposals
    section["overdue_purchase_orders"] = overdue_orders
    section["overdue_production_tasks"] = overdue_tasks
    return section


def _count_and_ids(queryset, order_by: list[str], cap: int, oldest=None) -> dict:
    """Exact count and the first `cap` ids in one query (the total rides along as a window function)."""
    annotations = {"total": Window(Count("id"))}
    if oldest is not None:
        annotations["oldest"] = Window(oldest)
    rows = list(queryset.annotate(**annotations).order_by(*order_by).values("id", *annotations)[:cap])
    result = {
        "count": rows[0]["total"] if rows else 0,
        "ids": [row["id"] for row in rows],
    }
    result["truncated"] = result["count"] > len(result["ids"])
    if oldest is not None:
        result["oldest"] = rows[0]["oldest"] if rows else None
    return result


def _items(count: int, rows: list[dict]) -> dict:
    return {"count": count, "items": rows, "truncated": count > len(rows)}


def _risk_row(row: dict) -> dict:
    shortfall = row["lead_demand"] - row["on_hand"] - row["on_order"]
    return {
        "location_id": row["location_id"],
        "product_id": row["product_id"],
        "lead_time_days": row["lead_time_days"],
        "lead_time_demand": number(row["lead_demand"]),
        "on_hand": number(row["on_hand"]),
        "on_order": number(row["on_order"]),
        "shortfall": number(shortfall),
    }


def _over_row(row: dict) -> dict:
    return {
        "location_id": row["location_id"],
        "product_id": row["product_id"],
        "on_hand": number(row["on_hand"]),
        "horizon_demand": number(row["horizon_demand"]),
        "excess": number(row["on_hand"] - row["horizon_demand"]),
    }
